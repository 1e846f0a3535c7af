/**
 * The main path on the demo page: type the email, read the code in the dev mailbox panel, type
 * it, stay signed in across a reload, and sign out so that the server forgets the session.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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

describe('signing in with the code on the demo page', () => {
  const demo = useDemo();

  it('signs in with the code from the mailbox panel, survives a reload, and signs out on the server', async () => {
    const context = await newContext(demo.browser);
    const errors = collectPageErrors(context);
    const page = await context.newPage();
    await page.goto(demo.server.url);
    const email = uniqueEmail('code');

    await page.getByLabel('Email address').fill(email);
    await screenshot(page, 'code-1-email-typed');
    const sent = demo.server.nextMailTo(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await sent;
    await waitForElementEvent(page, 'passwordless-code-sent');
    const codeField = page.getByLabel('Code from the email');
    await codeField.waitFor();

    // The demo's mailbox panel shows the same code the server sent.
    const panelMail = page.getByRole('region', { name: 'Dev mailbox' }).getByRole('listitem').filter({ hasText: email });
    const shownCode = (await panelMail.locator('.mail-code').textContent())?.trim();
    assert.equal(shownCode, mail.code);
    await screenshot(page, 'code-2-mail-in-panel');

    await codeField.fill(shownCode!);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    await page.getByText(`You are signed in as ${email}.`).waitFor();
    const success = (await waitForElementEvent(page, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.method, 'code');
    assert.equal(success.user.email, email);
    assert.equal(success.user.emailVerified, true);
    const token = success.session.token;
    assert.ok(token, 'bearer mode hands the token to the page');
    assert.equal(await elementSessionToken(page), token);
    assert.equal(await sessionStatus(demo.server.url, token), 200, 'the server knows the session');
    await screenshot(page, 'code-3-signed-in');

    await page.reload();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    await page.getByText(`You are signed in as ${email}.`).waitFor();
    assert.equal(await elementSessionToken(page), token, 'the same session after a reload');
    await screenshot(page, 'code-4-after-reload');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await waitForElementEvent(page, 'passwordless-signed-out');
    await page.getByLabel('Email address').waitFor();
    assert.equal(await elementSessionToken(page), null);
    assert.equal(await sessionStatus(demo.server.url, token), 401, 'the session is revoked on the server');
    await screenshot(page, 'code-5-signed-out');

    await page.reload();
    await page.getByLabel('Email address').waitFor();
    assert.equal(await elementSessionToken(page), null, 'still signed out after a reload');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('says how many attempts are left after a wrong code, then accepts the right one', async () => {
    const context = await newContext(demo.browser);
    const page = await context.newPage();
    await page.goto(demo.server.url);
    const email = uniqueEmail('wrong-code');

    await page.getByLabel('Email address').fill(email);
    const sent = demo.server.nextMailTo(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const { code } = await sent;
    assert.ok(code);
    const wrong = code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10);

    await page.getByLabel('Code from the email').fill(wrong);
    await page.getByRole('alert').filter({ hasText: 'Wrong code, 4 attempts left.' }).waitFor();
    const error = (await waitForElementEvent(page, 'passwordless-error')) as { code: string };
    assert.equal(error.code, 'invalid_code');
    assert.equal(await page.getByLabel('Code from the email').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'wrong-code-1-error');

    await page.getByLabel('Code from the email').fill(code);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    const names = (await recordedEvents(page)).map((e) => e.name);
    assert.ok(names.includes('passwordless-success'));
    await context.close();
  });
});
