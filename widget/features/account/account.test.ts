import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import { EMAIL_CHANGE_UNDO_PAGE } from '../../../contract/account.ts';
import '../../module.ts';
import type { PasswordlessEventMap } from '../../element/events.ts';
import type { PasswordlessLogin } from '../../element/passwordless-login.ts';
import type { FlowError } from '../../flow/flow.ts';
import { en as core } from '../../i18n/en.ts';
import { setModuleLoader, type ModuleLoader } from '../../on-demand/on-demand.ts';
import { advanceServerClock, codeTo, holdBusyMail, mailsTo, mailTo, releaseBusyMail, uniqueEmail } from '../../testing/backend.ts';
import { FakeClock } from '../../testing/fake-clock.ts';
import { $, click, text } from '../../testing/shadow-dom.ts';
import { en } from './en.ts';
import ar from './locales/ar.ts';
import fr from './locales/fr.ts';

// The account module in the element, against the real backend (/auth, account changes on by
// default; /no-account-auth with both off): real codes read from the dev mailbox, real sessions.

/** The ES module build's loader (module.ts), recording which feature modules the page fetched. */
const fetched: string[] = [];
setModuleLoader(((folder: string, name: string) => {
  if (folder === 'locales') return import(`../../i18n/locales/${name}.ts`);
  fetched.push(name);
  return import(`../${name}/index.ts`);
}) as ModuleLoader);

type EventName = keyof PasswordlessEventMap;
let events: Array<{ type: EventName; detail: unknown }> = [];
const names: EventName[] = ['passwordless-error', 'passwordless-signed-out', 'passwordless-email-changed', 'passwordless-account-deleted'];
const record = (event: Event) => events.push({ type: event.type as EventName, detail: (event as CustomEvent).detail });
const errors = () => events.filter((e) => e.type === 'passwordless-error').map((e) => e.detail as { code: string; message: string });

beforeEach(() => {
  localStorage.clear();
  events = [];
  for (const name of names) document.addEventListener(name, record);
});

afterEach(() => {
  for (const name of names) document.removeEventListener(name, record);
});

async function mount(template: TemplateResult = html`<passwordless-login></passwordless-login>`): Promise<PasswordlessLogin> {
  const el = await fixture<PasswordlessLogin>(template);
  el.clock = new FakeClock(Date.now());
  await el.settled;
  return el;
}

async function signIn(el: PasswordlessLogin, email: string): Promise<void> {
  // The server takes one code request per address a minute.
  await advanceServerClock(61_000);
  await el.requestCode(email);
  await el.verifyCode((await mailTo(email)).code);
  expect(el.user?.email).to.equal(email);
}

/** Shift+Tab: this sendKeys takes no chord in `press`. */
async function shiftTab(): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ up: 'Shift' });
}

/**
 * "Send me a code" for a deletion, right after the sign-in: the resend wait is per purpose, so the
 * sign-in's code does not hold the deletion's back.
 */
async function askForDeletionCode(el: PasswordlessLogin): Promise<void> {
  click(el, '[part~="send-delete-code"]');
  await waitUntil(() => $(el, '#account-code'), 'the code field');
  await el.updateComplete;
}

/** The element's focused element inside its shadow root. */
const focused = (el: PasswordlessLogin) => el.shadowRoot!.activeElement;

async function openAccount(el: PasswordlessLogin): Promise<void> {
  await waitUntil(() => $(el, '[part~="account-summary"]'), 'the Account disclosure');
  click(el, '[part~="account-summary"]');
  await waitUntil(() => $(el, '#account-email'), 'the disclosure open');
}

/** Types `email` in the new address's field and sends it; resolves once the module has answered. */
async function askForEmailCode(el: PasswordlessLogin, email: string): Promise<void> {
  ($(el, '#account-email') as HTMLInputElement).value = email;
  click(el, '[part~="send-email-code"]');
  await waitUntil(() => $(el, '#account-code') || $(el, '#account-error'), 'the answer to the new address');
  await el.updateComplete;
}

/** Types `code` in the code field and confirms; resolves once the module has answered. */
async function enterCode(el: PasswordlessLogin, code: string, done: () => unknown): Promise<void> {
  const before = errors().length;
  ($(el, '#account-code') as HTMLInputElement).value = code;
  click(el, '[part~="account-code-form"] [part~="submit"]');
  await waitUntil(() => done() || errors().length > before, 'the answer to the code');
  await el.updateComplete;
}

/** A wrong code of the right length: the real one with its last digit changed. */
const wrongOf = (code: string) => code.slice(0, -1) + ((Number(code.at(-1)) + 1) % 10);

