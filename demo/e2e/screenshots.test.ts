/**
 * Every step and page in a real Chromium, in four looks: light, dark, a 375 px phone and Arabic
 * (right to left). Each picture lands in `demo/e2e/screenshots/<look>-<nn>-<what>.png` (not
 * committed) for a person to look at, and each is checked for what a person would notice first:
 * nothing runs past the right edge of the screen, the dark look is dark and the light one light,
 * Arabic is laid out right to left, and no CSP violation or uncaught error happened.
 *
 * The element is driven through its documented parts (`email-input`, `code-input`, `submit`,
 * `continue`, `error`, `base`) and its events, not its sentences, so a change of wording does not
 * break the suite. One browser and one server for everything; one context per look.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { postJson } from '../../server/testing/api-client.ts';
import { collectPageErrors, newContext, STEP_TIMEOUT_MS, uniqueEmail, useDemo, wrongCode } from './harness.ts';
import { captureInLook, LOOKS, openDemoInLook, part, type CaptureChecks } from './looks.ts';

describe('screenshots of every step and page, checked', () => {
  const demo = useDemo();

  for (const look of LOOKS) {
    describe(`the ${look.name} look`, () => {
      let context: BrowserContext;
      let errors: string[];
      let shot = 0;

      /** Saves the picture as `<look>-<nn>-<what>`, then checks what it shows; `target` defaults to the whole page. */
      async function capture(page: Page, what: string, target?: Locator, checks?: CaptureChecks): Promise<void> {
        shot += 1;
        await captureInLook(page, look, `${look.name}-${String(shot).padStart(2, '0')}-${what}`, target, checks);
      }

      const openDemo = (page: Page) => openDemoInLook(page, demo.server.url, look);

      /** Types an address and sends it; resolves with the code once the code step is shown. */
      async function askForCode(page: Page, label: string): Promise<{ email: string; code: string; link: string }> {
        const email = uniqueEmail(`${look.name}-${label}`);
        await part(page, 'email-input').fill(email);
        const mail = demo.server.nextMailTo(email);
        await part(page, 'email-input').press('Enter');
        const { code, link } = await mail;
        await part(page, 'code-input').waitFor();
        return { email, code: code!, link: link! };
      }

      /** Errors the element has announced so far (`passwordless-error` details). */
      const errorCodes = (page: Page) => page.evaluate(() => window.__e2e.events.filter((e) => e.name === 'passwordless-error').map((e) => (e.detail as { code: string }).code));

      /** Types a code and waits for the answer: the `passwordless-error` code, or null on success. */
      async function submitCode(page: Page, code: string): Promise<string | null> {
        const before = (await errorCodes(page)).length;
        const answered = `window.__e2e.events.filter((e) => e.name === 'passwordless-error').length > ${before} || window.__e2e.events.some((e) => e.name === 'passwordless-success')`;
        await part(page, 'code-input').fill(code);
        // Today's element sends a complete code by itself (its submit button is then disabled while
        // it waits); one that does not is sent with Enter, as a person would.
        const sentByItself = await page.evaluate(`(${answered}) || !document.querySelector('passwordless-login').shadowRoot.querySelector('[part~="code-input"]') || document.querySelector('passwordless-login').shadowRoot.querySelector('[part~="submit"]')?.disabled === true`);
        if (!sentByItself) await part(page, 'code-input').press('Enter');
        await page.waitForFunction((n) => window.__e2e.events.filter((e) => e.name === 'passwordless-error').length > n || window.__e2e.events.some((e) => e.name === 'passwordless-success'), before, { timeout: STEP_TIMEOUT_MS });
        return (await errorCodes(page))[before] ?? null;
      }

      // One context per look, its tests in order: the signed-in step signs out for the landing page.
      before(async () => {
        context = await newContext(demo.browser, look.options);
        errors = collectPageErrors(context);
      });
      after(async () => {
        await context?.close();
      });

      it('shows the element\'s email, code, wrong-code and used-up steps, and the demo page around them', async () => {
        const page = await context.newPage();
        await openDemo(page);
        const panel = page.locator('.panel-widget');
        await capture(page, 'element-email', panel);

        const { code } = await askForCode(page, 'steps');
        await capture(page, 'element-code', panel);

        assert.equal(await submitCode(page, wrongCode(code)), 'invalid_code');
        await part(page, 'error').waitFor();
        await capture(page, 'element-wrong-code', panel);

        // Five wrong codes per address, then the code is void (login rules: 5 across resends).
        let last: string | null = 'invalid_code';
        for (let i = 2; i <= 6 && last === 'invalid_code'; i++) last = await submitCode(page, code.slice(0, -1) + String((Number(code.at(-1)) + i) % 10));
        assert.equal(last, 'too_many_attempts');
        await capture(page, 'element-code-used-up', panel);

        // The whole demo page, its mailbox and event log now filled.
        await page.locator('#mailbox-list .mail').first().waitFor();
        await capture(page, 'demo-page');
        const mailbox = await page.locator('#mailbox-list').evaluate((list) => ({ maxHeight: getComputedStyle(list).maxBlockSize, overflow: getComputedStyle(list).overflowY }));
        assert.notEqual(mailbox.maxHeight, 'none', 'the mailbox is bounded');
        assert.equal(mailbox.overflow, 'auto');
        await page.close();
      });

      it('shows the element signed in', async () => {
        const page = await context.newPage();
        await openDemo(page);
        const { code } = await askForCode(page, 'signed-in');
        assert.equal(await submitCode(page, code), null);
        await part(page, 'sign-out').waitFor();
        const panel = page.locator('.panel-widget');
        await capture(page, 'element-signed-in', panel);
        // The account module's disclosure (the demo's server allows account changes), its code step
        // for a new address, a wrong code there, the address changed, and the deletion's code step.
        await part(page, 'account-summary').click();
        await part(page, 'new-email-input').waitFor();
        await capture(page, 'element-account', panel);
        const next = uniqueEmail(`${look.name}-account-new`);
        const mail = demo.server.nextMailTo(next);
        await part(page, 'new-email-input').fill(next);
        await part(page, 'new-email-input').press('Enter');
        const { code: newCode } = await mail;
        await part(page, 'account-code-input').waitFor();
        await capture(page, 'element-account-code', panel);
        await part(page, 'account-code-input').fill(wrongCode(newCode!));
        await part(page, 'account-code-input').press('Enter');
        await part(page, 'account-error').waitFor();
        await capture(page, 'element-account-wrong-code', panel);
        await part(page, 'account-code-input').fill(newCode!);
        await part(page, 'account-code-input').press('Enter');
        await part(page, 'account-done').waitFor();
        await capture(page, 'element-account-changed', panel);
        // The deletion's code step (its code goes to the current address), then back.
        await part(page, 'send-delete-code').click();
        await part(page, 'confirm-delete').waitFor();
        await capture(page, 'element-account-delete-code', panel);
        await part(page, 'cancel').click();
        // Sign out, so the pages below start from the email step in this context.
        await part(page, 'sign-out').click();
        await part(page, 'email-input').waitFor();
        await page.close();
      });

      it('shows the landing page: asking, signed in at once in the same browser', async () => {
        const page = await context.newPage();
        await page.goto(`${demo.server.url}/auth/link`);
        await part(page, 'email-input').waitFor();
        assert.equal(await page.evaluate(() => document.documentElement.dir), look.rtl ? 'rtl' : 'ltr');
        await capture(page, 'landing-email');
        const { link } = await askForCode(page, 'landing');
        assert.ok(link.startsWith(`${demo.server.url}/auth/link#`), link);

        const landing = await context.newPage();
        await landing.goto(link);
        await part(landing, 'sign-out').waitFor();
        await capture(landing, 'landing-same-browser-signed-in');
        await part(landing, 'sign-out').click();
        await part(landing, 'email-input').waitFor();
        await Promise.all([page.close(), landing.close()]);
      });

      it('shows the landing page in another browser: Continue, then a link that is not valid', async () => {
        // A request with no redirectTo, as a server-side caller makes it: the link lands on /auth/link.
        const email = uniqueEmail(`${look.name}-other`);
        const mail = demo.server.nextMailTo(email);
        assert.equal((await postJson(`${demo.server.url}/auth/request`, { email })).status, 202);
        const { link } = await mail;
        const other = await newContext(demo.browser, look.options);
        const otherErrors = collectPageErrors(other);
        const page = await other.newPage();
        await page.goto(link!);
        await part(page, 'continue').waitFor();
        await capture(page, 'landing-other-browser-continue');

        // A well-formed token the server never issued: what a used or expired link shows. The
        // element asks the link's address first, so it says "not valid" with no Continue to click.
        const bad = await other.newPage();
        await bad.goto(`${demo.server.url}/auth/link#pl_token=${'A'.repeat(43)}`);
        await part(bad, 'error').waitFor();
        assert.equal(await part(bad, 'continue').count(), 0, 'a link that signs in no one offers no Continue');
        assert.deepEqual(await errorCodes(bad), ['invalid_link']);
        await capture(bad, 'landing-invalid-link');
        assert.deepEqual(otherErrors, []);
        await other.close();
      });

      it('shows the mail preview', async () => {
        const page = await context.newPage();
        await page.goto(`${demo.server.url}/dev/mail-preview`);
        await page.locator('table').waitFor();
        await capture(page, 'mail-preview', undefined, { element: false });
        if (look.rtl) {
          // The Arabic subject in the list runs right to left, and so does the Arabic mail.
          assert.equal(await page.locator('tr', { hasText: 'ar' }).last().locator('td[dir="auto"]').evaluate((td) => getComputedStyle(td).direction), 'rtl');
          await page.goto(`${demo.server.url}/dev/mail-preview/ar.html`);
          assert.ok(await page.locator('[dir="rtl"]').count(), 'the Arabic mail is marked right to left');
          await capture(page, 'mail-preview-arabic-mail', undefined, { element: false, pageScheme: false });
        }
        // Every other mail has its list and views too: the address-changed notice, with its undo link.
        await page.goto(`${demo.server.url}/dev/mail-preview`);
        await page.getByRole('navigation', { name: 'Mails' }).getByRole('link', { name: 'Address changed' }).click();
        await page.waitForURL(/\/dev\/mail-preview\/email-changed$/);
        assert.equal(await page.locator('[aria-current="page"]').textContent(), 'Address changed');
        await capture(page, 'mail-preview-email-changed', undefined, { element: false });
        await page.goto(`${demo.server.url}/dev/mail-preview/email-changed/${look.rtl ? 'ar' : 'en'}.html`);
        assert.ok(await page.locator('a[href*="/account/email/undo#token=SAMPLE-not-a-real-token"]').count(), 'the sample undo link');
        await capture(page, 'mail-preview-email-changed-mail', undefined, { element: false, pageScheme: false });
        await page.close();
      });

      it('had no uncaught error', () => {
        assert.deepEqual(errors, []);
      });
    });
  }
});
