import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../module.ts';
import type { PasswordlessEventMap } from './events.ts';
import type { PasswordlessLogin } from './passwordless-login.ts';
import { advanceServerClock, approvalWaits, holdBusyMail, mailCount, mailTo, releaseBusyMail, uniqueEmail } from '../testing/backend.ts';
import { FakeClock } from '../testing/fake-clock.ts';

// Every test talks to the real backend (proxied under this page's /auth by the test runner).

type EventName = keyof PasswordlessEventMap;
type Recorded = { type: EventName; detail: unknown };

let events: Recorded[] = [];
const names: EventName[] = [
  'passwordless-code-sent',
  'passwordless-success',
  'passwordless-error',
  'passwordless-signed-out',
  'passwordless-step-change',
];
const record = (event: Event) => events.push({ type: event.type as EventName, detail: (event as CustomEvent).detail });
const detailsOf = (type: EventName) => events.filter((e) => e.type === type).map((e) => e.detail);

// The test runner finds its session in this page's query string: every test puts it back.
const pageUrl = location.href.split('#')[0]!;

beforeEach(() => {
  localStorage.clear();
  events = [];
  // On document: proves the events bubble and cross the shadow root (composed).
  for (const name of names) document.addEventListener(name, record);
});

afterEach(() => {
  history.replaceState(null, '', pageUrl);
  for (const name of names) document.removeEventListener(name, record);
});

async function mount(template: TemplateResult = html`<passwordless-login></passwordless-login>`) {
  const parent = await fixture<HTMLElement>(html`<div>${template}</div>`);
  const el = parent.querySelector('passwordless-login') as PasswordlessLogin;
  const clock = new FakeClock(Date.now());
  el.clock = clock;
  await el.settled;
  return { el, clock };
}

// Assertions compare strings and booleans, never elements: a failing assertion whose values are
// DOM nodes makes the test runner hang while it serializes them.
const $ = <T extends Element = HTMLElement>(el: PasswordlessLogin, selector: string) =>
  el.shadowRoot!.querySelector<T & HTMLElement>(selector);
const button = (el: PasswordlessLogin, part: string) => $<HTMLButtonElement>(el, `button[part~="${part}"]`)!;
const text = (el: PasswordlessLogin, selector: string) => $(el, selector)?.textContent?.trim() ?? null;

/** Puts text into a field as the browser does for a paste or typing: a real `input` event. */
function insertText(input: HTMLInputElement, value: string) {
  input.focus();
  document.execCommand('insertText', false, value);
}

/** Removes `crypto.subtle`, as on a plain-http page, until the returned function runs. */
function withoutSubtle(): () => void {
  Object.defineProperty(crypto, 'subtle', { value: undefined, configurable: true });
  return () => delete (crypto as { subtle?: unknown }).subtle;
}

const unavailable = 'The sign-in service could not handle this request. Please try again later.';

async function sendCode(el: PasswordlessLogin, email: string) {
  $<HTMLInputElement>(el, 'input[type="email"]')!.value = email;
  button(el, 'submit').click();
  await el.settled;
  expect(text(el, '[role="alert"]'), 'the code request failed').to.equal(null);
}

async function signInWithCode(el: PasswordlessLogin, email: string) {
  await sendCode(el, email);
  const { code } = await mailTo(email);
  insertText($<HTMLInputElement>(el, '#code')!, code);
  await el.settled;
  expect(el.user?.email).to.equal(email);
}

