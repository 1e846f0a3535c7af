/**
 * What the passkey module keeps for one element, and what it does there: passkey autofill while
 * the email step shows, the button's modal sign-in, the offer after a sign-in by email, and the
 * list. The two parts (email-part.ts, signed-in-part.ts) draw from this and call into it.
 */
import type { PasskeyInfo } from '../../../contract/passkeys.ts';
import { emit } from '../../element/events.ts';
import type { PasswordlessLogin } from '../../element/passwordless-login.ts';
import type { FlowError } from '../../flow/flow.ts';
import { errorMessage, type Messages } from '../../i18n/index.ts';
import type { FeatureHost } from '../feature.ts';
import { addPasskey, signInWithPasskey, type PasskeyResult, type PromptFailure } from './ceremonies.ts';
import type { PasskeyMessages } from './messages.ts';
import { offerAnsweredLately, rememberOfferAnswered } from './offer-memory.ts';
import { listPasskeys, removePasskey, renamePasskey } from './passkey-calls.ts';
import { sentencesFor } from './sentences.ts';

export class ElementPasskeys {
  readonly host: FeatureHost;
  /** A prompt or a call is in flight: the passkey buttons wait. */
  busy = false;
  /** The last failure, whose sentence shows under the passkey part of the step (`role="alert"`). */
  error: Failure | null = null;
  /** The element's sentences, as its last render had them: for the failures that are not the passkeys' own (offline…). */
  messages: Messages | null = null;
  /** Said once by the part's polite status line: a passkey added, removed. */
  status = '';
  /** The offer shows: signed in by email on this page, the device can, and not answered lately. */
  offer = false;
  /** The disclosure over the list is open. */
  open = false;
  /** The list, once fetched (the disclosure opened); null before. */
  list: PasskeyInfo[] | null = null;
  /** The passkey whose name is being edited, or whose removal is being confirmed (its ID). */
  renaming: string | null = null;
  removing: string | null = null;
  #autofill: AbortController | null = null;

  constructor(host: FeatureHost) {
    this.host = host;
    const element = host.element;
    element.addEventListener('passwordless-step-change', ({ detail }) => {
      this.error = null;
      this.status = '';
      if (detail.step === 'email') void this.startAutofill();
      else this.stopAutofill();
      if (detail.step !== 'signed-in') this.offer = false;
      this.open = false;
      this.list = this.renaming = this.removing = null;
    });
    // Right after a sign-in by code or link, not a passkey's (the person has one) nor a session
    // kept from an earlier visit (no event then): the session is fresh, so a passkey may be added.
    element.addEventListener('passwordless-success', ({ detail }) => {
      if (detail.method !== 'passkey') void this.#mayOffer(detail.user.id);
    });
  }

  /** The sentences in the element's language, or null while they are fetched (the element draws again then). */
  get sentences(): PasskeyMessages | null {
    return sentencesFor(this.host.lang(), () => this.update());
  }

  update(): void {
    this.host.element.requestUpdate();
  }