describe('the account module', () => {
  it('is not fetched where the config says account: false, and is where it says otherwise', async () => {
    const off = await mount(html`<passwordless-login api="/no-account-auth"></passwordless-login>`);
    await signIn(off, uniqueEmail('acct-off'));
    expect(fetched).to.not.include('account');
    expect($(off, '[part~="account"]')).to.equal(null);

    const on = await mount();
    await signIn(on, uniqueEmail('acct-on'));
    expect(fetched).to.include('account');
    await waitUntil(() => $(on, '[part~="account-summary"]'), 'the Account disclosure');
    expect(text(on, '[part~="account-summary"]')).to.equal(en.account);
  });

  it('shares the signed-in step with the passkey module: both disclosures, the passkeys\' first', async () => {
    const el = await mount(html`<passwordless-login api="/passkey-auth"></passwordless-login>`);
    await signIn(el, uniqueEmail('acct-beside-passkeys'));
    await waitUntil(() => $(el, '[part~="passkeys-summary"]') && $(el, '[part~="account-summary"]'), 'both disclosures');
    const [passkeys, account] = [$(el, '[part~="passkeys"]')!, $(el, '[part~="account"]')!];
    expect(passkeys.compareDocumentPosition(account) & Node.DOCUMENT_POSITION_FOLLOWING).to.not.equal(0);
    // Each still works: the account's opens with its form.
    await openAccount(el);
    expect($(el, '[part~="passkeys"]')).to.not.equal(null);
  });

  it('changes the address with the code sent to the new one, after a wrong code; the old address gets an undo link', async () => {
    const el = await mount();
    const old = uniqueEmail('acct-old');
    const next = uniqueEmail('acct-new');
    await signIn(el, old);
    const id = el.user!.id;
    await openAccount(el);
    await askForEmailCode(el, next);

    expect(text(el, '#account-note')).to.equal(en.codeSentTo(next));
    expect(focused(el)?.id).to.equal('account-code');
    const code = await codeTo(next);
    // No code went to the old address: whoever holds the new mailbox confirms.
    expect((await mailsTo(old)).filter((mail) => mail.code)).to.have.length(1);

    await enterCode(el, wrongOf(code), () => false);
    expect(errors().map((e) => e.code)).to.deep.equal(['invalid_code']);
    const shown = text(el, '#account-error');
    expect(shown).to.match(/^Wrong code, \d attempts left\.$/);
    expect(errors()[0]!.message).to.equal(shown);
    expect($(el, '#account-code')!.getAttribute('aria-invalid')).to.equal('true');
    expect(focused(el)?.id).to.equal('account-code');
    expect(el.user!.email).to.equal(old);

    await enterCode(el, code, () => $(el, '#account-done'));
    expect(text(el, '#account-done')).to.equal(en.emailChanged(next));
    expect(focused(el)?.id).to.equal('account-done');
    expect(($(el, '#account-email') as HTMLInputElement).value).to.equal('');
    expect(el.user).to.include({ id, email: next });
    expect(text(el, '[part~="text"]')).to.equal(core.signedInAs(next));
    const changed = events.find((e) => e.type === 'passwordless-email-changed')!.detail as { user: { email: string }; previousEmail: string };
    expect(changed.user.email).to.equal(next);
    expect(changed.previousEmail).to.equal(old);

    // The old address's notice, with the link that undoes the change.
    const notice = (await mailsTo(old))[0]!;
    expect(notice.code).to.equal(null);
    expect(notice.link).to.include(EMAIL_CHANGE_UNDO_PAGE);

    // Another element of the page (or a reload) reads the kept session: the new address.
    const again = await mount();
    expect(again.user).to.include({ id, email: next });
  });

  it('the old address\'s undo link gives the address back and ends the session that changed it', async () => {
    const el = await mount();
    const old = uniqueEmail('acct-undo-old');
    const next = uniqueEmail('acct-undo-new');
    await signIn(el, old);
    await openAccount(el);
    await askForEmailCode(el, next);
    await enterCode(el, await codeTo(next), () => $(el, '#account-done'));

    const link = new URL((await mailsTo(old))[0]!.link!);
    const token = link.searchParams.get('token') ?? new URLSearchParams(link.hash.slice(1)).get('token');
    const undo = await fetch('/auth/account/email/undo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
    expect(undo.status).to.equal(200);
    expect(await undo.json()).to.deep.equal({ email: old });

    // A reload checks the kept session: it ended, so the element is back at the email step.
    const reloaded = await mount();
    expect(reloaded.user).to.equal(null);
    expect($(reloaded, '#email')).to.not.equal(null);
  });

  it('says to sign in again when the session is older than 10 minutes (stale_session), and sends no code', async () => {
    const el = await mount();
    const email = uniqueEmail('acct-stale');
    await signIn(el, email);
    await advanceServerClock(11 * 60_000);
    await openAccount(el);
    const next = uniqueEmail('acct-stale-new');
    await askForEmailCode(el, next);
    expect(errors().map((e) => e.code)).to.deep.equal(['stale_session']);
    expect(text(el, '#account-error')).to.equal(en.errors.stale_session);
    expect($(el, '#account-code')).to.equal(null);
    expect(await mailsTo(next)).to.deep.equal([]);
  });

  it('refuses the address the account has already, with its own sentence, the focus back on the field', async () => {
    const el = await mount();
    const email = uniqueEmail('acct-same');
    await signIn(el, email);
    await openAccount(el);
    await askForEmailCode(el, email.toUpperCase());
    expect(errors().map((e) => e.code)).to.deep.equal(['same_email']);
    expect(text(el, '#account-error')).to.equal(en.errors.same_email);
    expect($(el, '#account-email')!.getAttribute('aria-invalid')).to.equal('true');
    expect(focused(el)?.id).to.equal('account-email');
    expect($(el, '#account-code')).to.equal(null);
  });

  it('says an address that is not one under the field, without asking the server', async () => {
    const el = await mount();
    await signIn(el, uniqueEmail('acct-invalid'));
    await openAccount(el);
    ($(el, '#account-email') as HTMLInputElement).value = 'not an address';
    click(el, '[part~="send-email-code"]');
    await waitUntil(() => $(el, '#account-error'), 'the sentence');
    expect(text(el, '#account-error')).to.equal(core.errors.invalid_email);
    expect(focused(el)?.id).to.equal('account-email');
  });

  it('resends the code once the countdown is over, on the element\'s clock', async () => {
    const el = await mount();
    await signIn(el, uniqueEmail('acct-resend'));
    await openAccount(el);
    const next = uniqueEmail('acct-resend-new');
    await askForEmailCode(el, next);
    const resend = $(el, '[part~="account-resend"]') as HTMLButtonElement;
    expect(resend.disabled).to.equal(true);
    expect(resend.textContent!.trim()).to.match(/^Resend code in \d+ s$/);
    const first = await codeTo(next);

    await advanceServerClock(61_000);
    (el.clock as FakeClock).advance(61_000);
    await el.updateComplete;
    expect(resend.disabled).to.equal(false);
    expect(resend.textContent!.trim()).to.equal(core.resend);
    resend.click();
    await waitUntil(async () => (await mailsTo(next)).length === 2, 'the second code');
    await waitUntil(() => ($(el, '[part~="account-resend"]') as HTMLButtonElement).disabled, 'the countdown again');
    expect(focused(el)?.id).to.equal('account-code');
    const second = await codeTo(next);
    expect(second).to.not.equal(first);
    await enterCode(el, second, () => $(el, '#account-done'));
    expect(el.user!.email).to.equal(next);
  });

  it('after the last wrong code, disables the field and puts the focus on "Resend code"; a new code works', async () => {
    const el = await mount();
    await signIn(el, uniqueEmail('acct-spent'));
    await openAccount(el);
    const next = uniqueEmail('acct-spent-new');
    await askForEmailCode(el, next);
    const code = await codeTo(next);
    // Five wrong codes per address (the login's rule), the sixth try is refused.
    for (let i = 1; i <= 6 && !errors().some((e) => e.code === 'too_many_attempts'); i++) {
      await enterCode(el, code.slice(0, -1) + String((Number(code.at(-1)) + i) % 10), () => false);
    }
    expect(errors().at(-1)!.code).to.equal('too_many_attempts');
    const field = $(el, '#account-code') as HTMLInputElement;
    expect(field.disabled).to.equal(true);
    expect(text(el, '#account-error')).to.equal(core.errors.too_many_attempts);
    expect(focused(el)?.getAttribute('part')).to.equal('button resend account-resend');
    await advanceServerClock(61_000);
    (el.clock as FakeClock).advance(61_000);
    await el.updateComplete;
    const resend = $(el, '[part~="account-resend"]') as HTMLButtonElement;
    expect(resend.disabled).to.equal(false);
    resend.click();
    await waitUntil(async () => (await mailsTo(next)).filter((m) => m.code).length === 2, 'the new code');
    await waitUntil(() => !($(el, '#account-code') as HTMLInputElement).disabled, 'the field back');
    await enterCode(el, await codeTo(next), () => $(el, '#account-done'));
    expect(el.user!.email).to.equal(next);
  });

  it('says the server is too busy to send a code, counting down, and takes the request again once the wait is over', async () => {
    const el = await mount(html`<passwordless-login api="/busy-auth"></passwordless-login>`);
    await signIn(el, uniqueEmail('acct-busy'));
    await openAccount(el);
    await holdBusyMail();
    try {
      await askForEmailCode(el, uniqueEmail('acct-busy-new'));
      expect(errors().map((e) => e.code)).to.deep.equal(['mail_busy']);
      const error = $(el, '#account-error')!;
      // It counts down, so it is no alert: the status line says it once.
      expect(error.getAttribute('role')).to.equal(null);
      const [, seconds] = /(\d+) s\.$/.exec(error.textContent!.trim()) ?? [];
      expect(Number(seconds)).to.be.greaterThan(1);
      expect(error.textContent!.trim()).to.equal((core.errors.mail_busy as (e: FlowError) => string)({ code: 'mail_busy', retryAfter: Number(seconds) }));
      expect($(el, '[part~="account"] ~ [role="status"]')!.textContent!.trim()).to.equal(error.textContent!.trim());
      (el.clock as FakeClock).advance(1_000);
      await el.updateComplete;
      expect(text(el, '#account-error')).to.match(new RegExp(`${Number(seconds) - 1} s\\.$`));
      (el.clock as FakeClock).advance(Number(seconds) * 1_000);
      await el.updateComplete;
      expect($(el, '#account-error')).to.equal(null);
      expect($(el, '[part~="account"] ~ [role="status"]')!.textContent!.trim()).to.equal(core.resendReady);
    } finally {
      await releaseBusyMail();
    }
  });

  it('deletes the account with the code: the session ends, the element is back at the email step, the address signs up anew', async () => {
    const el = await mount();
    const email = uniqueEmail('acct-delete');
    await signIn(el, email);
    const { id } = el.user!;
    const token = el.session!.token!;
    await openAccount(el);
    expect(text(el, '#account-warning')).to.equal(en.deleteWarning);
    await askForDeletionCode(el);
    expect(text(el, '#account-note')).to.equal(en.deleteCodeSentTo(email));
    expect(focused(el)?.id).to.equal('account-code');
    expect(text(el, '[part~="confirm-delete"]')).to.equal(en.confirmDelete);

    const code = await codeTo(email);
    await enterCode(el, wrongOf(code), () => false);
    expect(errors().map((e) => e.code)).to.deep.equal(['invalid_code']);
    expect(el.user).to.not.equal(null);

    await enterCode(el, code, () => !el.user);
    await waitUntil(() => $(el, '#email'), 'the email step');
    expect(el.session).to.equal(null);
    // The reason first, then the sign-out every page already listens for.
    expect(events.map((e) => e.type).filter((t) => t !== 'passwordless-error')).to.deep.equal(['passwordless-account-deleted', 'passwordless-signed-out']);
    expect((events.find((e) => e.type === 'passwordless-account-deleted')!.detail as { user: { id: string } }).user.id).to.equal(id);
    expect(focused(el)?.id).to.equal('email');

    // The old session is refused by the server.
    const session = await fetch('/auth/session', { headers: { Authorization: `Bearer ${token}` } });
    expect(session.status).to.equal(401);

    // The address signs up as new: another user.
    await signIn(el, email);
    expect(el.user!.id).to.not.equal(id);
  });

  it('"Cancel" brings the two starts back, the focus on what was used', async () => {
    const el = await mount();
    await signIn(el, uniqueEmail('acct-cancel'));
    await openAccount(el);
    await askForDeletionCode(el);
    click(el, '[part~="account-code"] [part~="cancel"]');
    await waitUntil(() => $(el, '[part~="send-delete-code"]'), 'the starts');
    await el.updateComplete;
    expect(focused(el)?.getAttribute('part')).to.include('send-delete-code');
    expect($(el, '#account-email')).to.not.equal(null);
  });

  it('reaches every control by keyboard, the focus on the new field at each step', async () => {
    const el = await mount();
    const email = uniqueEmail('acct-keys');
    const next = uniqueEmail('acct-keys-new');
    await signIn(el, email);
    await waitUntil(() => $(el, '[part~="account-summary"]'), 'the Account disclosure');
    ($(el, '[part~="sign-out"]') as HTMLButtonElement).focus();
    await sendKeys({ press: 'Tab' });
    expect(focused(el)?.getAttribute('part')).to.equal('account-summary');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '#account-email'), 'the disclosure open');
    const order: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      await sendKeys({ press: 'Tab' });
      order.push(focused(el)?.id || focused(el)?.getAttribute('part') || null);
    }
    expect(order).to.deep.equal(['account-email', 'button primary submit send-email-code', 'button send-delete-code']);

    await shiftTab();
    await shiftTab();
    await sendKeys({ type: next });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused(el)?.id === 'account-code', 'the focus on the code field');
    // "Resend" waits out its countdown (disabled, so skipped), then takes its place between the two.
    const codeOrder: Array<string | null> = [];
    for (let i = 0; i < 2; i++) {
      await sendKeys({ press: 'Tab' });
      codeOrder.push(focused(el)?.getAttribute('part') ?? null);
    }
    expect(codeOrder).to.deep.equal(['button primary submit confirm-email-change', 'button cancel']);
    (el.clock as FakeClock).advance(61_000);
    await el.updateComplete;
    await shiftTab();
    expect(focused(el)?.getAttribute('part')).to.equal('button resend account-resend');
    ($(el, '#account-code') as HTMLInputElement).focus();
    await sendKeys({ type: await codeTo(next) });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => focused(el)?.id === 'account-done', 'the focus on the sentence that says so');
    expect(el.user!.email).to.equal(next);
  });

  it('speaks French', async () => {
    const el = await mount(html`<passwordless-login lang="fr"></passwordless-login>`);
    await signIn(el, uniqueEmail('acct-fr'));
    await waitUntil(() => text(el, '[part~="account-summary"]') === fr.account, 'the French disclosure');
    click(el, '[part~="account-summary"]');
    await waitUntil(() => $(el, '#account-email'), 'the disclosure open');
    expect(text(el, '[part~="account-deletion"] h3')).to.equal(fr.deleteAccount);
    expect(text(el, 'label[for="account-email"]')).to.equal(fr.newEmailLabel);
    expect(text(el, '[part~="send-delete-code"]')).to.equal(fr.sendDeleteCode);
    const next = uniqueEmail('acct-fr-new');
    await askForEmailCode(el, next);
    expect(text(el, '#account-note')).to.equal(fr.codeSentTo(next));
    expect(text(el, '[part~="account-code"] [part~="cancel"]')).to.equal(fr.cancel);
  });

  it('speaks Arabic, right to left, with the address isolated', async () => {
    const el = await mount(html`<passwordless-login lang="ar"></passwordless-login>`);
    const email = uniqueEmail('acct-ar');
    await signIn(el, email);
    await waitUntil(() => text(el, '[part~="account-summary"]') === ar.account, 'the Arabic disclosure');
    expect($(el, '[part~="base"]')!.getAttribute('dir')).to.equal('rtl');
    click(el, '[part~="account-summary"]');
    await waitUntil(() => $(el, '[part~="send-delete-code"]'), 'the disclosure open');
    await askForDeletionCode(el);
    expect(text(el, '#account-note')).to.equal(ar.deleteCodeSentTo(email));
    const address = $(el, '#account-note .address')!;
    expect(address.tagName, 'the address isolated from the sentence (withAddress)').to.equal('BDI');
    expect(address.textContent).to.equal(email);
    // Laid out right to left: the note's start is at the box's right edge.
    const note = $(el, '#account-note')!;
    expect(getComputedStyle(note).direction).to.equal('rtl');
    await expect(el).to.be.accessible();
  });

  describe('accessibility (axe)', () => {
    it('the disclosure open, an error, the code step and the address changed', async () => {
      const el = await mount();
      await signIn(el, uniqueEmail('acct-axe'));
      await waitUntil(() => $(el, '[part~="account-summary"]'), 'the Account disclosure');
      await expect(el).to.be.accessible();
      await openAccount(el);
      await expect(el).to.be.accessible();
      const next = uniqueEmail('acct-axe-new');
      await askForEmailCode(el, next);
      await expect(el).to.be.accessible();
      const code = await codeTo(next);
      await enterCode(el, wrongOf(code), () => false);
      await expect(el).to.be.accessible();
      await enterCode(el, code, () => $(el, '#account-done'));
      await expect(el).to.be.accessible();
    });

    it('the deletion\'s code step, and its error at the start', async () => {
      const el = await mount();
      await signIn(el, uniqueEmail('acct-axe-del'));
      await openAccount(el);
      await askForEmailCode(el, el.user!.email);
      await expect(el).to.be.accessible();
      await askForDeletionCode(el);
      await expect(el).to.be.accessible();
    });
  });
});