describe('<passwordless-login>', () => {
  describe('email step', () => {
    it('asks for an email in a labelled, autocompletable field', async () => {
      const { el } = await mount();
      const input = $<HTMLInputElement>(el, 'input')!;
      expect(input.type).to.equal('email');
      expect(input.autocomplete).to.equal('email');
      expect(input.labels?.[0]?.textContent?.trim()).to.equal('Email address');
      expect(button(el, 'submit').disabled).to.equal(false);
      await expect(el).to.be.accessible();
    });

    it('prefills the email attribute', async () => {
      const { el } = await mount(html`<passwordless-login email="ada@example.com"></passwordless-login>`);
      expect($<HTMLInputElement>(el, 'input')!.value).to.equal('ada@example.com');
    });

    it('speaks the closest ancestor language and sends it, so the email matches', async () => {
      const email = uniqueEmail('zh');
      const { el } = await mount(html`<section lang="zh-CN"><passwordless-login></passwordless-login></section>`);
      expect(text(el, '[part~="title"]')).to.equal('登录');
      await sendCode(el, email);
      expect((await mailTo(email)).subject).to.contain('登录验证码');
    });

    it('disables the button while the request is in flight', async () => {
      const { el } = await mount();
      $<HTMLInputElement>(el, 'input')!.value = uniqueEmail('busy');
      button(el, 'submit').click();
      await el.updateComplete;
      expect(button(el, 'submit').disabled).to.equal(true);
      await el.settled;
    });

    it('sends the redirect-to attribute as the landing page of the link', async () => {
      const email = uniqueEmail('landing');
      const landing = `${location.origin}/account/welcome`;
      const { el } = await mount(html`<passwordless-login redirect-to=${landing}></passwordless-login>`);
      await sendCode(el, email);
      expect((await mailTo(email)).link.split('#')[0]).to.equal(landing);
    });

    it('shows a network error when the API cannot be reached, and stays usable', async () => {
      const { el } = await mount(html`<passwordless-login api="http://127.0.0.1:9/auth"></passwordless-login>`);
      await sendCodeExpectingError(el);
      expect(text(el, '[role="alert"]')).to.equal(
        'Could not reach the sign-in service. Check your connection and try again.',
      );
      expect(detailsOf('passwordless-error')).to.deep.equal([
        { code: 'network_error', message: 'Could not reach the sign-in service. Check your connection and try again.' },
      ]);
      expect(button(el, 'submit').disabled).to.equal(false);
      await expect(el).to.be.accessible();
    });

    it('marks the email field invalid and describes it by the error', async () => {
      const { el } = await mount();
      expect($(el, '#email')!.getAttribute('aria-invalid')).to.equal('false');
      $<HTMLInputElement>(el, '#email')!.value = `${'a'.repeat(65)}@example.com`; // local part over 64
      button(el, 'submit').click();
      await el.settled;
      expect(text(el, '[role="alert"]')).to.equal('Please enter a valid email address.');
      expect($(el, '#email')!.getAttribute('aria-invalid')).to.equal('true');
      expect($(el, '#email')!.getAttribute('aria-describedby')).to.equal('error');
      expect($(el, '#error')?.getAttribute('role')).to.equal('alert');
      await expect(el).to.be.accessible();
    });

    for (const [lang, sentence] of [
      ['en', 'Please enter a valid email address.'],
      ['ar', 'يُرجى إدخال عنوان بريد إلكتروني صالح.'],
    ] as const) {
      it(`checks the address itself, in its own language (${lang}): no browser bubble, the field invalid, described and focused`, async () => {
        const { el } = await mount(html`<passwordless-login lang=${lang}></passwordless-login>`);
        expect($<HTMLFormElement>(el, 'form')!.noValidate).to.equal(true);
        const input = $<HTMLInputElement>(el, '#email')!;
        for (const value of ['not an address', '']) {
          events = [];
          input.value = value;
          // A click runs the browser's own validation first: without `novalidate` it shows its
          // bubble and the form is never submitted.
          button(el, 'submit').click();
          await el.settled;
          expect(text(el, '[role="alert"]'), JSON.stringify(value)).to.equal(sentence);
          expect(input.getAttribute('aria-invalid')).to.equal('true');
          expect(input.getAttribute('aria-describedby')).to.equal('error');
          expect(el.shadowRoot!.activeElement?.id).to.equal('email');
          expect(detailsOf('passwordless-error')).to.deep.equal([{ code: 'invalid_email', message: sentence }]);
          expect(detailsOf('passwordless-step-change'), 'nothing was sent').to.deep.equal([]);
        }
        await expect(el).to.be.accessible();
      });
    }

    it('sends a clientHash without crypto.subtle (a plain-http page), and keeps it', async () => {
      const email = uniqueEmail('no-subtle');
      const { el } = await mount();
      const restore = withoutSubtle();
      try {
        await sendCode(el, email);
      } finally {
        restore();
      }
      expect(detailsOf('passwordless-step-change')).to.deep.equal([{ step: 'code' }]);
      const fragment = new URLSearchParams(new URL((await mailTo(email)).link).hash.slice(1));
      const pending = JSON.parse(localStorage.getItem(`passwordless-login:pending:${location.origin}/auth`)!) as Array<{
        secret: string;
      }>;
      expect(fragment.get('pl_client')).to.match(/^[\w-]{43}$/);
      expect(pending.map((p) => p.secret)).to.deep.equal([fragment.get('pl_client')]);
    });

    it('shows the error sentence instead of staying busy when something throws (an api that is not a URL)', async () => {
      const { el } = await mount(html`<passwordless-login api="http://["></passwordless-login>`);
      expect(text(el, '[role="alert"]')).to.equal(unavailable);
      $<HTMLInputElement>(el, '#email')!.value = uniqueEmail('throws');
      button(el, 'submit').click();
      await el.settled;
      expect(button(el, 'submit').disabled).to.equal(false);
      expect(text(el, '[role="alert"]')).to.equal(unavailable);
      expect(detailsOf('passwordless-error')).to.deep.equal([
        { code: 'internal_error', message: unavailable },
        { code: 'internal_error', message: unavailable },
      ]);
    });

    it('treats an answer that is not JSON as a network error', async () => {
      const { el } = await mount(html`<passwordless-login api="/__test/html"></passwordless-login>`);
      await sendCodeExpectingError(el);
      expect(detailsOf('passwordless-error')).to.have.length(1);
      expect((detailsOf('passwordless-error')[0] as { code: string }).code).to.equal('network_error');
    });
  });

  describe('code step', () => {
    it('sends a code and shows one labelled one-time-code field', async () => {
      const email = uniqueEmail('code');
      const { el } = await mount();
      await sendCode(el, email);
      expect(detailsOf('passwordless-code-sent')).to.deep.equal([{ email, expiresIn: 600, retryAfter: 60 }]);
      expect(detailsOf('passwordless-step-change')).to.deep.equal([{ step: 'code' }]);
      expect(text(el, '[part~="text"]')).to.contain(email);
      const inputs = el.shadowRoot!.querySelectorAll('input');
      expect(inputs).to.have.length(1);
      const input = inputs[0]!;
      expect(input.autocomplete).to.equal('one-time-code');
      expect(input.inputMode).to.equal('numeric');
      expect(input.maxLength).to.be.at.least(6 * 2);
      expect(input.labels?.[0]?.textContent?.trim()).to.equal('Code from the email');
      await expect(el).to.be.accessible();
    });

    it('sends the page as landing page and a fresh random clientHash, kept for this API (the last 5)', async () => {
      const email = uniqueEmail('hash');
      const { el } = await mount();
      const key = `passwordless-login:pending:${location.origin}/auth`;
      const old = Array.from({ length: 5 }, (_, i) => ({ secret: `old${i}`.padEnd(43, 'x'), at: Date.now() - i }));
      const stale = { secret: 'stale'.padEnd(43, 'x'), at: Date.now() - 24 * 60 * 60 * 1000 };
      localStorage.setItem(key, JSON.stringify([stale, ...old]));
      await sendCode(el, email);
      const link = new URL((await mailTo(email)).link);
      expect(link.href.split('#')[0]).to.equal(location.href.split('#')[0]);
      const sent = new URLSearchParams(link.hash.slice(1)).get('pl_client')!;
      expect(sent).to.match(/^[\w-]{43}$/);
      const kept = (JSON.parse(localStorage.getItem(key)!) as Array<{ secret: string }>).map((p) => p.secret);
      expect(kept).to.deep.equal([sent, ...old.slice(0, 4).map((p) => p.secret)]);
    });

    it('accepts a pasted code with spaces and dashes and signs in by itself', async () => {
      const email = uniqueEmail('paste');
      const { el } = await mount();
      await sendCode(el, email);
      const { code } = await mailTo(email);
      const input = $<HTMLInputElement>(el, '#code')!;
      insertText(input, ` ${code.slice(0, 3)} - ${code.slice(3)} `);
      expect(input.value).to.equal(code);
      await el.settled;
      expect(el.user?.email).to.equal(email);
      expect(el.session?.token).to.be.a('string');
      const [success] = detailsOf('passwordless-success') as Array<PasswordlessEventMap['passwordless-success']['detail']>;
      expect(success!.method).to.equal('code');
      expect(success!.user.email).to.equal(email);
      expect(success!.session).to.deep.equal(el.session);
      expect(detailsOf('passwordless-step-change')).to.deep.equal([{ step: 'code' }, { step: 'signed-in' }]);
    });

    it('waits for the last digit before submitting', async () => {
      const email = uniqueEmail('typing');
      const { el } = await mount();
      await sendCode(el, email);
      const { code } = await mailTo(email);
      const input = $<HTMLInputElement>(el, '#code')!;
      for (const digit of code.slice(0, -1)) insertText(input, digit);
      await el.settled;
      expect(el.user).to.equal(null);
      expect(text(el, '[role="alert"]'), 'an incomplete code was sent').to.equal(null);
      insertText(input, code.slice(-1));
      await el.settled;
      expect(el.user?.email).to.equal(email);
    });

    it('says how many attempts are left after a wrong code', async () => {
      const email = uniqueEmail('wrong');
      const { el } = await mount();
      await sendCode(el, email);
      const { code } = await mailTo(email);
      const wrong = code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
      insertText($<HTMLInputElement>(el, '#code')!, wrong);
      await el.settled;
      expect(text(el, '[role="alert"]')).to.equal('Wrong code, 4 attempts left.');
      expect(detailsOf('passwordless-error')).to.deep.equal([{ code: 'invalid_code', message: 'Wrong code, 4 attempts left.' }]);
      expect($(el, '#code')!.getAttribute('aria-invalid')).to.equal('true');
      await expect(el).to.be.accessible();
    });

    it('after the 5th wrong code says it is used up, locks the field and offers a new code at once, which signs in', async () => {
      const email = uniqueEmail('burnt');
      const { el } = await mount();
      await sendCode(el, email);
      const { code } = await mailTo(email);
      const input = $<HTMLInputElement>(el, '#code')!;
      for (let i = 1; i <= 6 && !text(el, '[role="alert"]')?.startsWith('Too many'); i++) {
        input.value = code.replace(/\d$/, (d) => String((Number(d) + i) % 10));
        button(el, 'submit').click();
        await el.settled;
      }
      expect(text(el, '[role="alert"]')).to.equal('Too many wrong codes. Please request a new code.');
      expect(detailsOf('passwordless-error').at(-1)).to.include({ code: 'too_many_attempts' });
      // Nothing left to type: field and submit off; "Resend" on now, not after a countdown.
      expect($<HTMLInputElement>(el, '#code')!.disabled).to.equal(true);
      expect(button(el, 'submit').disabled).to.equal(true);
      expect(button(el, 'resend').disabled).to.equal(false);
      expect(button(el, 'resend').textContent?.trim()).to.equal('Resend code');
      expect(el.shadowRoot!.activeElement?.getAttribute('part'), 'focus on the way out').to.equal('button resend');
      await expect(el).to.be.accessible();
      button(el, 'resend').click(); // no server clock moved: the server takes it at once
      await el.settled;
      expect(detailsOf('passwordless-code-sent')).to.have.length(2);
      expect(text(el, '[role="alert"]')).to.equal(null);
      expect($<HTMLInputElement>(el, '#code')!.disabled).to.equal(false);
      expect($<HTMLInputElement>(el, '#code')!.value, 'the used-up code is gone').to.equal('');
      insertText($<HTMLInputElement>(el, '#code')!, (await mailTo(email)).code);
      await el.settled;
      expect(el.user?.email).to.equal(email);
    });

    it('keeps the field for the new code when the old, burnt one is typed, and counts down to the next resend', async () => {
      const email = uniqueEmail('old-code');
      const { el } = await mount();
      await sendCode(el, email);
      const { code: old } = await mailTo(email);
      const input = () => $<HTMLInputElement>(el, '#code')!;
      for (let i = 1; i <= 6 && !button(el, 'submit').disabled; i++) {
        input().value = old.replace(/\d$/, (d) => String((Number(d) + i) % 10));
        button(el, 'submit').click();
        await el.settled;
      }
      button(el, 'resend').click();
      await el.settled;
      const { code: fresh } = await mailTo(email);
      input().value = old;
      button(el, 'submit').click();
      await el.settled;
      expect(detailsOf('passwordless-error').at(-1)).to.include({ code: 'too_many_attempts' });
      // The fresh code is live: its field stays, and "Resend" waits for the server's minute.
      expect(input().disabled).to.equal(false);
      expect(button(el, 'submit').disabled).to.equal(false);
      expect(button(el, 'resend').disabled).to.equal(true);
      expect(button(el, 'resend').textContent?.trim()).to.match(/^Resend code in (59|60) s$/);
      input().value = fresh;
      button(el, 'submit').click();
      await el.settled;
      expect(el.user?.email).to.equal(email);
    });

    it('keeps Resend disabled until retryAfter, without announcing each second, then announces it once', async () => {
      const email = uniqueEmail('resend');
      const { el, clock } = await mount();
      await sendCode(el, email);
      const resend = () => button(el, 'resend');
      const status = () => text(el, '[role="status"]');
      expect(resend().disabled).to.equal(true);
      expect(resend().textContent?.trim()).to.equal('Resend code in 60 s');
      const live = resend().closest('[aria-live], [role="status"], [role="alert"]');
      expect(live === null, 'the ticking text is in a live region').to.equal(true);
      expect(status()).to.equal('');

      clock.advance(30_000);
      await el.updateComplete;
      expect(resend().textContent?.trim()).to.equal('Resend code in 30 s');
      expect(resend().disabled).to.equal(true);
      expect(status()).to.equal('');

      clock.advance(30_000);
      await el.updateComplete;
      expect(resend().disabled).to.equal(false);
      expect(resend().textContent?.trim()).to.equal('Resend code');
      expect(status()).to.equal('You can request a new code now.');

      await advanceServerClock(60_000);
      resend().click();
      await el.settled;
      expect(detailsOf('passwordless-code-sent')).to.have.length(2);
      expect(await mailCount(email)).to.equal(2);
      expect(resend().disabled, 'a new countdown starts').to.equal(true);
      expect(status()).to.equal('');
    });

    it('counts down the retryAfter of a resend the server refuses', async () => {
      const email = uniqueEmail('refused');
      const { el, clock } = await mount();
      await sendCode(el, email);
      clock.advance(60_000); // the widget's clock only: the server still says "wait"
      await el.updateComplete;
      await advanceServerClock(20_000);
      button(el, 'resend').click();
      await el.settled;
      expect(text(el, '[role="alert"]')).to.equal('Too many requests. Try again in 40 seconds.');
      expect(detailsOf('passwordless-error').at(-1)).to.include({ code: 'rate_limited' });
      expect(button(el, 'resend').disabled).to.equal(true);
      expect(button(el, 'resend').textContent?.trim()).to.equal('Resend code in 40 s');
    });

    it('says "too busy, try again in N s" when the mail queue is full, counts it down without an alert each second, then sends', async () => {
      await holdBusyMail();
      try {
        const { el, clock } = await mount(html`<passwordless-login api="/busy-auth"></passwordless-login>`);
        const email = uniqueEmail('busy');
        $<HTMLInputElement>(el, 'input[type="email"]')!.value = email;
        button(el, 'submit').click();
        await el.settled;
        // The wait follows the server's drain rate (60 s when nothing has drained lately).
        const said = text(el, '[part="error"]') ?? '';
        const seconds = Number(/^Too busy to send a code\. Try again in (\d+) s\.$/.exec(said)?.[1]);
        expect(seconds >= 2 && seconds <= 60, `a wait of 2–60 s: ${said}`).to.equal(true);
        expect(detailsOf('passwordless-error').at(-1)).to.deep.equal({ code: 'mail_busy', message: said });
        expect(detailsOf('passwordless-step-change'), 'still on the email step').to.deep.equal([]);
        expect(text(el, '[role="alert"]'), 'a sentence that changes every second is no alert').to.equal(null);
        expect(text(el, '[role="status"]'), 'said once, politely').to.equal(said);

        clock.advance(1_000);
        await el.updateComplete;
        expect(text(el, '[part="error"]')).to.equal(`Too busy to send a code. Try again in ${seconds - 1} s.`);
        expect(text(el, '[role="status"]'), 'the status line does not tick').to.equal(said);

        clock.advance((seconds - 1) * 1000);
        await el.updateComplete;
        expect(text(el, '[part="error"]'), 'the wait is over: the sentence goes').to.equal(null);
        expect(text(el, '[role="status"]')).to.equal('You can request a new code now.');

        await releaseBusyMail();
        button(el, 'submit').click();
        await el.settled;
        expect(detailsOf('passwordless-code-sent').map((d) => (d as { email: string }).email)).to.deep.equal([email]);
        expect(detailsOf('passwordless-step-change').at(-1)).to.deep.equal({ step: 'code' });
      } finally {
        await releaseBusyMail();
      }
    });

    it('"Use a different email" goes back with the email prefilled', async () => {
      const email = uniqueEmail('back');
      const { el } = await mount();
      await sendCode(el, email);
      button(el, 'change-email').click();
      await el.updateComplete;
      expect($<HTMLInputElement>(el, 'input[type="email"]')!.value).to.equal(email);
      expect(detailsOf('passwordless-step-change').at(-1)).to.deep.equal({ step: 'email' });
      expect(el.shadowRoot!.activeElement?.id, 'focus follows the person to the email field').to.equal('email');
    });
  });

  describe('a code sent moments ago', () => {
    it('after a reload, the same email goes to the code step with the server\'s countdown and a note', async () => {
      const email = uniqueEmail('again');
      const first = await mount();
      await sendCode(first.el, email);
      await advanceServerClock(20_000);
      events = [];
      const { el } = await mount();
      await sendCode(el, email);
      expect(detailsOf('passwordless-step-change')).to.deep.equal([{ step: 'code' }]);
      expect(detailsOf('passwordless-error'), 'the refusal is not an error here').to.deep.equal([]);
      expect(detailsOf('passwordless-code-sent'), 'no new code went out').to.deep.equal([]);
      expect(text(el, '#note')).to.equal(`A code was sent to ${email} a moment ago. Enter it, or ask for a new one when the timer ends.`);
      expect(el.shadowRoot!.querySelectorAll('[part~="text"]').length, 'one sentence, not "sent" and "sent recently" both').to.equal(1);
      expect($(el, '#code')!.getAttribute('aria-describedby')).to.equal('note');
      expect(button(el, 'resend').disabled).to.equal(true);
      expect(button(el, 'resend').textContent?.trim()).to.equal('Resend code in 40 s');
      expect(await mailCount(email)).to.equal(1);
      await expect(el).to.be.accessible();
      insertText($<HTMLInputElement>(el, '#code')!, (await mailTo(email)).code);
      await el.settled;
      expect(el.user?.email).to.equal(email);
    });

    it('after "Use a different email" and the same one again, in Chinese too', async () => {
      const email = uniqueEmail('again-zh');
      const { el } = await mount(html`<passwordless-login lang="zh-CN"></passwordless-login>`);
      await sendCode(el, email);
      button(el, 'change-email').click();
      await el.updateComplete;
      await sendCode(el, email);
      expect(text(el, '#note')).to.equal(`刚刚已向 ${email} 发送过验证码。请输入该验证码，或在倒计时结束后重新获取。`);
      expect(button(el, 'resend').textContent?.trim()).to.equal('60 秒后可重新发送');
    });
  });

  describe('magic link', () => {
    it('finishes at once in the browser that asked, and removes the token from the address bar', async () => {
      const email = uniqueEmail('link-own');
      const first = await mount();
      await sendCode(first.el, email);
      const { link } = await mailTo(email);
      history.replaceState(null, '', link);
      const { el } = await mount();
      expect(location.hash).to.equal('');
      expect(el.user?.email).to.equal(email);
      const successes = detailsOf('passwordless-success') as Array<{ method: string }>;
      expect(successes.map((s) => s.method)).to.deep.equal(['link']);
      await expect(el).to.be.accessible();
    });

    it('says a malformed link is not valid, at once and without asking the server', async () => {
      history.replaceState(null, '', `#pl_token=cut-short&pl_client=xyz`);
      const { el } = await mount();
      expect(text(el, '[role="alert"]')).to.equal('This sign-in link is not valid any more. It may have been used already.');
      expect(detailsOf('passwordless-error')).to.deep.equal([
        { code: 'invalid_link', message: 'This sign-in link is not valid any more. It may have been used already.' },
      ]);
      expect(text(el, '[part~="title"]')).to.equal('Sign in');
      expect(Boolean(button(el, 'continue'))).to.equal(false);
      await expect(el).to.be.accessible();
    });

    it('names the address the link signs in, in another browser, before the click', async function () {
      this.timeout(20_000);
      const email = uniqueEmail('link-names');
      // The approval module's wait: sent, and settled (refused: the per-IP cap of waits, which a
      // whole run reaches on this backend) or held by the server.
      let waitsSent = 0;
      let waitsSettled = 0;
      const nativeFetch = window.fetch;
      window.fetch = (input, init) => {
        const answer = nativeFetch(input, init);
        if (String(input instanceof Request ? input.url : input).endsWith('/approval/wait')) {
          waitsSent++;
          answer.then(() => waitsSettled++, () => waitsSettled++);
        }
        return answer;
      };
      try {
        const first = await mount();
        await sendCode(first.el, email);
        // The browser that asked stops waiting (its tab closes), and the server counts it gone after
        // 20 s: the link page is the one without an approval to give (features/approval). Its wait
        // must have reached the server (or been refused) and ended before the clock moves: a wait
        // arriving after the move would count the asking browser as there (about 1 run in 3 did).
        await waitUntil(async () => waitsSent > 0 && (waitsSettled > 0 || (await approvalWaits('auth')) > 0), 'the wait reaches the server', { timeout: 8_000 });
        first.el.remove();
        await waitUntil(async () => (await approvalWaits('auth')) === 0, 'the wait ended there', { timeout: 8_000 });
      } finally {
        window.fetch = nativeFetch;
      }
      await advanceServerClock(21_000);
      localStorage.clear();
      history.replaceState(null, '', (await mailTo(email)).link);
      const { el } = await mount();
      expect(text(el, '[part~="text"]')).to.equal(`You opened a sign-in link for ${email}. Continue to sign in on this device.`);
      expect(text(el, '.address')).to.equal(email);
      expect(el.user, 'naming it signed no one in').to.equal(null);
      button(el, 'continue').click();
      await el.settled;
      expect(el.user?.email, 'and naming it spent nothing').to.equal(email);
    });

    it('asks for a click in another browser (or a mail scanner) and signs in after it', async () => {
      const email = uniqueEmail('link-other');
      const first = await mount();
      await sendCode(first.el, email);
      const { link } = await mailTo(email);
      localStorage.clear(); // another browser: no secret from the request
      history.replaceState(null, '', link);
      const { el } = await mount();
      expect(location.hash).to.equal('');
      expect(el.user, 'signed in without a click').to.equal(null);
      expect(text(el, '[part~="title"]')).to.equal('Continue signing in');
      await expect(el).to.be.accessible();
      button(el, 'continue').click();
      await el.settled;
      expect(el.user?.email).to.equal(email);
      expect((detailsOf('passwordless-success').at(-1) as { method: string }).method).to.equal('link');
    });

    it('explains a used link and offers a way back to the email step', async () => {
      const email = uniqueEmail('link-used');
      const first = await mount();
      await sendCode(first.el, email);
      const { link } = await mailTo(email);
      history.replaceState(null, '', link);
      await mount(); // signs in with it
      localStorage.clear();
      history.replaceState(null, '', link);
      const { el } = await mount();
      button(el, 'continue').click();
      await el.settled;
      expect(text(el, '[role="alert"]')).to.equal('This sign-in link is not valid any more. It may have been used already.');
      expect(detailsOf('passwordless-error').at(-1)).to.include({ code: 'invalid_link' });
      expect(Boolean(button(el, 'continue')), 'a used link offers no retry').to.equal(false);
      expect(text(el, '[part~="text"]')).to.equal('Enter your email to get a new code and sign-in link.');
      await expect(el).to.be.accessible();
      button(el, 'back').click();
      await el.updateComplete;
      expect($<HTMLInputElement>(el, 'input')!.type).to.equal('email');
    });
  });

  describe('magic link, more cases', () => {
    it('after a failed link, "Back" returns to the session still kept', async () => {
      const email = uniqueEmail('link-kept');
      const first = await mount();
      await signInWithCode(first.el, email); // which uses up the link in the same mail
      history.replaceState(null, '', (await mailTo(email)).link);
      const { el } = await mount();
      button(el, 'continue').click();
      await el.settled;
      expect(detailsOf('passwordless-error').at(-1)).to.include({ code: 'invalid_link' });
      // One message: signed in, and this link is spent; no "Continue signing in", no red error.
      expect(text(el, '[part~="title"]')).to.equal('Signed in');
      expect(text(el, '[part~="text"]')).to.equal(`This sign-in link cannot be used again. You are still signed in as ${email}.`);
      expect(text(el, '[role="alert"]')).to.equal(null);
      expect(Boolean(button(el, 'continue'))).to.equal(false);
      expect(el.shadowRoot!.querySelectorAll('[part~="text"]').length).to.equal(1);
      await expect(el).to.be.accessible();
      expect(button(el, 'back').textContent?.trim()).to.equal('Back');
      button(el, 'back').click();
      await el.updateComplete;
      expect(detailsOf('passwordless-step-change').at(-1)).to.deep.equal({ step: 'signed-in' });
      expect(Boolean(button(el, 'sign-out'))).to.equal(true);
      expect(el.user?.email).to.equal(email);
    });

    it('keys the pending secret and the session by the absolute API URL, whether api is relative or not', async () => {
      const email = uniqueEmail('relative');
      const absolute = `${location.origin}/auth`;
      const first = await mount(html`<passwordless-login api="/auth/"></passwordless-login>`);
      await sendCode(first.el, email);
      expect(Object.keys(localStorage)).to.deep.equal([`passwordless-login:pending:${absolute}`]);
      history.replaceState(null, '', (await mailTo(email)).link);
      const { el } = await mount(html`<passwordless-login api=${absolute}></passwordless-login>`);
      expect(el.user?.email, 'finished at once with the secret kept by the relative api').to.equal(email);
      const again = await mount(html`<passwordless-login api="/auth"></passwordless-login>`);
      expect(again.el.user?.email, 'the relative api finds the session').to.equal(email);
    });

    it('finishes at once without crypto.subtle (a plain-http page) in the browser that asked', async () => {
      const email = uniqueEmail('link-no-subtle');
      const restore = withoutSubtle();
      try {
        const first = await mount();
        await sendCode(first.el, email);
        history.replaceState(null, '', (await mailTo(email)).link);
        const { el } = await mount();
        expect(text(el, '[role="alert"]')).to.equal(null);
        expect(el.user?.email).to.equal(email);
      } finally {
        restore();
      }
    });

    it('asks for the click when the link carries a clientHash this browser did not send', async () => {
      const email = uniqueEmail('link-foreign-hash');
      const first = await mount();
      await sendCode(first.el, email);
      const link = new URL((await mailTo(email)).link);
      const fragment = new URLSearchParams(link.hash.slice(1));
      fragment.set('pl_client', 'y'.repeat(43));
      history.replaceState(null, '', `${link.pathname}${link.search}#${fragment}`);
      const { el } = await mount();
      expect(el.user).to.equal(null);
      expect(Boolean(button(el, 'continue'))).to.equal(true);
    });
  });

  describe('magic link without a connection', () => {
    it('keeps "Continue" for another try and offers the email step', async () => {
      history.replaceState(null, '', `#pl_token=${'a'.repeat(43)}&pl_client=xyz`);
      const { el } = await mount(html`<passwordless-login api="http://127.0.0.1:9/auth"></passwordless-login>`);
      button(el, 'continue').click();
      await el.settled;
      expect((detailsOf('passwordless-error')[0] as { code: string }).code).to.equal('network_error');
      expect(button(el, 'continue').disabled).to.equal(false);
      expect(Boolean(button(el, 'back'))).to.equal(true);
    });
  });

  describe('styling', () => {
    const background = (el: PasswordlessLogin) => getComputedStyle($(el, '[part~="base"]')!).backgroundColor;

    it('gives the code step\'s buttons one width, the main one first', async () => {
      const { el } = await mount();
      await sendCode(el, uniqueEmail('widths'));
      const buttons = [...el.shadowRoot!.querySelectorAll('button')];
      expect(buttons.map((b) => b.getAttribute('part'))).to.deep.equal(['button primary submit', 'button resend', 'button change-email']);
      expect(new Set(buttons.map((b) => Math.round(b.getBoundingClientRect().width))).size).to.equal(1);
    });

    it('never ends a line with a hyphen of the address, at any width, moves a short address whole, and breaks a long one after its @', async () => {
      const email = uniqueEmail('ana-maria-da-silva');
      const { el } = await mount();
      await sendCode(el, email);
      const address = $(el, '.address')!;
      expect(address.textContent).to.equal(email);
      // The line each character of the address is on, by the top of its box.
      const lines = () => {
        const walker = document.createTreeWalker(address, NodeFilter.SHOW_TEXT);
        const tops: number[] = [];
        const range = document.createRange();
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.textContent!.length; i++) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            tops.push(Math.round(range.getBoundingClientRect().top));
          }
        }
        return tops;
      };
      let wrapped = 0;
      for (let width = 120; width <= 420; width += 3) {
        el.style.width = `${width}px`;
        const tops = lines();
        if (new Set(tops).size > 1) wrapped++;
        for (let i = 0; i < email.length; i++) {
          if (email[i] !== '-') continue;
          expect(tops[i - 1] === tops[i] && tops[i] === tops[i + 1], `width ${width}: broken at "${email.slice(0, i + 1)}"`).to.equal(true);
        }
        // From 200 px the domain (example.com, about 100 px) fits a line: it stays whole, on the
        // line after the `@` when the address is longer than a line.
        const at = email.indexOf('@');
        if (width >= 200) expect(new Set(tops.slice(at + 1)).size, `width ${width}: the domain is broken`).to.equal(1);
      }
      expect(wrapped, 'some widths are too narrow for the address').to.be.greaterThan(0);
      el.style.width = '';
    });

    it('keeps an address left to right inside an Arabic sentence, on every line, though it starts with digits', async () => {
      // Digits after Arabic words take the Arabic side of the sentence (Unicode's bidi rules, W2),
      // which drew `1984-ana…@example.com` as `ana…@example.com-1984` unless the address is isolated.
      const email = uniqueEmail('1984-ana-maria');
      const { el } = await mount(html`<passwordless-login lang="ar"></passwordless-login>`);
      await sendCode(el, email);
      const address = $(el, '.address')!;
      // Each character's box, in the address's order.
      const boxes = () => {
        const walker = document.createTreeWalker(address, NodeFilter.SHOW_TEXT);
        const found: { top: number; left: number }[] = [];
        const range = document.createRange();
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.textContent!.length; i++) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const box = range.getBoundingClientRect();
            found.push({ top: Math.round(box.top), left: box.left });
          }
        }
        return found;
      };
      const at = email.indexOf('@');
      let brokenAfterAt = 0;
      for (let width = 120; width <= 420; width += 3) {
        el.style.width = `${width}px`;
        const chars = boxes();
        if (chars[at]!.top !== chars[at + 1]!.top) brokenAfterAt++;
        for (let i = 1; i < chars.length; i++) {
          if (chars[i]!.top !== chars[i - 1]!.top) continue;
          expect(chars[i]!.left > chars[i - 1]!.left, `width ${width}: "${email[i]}" is left of "${email[i - 1]}" in "${email}"`).to.equal(true);
        }
      }
      expect(brokenAfterAt, 'some widths break the line after the @').to.be.greaterThan(0);
      el.style.width = '';
    });

    it('follows the theme attribute', async () => {
      const light = (await mount(html`<passwordless-login theme="light"></passwordless-login>`)).el;
      const dark = (await mount(html`<passwordless-login theme="dark"></passwordless-login>`)).el;
      expect(background(light)).to.equal('rgb(255, 255, 255)');
      expect(background(dark)).to.equal('rgb(28, 28, 33)');
    });

    it('takes its colors from --pl-* custom properties', async () => {
      const { el } = await mount(html`<passwordless-login></passwordless-login>`);
      el.style.setProperty('--pl-color-background', 'rgb(1, 2, 3)');
      expect(background(el)).to.equal('rgb(1, 2, 3)');
    });

    it('styles itself through adopted style sheets, with no <style> a strict CSP would block', async () => {
      const { el } = await mount();
      expect(el.shadowRoot!.adoptedStyleSheets).to.have.length(1);
      expect(el.shadowRoot!.querySelectorAll('style')).to.have.length(0);
    });
  });

  describe('signed in', () => {
    it('shows who is signed in and signs out on the server', async () => {
      const email = uniqueEmail('signout');
      const { el } = await mount();
      await signInWithCode(el, email);
      expect(text(el, '[part~="text"]')).to.equal(`You are signed in as ${email}.`);
      await expect(el).to.be.accessible();
      const token = el.session!.token;
      button(el, 'sign-out').click();
      await el.settled;
      expect(detailsOf('passwordless-signed-out')).to.deep.equal([null]);
      expect(el.session).to.equal(null);
      expect($<HTMLInputElement>(el, 'input')!.type).to.equal('email');
      expect(Object.keys(localStorage).filter((k) => k.includes(':session:'))).to.deep.equal([]);
      const check = await fetch('/auth/session', { headers: { Authorization: `Bearer ${token}` } });
      expect(check.status, 'the session is revoked on the server').to.equal(401);
    });

    it('restores a stored session on the next page load', async () => {
      const email = uniqueEmail('restore');
      const first = await mount();
      await signInWithCode(first.el, email);
      events = [];
      const { el } = await mount();
      expect(el.user?.email).to.equal(email);
      expect(text(el, '[part~="text"]')).to.contain(email);
      expect(detailsOf('passwordless-success'), 'a restored session is not a new login').to.deep.equal([]);
    });

    it('forgets a stored session the server no longer accepts', async () => {
      const email = uniqueEmail('stale');
      const first = await mount();
      await signInWithCode(first.el, email);
      const key = Object.keys(localStorage).find((k) => k.includes(':session:'))!;
      localStorage.setItem(key, JSON.stringify({ ...JSON.parse(localStorage.getItem(key)!), token: 'revoked' }));
      const { el } = await mount();
      expect(el.session).to.equal(null);
      expect(localStorage.getItem(key)).to.equal(null);
      expect($<HTMLInputElement>(el, 'input')!.type).to.equal('email');
    });

    it('reset() returns to the email step and keeps nothing of the code step', async () => {
      const { el } = await mount(html`<passwordless-login email="grace@example.com"></passwordless-login>`);
      await sendCode(el, uniqueEmail('reset'));
      el.reset();
      await el.updateComplete;
      expect($<HTMLInputElement>(el, 'input')!.value).to.equal('grace@example.com');
      expect(text(el, '[role="status"]')).to.equal('');
    });
  });

  describe('a site the server does not allow', () => {
    // /foreign-auth is the real backend behind a proxy that sends it the Origin of a site outside
    // its ALLOWED_ORIGINS, as a browser on that site would: state-changing calls answer 403.
    const cases: Array<[string, string]> = [
      ['en', 'This site is not allowed to use this sign-in service. Its owner must add it to ALLOWED_ORIGINS.'],
      ['zh-CN', '此网站未获准使用该登录服务。需由网站所有者将其加入 ALLOWED_ORIGINS。'],
    ];
    for (const [lang, sentence] of cases) {
      it(`says so in a sentence for the site's owner, not the person (${lang}), and fires passwordless-error`, async () => {
        const { el } = await mount(html`<passwordless-login api="/foreign-auth" lang=${lang}></passwordless-login>`);
        await sendCodeExpectingError(el);
        expect(text(el, '[role="alert"]')).to.equal(sentence);
        expect(detailsOf('passwordless-error')).to.deep.equal([{ code: 'forbidden_origin', message: sentence }]);
        expect(button(el, 'submit').disabled).to.equal(false);
      });
    }
  });

  describe('cookie mode', () => {
    // /cookie-auth is a second real backend, started with SESSION_COOKIE=on: the session lives in
    // an HttpOnly `__Host-pl_session` cookie, and its answers carry no token.
    const cookieWidget = () => mount(html`<passwordless-login api="/cookie-auth"></passwordless-login>`);
    const sessionKeys = () => Object.keys(localStorage).filter((k) => k.includes(':session:'));
    /** Who the cookie-mode backend says is signed in with this browser's cookie (or the status). */
    const cookieUser = async (init: RequestInit = {}) => {
      const response = await fetch('/cookie-auth/session', { credentials: 'include', ...init });
      return response.ok ? ((await response.json()) as { user: { email: string } }).user.email : response.status;
    };
    /** The session cookie the backend set last, read by the test runner's proxy (no script here can). */
    const lastSessionCookie = async () => ((await (await fetch('/__test/session-cookie')).json()) as { value: string }).value;

    it('signs in with a code and keeps no token where a script could read it', async () => {
      const email = uniqueEmail('cookie-code');
      const { el } = await cookieWidget();
      await signInWithCode(el, email);
      expect(text(el, '[part~="text"]')).to.equal(`You are signed in as ${email}.`);
      expect(await cookieUser(), 'the cookie is the credential').to.equal(email);
      const token = await lastSessionCookie();
      expect(token).to.match(/^[\w-]{20,}$/);

      const [success] = detailsOf('passwordless-success') as Array<{ method: string; session: object }>;
      expect(success!.method).to.equal('code');
      expect(Object.keys(success!.session)).to.deep.equal(['expiresAt']);
      expect(Object.keys(el.session!)).to.deep.equal(['expiresAt']);
      expect(sessionKeys()).to.have.length(1);
      expect(Object.keys(JSON.parse(localStorage.getItem(sessionKeys()[0]!)!)).sort()).to.deep.equal(['expiresAt', 'method', 'user']);
      expect(JSON.stringify({ ...localStorage })).not.to.contain(token);
      expect(JSON.stringify(detailsOf('passwordless-success'))).not.to.contain(token);
      expect(document.cookie, 'HttpOnly').not.to.contain('pl_session');
    });

    it('signs in again on the next page load through the cookie', async () => {
      const email = uniqueEmail('cookie-restore');
      const first = await cookieWidget();
      await signInWithCode(first.el, email);
      events = [];
      const { el } = await cookieWidget();
      expect(el.user?.email).to.equal(email);
      expect(text(el, '[part~="text"]')).to.equal(`You are signed in as ${email}.`);
      expect(Object.keys(el.session!)).to.deep.equal(['expiresAt']);
      expect(sessionKeys(), 'the marker stays').to.have.length(1);
      expect(detailsOf('passwordless-success'), 'a restored session is not a new login').to.deep.equal([]);
    });

    it('forgets the marker when the server no longer knows the session', async () => {
      const email = uniqueEmail('cookie-gone');
      const first = await cookieWidget();
      await signInWithCode(first.el, email);
      // Signed out elsewhere (another tab): the server revokes the session and clears the cookie.
      const logout = await fetch('/cookie-auth/logout', { method: 'POST', credentials: 'include' });
      expect(logout.status).to.equal(204);
      const { el } = await cookieWidget();
      expect(el.session).to.equal(null);
      expect(sessionKeys()).to.deep.equal([]);
      expect($<HTMLInputElement>(el, 'input')!.type).to.equal('email');
    });

    it('signs out on the server with the cookie', async () => {
      const email = uniqueEmail('cookie-signout');
      const { el } = await cookieWidget();
      await signInWithCode(el, email);
      const token = await lastSessionCookie();
      button(el, 'sign-out').click();
      await el.settled;
      expect(detailsOf('passwordless-signed-out')).to.deep.equal([null]);
      expect(el.session).to.equal(null);
      expect(sessionKeys()).to.deep.equal([]);
      expect(await cookieUser(), 'no session with the cookie').to.equal(401);
      // The cookie is gone, and the session behind it is revoked, not only forgotten by this browser.
      expect(await cookieUser({ credentials: 'omit', headers: { Authorization: `Bearer ${token}` } })).to.equal(401);
    });

    it('finishes a magic link at once, with the cookie set by the verify it sends', async () => {
      const email = uniqueEmail('cookie-link');
      const first = await cookieWidget();
      await sendCode(first.el, email);
      const { link } = await mailTo(email);
      history.replaceState(null, '', link);
      const { el } = await cookieWidget();
      expect(el.user?.email).to.equal(email);
      expect((detailsOf('passwordless-success') as Array<{ method: string }>).map((s) => s.method)).to.deep.equal(['link']);
      expect(await cookieUser()).to.equal(email);
    });
  });
});

async function sendCodeExpectingError(el: PasswordlessLogin) {
  $<HTMLInputElement>(el, 'input')!.value = uniqueEmail('error');
  button(el, 'submit').click();
  await el.settled;
  expect($(el, 'input')!.getAttribute('type')).to.equal('email');
}
