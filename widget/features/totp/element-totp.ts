/**
 * What the totp module keeps for one element, and what it does there: the second step after a
 * first factor (its ticket and secret, in memory only), and the "Two-step verification"
 * disclosure's state (status, setup, the recovery codes shown once, a change's proof). The step
 * (second-step.ts) and the part (signed-in-part.ts) draw from this and call into it.
 *
 * It plugs in through what the element lends and nothing more (the core did not grow for it): it
 * wraps the kept session's `verify`, which the element's code and link steps sign in with, so a
 * first factor carries `secondFactorKey` and a `SecondFactorChallenge` turns into its step.
 */
import type { VerifyBody, VerifyResponse } from '../../../contract/index.ts';
import type { TotpSetup, TotpStatus } from '../../../contract/second-factor.ts';
import type { ApiResult } from '../../api/api-client.ts';
import { emit } from '../../element/events.ts';
import type { PasswordlessLogin } from '../../element/passwordless-login.ts';
import type { FlowError, FlowState } from '../../flow/flow.ts';
import { errorMessage, type Messages } from '../../i18n/index.ts';
import { newApprovalKey } from '../approval/approval-calls.ts';
import type { FeatureHost } from '../feature.ts';
import type { TotpErrorCode, TotpMessages } from './messages.ts';
import { sentences, sentencesIn } from './sentences.ts';
import {
  completeSecondFactor,
  disableTotp,
  enableTotp,
  newRecoveryCodes,
  setupTotp,
  totpStatus,
  verifyFirstFactor,
  type PendingSecondFactor,
  type SecondFactorProof,
} from './totp-calls.ts';

/** Where the disclosure is: the status, the setup (QR, key, first code), the codes shown once, or a change's proof. */
export type Stage = 'start' | 'setup' | 'codes' | 'disable' | 'renew';

/** A code from the app: 6 digits (spaces and dashes aside), nothing else; anything with a letter is a recovery code. */
export function proofOf(value: string): SecondFactorProof {
  return /^[\d\s-]+$/.test(value.trim()) ? { code: value } : { recoveryCode: value };
}

export class ElementTotp {
  readonly host: FeatureHost;
  /** The second step's ticket and secret, from the first factor until it is done or over. */
  pending: PendingSecondFactor | null = null;
  /** The second step asks for a recovery code instead of the app's. */
  recovery = false;

  /** The disclosure. */
  open = false;
  stage: Stage = 'start';
  status: TotpStatus | null = null;
  setup: TotpSetup | null = null;
  /** The recovery codes, shown once; and their text file's Blob URL while they show. */
  codes: string[] | null = null;
  download = '';
  busy = false;
  /** The last failure of the disclosure, shown under its form (`role="alert"`). */
  error: FlowError | null = null;
  /** The disclosure's polite status line: the key copied, turned off. */
  said = '';
  /** The element's sentences, as its last render had them. */
  messages: Messages | null = null;

