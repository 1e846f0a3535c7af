/**
 * The magic link: it signs in at once in the browser that asked for it, after one "Continue" click
 * in any other, and a plain GET of it (a mail scanner) consumes nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { DevMail } from '../../server/mail/types.ts';
import type { SuccessDetail } from '../../widget/element/events.ts';
import {
  collectPageErrors,
  elementSessionToken,
  newContext,
  recordedEvents,
  screenshot,
  sessionStatus,
  uniqueEmail,
  useDemo,
  waitForElementEvent,
} from './harness.ts';

describe('the magic link', () => {
  const demo = useDemo();

  /** Asks for a code on the demo page in `context` and returns that page and the mail. */
  async function requestLink(context: BrowserContext, label: string): Promise<{ page: Page; mail: DevMail & { link: string } }> {
    const page = await context.newPage();
    await page.goto(demo.server.url);
    const email = uniqueEmail(label);
    await page.getByLabel('Email address').fill(email);
    const sent = demo.server.nextMailTo(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await sent;
    await page.getByLabel('Code from the email').waitFor();
    assert.ok(mail.link, 'the mail carries a link');
    assert.match(mail.link, /#pl_token=[^&]+&pl_client=/);
    return { page, mail: { ...mail, link: mail.link } };
  }

  /** Counts the page's `POST /auth/verify` calls: the one request that consumes a link. */
  function countVerifies(page: Page): { readonly count: number } {
    const counter = { count: 0 };
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/auth/verify') counter.count += 1;
    });
    return counter;
  }

  it('signs in without a click in the browser that asked, and takes the token out of the address bar', async () => {
    const context = await newContext(demo.browser);
    const errors = collectPageErrors(context);
    const { mail } = await requestLink(context, 'same-browser');

    const linkPage = await context.newPage();
    await linkPage.goto(mail.link);
    await linkPage.getByRole('heading', { name: 'Signed in' }).waitFor();
    await linkPage.getByText(`You are signed in as ${mail.to}.`).waitFor();
    const success = (await waitForElementEvent(linkPage, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.method, 'link');
    assert.equal(success.user.email, mail.to);
    assert.doesNotMatch(linkPage.url(), /pl_token|pl_client/);
    assert.equal(linkPage.url(), `${demo.server.url}/`);
    assert.equal(await linkPage.getByRole('button', { name: 'Continue signing in' }).count(), 0, 'no click was asked for');
    assert.equal(await sessionStatus(demo.server.url, success.session.token!), 200);
    await screenshot(linkPage, 'link-same-browser-signed-in');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('asks for a click in another browser and consumes nothing before it', async () => {
    const asking = await newContext(demo.browser);
    const { mail } = await requestLink(asking, 'other-browser');

    const other = await newContext(demo.browser);
    const errors = collectPageErrors(other);
    const page = await other.newPage();
    const verifies = countVerifies(page);
    await page.goto(mail.link);
    // The browser that asked still waits on its code step, so the link offers to approve it
    // (approval.test.ts) or "Sign in here": today's "Continue".
    const button = page.getByRole('button', { name: 'Sign in here' });
    await button.waitFor();
    await page.getByRole('button', { name: 'Sign in on the device that asked' }).waitFor();
    assert.doesNotMatch(page.url(), /pl_token|pl_client/, 'the token left the address bar before the click');
    await page.waitForLoadState('networkidle');
    assert.equal(verifies.count, 0, 'nothing was sent to /auth/verify before the click');
    assert.equal(await elementSessionToken(page), null);
    assert.ok(!(await recordedEvents(page)).some((e) => e.name === 'passwordless-success'));
    await screenshot(page, 'link-other-browser-1-continue');

    await button.click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    const success = (await waitForElementEvent(page, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.method, 'link');
    assert.equal(success.user.email, mail.to);
    assert.equal(verifies.count, 1);
    assert.equal(await sessionStatus(demo.server.url, success.session.token!), 200);
    await screenshot(page, 'link-other-browser-2-signed-in');

    // Single use: the same link opened again (say, in a third browser) cannot sign in twice.
    const third = await newContext(demo.browser);
    const again = await third.newPage();
    await again.goto(mail.link);
    await again.getByRole('button', { name: 'Continue signing in' }).click();
    await again.getByRole('alert').filter({ hasText: 'This sign-in link is not valid any more.' }).waitFor();
    await again.getByRole('button', { name: 'Sign in with your email' }).waitFor();
    await screenshot(again, 'link-used-twice');
    assert.deepEqual(errors, []);
    await Promise.all([asking.close(), other.close(), third.close()]);
  });

  it('is not consumed by a plain GET, nor by a page that loads it without running scripts', async () => {
    const asking = await newContext(demo.browser);
    const { mail } = await requestLink(asking, 'scanner');
    const fragment = new URL(mail.link).hash;

    // A mail scanner fetching the link as it is, and the backend's own landing page with the fragment.
    for (const url of [mail.link, `${demo.server.url}/auth/link${fragment}`]) {
      const response = await fetch(url);
      assert.equal(response.status, 200, url);
      await response.text();
    }
    // A scanner that renders HTML but runs no script.
    const noScript = await newContext(demo.browser, { javaScriptEnabled: false });
    for (const url of [mail.link, `${demo.server.url}/auth/link${fragment}`]) await (await noScript.newPage()).goto(url);
    await noScript.close();

    // The link still works afterwards, here on the backend's landing page in a fresh browser.
    const other = await newContext(demo.browser);
    const page = await other.newPage();
    await page.goto(`${demo.server.url}/auth/link${fragment}`);
    // The browser that asked still waits: "Sign in here" (today's "Continue") beside the approval.
    await page.getByRole('button', { name: 'Sign in here' }).click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    const success = (await waitForElementEvent(page, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.user.email, mail.to);
    assert.doesNotMatch(page.url(), /pl_token/);
    await screenshot(page, 'link-after-scanner-signed-in');
    await Promise.all([asking.close(), other.close()]);
  });
});