  /**
   * Passkey autofill: a quiet request that the browser answers when the person picks a passkey
   * among the email field's suggestions. Only where the browser says it can
   * (`isConditionalMediationAvailable()`), once the field has `autocomplete="username webauthn"`.
   */
  async startAutofill(): Promise<void> {
    if (this.#autofill || !(await PublicKeyCredential.isConditionalMediationAvailable?.())) return;
    const element = this.host.element;
    await element.updateComplete;
    // The step may have gone while the browser was asked.
    if (this.#autofill || !element.renderRoot.querySelector('#email')) return;
    const autofill = (this.#autofill = new AbortController());
    const result = await signInWithPasskey(this.host.session, { conditional: true, signal: autofill.signal });
    if (this.#autofill === autofill) this.#autofill = null;
    // The prompt's own ends (aborted when the step went, no passkey here) stay quiet: the person
    // did not ask for this one. The server's answer to a passkey they picked does not.
    if (result.ok || result.status) this.#signedIn(result);
  }

  stopAutofill(): void {
    this.#autofill?.abort();
    this.#autofill = null;
  }

  /** "Sign in with a passkey": the browser's modal prompt. */
  async signIn(): Promise<void> {
    // One WebAuthn request at a time: the autofill's waits while the modal one runs.
    this.stopAutofill();
    const result = await this.#run(() => signInWithPasskey(this.host.session));
    this.#signedIn(result);
    if (!result.ok && !this.host.element.user) void this.startAutofill();
  }

  /** "Add a passkey", from the offer or the list. */
  async add(): Promise<void> {
    const result = await this.#run(() => addPasskey(this.host.session));
    if (!result.ok) return this.#fail(result);
    this.#answerOffer();
    this.status = this.sentences?.added ?? '';
    if (this.list) this.list = [...this.list, result.data];
    this.update();
  }

  /** "Not now": no offer on this browser for 30 days (offer-memory.ts). */
  notNow(): void {
    this.#answerOffer();
    this.update();
  }

  /** The disclosure opened: fetch the list (again, so it is never stale when shown). */
  async showList(): Promise<void> {
    const result = await this.#run(() => listPasskeys(this.host.session));
    if (result.ok) this.list = result.data.passkeys;
    else this.#fail(result);
    this.update();
  }

  async rename(id: string, name: string): Promise<void> {
    const result = await this.#run(() => renamePasskey(this.host.session, id, name));
    if (!result.ok) return this.#fail(result);
    this.list = this.list?.map((p) => (p.id === id ? result.data : p)) ?? null;
    this.renaming = null;
    this.update();
  }

  async remove(id: string): Promise<void> {
    const result = await this.#run(() => removePasskey(this.host.session, id));
    if (!result.ok) return this.#fail(result);
    this.list = this.list?.filter((p) => p.id !== id) ?? null;
    this.removing = null;
    this.status = this.sentences?.removed ?? '';
    this.update();
  }

  /** Busy while `work` runs, the previous error and status gone. */
  async #run<T>(work: () => Promise<PasskeyResult<T>>): Promise<PasskeyResult<T>> {
    this.busy = true;
    this.error = null;
    this.status = '';
    this.update();
    try {
      return await work();
    } finally {
      this.busy = false;
      this.update();
    }
  }

  #signedIn(result: PasskeyResult<unknown>): void {
    if (result.ok) this.host.enter();
    else this.#fail(result);
  }

  /**
   * Shows why a call failed, and fires `passwordless-error` as the element's own steps do. A
   * prompt the person closed (`passkey_cancelled`) is their choice, not an error: nothing is said.
   */
  #fail({ error }: Exclude<PasskeyResult<unknown>, { ok: true }>): void {
    if (error.code === 'passkey_cancelled') return;
    this.error = error;
    this.update();
    // The prompt's own failures have no server code: the element's events carry the contract's codes only.
    const m = this.sentences;
    if (isServerError(error) && m && this.messages) emit(this.host.element, 'passwordless-error', { code: error.code, message: sentenceOf(error, m, this.messages) });
  }

  #answerOffer(): void {
    const { element, session } = this.host;
    this.offer = false;
    if (element.user) rememberOfferAnswered(session.api.base, element.user.id, element.clock.now());
  }

  async #mayOffer(userId: string): Promise<void> {
    const { element, session } = this.host;
    if (offerAnsweredLately(session.api.base, userId, element.clock.now())) return;
    // A phone's or a laptop's own unlock (fingerprint, face, PIN): without one, a passkey would
    // need a security key or another phone, too much to offer in passing.
    if (!(await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable())) return;
    this.offer = element.user?.id === userId;
    this.update();
  }
}

export type Failure = PromptFailure['error'] | FlowError;

const isServerError = (error: Failure): error is FlowError =>
  error.code !== 'passkey_exists' && error.code !== 'passkey_failed' && error.code !== 'passkey_cancelled';

/** The sentence for a failure: the module's for the passkey codes and the prompt's, the element's for the others. */
export function sentenceOf(error: Failure, m: PasskeyMessages, messages: Messages): string {
  if (error.code === 'passkey_exists') return m.exists;
  if (error.code === 'passkey_failed' || error.code === 'passkey_cancelled') return m.failed;
  return m.errors[error.code as keyof PasskeyMessages['errors']] ?? errorMessage(messages, error as FlowError);
}

/** Each element where passkeys are on (the module's `attach`), with what it keeps. */
export const attached = new WeakMap<PasswordlessLogin, ElementPasskeys>();