  constructor(host: FeatureHost) {
    this.host = host;
    const { element, session } = host;
    const own = session.verify.bind(session);
    // Only the element's first factors come without a path (a code, a link); a passkey's sign-in
    // and the second step's completion name theirs, and go on as they were.
    session.verify = async (body, method, path) => {
      if (path) return own(body, method, path);
      const result = await verifyFirstFactor(session, body as VerifyBody, method as 'code' | 'link', element.clock.now());
      if (!result.ok) return this.#said(result);
      if (!result.pending) return result as ApiResult<VerifyResponse>;
      await this.#showStep(result.pending);
      // Never shown: the element sees its flow moved on (the second step) and leaves it there.
      return { ok: false, status: 200, error: { code: 'unauthenticated' } };
    };
    // The approval module's wait is a first factor too (features/feature.ts `secondFactor`).
    host.secondFactor = {
      key: newApprovalKey,
      challenged: ({ ticket, expiresIn }, secret, method) =>
        this.#showStep({ ticket, secret, method, expiresAt: element.clock.now() + expiresIn * 1000 }),
    };
    element.addEventListener('passwordless-step-change', ({ detail }) => {
      if (detail.step !== 'second-factor') this.pending = null;
      this.#reset();
    });
    // Off the page (a route change of a single-page app), nobody sees the recovery codes or the
    // key: both are dropped, and the codes' Blob URL revoked, rather than kept for the page's life.
    element.addController({ hostDisconnected: () => this.#reset() });
  }

  /**
   * Resolves once the module's last call (a view's click or submit) is answered and shown: the
   * element's `settled` does not see the module's own work.
   */
  settled: Promise<void> = Promise.resolve();

  /** Keeps `work` for {@link settled}; an exception in it is the element's `internal_error`, never silence. */
  track(work: Promise<void>): void {
    this.settled = work.catch(() => this.host.fail({ code: 'internal_error' }));
  }

  get sentences(): TotpMessages | null {
    return sentences(this.host);
  }

  update(): void {
    this.host.element.requestUpdate();
  }

  /** The sentence for a failure of the disclosure: the module's for its own codes, the element's for the others. */
  sentenceOf(error: FlowError): string {
    return this.sentences!.errors[error.code as TotpErrorCode] ?? errorMessage(this.messages!, error);
  }

  /**
   * A first factor refused for the second factor's sake (`second_factor_required`,
   * `second_factor_setup_required`): the element shows the error where it shows its own, in the
   * module's sentence (`hint`, which the element shows instead of its catalog's).
   */
  async #said(result: Extract<ApiResult<unknown>, { ok: false }>): Promise<ApiResult<VerifyResponse>> {
    const { error } = result;
    if (!/^second_factor/.test(error.code)) return result;
    await sentencesIn(this.host);
    return { ...result, error: { ...error, hint: this.sentenceOf(error) } };
  }

  /** The second step's form: the app's code, or a recovery code. */
  async complete(value: string): Promise<void> {
    const { element, session } = this.host;
    const pending = this.pending;
    if (!pending || flowOf(element).busy) return;
    // Its 5 minutes are over: no need to ask the server.
    if (element.clock.now() >= pending.expiresAt) return this.#backToStart({ code: 'invalid_second_factor' });
    setFlow(element, { ...flowOf(element), busy: true, error: null });
    const result = await completeSecondFactor(session, pending, this.recovery ? { recoveryCode: value } : { code: value });
    if (this.pending !== pending) return;
    if (result.ok) {
      this.pending = null;
      return this.host.enter();
    }
    const { error } = result;
    // The ticket is spent: too many wrong codes (across both factors), or it is over. Anything
    // else (a wrong code and the attempts left, the network) is tried again here.
    if (error.code === 'too_many_attempts' || error.code === 'invalid_second_factor') return this.#backToStart(error);
    await this.host.fail(error);
    await this.focus('#code');
  }

  /** "Use a recovery code" and back: the other field, empty, with the focus. */
  async switchField(): Promise<void> {
    this.recovery = !this.recovery;
    setFlow(this.host.element, { ...flowOf(this.host.element), error: null });
    await this.focus('#code');
  }

  /** The disclosure opened: its status, asked again so it is never stale when shown. */
  async toggled(open: boolean): Promise<void> {
    if (open === this.open) return;
    this.open = open;
    if (!open) return this.#reset();
    const result = await this.#run(() => totpStatus(this.host.session));
    if (result.ok) this.status = result.data;
    this.update();
  }

  /** "Turn on": a new secret and its QR code (nothing is on until the app's first code confirms it). */
  async turnOn(): Promise<void> {
    const result = await this.#run(() => setupTotp(this.host.session));
    if (!result.ok) return;
    this.setup = result.data;
    this.stage = 'setup';
    await this.focus('#totp-code');
  }

  /** The app's first code: on; the recovery codes show, once. */
  async confirm(code: string): Promise<void> {
    const setup = this.setup!;
    const result = await this.#run(() => enableTotp(this.host.session, setup.setupToken, code));
    if (!result.ok) return this.focus('#totp-code');
    this.setup = null;
    this.#showCodes(result.data.recoveryCodes);
    this.status = { enabled: true, enabledAt: new Date(this.host.element.clock.now()).toISOString(), recoveryCodesLeft: result.data.recoveryCodes.length };
    await this.focus('#totp-codes-title');
  }

  /** "Turn off" or "New recovery codes", with the proof typed in. */
  async change(value: string): Promise<void> {
    const proof = proofOf(value);
    const { session } = this.host;
    if (this.stage === 'disable') {
      const result = await this.#run(() => disableTotp(session, proof));
      if (!result.ok) return this.focus('#totp-code');
      this.status = { enabled: false, enabledAt: null, recoveryCodesLeft: 0 };
      this.stage = 'start';
      this.said = this.sentences!.turnedOff;
      return this.focus('[part~=totp-turn-on]');
    }
    const result = await this.#run(() => newRecoveryCodes(session, proof));
    if (!result.ok) return this.focus('#totp-code');
    this.#showCodes(result.data.recoveryCodes);
    this.status = { ...this.status!, recoveryCodesLeft: result.data.recoveryCodes.length };
    await this.focus('#totp-codes-title');
  }

  /** "Copy key": the key without its spaces. */
  async copy(): Promise<void> {
    await navigator.clipboard?.writeText(this.setup!.secret).catch(() => undefined);
    this.said = this.sentences!.copied;
    this.update();
  }

  /** To a stage (a change's proof, or back to the status), the focus on what it asks for. */
  async go(stage: Stage, focus: string): Promise<void> {
    this.#dropCodes();
    this.stage = stage;
    this.setup = null;
    this.error = null;
    this.said = '';
    await this.focus(focus);
  }

  /** After the element has drawn what changed: the focus on `selector` (a field's text selected, to type over it). */
  async focus(selector: string): Promise<void> {
    this.update();
    await this.host.element.updateComplete;
    const target = this.host.element.renderRoot.querySelector<HTMLElement>(selector);
    target?.focus();
    if (target instanceof HTMLInputElement) target.select();
  }

  /** The first factor asked for the second: its sentences in, then its step, with the focus where the person was typing. */
  async #showStep(pending: PendingSecondFactor): Promise<void> {
    const { element } = this.host;
    await sentencesIn(this.host);
    const typing = !!element.shadowRoot?.activeElement;
    this.pending = pending;
    this.recovery = false;
    setFlow(element, { step: 'second-factor', busy: false, error: null });
    emit(element, 'passwordless-step-change', { step: 'second-factor' });
    // Not on a page load (a magic link signing in by itself): the focus moves only where the person was.
    if (typing) await this.focus('#code');
  }

