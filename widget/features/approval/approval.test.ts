import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../module.ts';
import type { PasswordlessEventMap } from '../../element/events.ts';
import type { PasswordlessLogin } from '../../element/passwordless-login.ts';
import { advanceServerClock, approvalWaits, mailTo, uniqueEmail } from '../../testing/backend.ts';
import { FakeClock } from '../../testing/fake-clock.ts';
import { newApprovalKey } from './approval-calls.ts';
import { en } from './en.ts';
import de from './locales/de.ts';
import { $, $$, click, text } from '../../testing/shadow-dom.ts';

// Cross-device approval in the element, against the real backend (/approval-auth, a backend of
// its own: see widget/testing/test-backend.mjs). The asking device is the element; the other
// device (the phone) is this test over HTTP, with the token of the link the backend mailed. On the
// link page it is the other way round: the element is the phone, and the test asks and waits.

const API = '/approval-auth';

type EventName = keyof PasswordlessEventMap;
let events: Array<{ type: EventName; detail: unknown }> = [];
const names: EventName[] = ['passwordless-error', 'passwordless-success'];
const record = (event: Event) => events.push({ type: event.type as EventName, detail: (event as CustomEvent).detail });
const successes = () => events.filter((e) => e.type === 'passwordless-success').map((e) => (e.detail as { method: string }).method);
const pageUrl = location.href;

beforeEach(async () => {
  localStorage.clear();
  events = [];
  for (const name of names) document.addEventListener(name, record);
  // The server takes one code request per address a minute, and a few per IP: each test starts clear.
  await advanceServerClock(61_000);
});

afterEach(() => {
  for (const name of names) document.removeEventListener(name, record);
  history.replaceState(null, '', pageUrl);
});

async function mount(template: TemplateResult = html`<passwordless-login api=${API}></passwordless-login>`): Promise<PasswordlessLogin> {
  const el = await fixture<PasswordlessLogin>(template);
  await el.settled;
  return el;
}


