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
  recordedEvents,
  sessionStatus,
  startDemoServer,
  uniqueEmail,
  type DemoServer,
  type RecordedEvent,
} from './harness.ts';
import { namedHostArgs, selfSignedCertificate, startNamedHost, type NamedHost } from './named-hosts.ts';
import { captureInLook, LOOKS, openDemoInLook, part } from './looks.ts';
import { autofillWaits, holdAutofillForThePerson, pickAutofillPasskey, signInRequests } from './passkey-autofill.ts';
import { addVirtualAuthenticator, credentialIdBase64url, type VirtualAuthenticator } from './virtual-authenticator.ts';

const LOGIN = 'login.test';
const SHOP = 'shop.test';
const LOGIN_ORIGIN = `https://${LOGIN}`;
const SHOP_ORIGIN = `https://${SHOP}`;
const LIGHT = LOOKS.find((look) => look.name === 'light')!;

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
  /** `passkey-<nn>-<what>.png` in the light look, checked (looks.ts): the demo's panel, or the element on the shop. */
  async function capture(page: Page, what: string): Promise<void> {
    shot += 1;
    const panel = page.locator('.panel-widget');
    const target = (await panel.count()) ? panel : page.locator('passwordless-login');
    await captureInLook(page, LIGHT, `passkey-${String(shot).padStart(2, '0')}-${what}`, target);
  }

  /** The passkeys the server holds for the session's user: its own answer, outside any browser. */
  async function serverPasskeys(token: string): Promise<PasskeyListResponse['passkeys']> {
    const answer = await getJson<PasskeyListResponse>(`${demo.url}/auth${PasskeyPath.list}`, { Authorization: `Bearer ${token}` });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.passkeys;
  }

  /** Types a new address on `page`, reads the mailed code and types it: signed in by code (in any language). */
  async function signInByCode(page: Page, label: string): Promise<string> {
    const email = uniqueEmail(label);
    await part(page, 'email-input').fill(email);
    const sent = demo.nextMailTo(email);
    await part(page, 'email-input').press('Enter');
    const code = await codeFrom(sent);
    const detail = await nextSuccess(page, () => part(page, 'code-input').fill(code));
    assert.equal(detail.method, 'code');
    await part(page, 'sign-out').waitFor();
    return email;
  }

  /** Runs `action` and waits for the `passwordless-success` or `passwordless-error` it brings. */
  async function outcome(page: Page, action: () => Promise<void>): Promise<RecordedEvent> {
    const before = (await recordedEvents(page)).length;
    await action();
    const event = await page.waitForFunction((n) => window.__e2e.events.slice(n).find((e) => e.name === 'passwordless-success' || e.name === 'passwordless-error'), before);
    return (await event.jsonValue()) as RecordedEvent;
  }

  /** Runs `action` and returns the detail of the sign-in it brings; fails on an error instead. */
  async function nextSuccess(page: Page, action: () => Promise<void>): Promise<SuccessDetail> {
    const event = await outcome(page, action);
    assert.equal(event.name, 'passwordless-success', JSON.stringify(event.detail));
    return event.detail as SuccessDetail;
  }

  async function signOut(page: Page): Promise<void> {
    await part(page, 'sign-out').click();
    await part(page, 'email-input').waitFor();
  }

  /** Signs out, and waits until the email step's autofill request waits for the person. */
  async function signOutToEmailStep(page: Page): Promise<void> {
    await signOut(page);
    await autofillWaits(page);
  }

  /** "Sign in with a passkey": the browser's prompt, answered by the device. */
  async function passkeyButton(page: Page): Promise<SuccessDetail> {
    const before = (await signInRequests(page)).length;
    const detail = await nextSuccess(page, () => page.getByRole('button', { name: 'Sign in with a passkey' }).click());
    assert.deepEqual((await signInRequests(page)).slice(before), ['optional'], 'the button\'s own prompt, not the autofill');
    return detail;
  }

  /** Opens the signed-in step's "Passkeys" disclosure and returns its list's items, once fetched. */
  async function openPasskeys(page: Page): Promise<Locator> {
    await part(page, 'passkeys-summary').click();
    const list = part(page, 'passkeys');
    await list.locator('[part~="passkey-list"], p[part="text"]').first().waitFor();
    return list.locator('[part~="passkey"]');
  }

  /** A person's browser: one context, its pages' autofill waiting for the person (passkey-autofill.ts). */
  async function personContext(look = LIGHT): Promise<BrowserContext> {
    const context = await newContext(browser, look.options);
    await holdAutofillForThePerson(context);
    return context;
  }

  // One person (context A, one device) through the whole story, in order; a second in context B.
  let context: BrowserContext;
  let errors: string[];
  let page: Page;
  let authenticator: VirtualAuthenticator;
  let email: string;

  it('offers a passkey after a sign-in by code, makes one for the RP ID login.test, and lists it', async () => {
    context = await personContext();
    errors = collectPageErrors(context);
    page = await context.newPage();
    await page.goto(LOGIN_ORIGIN);
    authenticator = await addVirtualAuthenticator(page);

    email = await signInByCode(page, 'passkey');
    const offer = part(page, 'passkey-offer');
    await offer.getByText('Sign in faster next time with a passkey').waitFor();
    await capture(page, 'offer');
    await offer.getByRole('button', { name: 'Add a passkey' }).click();
    await offer.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Passkey added. Next time, sign in with it.' }).waitFor({ state: 'attached' });

    const [made, ...others] = await authenticator.credentials();
    assert.deepEqual(others, [], 'one passkey on the device');
    assert.equal(made!.rpId, LOGIN);
    assert.equal(made!.isResidentCredential, true);
    const token = (await elementSessionToken(page))!;
    const [stored, ...more] = await serverPasskeys(token);
    assert.deepEqual(more, []);
    assert.equal(stored!.id, credentialIdBase64url(made!.credentialId), 'the server holds the passkey the device made');
    assert.equal(stored!.synced, false, 'a device-bound passkey');
    assert.equal(stored!.lastUsedAt, null);

    const items = await openPasskeys(page);
    assert.equal(await items.count(), 1);
    await items.first().getByText(stored!.name, { exact: true }).waitFor();
    await items.first().getByText(/Not used yet · This device only/).waitFor();
    await capture(page, 'list');
  });

  it('signs in with the "Sign in with a passkey" button after signing out', async () => {
    await signOutToEmailStep(page);
    assert.equal(await part(page, 'email-input').getAttribute('autocomplete'), 'username webauthn', 'the field offers passkeys among its suggestions');
    await capture(page, 'email-step');

    const detail = await passkeyButton(page);
    assert.equal(detail.method, 'passkey');
    assert.equal(detail.user.email, email);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    assert.equal(await part(page, 'passkey-offer').count(), 0, 'no offer after a passkey sign-in');
    assert.equal(await sessionStatus(demo.url, detail.session.token!), 200);
    const [used] = await serverPasskeys(detail.session.token!);
    assert.ok(used!.lastUsedAt, 'the passkey is marked used');
  });

  it('signs in by autofill: the person picks the passkey in the email field\'s suggestions', async () => {
    await signOutToEmailStep(page);
    const before = (await signInRequests(page)).length;
    const detail = await nextSuccess(page, () => pickAutofillPasskey(page));
    assert.deepEqual((await signInRequests(page)).slice(before), [], 'no other request: the waiting autofill signed in');
    assert.equal(detail.method, 'passkey');
    assert.equal(detail.user.email, email);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
  });

  it('signs in on shop.test with the passkey made on login.test (Related Origin Requests)', async () => {
    await signOut(page);
    // The authenticator stays with the tab (virtual-authenticator.ts): the same device on the shop.
    await page.goto(SHOP_ORIGIN);
    await autofillWaits(page);
    await capture(page, 'shop-email-step');
    const detail = await passkeyButton(page);
    assert.equal(detail.method, 'passkey');
    assert.equal(detail.user.email, email);
    assert.equal(await sessionStatus(demo.url, detail.session.token!), 200);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();

    await signOutToEmailStep(page);
    const again = await nextSuccess(page, () => pickAutofillPasskey(page));
    assert.equal(again.method, 'passkey', 'and by autofill on the shop');
    assert.equal(again.user.email, email);
    assert.deepEqual(await cspViolations(page), [], 'the shop\'s CSP names only the login service');
    await signOut(page);
  });

  it('makes a passkey on shop.test and signs in with it on login.test', async () => {
    const other = await personContext();
    const otherErrors = collectPageErrors(other);
    const shopPage = await other.newPage();
    await shopPage.goto(SHOP_ORIGIN);
    const device = await addVirtualAuthenticator(shopPage, { synced: true });
    const shopper = await signInByCode(shopPage, 'shop-passkey');
    await part(shopPage, 'passkey-offer').getByRole('button', { name: 'Add a passkey' }).click();
    await part(shopPage, 'passkey-offer').waitFor({ state: 'detached' });
    const [made] = await device.credentials();
    assert.equal(made!.rpId, LOGIN, 'made on the shop, for the login service\'s RP ID');
    const items = await openPasskeys(shopPage);
    await items.first().getByText(/Not used yet · Synced/).waitFor();
    await capture(shopPage, 'shop-list');
    const [stored] = await serverPasskeys((await elementSessionToken(shopPage))!);
    assert.equal(stored!.synced, true, 'a synced passkey is listed as synced');

    await signOut(shopPage);
    await shopPage.goto(LOGIN_ORIGIN);
    await autofillWaits(shopPage);
    const detail = await passkeyButton(shopPage);
    assert.equal(detail.method, 'passkey');
    assert.equal(detail.user.email, shopper);
    assert.deepEqual(await cspViolations(shopPage), []);
    assert.deepEqual(otherErrors, []);
    await other.close();
  });

  it('removes the passkey: the list and the server forget it, and it signs in no more on either origin', async () => {
    // Signed out on both origins since the test before.
    await page.goto(LOGIN_ORIGIN);
    await autofillWaits(page);
    await passkeyButton(page);
    const token = (await elementSessionToken(page))!;
    const items = await openPasskeys(page);
    await items.first().getByRole('button', { name: 'Remove' }).click();
    await items.first().getByText(/^Remove “.+”\? You will no longer be able to sign in with it\.$/).waitFor();
    await capture(page, 'remove-confirm');
    await part(page, 'confirm-remove').click();
    await part(page, 'passkeys').getByText('No passkeys yet.').waitFor();
    await capture(page, 'list-empty');
    assert.deepEqual(await serverPasskeys(token), []);
    assert.equal((await authenticator.credentials()).length, 1, 'the device still holds it: only the server forgot it');

    await signOut(page);
    for (const origin of [LOGIN_ORIGIN, SHOP_ORIGIN]) {
      await page.goto(origin);
      await autofillWaits(page);
      const event = await outcome(page, () => page.getByRole('button', { name: 'Sign in with a passkey' }).click());
      assert.equal(event.name, 'passwordless-error', `${origin}: a removed passkey does not sign in`);
      assert.equal((event.detail as { code: string }).code, 'unknown_passkey');
      await part(page, 'passkey-error').getByText('This passkey is not registered here any more. Sign in with your email.').waitFor();
      assert.equal(await elementSessionToken(page), null);
      await capture(page, `removed-refused-on-${origin === LOGIN_ORIGIN ? 'login' : 'shop'}`);

      // Nor by autofill, picked in the field's suggestions.
      await autofillWaits(page);
      const picked = await outcome(page, () => pickAutofillPasskey(page));
      assert.equal(picked.name, 'passwordless-error');
      assert.equal((picked.detail as { code: string }).code, 'unknown_passkey');
      assert.equal(await elementSessionToken(page), null);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const look of LOOKS.filter((l) => l !== LIGHT)) {
    it(`shows the offer, the list and the email step's button in the ${look.name} look`, async () => {
      const lookContext = await personContext(look);
      const lookErrors = collectPageErrors(lookContext);
      const lookPage = await lookContext.newPage();
      await openDemoInLook(lookPage, LOGIN_ORIGIN, look);
      await addVirtualAuthenticator(lookPage);
      const panel = lookPage.locator('.panel-widget');
      await signInByCode(lookPage, `passkey-${look.name}`);

      await part(lookPage, 'passkey-offer').waitFor();
      await captureInLook(lookPage, look, `passkey-${look.name}-1-offer`, panel);
      await part(lookPage, 'passkey-offer').locator('[part~="add-passkey"]').click();
      await part(lookPage, 'passkey-offer').waitFor({ state: 'detached' });
      assert.equal(await (await openPasskeys(lookPage)).count(), 1);
      await captureInLook(lookPage, look, `passkey-${look.name}-2-list`, panel);

      await signOutToEmailStep(lookPage);
      await part(lookPage, 'passkey-sign-in').waitFor();
      await captureInLook(lookPage, look, `passkey-${look.name}-3-email-step`, panel);
      // The whole page at a phone's width: nothing the passkey parts add may run past its edge.
      if (look.name === 'mobile') await captureInLook(lookPage, look, `passkey-${look.name}-4-page`);
      assert.deepEqual(lookErrors, []);
      await lookContext.close();
    });
  }
});
