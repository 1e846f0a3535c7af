/**
 * What the account module keeps for one element, and what it does there: the "Account"
 * disclosure's state (which form shows, the code's length, the last error, the resend
 * countdown) and its calls. signed-in-part.ts draws from this and calls into it.
 */
import type { AccountCodeSent, AccountOptions } from '../../../contract/account.ts';
import type { ApiResult } from '../../api/api-client.ts';
import { CountdownController } from '../../countdown/countdown-controller.ts';
import { emit } from '../../element/events.ts';
import type { PasswordlessLogin } from '../../element/passwordless-login.ts';
import type { FlowError } from '../../flow/flow.ts';
import { errorMessage, type Messages } from '../../i18n/index.ts';
import type { FeatureHost } from '../feature.ts';
import { changeEmail, confirmAccountDeletion, confirmEmailChange, deleteAccount } from './account-calls.ts';
import type { AccountMessages } from './messages.ts';
import { sentences } from './sentences.ts';

/**
 * Where the disclosure is: its two starts side by side (`start`), or one code form: the new
 * address's (`email-code`) or the current address's, to delete (`delete-code`).
 */
export type Stage = 'start' | 'email-code' | 'delete-code';

export class ElementAccount {
  readonly host: FeatureHost;
  readonly options: AccountOptions;
  stage: Stage = 'start';
  /** The disclosure is open. */
  open = false;
  busy = false;
  /** The last failure, shown under the form it is about (`role="alert"`, except `mail_busy`, which counts down). */
  error: FlowError | null = null;
  /** Which start the last call came from, whose part shows its error: the new address's form or the deletion's button. */
  about: 'email' | 'delete' = 'email';
  /** The new address the code went to. */
  newEmail = '';
  codeLength = 6;
  /** Once the address changed: the sentence that says so, shown until the disclosure closes. */
  done = '';
  /** The polite status line: said once ("Resend" unlocked, the address changed, mail_busy's wait). */
  status = '';
  /** The element's sentences, as its last render had them (the errors that are not the module's own). */
  messages: Messages | null = null;
  /** Until "Resend" unlocks, or until a `mail_busy`'s wait is over: on the element's clock, which tests move. */
  readonly countdown: CountdownController;

