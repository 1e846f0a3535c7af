/**
 * Passkeys end to end, in a real Chromium with a virtual authenticator, on two origins: the login
 * service itself (`https://login.test`, the demo page, the RP ID `login.test`) and a shop that
 * embeds the element with one script tag (`https://shop.test`, in ALLOWED_ORIGINS, so listed at
 * `https://login.test/.well-known/webauthn`: WebAuthn Related Origin Requests). A sign-in by code
 * offers a passkey; once made, it lists on the signed-in step and signs in with the "Sign in
 * with a passkey" button and by autofill, on either origin whichever made it; once removed, it
 * signs in no more. Each new step is photographed into demo/e2e/screenshots/passkey-*.png.
 *
 * Host names, the certificate and Chromium's flags: named-hosts.ts; whether this Chromium does
 * Related Origin Requests at all: related-origins.test.ts.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { PasskeyPath, type PasskeyListResponse } from '../../contract/passkeys.ts';
import { getJson } from '../../server/testing/api-client.ts';
import type { SuccessDetail } from '../../widget/element/events.ts';
import {
  codeFrom,
  collectPageErrors,
  cspViolations,
  elementSessionToken,
  launchBrowser,
  newContext,
  screenshot,
  sessionStatus,
  startDemoServer,
  uniqueEmail,
  waitForElementEvent,
  type DemoServer,
} from './harness.ts';
import { namedHostArgs, selfSignedCertificate, startNamedHost, type NamedHost } from './named-hosts.ts';
import { addVirtualAuthenticator, credentialIdBase64url, type VirtualAuthenticator } from './virtual-authenticator.ts';

const LOGIN = 'login.test';
const SHOP = 'shop.test';
const LOGIN_ORIGIN = `https://${LOGIN}`;
const SHOP_ORIGIN = `https://${SHOP}`;

/**
 * The shop's page: the element from the login service by one script tag, under the strict CSP
 * README promises is enough (the login service's origin in script-src and connect-src).
 */
