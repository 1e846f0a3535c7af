/**
 * Two-step verification on the demo page, with the server's authenticator-app codes on (TOTP=on):
 * turn it on from the signed-in step (the key read from the page, the app's code computed here),
 * then sign in with the email code and the app's code, and with a magic link and the app's code.
 * The new states are photographed in light, dark and on a 375 px phone (setup with its QR code,
 * the recovery codes, the second step), the second step in Arabic too, and checked as looks.ts
 * checks every step: no overflow, the scheme and the direction shown, no CSP violation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { SuccessDetail } from '../../widget/element/events.ts';
import { totpCode } from '../../widget/testing/totp.ts';
import { STRICT_CSP, STRICT_CSP_PAGE } from '../demo-routes.ts';
import { collectPageErrors, cspViolations, launchBrowser, newContext, startDemoServer, uniqueEmail, waitForElementEvent, type DemoServer } from './harness.ts';
import { captureInLook, LOOKS, part, type Look } from './looks.ts';

/** The looks the whole flow runs in; Arabic is photographed on the second step (below). */
const SHOT_LOOKS = LOOKS.filter((look) => look.name !== 'arabic');
const ARABIC = LOOKS.find((look) => look.name === 'arabic')!;

describe('two-step verification on the demo page', () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    server = await startDemoServer({ TOTP: 'on' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The app's code now on the server's clock; a step later first, so a code used before is not this one. */
  async function appCode(secret: string): Promise<string> {
    server.testServer.clock.advance(30_000);
    return totpCode(secret, server.testServer.clock.now());
  }

  async function emailCode(page: Page, email: string): Promise<void> {
    // One code request per address a minute.
    server.testServer.clock.advance(61_000);
    await page.getByLabel('Email address').fill(email);
    const sent = server.nextMailTo(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByLabel('Code from the email').fill((await sent).code!);
  }

  /** Turns it on for `email` (signed in by code on `page`, then out); the key as the page shows it. */
  async function turnOn(page: Page, email: string, shoot?: Look): Promise<string> {
    await emailCode(page, email);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    await part(page, 'totp-summary').click();
    await page.getByRole('button', { name: 'Turn on' }).click();
    const key = part(page, 'totp-secret');
    await key.waitFor();
    const secret = (await key.textContent())!.replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    const qr = part(page, 'totp-qr');
    assert.ok((await qr.locator('svg path').count()) > 0, 'the QR code is drawn');
    if (shoot) await captureInLook(page, shoot, `second-factor-setup-${shoot.name}`, part(page, 'base'));
    await page.getByLabel('Then enter the code the app shows.').fill(await appCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await part(page, 'totp-codes').waitFor();
    assert.equal(await part(page, 'totp-codes').locator('li').count(), 10);
    if (shoot) await captureInLook(page, shoot, `second-factor-recovery-codes-${shoot.name}`, part(page, 'base'));
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download as a text file' }).click();
    assert.equal((await download).suggestedFilename(), 'recovery-codes.txt');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email address').waitFor();
    // Forget this sign-in's events, so the test's waitForElementEvent finds the next sign-in's.
    await page.evaluate(() => {
      window.__e2e.events.length = 0;
    });
    return secret;
  }

  /**
   * A new browser context in `look` (Playwright's defaults without one) on the demo page, with
   * the second factor turned on for a new address and signed out again; its setup photographed in
   * `shoot`.
   */
  async function pageWithSecondFactorOn(name: string, look?: Look, shoot?: Look) {
    const context = await newContext(browser, look?.options);
    const errors = collectPageErrors(context);
    const page = await context.newPage();
    await page.goto(server.url);
    const email = uniqueEmail(`totp-e2e-${name}`);
    const secret = await turnOn(page, email, shoot);
    return { context, errors, page, email, secret };
  }

  for (const look of SHOT_LOOKS) {
    it(`email code, then the app's code: signed in (${look.name})`, async () => {
      const { context, errors, page, email, secret } = await pageWithSecondFactorOn(look.name, look, look);

      await emailCode(page, email);
      await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      const field = page.getByLabel('6-digit code');
      assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
      assert.ok(await field.evaluate((node) => node === (node.getRootNode() as ShadowRoot).activeElement), 'the focus is on the app code');
      await captureInLook(page, look, `second-factor-step-${look.name}`, part(page, 'base'));
      await field.fill(await appCode(secret));
      await page.getByText(`You are signed in as ${email}.`).waitFor();
      const success = (await waitForElementEvent(page, 'passwordless-success')) as SuccessDetail;
      assert.equal(success.method, 'code');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  it("the second step in Arabic, right to left: the app's code signs in", async () => {
    const { context, errors, page, email, secret } = await pageWithSecondFactorOn('arabic', ARABIC);

    await emailCode(page, email);
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    // The demo page's language switch, on the step itself: the element speaks Arabic from here.
    await page.locator('#lang-select').selectOption('ar');
    await page.locator('passwordless-login [part~="base"][dir="rtl"]').waitFor();
    const field = part(page, 'totp-code-input');
    await page.getByRole('heading', { name: 'التحقق بخطوتين' }).waitFor();
    await captureInLook(page, ARABIC, 'second-factor-step-arabic', part(page, 'base'));
    await field.fill(await appCode(secret));
    await part(page, 'sign-out').waitFor();
    const success = (await waitForElementEvent(page, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.method, 'code');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("a magic link, then the app's code: signed in", async () => {
    const { context, errors, page, email, secret } = await pageWithSecondFactorOn('link');

    server.testServer.clock.advance(61_000);
    await page.getByLabel('Email address').fill(email);
    const sent = server.nextMailTo(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await sent;
    assert.ok(mail.link);
    const linkPage = await context.newPage();
    await linkPage.goto(mail.link);
    await linkPage.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await linkPage.getByLabel('6-digit code').fill(await appCode(secret));
    await linkPage.getByText(`You are signed in as ${email}.`).waitFor();
    const success = (await waitForElementEvent(linkPage, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.method, 'link');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('draws the QR code under the strict CSP (no data: image, nothing blocked)', async () => {
    const context = await newContext(browser);
    const errors = collectPageErrors(context);
    const page = await context.newPage();
    const response = await page.goto(server.url + STRICT_CSP_PAGE);
    assert.equal(response?.headers()['content-security-policy'], STRICT_CSP);
    // The page speaks Chinese: the element's parts, not its words.
    const email = uniqueEmail('totp-e2e-csp');
    await part(page, 'email-input').fill(email);
    const sent = server.nextMailTo(email);
    await part(page, 'submit').click();
    await part(page, 'code-input').fill((await sent).code!);
    await part(page, 'sign-out').waitFor();
    await part(page, 'totp-summary').click();
    await part(page, 'totp-turn-on').click();
    await part(page, 'totp-secret').waitFor();
    const svg = part(page, 'totp-qr').locator('svg');
    assert.ok((await svg.locator('path').count()) > 0);
    assert.ok(((await svg.boundingBox())?.width ?? 0) > 100, 'the QR code has its size');
    assert.equal(await part(page, 'totp-qr').locator('img').count(), 0);
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
