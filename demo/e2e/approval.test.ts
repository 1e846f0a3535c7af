/**
 * Cross-device approval end to end on the demo, in two Chromium contexts (two browsers: the
 * computer that asks for a code and the phone where the mail's link is opened), and a third for a
 * mail scanner that runs the link page's script and clicks nothing. The right number signs in the
 * computer and leaves the phone without a session; a wrong one refuses, and "Sign in here" still
 * works; a computer whose tab closed is said to have stopped waiting; the scanner signs in nobody.
 * The code step with its number and the phone's choices are photographed in the light, dark and
 * 375 px looks into demo/e2e/screenshots/approval-*.png.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { DevMail } from '../../server/mail/types.ts';
import type { SuccessDetail } from '../../widget/element/events.ts';
import { en } from '../../widget/features/approval/en.ts';
import {
  collectPageErrors,
  elementSessionToken,
  newContext,
  recordedEvents,
  sessionStatus,
  uniqueEmail,
  useDemo,
  waitForElementEvent,
} from './harness.ts';
import { captureInLook, LOOKS, openDemoInLook, part, type Look } from './looks.ts';

const LIGHT = LOOKS.find((look) => look.name === 'light')!;

/** A wrong number reaches the computer at its wait's next look at the store (every 5 s): a little more than that. */
const REFUSAL_REACHES_MS = 8_000;