const post = async (path: string, body: object) => {
  const response = await fetch(API + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};
const tokenOf = (link: string) => new URLSearchParams(new URL(link).hash.slice(1)).get('pl_token')!;

/** The element asks for a code; resolves with the number its code step shows, and the mail. */
async function askFromElement(el: PasswordlessLogin, email: string) {
  await el.requestCode(email);
  await waitUntil(() => /\d\d/.test(text(el, '[part~="approval-number"]') ?? ''), 'the number beside the code');
  const number = Number(/\d\d/.exec(text(el, '[part~="approval-number"]')!)![0]);
  return { number, ...(await mailTo(email)) };
}

/**
 * Another browser asks, as the element would. The server counts it waiting for 20 s from the
 * request; with `wait`, it also waits (the long poll) until approved or refused, and `outcome` is
 * the last wait's answer.
 */
async function askOverHttp(email: string, { wait = false } = {}) {
  const pair = (await newApprovalKey())!;
  const asked = await post('/request', { email, approvalKey: pair.key, redirectTo: pageUrl });
  expect(asked.status).to.equal(202);
  const { id, number } = asked.body.approval as { id: string; number: number };
  const { link, code } = await mailTo(email);
  const outcome = wait
    ? (async () => {
        for (;;) {
          const answer = await post('/approval/wait', { id, secret: pair.secret });
          if (answer.status !== 200 || answer.body.status !== 'waiting') return answer;
        }
      })()
    : null;
  return { number, link, code, outcome };
}

/** A wrong number reaches the device that asked at its wait's next look at the store (every 5 s; only a right one wakes it at once). */
const REFUSAL_REACHES_MS = 7_000;

const wrong = (number: number) => (number === 99 ? 10 : number + 1);

/** Opens the link in "another browser": the pending requests of this one are forgotten first. */
async function openLink(link: string, template?: TemplateResult): Promise<PasswordlessLogin> {
  localStorage.clear();
  history.replaceState(null, '', link);
  return mount(template);
}

describe('approval: the device that asked', () => {
  it('shows the number beside the code and signs in when the other device picks it', async () => {
    const el = await mount();
    const email = uniqueEmail('approve-right');
    const { number, link } = await askFromElement(el, email);
    expect(text(el, '[part~="approval-number"]')).to.equal(en.pickThere(number));
    expect(number).to.be.within(10, 99);

    const approved = await post('/approval/approve', { token: tokenOf(link), number });
    expect(approved.status).to.equal(200);
    await waitUntil(() => el.user?.email === email, 'signed in from the other device');
    expect(successes()).to.deep.equal(['link']);
    expect(el.session?.token).to.be.a('string');
    expect(text(el, '[part~="title"]')).to.equal('Signed in');
  });

  it('in cookie mode, collects the session as a cookie: no token in the page', async () => {
    // /cookie-auth: the widget tests' backend with SESSION_COOKIE=on (its waits are few: this one).
    const el = await mount(html`<passwordless-login api="/cookie-auth"></passwordless-login>`);
    const email = uniqueEmail('approve-cookie');
    await el.requestCode(email);
    await waitUntil(() => /\d\d/.test(text(el, '[part~="approval-number"]') ?? ''), 'the number');
    const number = Number(/\d\d/.exec(text(el, '[part~="approval-number"]')!)![0]);
    const token = tokenOf((await mailTo(email)).link);
    const approved = await fetch('/cookie-auth/approval/approve', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, number }) });
    expect(approved.status).to.equal(200);
    await waitUntil(() => el.user?.email === email, 'signed in from the other device');
    expect(el.session?.token).to.equal(undefined);
    const session = await fetch('/cookie-auth/session', { credentials: 'include' });
    expect(session.status).to.equal(200);
    expect(((await session.json()) as { user: { email: string } }).user.email).to.equal(email);
  });

  it('says a wrong number was picked there, and the code still signs in', async function () {
    this.timeout(REFUSAL_REACHES_MS + 5_000);
    const el = await mount();
    const email = uniqueEmail('approve-wrong');
    const { number, link, code } = await askFromElement(el, email);

    const refused = await post('/approval/approve', { token: tokenOf(link), number: wrong(number) });
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal('approval_refused');
    await waitUntil(() => text(el, '[part~="approval-number"]') === en.wrongPicked, 'the refusal beside the code', { timeout: REFUSAL_REACHES_MS });
    expect(el.user).to.equal(null);

    await el.verifyCode(code);
    expect(el.user?.email).to.equal(email);
    expect(successes()).to.deep.equal(['code']);
  });

  it('stops waiting when the code step goes', async () => {
    const el = await mount();
    const email = uniqueEmail('approve-left');
    const { number, link } = await askFromElement(el, email);
    await waitUntil(async () => (await approvalWaits()) === 1, 'the wait reaches the server');
    click(el, '[part~="change-email"]');
    await el.updateComplete;
    expect($(el, '[part~="approval-number"]')).to.equal(null);
    // The element hangs up its wait, and asks no more: after the server's 20 s the phone is told so, and nothing signs in here.
    await waitUntil(async () => (await approvalWaits()) === 0, 'the wait hung up');
    await advanceServerClock(21_000);
    const late = await post('/approval/approve', { token: tokenOf(link), number });
    expect(late.body.error?.code, JSON.stringify(late)).to.equal('approval_not_waiting');
    expect(el.user).to.equal(null);
  });

  it('asks again after a network error, once the element’s clock has moved 2 s', async () => {
    const el = await mount();
    const clock = new FakeClock(Date.now());
    el.clock = clock;
    // The first wait fails on the network (offline for a moment); the next ones go through.
    const fetchBefore = window.fetch;
    let failed = 0;
    window.fetch = (input, init) => {
      if (String(input).endsWith('/approval/wait') && failed === 0) {
        failed += 1;
        return Promise.reject(new TypeError('Failed to fetch'));
      }
      return fetchBefore(input, init);
    };
    try {
      const email = uniqueEmail('approve-retry');
      const { number, link } = await askFromElement(el, email);
      await waitUntil(() => failed === 1 && clock.pending > 0, 'the failed wait, and its pause');
      expect(await approvalWaits()).to.equal(0);
      clock.advance(1_999);
      expect(await approvalWaits(), 'no wait before the pause is over').to.equal(0);
      clock.advance(1);
      await waitUntil(async () => (await approvalWaits()) === 1, 'the wait asked again');
      await post('/approval/approve', { token: tokenOf(link), number });
      await waitUntil(() => el.user?.email === email, 'signed in');
    } finally {
      window.fetch = fetchBefore;
    }
  });

  it('speaks the element’s language', async () => {
    const el = await mount(html`<passwordless-login api=${API} lang="de"></passwordless-login>`);
    const { number } = await askFromElement(el, uniqueEmail('approve-de'));
    expect(text(el, '[part~="approval-number"]')).to.equal(de.pickThere(number));
  });

  it('has no accessibility violations with the number shown and after a refusal', async function () {
    this.timeout(REFUSAL_REACHES_MS + 5_000);
    const el = await mount();
    const { number, link } = await askFromElement(el, uniqueEmail('approve-axe'));
    await expect(el).to.be.accessible();
    await post('/approval/approve', { token: tokenOf(link), number: wrong(number) });
    await waitUntil(() => text(el, '[part~="approval-number"]') === en.wrongPicked, 'the refusal', { timeout: REFUSAL_REACHES_MS });
    await expect(el).to.be.accessible();
  });
});

