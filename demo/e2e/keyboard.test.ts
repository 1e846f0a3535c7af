/**
 * A login by code with the keyboard alone: Tab, Shift+Tab, typing and Enter, no click and no
 * `fill`. Each step checks where the focus is (through the shadow root), since that is all a
 * keyboard user has to go by.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { SuccessDetail } from '../../widget/element/events.ts';
import {
  STEP_TIMEOUT_MS,
  codeFrom,
  collectPageErrors,
  focused,
  newContext,
  sessionStatus,
  uniqueEmail,
  useDemo,
  waitForElementEvent,
  wrongCode,
} from './harness.ts';

const EMAIL_INPUT = 'passwordless-login#login > input#email';
const CODE_INPUT = 'passwordless-login#login > input#code';
const SUBMIT = 'passwordless-login#login > button[part="button primary submit"]';
const SIGN_OUT = 'passwordless-login#login > button[part="button sign-out"]';

/** Waits until the focus is on `target` (a prefix of the `focused()` path). */
async function waitForFocus(page: Page, target: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let where = await focused(page);
  while (!where.startsWith(target)) {
    if (Date.now() > deadline) assert.fail(`the focus should be on ${target}, it is on ${where}`);
    await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
    where = await focused(page);
  }
}

describe('the keyboard alone', () => {
  const demo = useDemo();

  it('completes a login by code with Tab, Shift+Tab, typing and Enter, and signs out', async () => {
    const context = await newContext(demo.browser);
    const errors = collectPageErrors(context);
    const page = await context.newPage();
    await page.goto(demo.server.url);
    await page.getByLabel('Email address').waitFor();
    const email = uniqueEmail('keyboard');

    // From the top of the page, Tab until the email field: the page's own controls come first.
    const visited: string[] = [];
    for (let i = 0; i < 10 && !(await focused(page)).startsWith(EMAIL_INPUT); i++) {
      await page.keyboard.press('Tab');
      visited.push(await focused(page));
    }
    assert.ok(visited.at(-1)?.startsWith(EMAIL_INPUT), `Tab reaches the email field; it went ${visited.join(' → ')}`);

    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await waitForFocus(page, SUBMIT);
    await page.keyboard.press('Shift+Tab');
    await waitForFocus(page, EMAIL_INPUT);
    const sent = demo.server.nextMailTo(email);
    await page.keyboard.press('Enter');
    const code = await codeFrom(sent);

    // The focus follows to the code field; a wrong code is selected so the right one types over it.
    await waitForFocus(page, CODE_INPUT);
    await page.keyboard.type(wrongCode(code));
    await page.getByRole('alert').filter({ hasText: 'Wrong code, 4 attempts left.' }).waitFor();
    await waitForFocus(page, CODE_INPUT);
    await page.keyboard.type(code);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    const success = (await waitForElementEvent(page, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.user.email, email);
    assert.equal(await sessionStatus(demo.server.url, success.session.token!), 200);

    // Signed in, the next Tab is "Sign out"; Enter signs out and the email field has the focus again.
    await page.keyboard.press('Tab');
    await waitForFocus(page, SIGN_OUT);
    await page.keyboard.press('Enter');
    await waitForElementEvent(page, 'passwordless-signed-out');
    await waitForFocus(page, EMAIL_INPUT);
    assert.equal(await sessionStatus(demo.server.url, success.session.token!), 401);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