  /** The ticket is spent or over: back to the email step, saying why (too many wrong codes, or the 5 minutes). */
  async #backToStart(error: FlowError): Promise<void> {
    this.pending = null;
    await this.host.element.reset();
    const own = this.sentences?.errors[error.code as TotpErrorCode];
    await this.host.fail(own ? { ...error, hint: own } : error);
  }

  #showCodes(codes: string[]): void {
    this.#dropCodes();
    this.codes = codes;
    this.download = URL.createObjectURL(new Blob([`${codes.join('\n')}\n`], { type: 'text/plain' }));
    this.stage = 'codes';
  }

  #dropCodes(): void {
    if (this.download) URL.revokeObjectURL(this.download);
    this.codes = null;
    this.download = '';
  }

  /** Busy while `work` runs, the previous error gone; a failure is shown and fires `passwordless-error`. */
  async #run<T>(work: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    this.busy = true;
    this.error = null;
    this.said = '';
    this.update();
    try {
      const result = await work();
      if (!result.ok) {
        this.error = result.error;
        if (this.messages) emit(this.host.element, 'passwordless-error', { code: result.error.code, message: this.sentenceOf(result.error) });
      }
      return result;
    } finally {
      this.busy = false;
      this.update();
    }
  }

  /** The step changed or the disclosure closed: nothing of before stays (the codes shown once are gone). */
  #reset(): void {
    this.#dropCodes();
    this.open = false;
    this.stage = 'start';
    this.status = this.setup = this.error = null;
    this.said = '';
  }
}

/** The element's flow, which the module reads and moves for its own step (a reactive property of the element). */
export const flowOf = (element: PasswordlessLogin) => (element as unknown as { flow: FlowState }).flow;
const setFlow = (element: PasswordlessLogin, flow: FlowState) => void ((element as unknown as { flow: FlowState }).flow = flow);

/** Each element where the second factor is on (the module's `attach`), with what it keeps. */
export const attached = new WeakMap<PasswordlessLogin, ElementTotp>();