describe('approval: the link opened on another device', () => {
  it('offers both ways, shows the three numbers, and signs in only the device that asked', async () => {
    const email = uniqueEmail('phone-right');
    const asker = await askOverHttp(email, { wait: true });
    const el = await openLink(asker.link);
    await waitUntil(() => $(el, '[part~="approve-there"]'), 'the two choices');
    await waitUntil(() => text(el, '.address') === email, 'the address the link signs in');
    expect(text(el, '[part~="text"]')).to.equal(en.linkFor(email));
    // The browser and system of the asking request's User-Agent (this Chromium's), and when.
    expect(text(el, '[part~="approval-device"]')).to.match(/^(Chrome on )?Linux asked to sign in this minute\.$/);
    expect(text(el, '[part~="approve-there"]')).to.equal(en.approveThere);
    expect(text(el, '[part~="sign-in-here"]')).to.equal(en.signInHere);
    await expect(el).to.be.accessible();

    click(el, '[part~="approve-there"]');
    await el.updateComplete;
    const choices = $$(el, '[part~="approval-choice"]').map((b) => Number(b.textContent));
    expect(choices).to.have.length(3);
    expect(choices).to.include(asker.number);
    expect(text(el, '#approval-pick')).to.equal(en.pickPrompt);
    await expect(el).to.be.accessible();

    $$(el, '[part~="approval-choice"]').find((b) => Number(b.textContent) === asker.number)!.click();
    await waitUntil(() => text(el, '[part~="approval-done"]') === en.approved, 'done');
    expect(text(el, '[part~="title"]')).to.equal(en.approvedTitle);
    const collected = (await asker.outcome)!;
    expect(collected.body.status).to.equal('approved');
    expect(collected.body.user.email).to.equal(email);
    // This device holds no session, and fired no sign-in.
    expect(el.user).to.equal(null);
    expect(localStorage.length === 0 || !Object.keys(localStorage).some((k) => k.startsWith('passwordless-login:session:'))).to.equal(true);
    expect(successes()).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('says a wrong number was picked, and "Sign in here" still signs in this device', async () => {
    const email = uniqueEmail('phone-wrong');
    const asker = await askOverHttp(email);
    const el = await openLink(asker.link);
    await waitUntil(() => $(el, '[part~="approve-there"]'));
    click(el, '[part~="approve-there"]');
    await el.updateComplete;
    $$(el, '[part~="approval-choice"]').find((b) => Number(b.textContent) !== asker.number)!.click();
    await waitUntil(() => text(el, '[part~="approval-error"]') === en.errors.approval_refused, 'the refusal');
    await expect(el).to.be.accessible();

    click(el, '[part~="sign-in-here"]');
    await waitUntil(() => el.user?.email === email, 'signed in here');
    expect(successes()).to.deep.equal(['link']);
  });

  it('says the device that asked stopped waiting, and offers to sign in here', async () => {
    const email = uniqueEmail('phone-gone');
    const asker = await askOverHttp(email);
    const el = await openLink(asker.link);
    await waitUntil(() => $(el, '[part~="approve-there"]'));
    click(el, '[part~="approve-there"]');
    await el.updateComplete;
    // The asking browser does not wait (its tab closed): the server counts it gone 20 s after it was last seen.
    await advanceServerClock(21_000);
    $$(el, '[part~="approval-choice"]').find((b) => Number(b.textContent) === asker.number)!.click();
    await waitUntil(() => text(el, '[part~="approval-error"]') === en.errors.approval_not_waiting, 'not waiting');
    await expect(el).to.be.accessible();
    click(el, '[part~="sign-in-here"]');
    await waitUntil(() => el.user?.email === email, 'signed in here');
  });

  it('is today’s link page where nobody waits for an approval', async () => {
    const email = uniqueEmail('phone-none');
    // Asked without an approval key (a browser without the module, or the headless client).
    expect((await post('/request', { email, redirectTo: pageUrl })).status).to.equal(202);
    const el = await openLink((await mailTo(email)).link);
    await waitUntil(() => text(el, '[part~="text"]')?.includes(email), 'the link step names the address');
    expect($(el, '[part~="approve-there"]')).to.equal(null);
    expect($(el, '[part~="continue"]')).to.not.equal(null);
  });

  it('speaks the element’s language', async () => {
    const asker = await askOverHttp(uniqueEmail('phone-de'));
    const el = await openLink(asker.link, html`<passwordless-login api=${API} lang="de"></passwordless-login>`);
    await waitUntil(() => $(el, '[part~="approve-there"]'));
    expect(text(el, '[part~="approve-there"]')).to.equal(de.approveThere);
    expect(text(el, '[part~="approval-device"]')).to.match(/ hat in dieser Minute eine Anmeldung angefordert\.$/);
  });
});
