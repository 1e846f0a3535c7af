/**
 * The demo's "protected API" end to end in Chromium: signed out, the page's call is refused;
 * signed in with the code, the element's access token gets the page in, verified by the backend
 * against the published key set; signed out again, refused again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectPageErrors, newContext, uniqueEmail, useDemo, waitForElementEvent } from './harness.ts';

describe('the demo protected API', () => {
  const demo = useDemo();

  it('answers only a page whose element holds a session, through its access token', async () => {
    const context = await newContext(demo.browser);
    const errors = collectPageErrors(context);
    const page = await context.newPage();
    await page.goto(demo.server.url);
    const callApi = page.getByRole('button', { name: 'Call /demo/api/me' });
    const result = page.locator('#api-result');

    await callApi.click();
    await page.locator('#api-result[data-status="401"]').waitFor();

    const email = uniqueEmail('protected');
    await page.getByLabel('Email address').fill(email);
    const sent = demo.server.nextMailTo(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await sent;
    await page.getByLabel('Code from the email').fill(mail.code!);
    await waitForElementEvent(page, 'passwordless-success');

    await callApi.click();
    await page.locator('#api-result[data-status="200"]').waitFor();
    assert.match((await result.textContent())!, new RegExp(`Hello, ${email.replace(/[.+]/g, '\\$&')}`));
    // What went over the wire is an ES256 JWT for this user, not the session token.
    const token = await page.evaluate(() => document.querySelector('passwordless-login')!.getAccessToken());
    const claims = JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString());
    assert.equal(claims.email, email);
    assert.notEqual(token, await page.evaluate(() => document.querySelector('passwordless-login')!.session?.token));

    await page.getByRole('button', { name: 'Sign out' }).click();
    await waitForElementEvent(page, 'passwordless-signed-out');
    await callApi.click();
    await page.locator('#api-result[data-status="401"]').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
});
