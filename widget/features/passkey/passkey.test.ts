import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../module.ts';
import type { PasswordlessEventMap } from '../../element/events.ts';
import type { PasswordlessLogin } from '../../element/passwordless-login.ts';
import { advanceServerClock, mailTo, uniqueEmail } from '../../testing/backend.ts';
import { FakeClock } from '../../testing/fake-clock.ts';
import { addAuthenticator, authenticatorCredentials, removeAuthenticator, setUserVerified } from '../../testing/passkeys.ts';
import { en } from './en.ts';
import fr from './locales/fr.ts';
import { $, $$, click, text } from '../../testing/shadow-dom.ts';

// Passkeys in the element, against the real backend with passkeys on (/passkey-auth, whose
// relying party is this page's host) and Chromium's virtual authenticator: real keys, real
// signatures, real ceremonies, no one to touch a sensor.

type EventName = keyof PasswordlessEventMap;
let events: Array<{ type: EventName; detail: unknown }> = [];
const names: EventName[] = ['passwordless-error', 'passwordless-success', 'passwordless-step-change'];
const record = (event: Event) => events.push({ type: event.type as EventName, detail: (event as CustomEvent).detail });

/** The modal prompts the element opened, each settled or not, and the autofill requests' signals. */
const nativeGet = navigator.credentials.get.bind(navigator.credentials);
let prompts: Array<Promise<unknown>> = [];
let autofills: Array<{ signal: AbortSignal; outcome: string }> = [];
/**
 * The virtual authenticator answers an autofill at once (a passkey, or NotAllowedError with
 * none): with `autofillWaits` the request waits instead, as for a person who has not picked a
 * suggestion, until it is aborted.
 */
