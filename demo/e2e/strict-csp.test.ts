/**
 * The element on a page whose whole policy is `default-src 'self'; script-src 'self'`: no
 * `unsafe-inline` for scripts or styles, one script tag, the element in Simplified Chinese so its
 * language module is fetched under that policy, and opened from a magic link so the link step's
 * feature module is too. Every step of a login by code and by link runs
 * with zero `securitypolicyviolation` events. The same page gives the screenshots of each step in
 * the light and the dark theme.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import zhCN from '../../widget/i18n/locales/zh-CN.ts';
import approvalZhCN from '../../widget/features/approval/locales/zh-CN.ts';
import type { SuccessDetail } from '../../widget/element/events.ts';
import { STRICT_CSP, STRICT_CSP_PAGE } from '../demo-routes.ts';
import {
  collectPageErrors,
  cspViolations,
  newContext,
  screenshot,
  sessionStatus,
  uniqueEmail,
  useDemo,
  waitForElementEvent,
  wrongCode,
} from './harness.ts';

describe('the element under a strict CSP', () => {
  const demo = useDemo();
  const pageUrl = () => demo.server.url + STRICT_CSP_PAGE;

  /** Opens the CSP page; resolves once the element shows its first step. */
  async function openCspPage(context: BrowserContext, url = pageUrl()): Promise<Page> {
    const page = await context.newPage();
    const response = await page.goto(url);
    assert.equal(response?.status(), 200);
    assert.equal(response?.headers()['content-security-policy'], STRICT_CSP, 'exactly the policy of the issue');
    return page;
  }

  it('fetches the language module and completes a login by code and by link with zero CSP violations', async () => {
    const context = await newContext(demo.browser);
    const errors = collectPageErrors(context);
    const languageModule = context.waitForEvent('response', (r) => new URL(r.url()).pathname === '/passwordless-login/locales/zh-CN.js');
    const page = await openCspPage(context);
    assert.equal((await languageModule).status(), 200, 'the zh-CN module was fetched and served');
    assert.equal(await page.locator('script').count(), 1, 'one script tag');
    assert.equal(await page.locator('style, [style]').count(), 0, 'no inline style in the page');

    // The Chinese strings, which only the fetched module carries.
    await page.getByRole('heading', { name: zhCN.title }).waitFor();
    const email = uniqueEmail('csp');
    await page.getByLabel(zhCN.emailLabel).fill(email);
    const sent = demo.server.nextMailTo(email);
    await page.getByRole('button', { name: zhCN.sendCode }).click();
    const mail = await sent;
    assert.match(mail.subject, /\p{Script=Han}/u, 'the email is in the element’s language');
    await waitForElementEvent(page, 'passwordless-code-sent');
    const codeField = page.getByLabel(zhCN.codeLabel);
    await codeField.fill(wrongCode(mail.code!));
    await waitForElementEvent(page, 'passwordless-error');
    await page.getByRole('alert').waitFor();
    await codeField.fill(mail.code!);
    await page.getByRole('heading', { name: zhCN.signedInTitle }).waitFor();
    const success = (await waitForElementEvent(page, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.user.email, email);
    await page.getByRole('button', { name: zhCN.signOut }).click();
    await waitForElementEvent(page, 'passwordless-signed-out');
    await page.getByLabel(zhCN.emailLabel).waitFor();

    // The magic link lands on this page again, in another browser: "Sign in here", then signed in.
    const linkEmail = uniqueEmail('csp-link');
    await page.getByLabel(zhCN.emailLabel).fill(linkEmail);
    const linkSent = demo.server.nextMailTo(linkEmail);
    await page.getByRole('button', { name: zhCN.sendCode }).click();
    const { link } = await linkSent;
    assert.ok(link?.startsWith(pageUrl()), `the link lands on the CSP page: ${link}`);
    const other = await newContext(demo.browser);
    const otherErrors = collectPageErrors(other);
    const linkModule = other.waitForEvent('response', (r) => new URL(r.url()).pathname === '/passwordless-login/features/link.js');
    const linkPage = await openCspPage(other, link!);
    assert.equal((await linkModule).status(), 200, 'the link step’s feature module was fetched and served');
    // The page that asked still waits: the link offers to approve it, or to sign in here (today's "Continue").
    await linkPage.getByRole('button', { name: approvalZhCN.approveThere }).waitFor();
    await linkPage.getByRole('button', { name: approvalZhCN.signInHere }).click();
    await linkPage.getByRole('heading', { name: zhCN.signedInTitle }).waitFor();
    const linkSuccess = (await waitForElementEvent(linkPage, 'passwordless-success')) as SuccessDetail;
    assert.equal(linkSuccess.method, 'link');
    assert.equal(await sessionStatus(demo.server.url, linkSuccess.session.token!), 200);

    // The asking page waits on for an approval until the code's expiry (a sequence signed in
    // elsewhere answers as one of an unknown address would): leaving the code step ends its long
    // poll, so the page's network can go idle.
    await page.getByRole('button', { name: zhCN.changeEmail }).click();
    await page.getByLabel(zhCN.emailLabel).waitFor();
    for (const p of [page, linkPage]) {
      await p.waitForLoadState('networkidle');
      assert.deepEqual(await cspViolations(p), [], p.url());
    }
    // The recorder hears a violation on this page, or the zero above proves nothing.
    await page.evaluate(() => document.body.setAttribute('style', 'outline: 1px solid red'));
    await page.waitForFunction(() => window.__e2e.csp.length > 0);
    assert.equal((await cspViolations(page))[0]?.directive, 'style-src-attr');
    assert.deepEqual([...errors, ...otherErrors], []);
    await Promise.all([context.close(), other.close()]);
  });

  it('shows the email step with a sentence, not an empty box, when the link step’s module cannot be fetched', async () => {
    const context = await newContext(demo.browser);
    const errors = collectPageErrors(context);
    await context.route('**/passwordless-login/features/**', (route) => route.abort('internetdisconnected'));
    const page = await openCspPage(context, `${pageUrl()}#pl_token=a-token&pl_client=another-browser`);
    await page.getByRole('alert').filter({ hasText: zhCN.networkError }).waitFor();
    await page.getByLabel(zhCN.emailLabel).waitFor();
    assert.doesNotMatch(page.url(), /pl_token/, 'the token left the address bar all the same');
    const failure = (await waitForElementEvent(page, 'passwordless-error')) as { code: string };
    assert.equal(failure.code, 'network_error');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`shows each step in the ${theme} theme (screenshots), still with zero violations`, async () => {
      const context = await newContext(demo.browser);
      const errors = collectPageErrors(context);
      /** English for the screenshots (this machine may lack CJK fonts), and the theme under test. */
      const prepare = async (p: Page) => {
        await p.locator('passwordless-login').evaluate((el, t) => {
          el.setAttribute('lang', 'en');
          el.setAttribute('theme', t);
        }, theme);
        await p.getByRole('heading').filter({ hasText: /^(Sign in|Continue signing in|Signed in)$/ }).waitFor();
      };
      const shot = (p: Page, step: string) => screenshot(p, `steps-${theme}-${step}`);

      const page = await openCspPage(context);
      await prepare(page);
      assert.equal(await page.locator('passwordless-login').evaluate((el) => getComputedStyle(el).colorScheme), theme);
      const email = uniqueEmail(`shots-${theme}`);
      await page.getByLabel('Email address').fill(email);
      await shot(page, '1-email');

      const sent = demo.server.nextMailTo(email);
      await page.getByRole('button', { name: 'Email me a code' }).click();
      const mail = await sent;
      const codeField = page.getByLabel('Code from the email');
      await codeField.waitFor();
      await shot(page, '2-code');

      await codeField.fill(wrongCode(mail.code!));
      await page.getByRole('alert').filter({ hasText: 'Wrong code, 4 attempts left.' }).waitFor();
      await shot(page, '3-code-error');

      // The link opened in another browser, before the code is used: the "Continue" step, which
      // offers to approve the browser that asked while it waits (its approval module, under the same CSP).
      const other = await newContext(demo.browser);
      const linkPage = await openCspPage(other, mail.link!);
      await prepare(linkPage);
      await linkPage.getByRole('button', { name: 'Sign in on the device that asked' }).waitFor();
      await linkPage.getByRole('button', { name: 'Sign in here' }).waitFor();
      await shot(linkPage, '4-link-continue');

      await codeField.fill(mail.code!);
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();
      await page.getByText(`You are signed in as ${email}.`).waitFor();
      await shot(page, '5-signed-in');

      for (const p of [page, linkPage]) {
        await p.waitForLoadState('networkidle');
        assert.deepEqual(await cspViolations(p), [], p.url());
      }
      assert.deepEqual(errors, []);
      await Promise.all([context.close(), other.close()]);
    });
  }
});
