/**
 * Cross-device approval with the element embedded on a site of another origin (a shop on its own
 * port, in ALLOWED_ORIGINS) under the strict policy the README promises is enough: the login
 * service's origin in `script-src` and `connect-src`, nothing else. The computer asks on the shop
 * and waits there; the phone opens the mail's link, which lands on the shop page too, and picks
 * the number; the shop's element is signed in, and neither page has a CSP violation. And an
 * expired sequence: the phone offers no approval (today's Continue, which says the link expired),
 * and the computer is not signed in.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SuccessDetail } from '../../widget/element/events.ts';
import { en } from '../../widget/i18n/en.ts';
import {
  collectPageErrors,
  cspViolations,
  elementSessionToken,
  launchBrowser,
  newContext,
  sessionStatus,
  startDemoServer,
  uniqueEmail,
  waitForElementEvent,
  type DemoServer,
} from './harness.ts';
import { part } from './looks.ts';

describe('cross-device approval on an embedding site of another origin', () => {
  let demo: DemoServer;
  let shop: Server;
  let shopUrl: string;
  let browser: Browser;

  before(async () => {
    // The shop first: its origin goes into the login service's ALLOWED_ORIGINS.
    shop = createServer((_request, response) => {
      response.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': `default-src 'self'; script-src ${demo.url}; connect-src ${demo.url}`,
      });
      response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script src="${demo.url}/passwordless-login.js"></script></head>
<body><h1>The shop</h1><passwordless-login></passwordless-login></body></html>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    demo = await startDemoServer({ ALLOWED_ORIGINS: shopUrl });
    assert.notEqual(new URL(demo.url).origin, new URL(shopUrl).origin, 'two origins');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
    await new Promise((resolve) => shop?.close(resolve));
  });

  /** The computer asks for a code on the shop; resolves with its page, its number and the mail's link. */
  async function computerAsksOnShop(context: BrowserContext, label: string): Promise<{ page: Page; number: number; link: string; email: string }> {
    const page = await context.newPage();
    await page.goto(shopUrl);
    const email = uniqueEmail(label);
    await part(page, 'email-input').fill(email);
    const sent = demo.nextMailTo(email);
    await part(page, 'email-input').press('Enter');
    const mail = await sent;
    const line = part(page, 'approval-number');
    await line.waitFor();
    const number = Number(/\d\d/.exec((await line.textContent()) ?? '')?.[0]);
    assert.ok(number >= 10 && number <= 99, `a two-digit number, got ${await line.textContent()}`);
    assert.ok(mail.link);
    return { page, number, link: mail.link, email };
  }

  it('the phone approves on the shop’s page; the computer’s element signs in, with no CSP violation on either', async () => {
    const computer = await newContext(browser);
    const phone = await newContext(browser);
    const errors = [...collectPageErrors(computer), ...collectPageErrors(phone)];
    const asked = await computerAsksOnShop(computer, 'approve-shop');
    assert.equal(new URL(asked.link).origin, shopUrl, 'the link lands on the page that asked: the phone approves from the shop too');

    const page = await phone.newPage();
    await page.goto(asked.link);
    await part(page, 'approve-there').click();
    await page.locator('passwordless-login [part~="approval-choice"]', { hasText: String(asked.number) }).click();
    await part(page, 'approval-done').waitFor();

    const success = (await waitForElementEvent(asked.page, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.method, 'link');
    assert.equal(success.user.email, asked.email);
    const token = await elementSessionToken(asked.page);
    assert.ok(token, 'the shop’s element keeps the session');
    assert.equal(await sessionStatus(demo.url, token), 200);
    assert.equal(await elementSessionToken(page), null, 'the phone holds no session');
    assert.deepEqual(await cspViolations(asked.page), [], 'the wait and the sign-in need only connect-src to the login service');
    assert.deepEqual(await cspViolations(page), [], 'so do the phone’s describe and approve');
    assert.deepEqual(errors, []);
    await computer.close();
    await phone.close();
  });

  it('an expired sequence: the phone offers no approval, its Continue says the link expired; the computer is not signed in', async () => {
    const computer = await newContext(browser);
    const phone = await newContext(browser);
    const asked = await computerAsksOnShop(computer, 'approve-expired');
    // Past the code's lifetime on the server's clock (moved, not slept).
    demo.testServer.clock.advance(demo.testServer.config.codeTtlSeconds * 1000 + 1000);

    const page = await phone.newPage();
    await page.goto(asked.link);
    // Today's page for a link opened in another browser: no approval to offer, only Continue, which says it expired.
    const continueButton = page.getByRole('button', { name: 'Continue signing in' });
    await continueButton.waitFor();
    assert.equal(await part(page, 'approve-there').count(), 0, 'no approval offered for an expired sequence');
    await continueButton.click();
    await page.getByText(en.errors.expired_code as string).waitFor();
    assert.equal(await elementSessionToken(page), null);
    assert.equal(await elementSessionToken(asked.page), null, 'the computer is not signed in');
    await computer.close();
    await phone.close();
  });
});