let autofillWaits = false;
const waiting = (signal: AbortSignal) =>
  new Promise<null>((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
navigator.credentials.get = (options?: CredentialRequestOptions) => {
  const prompt = autofillWaits && options?.mediation === 'conditional' ? waiting(options.signal!) : nativeGet(options);
  if (options?.mediation === 'conditional') {
    const request = { signal: options.signal!, outcome: 'pending' };
    autofills.push(request);
    prompt.then(
      () => (request.outcome = 'answered'),
      (error: Error) => (request.outcome = error.name),
    );
  }
  else prompts.push(prompt.catch(() => null));
  return prompt;
};

/**
 * Chromium's virtual authenticator answers an autofill request at once with the passkey it holds,
 * as if the person had picked it. The tests of the button (and of what follows a sign-in) run as
 * in a browser without passkey autofill, the autofill's own tests with it.
 */
const nativeAutofill = PublicKeyCredential.isConditionalMediationAvailable.bind(PublicKeyCredential);
let autofill = false;
PublicKeyCredential.isConditionalMediationAvailable = async () => autofill && (await nativeAutofill());

beforeEach(async () => {
  localStorage.clear();
  events = [];
  prompts = [];
  autofills = [];
  autofill = false;
  autofillWaits = false;
  for (const name of names) document.addEventListener(name, record);
  await addAuthenticator();
});

afterEach(() => {
  for (const name of names) document.removeEventListener(name, record);
});

async function mount(template: TemplateResult = html`<passwordless-login api="/passkey-auth"></passwordless-login>`): Promise<PasswordlessLogin> {
  const el = await fixture<PasswordlessLogin>(template);
  el.clock = new FakeClock(Date.now());
  await el.settled;
  return el;
}

/** Whether a polite status line of the element says `sentence`. */
const said = (el: PasswordlessLogin, sentence: string) => $$(el, '[role="status"]').some((s) => s.textContent?.trim() === sentence);
const successes = () => events.filter((e) => e.type === 'passwordless-success').map((e) => (e.detail as { method: string }).method);
const errors = () => events.filter((e) => e.type === 'passwordless-error').map((e) => e.detail as { code: string; message: string });

async function signInByCode(el: PasswordlessLogin, email: string): Promise<void> {
  // The server takes one code request per address a minute.
  await advanceServerClock(61_000);
  await el.requestCode(email);
  await el.verifyCode((await mailTo(email)).code);
  expect(el.user?.email).to.equal(email);
}

/** What the offer depends on, settled: the browser's answer, then the element's render. */
async function offerDecided(el: PasswordlessLogin): Promise<void> {
  await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  await new Promise((resolve) => setTimeout(resolve, 50));
  await el.updateComplete;
}

/** Signs in by code and adds a passkey from the offer; resolves once it is added. */
async function enrol(el: PasswordlessLogin, email: string): Promise<void> {
  await signInByCode(el, email);
  await waitUntil(() => $(el, '[part~="passkey-offer"]'), 'the offer after a code sign-in');
  click(el, '[part~="passkey-offer"] [part~="add-passkey"]');
  await waitUntil(() => said(el, en.added), 'the passkey added');
}

async function openList(el: PasswordlessLogin): Promise<void> {
  click(el, '[part~="passkeys-summary"]');
  await waitUntil(() => $(el, '[part~="passkey-list"]') || text(el, '[part~="passkeys"] p') === en.none, 'the list');
}

/** Clicks "Sign in with a passkey" and waits for the prompt and what follows it. */
async function passkeyButton(el: PasswordlessLogin): Promise<void> {
  const before = prompts.length;
  click(el, '[part~="passkey-sign-in"]');
  await waitUntil(() => prompts.length > before, 'the prompt');
  await prompts[prompts.length - 1];
  await waitUntil(() => !($(el, '[part~="passkey-sign-in"]') as HTMLButtonElement | null)?.disabled, 'the sign-in answered');
  await el.updateComplete;
}

describe('passkeys in <passwordless-login>', () => {
  it('offers a passkey right after a code sign-in; "Add a passkey" makes one, and the list shows it', async () => {
    const el = await mount();
    await enrol(el, uniqueEmail('pk-offer'));
    expect($(el, '[part~="passkey-offer"]'), 'the offer goes once answered').to.equal(null);
    const credentials = await authenticatorCredentials();
    expect(credentials.map((c) => [c.rpId, c.isResidentCredential])).to.deep.equal([['localhost', true]]);
    await openList(el);
    const items = $$(el, '[part~="passkey"]');
    expect(items).to.have.length(1);
    expect(text(el, '[part~="passkey-name"]')).to.not.equal('');
    const details = text(el, '[part~="passkey-details"]')!;
    expect(details).to.contain('Created ');
    expect(details).to.contain(en.neverUsed);
    // The virtual authenticator is device-bound: not backed up.
    expect(details).to.contain(en.thisDevice);
  });

  it('signs in with the passkey button after a sign-out, as method "passkey", and offers nothing then', async () => {
    const email = uniqueEmail('pk-button');
    const el = await mount();
    await enrol(el, email);
    await el.signOut();
    expect($(el, '#email')!.getAttribute('autocomplete')).to.equal('username webauthn');
    events = [];
    await passkeyButton(el);
    await waitUntil(() => el.user, 'signed in');
    expect(el.user!.email).to.equal(email);
    expect(successes()).to.deep.equal(['passkey']);
    expect(JSON.parse(localStorage.getItem(`passwordless-login:session:${location.origin}/passkey-auth`)!).method).to.equal('passkey');
    await offerDecided(el);
    expect($(el, '[part~="passkey-offer"]'), 'no offer after a passkey sign-in').to.equal(null);
    await openList(el);
    expect(text(el, '[part~="passkey-details"]')).to.contain('Last used ');
  });

  it('renames a passkey with the inline field', async () => {
    const el = await mount();
    await enrol(el, uniqueEmail('pk-rename'));
    await openList(el);
    click(el, '[part~="rename"]');
    await el.updateComplete;
    const input = $(el, '#passkey-name') as HTMLInputElement;
    expect(el.shadowRoot!.activeElement, 'the field has the focus').to.equal(input);
    input.value = '  Work laptop  ';
    click(el, '[part~="passkey-rename"] [part~="save"]');
    await waitUntil(() => text(el, '[part~="passkey-name"]') === 'Work laptop', 'the new name');
    await waitUntil(() => el.shadowRoot!.activeElement === $(el, '[part~="rename"]'), 'the focus back on "Rename"');
    // Closed and opened again: the list comes from the server afresh.
    click(el, '[part~="passkeys-summary"]');
    await el.updateComplete;
    await openList(el);
    await waitUntil(() => text(el, '[part~="passkey-name"]') === 'Work laptop', 'the name the server kept');
  });

  it('removes a passkey after a confirmation; then it no longer signs in, with the unknown_passkey sentence', async () => {
    const el = await mount();
    await enrol(el, uniqueEmail('pk-remove'));
    await openList(el);
    click(el, '[part~="remove"]');
    await el.updateComplete;
    expect(text(el, '#passkey-confirm')).to.equal(en.confirmRemove(text(el, '[part~="passkey-name"]')!));
    click(el, '[part~="confirm-remove"]');
    await waitUntil(() => text(el, '[part~="passkeys"] p') === en.none, 'the list empty');
    await waitUntil(() => el.shadowRoot!.activeElement === $(el, '[part~="passkeys-summary"]'), 'the focus on the disclosure');
    expect(said(el, en.removed)).to.equal(true);
    await el.signOut();
    events = [];
    await passkeyButton(el);
    await waitUntil(() => text(el, '[part~="passkey-error"]'), 'the error');
    expect(text(el, '[part~="passkey-error"]')).to.equal(en.errors.unknown_passkey);
    expect(el.user).to.equal(null);
    expect(errors()).to.deep.equal([{ code: 'unknown_passkey', message: en.errors.unknown_passkey }]);
  });

  it('remembers "Not now" on this browser for 30 days', async () => {
    const email = uniqueEmail('pk-not-now');
    const el = await mount();
    await signInByCode(el, email);
    await waitUntil(() => $(el, '[part~="passkey-offer"]'), 'the offer');
    click(el, '[part~="not-now"]');
    await el.updateComplete;
    expect($(el, '[part~="passkey-offer"]')).to.equal(null);
    expect(el.shadowRoot!.activeElement, 'the focus goes to "Sign out"').to.equal($(el, '[part~="sign-out"]'));
    await el.signOut();
    await signInByCode(el, email);
    await offerDecided(el);
    expect($(el, '[part~="passkey-offer"]'), 'not offered again within 30 days').to.equal(null);
    await el.signOut();
    (el.clock as FakeClock).advance(30 * 86_400_000 + 60_000);
    await signInByCode(el, email);
    await waitUntil(() => $(el, '[part~="passkey-offer"]'), 'offered again after 30 days');
  });

  it('offers nothing where the browser has no platform authenticator', async () => {
    await removeAuthenticator();
    expect(await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable()).to.equal(false);
    const el = await mount();
    await signInByCode(el, uniqueEmail('pk-no-platform'));
    await offerDecided(el);
    expect($(el, '[part~="passkey-offer"]')).to.equal(null);
    expect($(el, '[part~="passkeys"]'), 'the list is there all the same').to.not.equal(null);
  });

  it('says nothing when the person cancels the prompt', async () => {
    const el = await mount();
    await enrol(el, uniqueEmail('pk-cancel'));
    await el.signOut();
    await setUserVerified(false);
    events = [];
    await passkeyButton(el);
    expect(el.user).to.equal(null);
    expect($(el, '[role="alert"]')).to.equal(null);
    expect(errors()).to.deep.equal([]);
    expect(($(el, '[part~="passkey-sign-in"]') as HTMLButtonElement).disabled, 'the button works again').to.equal(false);
  });

  it('has its own sentence for a session too old to add a passkey (stale_session)', async () => {
    await removeAuthenticator();
    const el = await mount();
    await signInByCode(el, uniqueEmail('pk-stale'));
    await addAuthenticator();
    await advanceServerClock(11 * 60_000);
    await openList(el);
    click(el, '[part~="passkeys"] [part~="add-passkey"]');
    await waitUntil(() => text(el, '[part~="passkey-error"]'), 'the error');
    expect(text(el, '[part~="passkey-error"]')).to.equal(en.errors.stale_session);
    expect(errors().map((e) => e.code)).to.deep.equal(['stale_session']);
    expect(await authenticatorCredentials(), 'no passkey made').to.deep.equal([]);
  });

  it('works without the browser\'s WebAuthn JSON helpers (the base64url fallback)', async () => {
    const statics = PublicKeyCredential as unknown as Record<string, unknown>;
    const saved = {
      parseCreationOptionsFromJSON: statics.parseCreationOptionsFromJSON,
      parseRequestOptionsFromJSON: statics.parseRequestOptionsFromJSON,
      toJSON: PublicKeyCredential.prototype.toJSON,
    };
    delete statics.parseCreationOptionsFromJSON;
    delete statics.parseRequestOptionsFromJSON;
    delete (PublicKeyCredential.prototype as Partial<PublicKeyCredential>).toJSON;
    try {
      expect(typeof PublicKeyCredential.prototype.toJSON).to.equal('undefined');
      const email = uniqueEmail('pk-fallback');
      const el = await mount();
      await enrol(el, email);
      await el.signOut();
      events = [];
      await passkeyButton(el);
      await waitUntil(() => el.user, 'signed in');
      expect(el.user!.email).to.equal(email);
      expect(successes()).to.deep.equal(['passkey']);
    } finally {
      Object.assign(statics, { parseCreationOptionsFromJSON: saved.parseCreationOptionsFromJSON, parseRequestOptionsFromJSON: saved.parseRequestOptionsFromJSON });
      PublicKeyCredential.prototype.toJSON = saved.toJSON as PublicKeyCredential['toJSON'];
    }
  });

  it('signs in by passkey autofill: the passkey picked among the email field\'s suggestions', async () => {
    const email = uniqueEmail('pk-autofill');
    const el = await mount();
    await enrol(el, email);
    autofill = true;
    events = [];
    await el.signOut();
    await waitUntil(() => el.user, 'signed in by the autofill');
    expect(el.user!.email).to.equal(email);
    expect(successes()).to.deep.equal(['passkey']);
    expect(prompts, 'no modal prompt').to.have.length(0);
    expect(autofills).to.have.length(1);
  });

  it('starts the autofill when the email step shows and aborts it when the step goes', async () => {
    autofill = true;
    autofillWaits = true;
    const el = await mount();
    expect($(el, '#email')!.getAttribute('autocomplete')).to.equal('username webauthn');
    await waitUntil(() => autofills.length === 1, 'the autofill request');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(autofills[0]!.outcome, 'waiting for the person').to.equal('pending');
    await el.requestCode(uniqueEmail('pk-autofill-abort'));
    expect($(el, '#code'), 'the code step').to.not.equal(null);
    expect(autofills[0]!.signal.aborted).to.equal(true);
    await waitUntil(() => autofills[0]!.outcome === 'AbortError', 'the request aborted');
    click(el, '[part~="change-email"]');
    await waitUntil(() => autofills.length === 2, 'a new autofill request on the email step');
    expect($(el, '#email')!.getAttribute('autocomplete')).to.equal('username webauthn');
  });

  it('leaves the email step as it was where the server has passkeys off', async () => {
    const el = await mount(html`<passwordless-login api="/auth"></passwordless-login>`);
    expect($(el, '#email')!.getAttribute('autocomplete')).to.equal('email');
    expect($(el, '[part~="passkey-sign-in"]')).to.equal(null);
  });

  it('speaks the element\'s language: French', async () => {
    const el = await mount(html`<passwordless-login api="/passkey-auth" lang="fr"></passwordless-login>`);
    await waitUntil(() => $(el, '[part~="passkey-sign-in"]'), 'the button, once its French is in');
    expect(text(el, '[part~="passkey-sign-in"]')).to.equal(fr.signInWithPasskey);
    await signInByCode(el, uniqueEmail('pk-fr'));
    await waitUntil(() => $(el, '[part~="passkey-offer"]'), 'the offer');
    expect(text(el, '[part~="passkey-offer"] p')).to.equal(fr.offer);
    expect(text(el, '[part~="not-now"]')).to.equal(fr.notNow);
    expect(text(el, '[part~="passkeys-summary"]')).to.equal(fr.passkeys);
  });

  describe('accessibility (axe)', () => {
    it('the email step with the passkey button', async () => {
      const el = await mount();
      expect($(el, '[part~="passkey-sign-in"]')).to.not.equal(null);
      await expect(el).to.be.accessible();
    });

    it('the offer', async () => {
      const el = await mount();
      await signInByCode(el, uniqueEmail('pk-axe-offer'));
      await waitUntil(() => $(el, '[part~="passkey-offer"]'), 'the offer');
      await expect(el).to.be.accessible();
    });

    it('the list, its rename field and its confirmation', async () => {
      const el = await mount();
      await enrol(el, uniqueEmail('pk-axe-list'));
      await openList(el);
      await expect(el).to.be.accessible();
      click(el, '[part~="rename"]');
      await el.updateComplete;
      await expect(el).to.be.accessible();
      click(el, '[part~="passkey-rename"] [part~="cancel"]');
      await el.updateComplete;
      click(el, '[part~="remove"]');
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  });
});
