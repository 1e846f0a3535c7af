/**
 * Across tabs: the magic link usually opens in a new tab. When it completes the login there, the
 * tab that asked for the code signs in too, without a reload (the element hears the other tab
 * store the session), and signing out in one tab signs the other out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SuccessDetail } from '../../widget/element/events.ts';
import { collectPageErrors, elementSessionToken, newContext, screenshot, uniqueEmail, useDemo, waitForElementEvent } from './harness.ts';

declare global {
  interface Window {
    __notReloaded?: boolean;
  }
}

describe('across tabs', () => {
  const demo = useDemo();

  it('signs in the tab that asked for the code when the link completes the login in another tab', async () => {
    const context = await newContext(demo.browser);
    const errors = collectPageErrors(context);
    const asking = await context.newPage();
    await asking.goto(demo.server.url);
    const email = uniqueEmail('tabs');
    await asking.getByLabel('Email address').fill(email);
    const sent = demo.server.nextMailTo(email);
    await asking.getByRole('button', { name: 'Email me a code' }).click();
    const { link } = await sent;
    assert.ok(link);
    await asking.getByLabel('Code from the email').waitFor();
    // A mark a reload would wipe.
    await asking.evaluate(() => (window.__notReloaded = true));

    const linkTab = await context.newPage();
    await linkTab.goto(link);
    await linkTab.getByRole('heading', { name: 'Signed in' }).waitFor();
    const success = (await waitForElementEvent(linkTab, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.method, 'link');

    // The first tab, untouched: signed in as the same person with the same session.
    await asking.getByRole('heading', { name: 'Signed in' }).waitFor();
    await asking.getByText(`You are signed in as ${email}.`).waitFor();
    assert.equal(await asking.evaluate(() => window.__notReloaded), true, 'no reload');
    assert.equal(await elementSessionToken(asking), success.session.token);
    await screenshot(asking, 'across-tabs-asking-tab-signed-in');

    // Signing out in the link's tab signs the first tab out too.
    await linkTab.getByRole('button', { name: 'Sign out' }).click();
    await waitForElementEvent(asking, 'passwordless-signed-out');
    await asking.getByLabel('Email address').waitFor();
    assert.equal(await elementSessionToken(asking), null);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