  constructor(host: FeatureHost, options: AccountOptions) {
    this.host = host;
    this.options = options;
    const element = host.element;
    this.countdown = new CountdownController(element, {
      onDone: () => {
        // The wait the server asked for is over: its sentence goes, and the request may go again.
        const code = this.error?.code;
        if (code === 'mail_busy' || code === 'rate_limited') this.error = null;
        this.status = this.messages?.resendReady ?? '';
      },
    });
    element.addEventListener('passwordless-step-change', () => this.#reset());
  }

  /** The sentences in the element's language, or null while they are fetched. */
  get sentences(): AccountMessages | null {
    return sentences(this.host);
  }

  update(): void {
    this.host.element.requestUpdate();
  }

  /** The sentence for a failure: the module's for its own codes, the element's for the others, `mail_busy`'s seconds counting down. */
  sentenceOf(error: FlowError): string {
    const own = this.sentences?.errors[error.code as keyof AccountMessages['errors']];
    return own ?? errorMessage(this.messages!, error.code === 'mail_busy' ? { ...error, retryAfter: this.countdown.remaining } : error);
  }

  /** "Email me a code" (and "Resend code" of the new address's form). */
  async sendEmailCode(email: string): Promise<void> {
    this.about = 'email';
    const result = await this.#run(() => changeEmail(this.host.session, { email, locale: this.host.lang() }));
    if (this.#codeSent(result, 'email-code')) this.newEmail = email.trim();
  }

  /** "Send me a code" (and "Resend code" of the deletion's form). */
  async sendDeleteCode(): Promise<void> {
    this.about = 'delete';
    this.#codeSent(await this.#run(() => deleteAccount(this.host.session)), 'delete-code');
  }

  resend(): Promise<void> {
    return this.stage === 'email-code' ? this.sendEmailCode(this.newEmail) : this.sendDeleteCode();
  }

  /** The new address's code: the address is changed, the element shows it, and says so. */
  async confirmEmail(code: string): Promise<void> {
    const { element, session } = this.host;
    const previousEmail = element.user!.email;
    const result = await this.#run(() => confirmEmailChange(session, this.newEmail, code));
    if (!result.ok) return this.#fail(result.error);
    this.#toStart();
    this.newEmail = '';
    this.done = this.status = this.sentences!.emailChanged(result.data.user.email);
    // The kept session has the new user (account-calls.ts); the signed-in step draws it again.
    await element.reset();
    emit(element, 'passwordless-email-changed', { user: result.data.user, previousEmail });
  }

  /** The current address's code: the account is erased, the element back at the email step. */
  async confirmDelete(code: string): Promise<void> {
    const { element, session } = this.host;
    const user = element.user!;
    const result = await this.#run(() => confirmAccountDeletion(session, code));
    if (!result.ok) return this.#fail(result.error);
    // Said first, so a page that hears the sign-out right after knows why it came.
    emit(element, 'passwordless-account-deleted', { user });
    session.forget();
  }

  /** After the element has drawn what changed: the focus on `selector` (a field's text selected, to type over it). */
  async focus(selector: string): Promise<void> {
    await this.host.element.updateComplete;
    const target = this.host.element.renderRoot.querySelector<HTMLElement>(selector);
    target?.focus();
    if (target instanceof HTMLInputElement) target.select();
  }

  /** "Cancel": back to the two starts. */
  cancel(): void {
    this.#toStart();
    this.update();
  }

  toggled(open: boolean): void {
    if (open === this.open) return;
    this.open = open;
    if (!open) this.#reset();
    this.update();
  }

  #codeSent(result: ApiResult<AccountCodeSent>, stage: Stage): boolean {
    if (!result.ok) {
      const { error } = result;
      // Wait as the server says: `rate_limited` counts down on "Resend", `mail_busy` in its sentence.
      if (error.code === 'rate_limited' || error.code === 'mail_busy') this.#countFrom(error.retryAfter ?? 60);
      if (error.code === 'mail_busy') this.status = this.sentenceOf(error);
      this.#fail(error);
      return false;
    }
    this.stage = stage;
    this.codeLength = result.data.codeLength;
    this.#countFrom(result.data.retryAfter);
    this.update();
    return true;
  }

  /** Shows why a call failed, and fires `passwordless-error` as the element's own steps do. */
  #fail(error: FlowError): void {
    this.error = error;
    // Every live code is burnt: "Resend" when the server takes a new request.
    if (error.code === 'too_many_attempts') this.#countFrom(error.retryAfter ?? 0);
    this.update();
    if (this.messages) emit(this.host.element, 'passwordless-error', { code: error.code, message: this.sentenceOf(error) });
  }

  /** Busy while `work` runs, the previous error and status gone. */
  async #run<T>(work: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    this.busy = true;
    this.error = null;
    this.status = this.done = '';
    this.update();
    try {
      return await work();
    } finally {
      this.busy = false;
      this.update();
    }
  }

  /** On the element's clock as it is now (a page or a test may have replaced it since). */
  #countFrom(seconds: number): void {
    this.countdown.clock = this.host.element.clock;
    this.countdown.start(seconds);
  }

  #toStart(): void {
    this.stage = 'start';
    this.error = null;
    this.status = this.done = '';
    this.countdown.stop();
  }

  /** The step changed (signed out, signed in as someone else) or the disclosure closed: nothing of before stays. */
  #reset(): void {
    this.#toStart();
    this.open = false;
    this.newEmail = '';
  }
}

/** Each element where account changes are on (the module's `attach`), with what it keeps. */
export const attached = new WeakMap<PasswordlessLogin, ElementAccount>();
