/**
 * The operators' console at /admin in Chromium: an admin signs in with the element on the page
 * (the code from the dev mailbox), finds a user by search, ends their sessions (that user's own
 * tab, in another browser context, is signed out on its next load), blocks them and deletes them
 * after the confirmation that names the address. axe runs on each page; the overview, users and
 * user pages are photographed in light and dark (`demo/e2e/screenshots/admin-<look>-<page>.png`)
 * and checked as every screenshot is (looks.ts: no overflow, the right scheme, no CSP violation).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { postJson } from '../../server/testing/api-client.ts';
import { dayOf } from '../../server/store/audit-records.ts';
import { axeViolations } from './axe.ts';
import { collectPageErrors, cspViolations, elementSessionToken, launchBrowser, newContext, sessionStatus, startDemoServer, uniqueEmail, type DemoServer } from './harness.ts';
import { captureInLook, LOOKS, part } from './looks.ts';

const ADMIN = 'ops@example.com';
const DAY = 86_400_000;

describe('the admin console', () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    server = await startDemoServer({ ADMIN_EMAILS: ADMIN });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A user signed in over the API (a person elsewhere), for the list to have rows. */
  async function signUp(email: string): Promise<void> {
    const mail = server.nextMailTo(email);
    assert.equal((await postJson(`${server.url}/auth/request`, { email })).status, 202);
    const { code } = await mail;
    assert.equal((await postJson(`${server.url}/auth/verify`, { email, code })).status, 200);
  }

  /** 30 days of counts, as a month of sign-ins would leave them (fixed numbers: the picture is the same each run). */
  async function seedMonth(): Promise<void> {
    const { store } = server.testServer.backend;
    const now = server.testServer.clock.now();
    for (let i = 0; i < 30; i++) {
      const wave = (i * 7) % 11;
      await store.addDailyCounts(dayOf(now - (29 - i) * DAY), { 'sign_in:code': 8 + wave, 'sign_in:link': 3 + (i % 4), 'sign_in:passkey': Math.floor(i / 3), 'mail:sent': 12 + wave + (i % 4), 'mail:failed': i % 9 === 4 ? 2 : 0 });
    }
  }

  async function signInWithElement(page: Page, email: string): Promise<void> {
    await part(page, 'email-input').fill(email);
    const mail = server.nextMailTo(email);
    await part(page, 'email-input').press('Enter');
    const { code } = await mail;
    await part(page, 'code-input').fill(code!);
  }

  async function assertAxeClean(page: Page, what: string): Promise<void> {
    assert.deepEqual(await axeViolations(page), [], `${what}: axe finds nothing`);
  }

  it('signs an admin in, finds a user, ends their sessions, blocks and deletes them; axe-clean, photographed in light and dark', async () => {
    await seedMonth();
    const target = uniqueEmail('target');
    for (const other of ['ada', 'grace', 'linus', 'margaret']) await signUp(uniqueEmail(other));

    // The target signs in on the demo page, in their own browser.
    const theirs = await newContext(browser);
    const theirPage = await theirs.newPage();
    await theirPage.goto(server.url);
    await signInWithElement(theirPage, target);
    await part(theirPage, 'sign-out').waitFor();
    const theirToken = (await elementSessionToken(theirPage))!;
    assert.equal(await sessionStatus(server.url, theirToken), 200);

    const light = LOOKS.find((look) => look.name === 'light')!;
    const dark = LOOKS.find((look) => look.name === 'dark')!;
    const mobile = LOOKS.find((look) => look.name === 'mobile')!;
    const context = await newContext(browser, light.options);
    const errors = collectPageErrors(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    await part(page, 'email-input').waitFor();
    await assertAxeClean(page, 'the sign-in page');
    await captureInLook(page, light, 'admin-light-sign-in');
    await signInWithElement(page, ADMIN);

    // The overview: the counts and the two charts, each with its table.
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('img', { name: /^Sign-ins per day, .*: code \d+, link \d+, passkey \d+; the busiest day was/ }).waitFor();
    assert.equal(await page.locator('.stat dd').first().textContent(), '6');
    await assertAxeClean(page, 'the overview');
    await page.getByText('Show the numbers as a table').first().click();
    assert.equal(await page.locator('table.data').first().locator('tbody tr').count(), 30);
    await assertAxeClean(page, 'the overview with its table open');
    await page.getByText('Show the numbers as a table').first().click();
    await captureInLook(page, light, 'admin-light-overview', undefined, { element: false });

    // Keyboard: from the top of the page the skip link is the first stop, and leads to the main content.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');

    // Users: search by part of the address, then open the one found.
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    assert.equal(await page.locator('table.users tbody tr').count(), 6);
    await captureInLook(page, light, 'admin-light-users', undefined, { element: false });
    await assertAxeClean(page, 'the users page');
    await page.getByLabel('Address contains').fill(target.split('@')[0]!);
    await page.getByLabel('Address contains').press('Enter');
    await page.getByRole('caption').filter({ hasText: '1 match on this page' }).waitFor();
    await page.getByRole('link', { name: target }).click();
    await page.getByRole('heading', { level: 1, name: target }).waitFor();
    await page.getByRole('heading', { name: 'Sessions (1)' }).waitFor();
    await captureInLook(page, light, 'admin-light-user', undefined, { element: false });
    await assertAxeClean(page, 'the user page');

    // End their sessions: their tab is signed out the next time it loads.
    await page.getByRole('button', { name: 'End all sessions' }).click();
    await page.getByRole('status').filter({ hasText: `1 session of ${target} ended.` }).waitFor();
    await page.getByRole('heading', { name: 'Sessions (0)' }).waitFor();
    assert.equal(await sessionStatus(server.url, theirToken), 401);
    await theirPage.reload();
    await part(theirPage, 'email-input').waitFor();
    assert.equal(await elementSessionToken(theirPage), null, 'their tab shows them signed out');

    // Export: a JSON file of what is stored about them, saved by the browser.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export as JSON' }).click();
    const saved = await download;
    const exported = JSON.parse(await readFile((await saved.path())!, 'utf8'));
    assert.equal(exported.user.email, target);
    assert.match(saved.suggestedFilename(), /^user-[A-Za-z0-9_-]+\.json$/);

    // Block: the state says so, and the store keeps it.
    const { store } = server.testServer.backend;
    const targetId = (await store.listUsers({ limit: 1, sort: 'created', search: target })).users[0]!.id;
    await page.getByRole('button', { name: 'Block' }).click();
    await page.getByText(/^Blocked since /).waitFor();
    await page.getByRole('button', { name: 'Unblock' }).waitFor();
    assert.equal(typeof (await store.findUserById(targetId))?.blockedAt, 'number');
    await assertAxeClean(page, 'the user page, blocked');

    // The dark look and a 375 px phone, each in a context with the same session (the element's storage).
    for (const look of [dark, mobile]) {
      const lookContext = await newContext(browser, { ...look.options, storageState: await context.storageState() });
      const lookErrors = collectPageErrors(lookContext);
      const lookPage = await lookContext.newPage();
      for (const [hash, name, heading] of [['#/', 'overview', 'Overview'], ['#/users', 'users', 'Users'], [`#/users/${targetId}`, 'user', target]] as const) {
        await lookPage.goto(`${server.url}/admin${hash}`);
        await lookPage.getByRole('heading', { level: 1, name: heading }).waitFor();
        await captureInLook(lookPage, look, `admin-${look.name}-${name}`, undefined, { element: false });
        await assertAxeClean(lookPage, `the ${name} page in the ${look.name} look`);
      }
      assert.deepEqual(lookErrors, []);
      await lookContext.close();
    }

    // Delete, after a confirmation that names the address.
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${target}?` });
    await dialog.waitFor();
    await assertAxeClean(page, 'the delete confirmation');
    await captureInLook(page, light, 'admin-light-delete', undefined, { element: false });
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByRole('status').filter({ hasText: `${target} is deleted` }).waitFor();
    assert.equal(await store.findUserById(targetId), null);
    assert.equal(await page.getByRole('link', { name: target }).count(), 0);

    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(errors, []);
    await context.close();
    await theirs.close();
  });

  it('tells a signed-in person who is not an admin so, and lets them sign out', async () => {
    const context = await newContext(browser);
    const errors = collectPageErrors(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    const email = uniqueEmail('not-admin');
    await signInWithElement(page, email);
    await page.getByText(`${email} is not an admin of this server.`, { exact: false }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Console' }).count(), 0);
    await assertAxeClean(page, 'the not-an-admin page');
    await part(page, 'sign-out').click();
    await part(page, 'email-input').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('the admin console in cookie mode (SESSION_COOKIE=on)', () => {
  let server: DemoServer;
  let browser: Browser;
  before(async () => {
    server = await startDemoServer({ ADMIN_EMAILS: ADMIN, SESSION_COOKIE: 'on' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('calls the API with the HttpOnly cookie the element\'s sign-in set: no token in the page', async () => {
    const context = await newContext(browser);
    const errors = collectPageErrors(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    await part(page, 'email-input').fill(ADMIN);
    const mail = server.nextMailTo(ADMIN);
    await part(page, 'email-input').press('Enter');
    await part(page, 'code-input').fill((await mail).code!);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    assert.equal(await elementSessionToken(page), null, 'the token is in the cookie, where no script reads it');
    assert.ok((await context.cookies()).some((cookie) => cookie.name === '__Host-pl_session' && cookie.httpOnly));
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: ADMIN }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
    assert.equal((await context.cookies()).some((cookie) => cookie.name === '__Host-pl_session'), false, 'signed out: the cookie is gone');
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