describe('cross-device approval, computer and phone', () => {
  const demo = useDemo();

  /** The computer asks for a code on the demo page; resolves with its page, the number it shows, and the mail. */
  async function computerAsks(context: BrowserContext, label: string, look: Look = LIGHT): Promise<{ page: Page; number: number; mail: DevMail & { link: string; code: string } }> {
    const page = await context.newPage();
    await openDemoInLook(page, demo.server.url, look);
    const email = uniqueEmail(label);
    await part(page, 'email-input').fill(email);
    const sent = demo.server.nextMailTo(email);
    await part(page, 'email-input').press('Enter');
    const mail = await sent;
    const line = part(page, 'approval-number');
    await line.waitFor();
    const number = Number(/\d\d/.exec((await line.textContent()) ?? '')?.[0]);
    if (!look.rtl) assert.equal((await line.textContent())?.trim(), en.pickThere(number));
    assert.ok(mail.link && mail.code, 'the mail carries a link and a code');
    return { page, number, mail: { ...mail, link: mail.link, code: mail.code } };
  }

  /** The phone opens the mail's link: another browser, so the link asks rather than signs in. */
  async function phoneOpens(context: BrowserContext, link: string, look: Look = LIGHT): Promise<Page> {
    const page = await context.newPage();
    await page.goto(link);
    await part(page, 'approve-there').waitFor();
    // The link lands on the demo page, whose language is its picker's (English until chosen).
    if (look.rtl) {
      await page.locator('#lang-select').selectOption('ar');
      await page.locator('passwordless-login [part~="base"][dir="rtl"]').waitFor();
      await part(page, 'approve-there').waitFor();
    }
    return page;
  }

  const choice = (page: Page, number: number) => page.locator('passwordless-login [part~="approval-choice"]', { hasText: String(number) });
  const sessionKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('passwordless-login:session:')));

  it('the right number signs in the computer; the phone holds no session', async () => {
    const computer = await newContext(demo.browser);
    const phone = await newContext(demo.browser);
    const errors = collectPageErrors(computer);
    errors.push(...collectPageErrors(phone));
    const asked = await computerAsks(computer, 'approve-right');
    const page = await phoneOpens(phone, asked.mail.link);

    // The asking request's User-Agent, as the server reads it (headless Chromium's says "HeadlessChrome": the system only), and when.
    assert.match((await part(page, 'approval-device').textContent())?.trim() ?? '', /^(Chrome on )?Linux asked to sign in this minute\.$/);
    await part(page, 'approve-there').click();
    const numbers = await page.locator('passwordless-login [part~="approval-choice"]').allTextContents();
    assert.equal(numbers.length, 3);
    assert.ok(numbers.map(Number).includes(asked.number), `${asked.number} is among ${numbers}`);
    await choice(page, asked.number).click();
    await part(page, 'approval-done').waitFor();
    assert.equal((await part(page, 'approval-done').textContent())?.trim(), en.approved);

    // The computer: signed in within moments, as after a code, with a session the server knows.
    await asked.page.getByRole('heading', { name: 'Signed in' }).waitFor();
    const success = (await waitForElementEvent(asked.page, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.method, 'link');
    assert.equal(success.user.email, asked.mail.to);
    const token = await elementSessionToken(asked.page);
    assert.ok(token);
    assert.equal(await sessionStatus(demo.server.url, token), 200);

    // The phone: no session kept, no sign-in heard, and the link signs in nobody else.
    assert.equal(await elementSessionToken(page), null);
    assert.deepEqual(await sessionKeys(page), []);
    assert.deepEqual((await recordedEvents(page)).filter((e) => e.name === 'passwordless-success'), []);
    const again = await fetch(`${demo.server.url}/auth/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: new URLSearchParams(new URL(asked.mail.link).hash.slice(1)).get('pl_token') }) });
    assert.equal(again.status, 401);
    assert.deepEqual(errors, []);
    await computer.close();
    await phone.close();
  });

  it('a wrong number refuses, the computer says so, and "Sign in here" signs in the phone', async () => {
    const computer = await newContext(demo.browser);
    const phone = await newContext(demo.browser);
    const asked = await computerAsks(computer, 'approve-wrong');
    const page = await phoneOpens(phone, asked.mail.link);
    await part(page, 'approve-there').click();
    const wrong = (await page.locator('passwordless-login [part~="approval-choice"]').allTextContents()).map(Number).find((n) => n !== asked.number)!;
    await choice(page, wrong).click();
    await part(page, 'approval-error').waitFor();
    assert.equal((await part(page, 'approval-error').textContent())?.trim(), en.errors.approval_refused);
    await asked.page.locator('passwordless-login [part~="approval-number"]', { hasText: en.wrongPicked }).waitFor({ timeout: REFUSAL_REACHES_MS });
    assert.equal(await elementSessionToken(asked.page), null);

    await part(page, 'sign-in-here').click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    const success = (await waitForElementEvent(page, 'passwordless-success')) as SuccessDetail;
    assert.equal(success.method, 'link');
    assert.equal(await elementSessionToken(asked.page), null, 'the computer is still not signed in');
    await computer.close();
    await phone.close();
  });

  it('the computer’s tab closed before the approval: the phone says it stopped waiting, and signs in here', async () => {
    const computer = await newContext(demo.browser);
    const phone = await newContext(demo.browser);
    const asked = await computerAsks(computer, 'approve-closed');
    const page = await phoneOpens(phone, asked.mail.link);
    await part(page, 'approve-there').click();
    await asked.page.close();
    // Unseen for more than 20 s (the server's clock, moved): the server counts the computer gone.
    demo.server.testServer.clock.advance(21_000);
    await choice(page, asked.number).click();
    await part(page, 'approval-error').waitFor();
    assert.equal((await part(page, 'approval-error').textContent())?.trim(), en.errors.approval_not_waiting);
    await part(page, 'sign-in-here').click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    await computer.close();
    await phone.close();
  });

  it('a scanner that runs the link page and clicks nothing signs in nobody, and spends nothing', async () => {
    const computer = await newContext(demo.browser);
    const scanner = await newContext(demo.browser);
    const phone = await newContext(demo.browser);
    const asked = await computerAsks(computer, 'approve-scanner');
    const scanned = await scanner.newPage();
    await scanned.goto(asked.mail.link, { waitUntil: 'networkidle' });
    await part(scanned, 'approve-there').waitFor();
    await scanned.waitForLoadState('networkidle');
    assert.equal(await elementSessionToken(scanned), null);
    assert.deepEqual(await sessionKeys(scanned), []);
    await scanner.close();
    assert.equal(await elementSessionToken(asked.page), null, 'the computer is not signed in');
    assert.ok(await part(asked.page, 'code-input').isVisible(), 'the computer still asks for the code');

    // Nothing was spent: the person's phone can still approve.
    const page = await phoneOpens(phone, asked.mail.link);
    await part(page, 'approve-there').click();
    await choice(page, asked.number).click();
    await asked.page.getByRole('heading', { name: 'Signed in' }).waitFor();
    await computer.close();
    await phone.close();
  });

  // The phone's own width too (375 px): the three numbers side by side must fit.
  for (const look of LOOKS) {
    it(`photographs the code step with its number and the phone's choices, ${look.name}`, async () => {
      const computer = await newContext(demo.browser, look.options);
      const phone = await newContext(demo.browser, look.options);
      const asked = await computerAsks(computer, `approve-look-${look.name}`, look);
      await captureInLook(asked.page, look, `approval-${look.name}-1-code-step`);
      const page = await phoneOpens(phone, asked.mail.link, look);
      await captureInLook(page, look, `approval-${look.name}-2-phone-choice`);
      await part(page, 'approve-there').click();
      await choice(page, asked.number).waitFor();
      await captureInLook(page, look, `approval-${look.name}-3-phone-numbers`);
      await choice(page, asked.number).click();
      await part(page, 'approval-done').waitFor();
      await captureInLook(page, look, `approval-${look.name}-4-phone-done`);
      await computer.close();
      await phone.close();
    });
  }
});