const SHOP_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shop</title>
<script src="${LOGIN_ORIGIN}/passwordless-login.js"></script>
</head>
<body>
<h1>The shop</h1>
<passwordless-login></passwordless-login>
</body>
</html>`;
const SHOP_CSP = `default-src 'self'; script-src ${LOGIN_ORIGIN}; connect-src ${LOGIN_ORIGIN}`;

function shop(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': SHOP_CSP });
  response.end(SHOP_PAGE);
}

/** What an element-only part of the page is called: playwright's CSS reaches into open shadow roots. */
const part = (page: Page, name: string): Locator => page.locator(`passwordless-login [part~="${name}"]`).first();

describe('passkeys end to end, on the login service and on a related origin', () => {
  let demo: DemoServer;
  let hosts: NamedHost[];
  let browser: Browser;

  before(async () => {
    demo = await startDemoServer({ PUBLIC_URL: LOGIN_ORIGIN, ALLOWED_ORIGINS: SHOP_ORIGIN });
    const certificate = await selfSignedCertificate([LOGIN, SHOP]);
    hosts = [await startNamedHost(LOGIN, certificate, demo.testServer.backend.app.callback()), await startNamedHost(SHOP, certificate, shop)];
    browser = await launchBrowser(namedHostArgs(hosts));
  });
  after(async () => {
    await browser?.close();
    await Promise.all((hosts ?? []).map((host) => host.close()));
    await demo?.close();
  });

  let shot = 0;
  /** The element's box (on the demo, its panel) as `passkey-<nn>-<what>.png`. */
  async function capture(page: Page, what: string): Promise<void> {
    shot += 1;
    await screenshot(page, `passkey-${String(shot).padStart(2, '0')}-${what}`);
  }

  /** The passkeys the server holds for the session's user: its own answer, outside any browser. */
  async function serverPasskeys(token: string): Promise<PasskeyListResponse['passkeys']> {
    const answer = await getJson<PasskeyListResponse>(`${demo.url}/auth${PasskeyPath.list}`, { Authorization: `Bearer ${token}` });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.passkeys;
  }

  /** Types a new address on `page`, reads the mailed code and types it: signed in by code. */
  async function signInByCode(page: Page, label: string): Promise<{ email: string; detail: SuccessDetail }> {
    const email = uniqueEmail(label);
    await page.getByLabel('Email address').fill(email);
    const sent = demo.nextMailTo(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const code = await codeFrom(sent);
    await page.getByLabel('Code from the email').fill(code);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    return { email, detail: (await lastSuccess(page))! };
  }

  /** The detail of the page's latest `passwordless-success`, or null. */
  async function lastSuccess(page: Page): Promise<SuccessDetail | null> {
    return page.evaluate(() => (window.__e2e.events.filter((e) => e.name === 'passwordless-success').at(-1)?.detail ?? null) as SuccessDetail | null);
  }

  /** Waits for one more `passwordless-success` than the page had, and returns its detail. */
  async function nextSuccess(page: Page, action: () => Promise<void>): Promise<SuccessDetail> {
    const before = await page.evaluate(() => window.__e2e.events.filter((e) => e.name === 'passwordless-success').length);
    await action();
    await page.waitForFunction((n) => window.__e2e.events.filter((e) => e.name === 'passwordless-success').length > n, before);
    return (await lastSuccess(page))!;
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email address').waitFor();
  }

  // One person (context A: one device) through the whole story, in order; a second in context B.
  let context: BrowserContext;
  let errors: string[];
  let page: Page;
  let authenticator: VirtualAuthenticator;
  let email: string;
  let passkeyId: string;

  it('offers a passkey after a sign-in by code, makes one for the RP ID login.test, and lists it', async () => {
    context = await newContext(browser, { viewport: { width: 1280, height: 860 } });
    errors = collectPageErrors(context);
    page = await context.newPage();
    await page.goto(LOGIN_ORIGIN);
    authenticator = await addVirtualAuthenticator(page);

    ({ email } = await signInByCode(page, 'passkey'));
    const offer = page.getByRole('button', { name: 'Create a passkey' });
    await offer.waitFor();
    await capture(page, 'offer');
    await offer.click();

    const list = part(page, 'passkey-list');
    await list.getByRole('listitem').first().waitFor();
    await capture(page, 'list');
    const [made, ...others] = await authenticator.credentials();
    assert.deepEqual(others, [], 'one passkey on the device');
    assert.equal(made!.rpId, LOGIN);
    assert.equal(made!.isResidentCredential, true);
    passkeyId = credentialIdBase64url(made!.credentialId);

    const token = (await elementSessionToken(page))!;
    const [stored, ...more] = await serverPasskeys(token);
    assert.deepEqual(more, []);
    assert.equal(stored!.id, passkeyId, 'the server holds the passkey the device made');
    assert.equal(stored!.synced, false, 'a device-bound passkey');
    assert.equal(stored!.lastUsedAt, null);
    assert.equal(await list.getByRole('listitem').count(), 1);
  });

  it('signs in with the "Sign in with a passkey" button after signing out', async () => {
    // Held, the authenticator lets the email step show with its autofill request waiting.
    await authenticator.setAnswersAtOnce(false);
    await signOut(page);
    const button = page.getByRole('button', { name: 'Sign in with a passkey' });
    await button.waitFor();
    assert.equal(await page.getByLabel('Email address').getAttribute('autocomplete'), 'username webauthn', 'the field offers passkeys as autofill');
    await capture(page, 'email-step');

    await authenticator.setAnswersAtOnce(true);
    const detail = await nextSuccess(page, () => button.click());
    assert.equal(detail.method, 'passkey');
    assert.equal(detail.user.email, email);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    assert.equal(await sessionStatus(demo.url, detail.session.token!), 200);
    const [used] = await serverPasskeys(detail.session.token!);
    assert.ok(used!.lastUsedAt, 'the passkey is marked used');
  });

  it('signs in by autofill: the email step\'s request, answered when the field has the focus', async () => {
    const detail = await nextSuccess(page, async () => {
      await signOut(page).catch(() => undefined);
      await page.getByLabel('Email address').focus().catch(() => undefined);
    });
    assert.equal(detail.method, 'passkey');
    assert.equal(detail.user.email, email);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
  });

  it('signs in on shop.test with the passkey made on login.test (Related Origin Requests)', async () => {
    await authenticator.setAnswersAtOnce(false);
    await signOut(page);
    await page.goto(SHOP_ORIGIN);
    const button = page.getByRole('button', { name: 'Sign in with a passkey' });
    await button.waitFor();
    await capture(page, 'shop-email-step');
    await authenticator.setAnswersAtOnce(true);
    const detail = await nextSuccess(page, () => button.click());
    assert.equal(detail.method, 'passkey');
    assert.equal(detail.user.email, email);
    assert.equal(await sessionStatus(demo.url, detail.session.token!), 200);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    assert.deepEqual(await cspViolations(page), [], 'the shop\'s CSP names only the login service');
  });

  it('makes a passkey on shop.test and signs in with it on login.test', async () => {
    const other = await newContext(browser, { viewport: { width: 1280, height: 860 } });
    const otherErrors = collectPageErrors(other);
    const shopPage = await other.newPage();
    await shopPage.goto(SHOP_ORIGIN);
    const device = await addVirtualAuthenticator(shopPage, { synced: true });
    const { email: shopper } = await signInByCode(shopPage, 'shop-passkey');
    await shopPage.getByRole('button', { name: 'Create a passkey' }).click();
    await part(shopPage, 'passkey-list').getByRole('listitem').first().waitFor();
    await capture(shopPage, 'shop-list');
    const [made] = await device.credentials();
    assert.equal(made!.rpId, LOGIN, 'made on the shop, for the login service\'s RP ID');
    const [stored] = await serverPasskeys((await elementSessionToken(shopPage))!);
    assert.equal(stored!.synced, true, 'a synced passkey is listed as synced');

    await device.setAnswersAtOnce(false);
    await signOut(shopPage);
    await shopPage.goto(LOGIN_ORIGIN);
    const button = shopPage.getByRole('button', { name: 'Sign in with a passkey' });
    await button.waitFor();
    await device.setAnswersAtOnce(true);
    const detail = await nextSuccess(shopPage, () => button.click());
    assert.equal(detail.method, 'passkey');
    assert.equal(detail.user.email, shopper);
    assert.deepEqual(otherErrors, []);
    await other.close();
  });

  it('removes the passkey: the list and the server forget it, and it signs in no more on either origin', async () => {
    await page.goto(LOGIN_ORIGIN);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    const list = part(page, 'passkey-list');
    await list.getByRole('listitem').first().waitFor();
    const token = (await elementSessionToken(page))!;
    await list.getByRole('button', { name: /Remove/ }).first().click();
    await list.getByRole('listitem').first().waitFor({ state: 'detached' });
    await capture(page, 'list-after-removal');
    assert.deepEqual(await serverPasskeys(token), []);

    await authenticator.setAnswersAtOnce(false);
    await signOut(page);
    for (const origin of [LOGIN_ORIGIN, SHOP_ORIGIN]) {
      await page.goto(origin);
      await authenticator.setAnswersAtOnce(true);
      const before = await page.evaluate(() => window.__e2e.events.length);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      const failure = await page.waitForFunction((n) => window.__e2e.events.slice(n).find((e) => e.name === 'passwordless-error' || e.name === 'passwordless-success'), before);
      const event = (await failure.jsonValue()) as { name: string; detail: { code?: string } };
      assert.equal(event.name, 'passwordless-error', `${origin}: a removed passkey does not sign in`);
      assert.equal(event.detail.code, 'unknown_passkey');
      await part(page, 'error').waitFor();
      await capture(page, `removed-passkey-refused-${origin === LOGIN_ORIGIN ? 'login' : 'shop'}`);
      await authenticator.setAnswersAtOnce(false);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
});
