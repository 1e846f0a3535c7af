import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { Locale, type ConfigResponse, type User, type VerifyResponse } from '../server/contract.ts';
import { ApiClient, apiBase } from './api-client.ts';
import { CountdownController, type Clock } from './countdown-controller.ts';
import { emit, type Session } from './events.ts';
import { initialState, transition, type FlowAction, type FlowError, type FlowState } from './flow.ts';
import { loadCatalog, withOverrides, type MessageOverrides } from './i18n/catalogs.ts';
import { en } from './i18n/en.ts';
import { errorMessage, matchLocale, type Messages } from './i18n/index.ts';
import { takeLinkFragment } from './link-fragment.ts';
import { styles } from './passwordless-login.styles.ts';
import { forgetSecrets, isOwnRequest, newSecret, rememberSecret } from './request-secret.ts';
import { clearSession, loadSession, saveSession, type StoredSession } from './session-store.ts';

/**
 * An email login without passwords: the person types their email, receives one message with a
 * code and a link, and either types the code here or follows the link.
 *
 * @event passwordless-code-sent - `{email, expiresIn, retryAfter}`: a code and link are on their way.
 * @event passwordless-success - `{method: 'code' | 'link', user, session}`: signed in; the session is stored
 *   (`session` is `{token, expiresAt}`, or only `{expiresAt}` when the server keeps it in a cookie).
 * @event passwordless-error - `{code, message}`: a request failed; `message` is the sentence shown.
 * @event passwordless-signed-out - The session was revoked and forgotten.
 * @event passwordless-step-change - `{step}`: `email`, `code`, `link` or `signed-in` is now shown.
 *
 * @slot header - Above the title (a logo, a product name).
 * @slot footer - Below everything (terms, a help link).
 *
 * @csspart base - The box around everything.
 * @csspart title - The heading of each step.
 * @csspart text - Explanations: where the code went, who is signed in.
 * @csspart form - The email and code forms.
 * @csspart label - Field labels.
 * @csspart input - Both text fields; also `email-input` and `code-input`.
 * @csspart actions - The row of secondary buttons.
 * @csspart button - Every button; also `primary`, `submit`, `resend`, `change-email`, `continue`, `back`, `sign-out`.
 * @csspart error - The error sentence (`role="alert"`).
 *
 * @cssproperty --pl-color-background - Box background.
 * @cssproperty --pl-color-text - Main text.
 * @cssproperty --pl-color-muted - Explanations.
 * @cssproperty --pl-color-border - Box and field borders.
 * @cssproperty --pl-color-accent - Buttons and links.
 * @cssproperty --pl-color-on-accent - Text on the primary button.
 * @cssproperty --pl-color-error - The error sentence.
 * @cssproperty --pl-color-focus - Focus ring (default: the accent).
 * @cssproperty --pl-radius - Corner radius of the box, fields and buttons (default 0.5rem).
 * @cssproperty --pl-spacing - Base gap and padding (default 0.75rem).
 * @cssproperty --pl-font-family - Default: system-ui.
 * @cssproperty --pl-font-size - Default: 1rem.
 * @cssproperty --pl-max-width - Default: 24rem.
 */
export class PasswordlessLogin extends LitElement {
  static override styles = styles;

  // A static map rather than decorators: about 400 bytes less in the bundle, and nothing for a
  // compiler to get wrong (see TOOLCHAIN.md on Vite 8 and decorators).
  static override properties = {
    api: {},
    email: {},
    lang: {},
    theme: { reflect: true },
    redirectTo: { attribute: 'redirect-to' },
    strings: { attribute: false },
    flow: { state: true },
    announcement: { state: true },
    catalog: { state: true },
  };

  /** API base URL, e.g. `https://auth.example.com/auth`; a relative one resolves against the page. Default: this script's origin + `/auth`. */
  api = '';

  /** Prefills the email field. */
  email = '';

  /** `en` or `zh-CN`. Default: the closest ancestor's `lang`, then the browser's languages, then `en`. */
  override lang = '';

  /** `auto` follows the system's color scheme. */
  theme: 'auto' | 'light' | 'dark' = 'auto';

  /** Where the magic link lands. Default: this page's URL without its fragment. */
  redirectTo = '';

  /** Your own wording for any sentence (and any error's sentence), over the chosen language's. */
  strings: MessageOverrides | null = null;

  private flow: FlowState = initialState();
  /** The chosen language's sentences; null while they are on their way (nothing is shown, so no flash of English). */
  private catalog: Messages | null = null;
  #catalogLocale: Locale | null = null;
  /** The polite status line: said once when "Resend" unlocks, never every second. */
  private announcement = '';

  readonly #countdown = new CountdownController(this, {
    onDone: () => {
      if (this.flow.step === 'code') this.announcement = this.#messages.resendReady;
    },
  });
  #stored: StoredSession | null = null;
  #config: ConfigResponse | null = null;
  /** Settles once the config is in or failed: a verify waits for it to know whether to send credentials. */
  #configured?: Promise<void>;
  #started = false;
  /** Focus follows a step change only after the person has used the element: never on page load. */
  #interacted = false;
  #moveFocus = false;
  /** The code last sent by typing, so an unchanged wrong code is not sent again by itself. */
  #autoSubmitted = '';
  readonly #pending = new Set<Promise<unknown>>();
  #apiClient: ApiClient | null = null;

  /**
   * The current session (the bearer token for your API and its end), or null. In cookie mode it
   * has no `token`: the session is in an HttpOnly cookie the browser sends to the API.
   */
  get session(): Session | null {
    if (!this.#stored) return null;
    const { user: _, ...session } = this.#stored;
    return session;
  }

  get user(): User | null {
    return this.#stored?.user ?? null;
  }

  /** The time source of the resend countdown. Tests replace it to move time instead of waiting. */
  get clock(): Clock {
    return this.#countdown.clock;
  }

  set clock(clock: Clock) {
    this.#countdown.clock = clock;
  }

  /** Resolves once no request is in flight and the element has rendered. */
  get settled(): Promise<void> {
    return (async () => {
      while (this.#pending.size) await Promise.allSettled([...this.#pending]);
      await this.updateComplete;
    })();
  }

  /** Revokes the session on the server, forgets it here and returns to the email step. */
  signOut(): Promise<void> {
    return this.#track(this.#endSession());
  }

  /** Back to the start: the email step, or the signed-in step while a session is kept. Does not sign out. */
  reset(): void {
    this.#countdown.stop();
    this.announcement = '';
    this.#dispatch(this.#stored ? { type: 'signed-in', user: this.#stored.user } : { type: 'restart', email: this.email });
  }

  async #endSession(): Promise<void> {
    const stored = this.#stored;
    if (!stored) return;
    this.#dispatch({ type: 'submit' });
    // Forget it here even if the server cannot be reached: the person asked to be signed out.
    await this.#client.logout(stored.token);
    clearSession(this.#client.base);
    this.#stored = null;
    this.#dispatch({ type: 'restart', email: '' });
    emit(this, 'passwordless-signed-out', null);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#started) return;
    this.#started = true;
    this.flow = initialState(this.email);
    void this.#track(this.#start());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#followLocale();
    if (changed.has('email') && this.#started && this.flow.step === 'email' && !this.flow.busy) {
      this.flow = { ...this.flow, email: this.email };
    }
  }

  protected override updated(): void {
    if (!this.#moveFocus) return;
    this.#moveFocus = false;
    const root = this.renderRoot;
    (root.querySelector('input') ?? root.querySelector<HTMLElement>('[part~="title"]'))?.focus();
  }

  /** Fetches the catalog when the language changes (the `lang` attribute, or the page's). */
  #followLocale(): void {
    const locale = this.#locale;
    if (locale === this.#catalogLocale) return;
    this.#catalogLocale = locale;
    if (locale === Locale.en) {
      this.catalog = en;
      return;
    }
    void this.#track(
      loadCatalog(locale).then((catalog) => {
        if (this.#catalogLocale === locale) this.catalog = catalog;
      }),
    );
  }

  protected override render(): TemplateResult {
    if (!this.catalog) return html`<div part="base" aria-busy="true"></div>`;
    const m = this.#messages;
    const flow = this.flow;
    const title = { email: m.title, code: m.title, link: m.linkTitle, 'signed-in': m.signedInTitle }[flow.step];
    return html`
      <div part="base" aria-busy=${flow.busy}>
        <slot name="header"></slot>
        <h2 part="title" tabindex="-1">${title}</h2>
        ${this.#renderStep(m, flow)}
        ${flow.error ? html`<p part="error" id="error" role="alert">${errorMessage(m, flow.error)}</p>` : nothing}
        <div class="visually-hidden" role="status">${this.announcement}</div>
        <slot name="footer"></slot>
      </div>
    `;
  }

  #renderStep(m: Messages, flow: FlowState): TemplateResult {
    switch (flow.step) {
      case 'email':
        return html`
          <form part="form" @submit=${this.#onEmailSubmit}>
            <label part="label" for="email">${m.emailLabel}</label>
            <input part="input email-input" id="email" name="email" type="email" autocomplete="email" required
              .value=${flow.email} aria-invalid=${!!flow.error} aria-describedby=${flow.error ? 'error' : nothing} />
            <button part="button primary submit" ?disabled=${flow.busy}>${m.sendCode}</button>
          </form>
        `;
      case 'code': {
        const wrong = flow.error?.code === 'invalid_code';
        const seconds = this.#countdown.remaining;
        return html`
          <p part="text">${m.codeSentTo(flow.email)}</p>
          ${flow.recent ? html`<p part="text" id="note">${m.codeSentRecently}</p>` : nothing}
          <form part="form" @submit=${this.#onCodeSubmit}>
            <label part="label" for="code">${m.codeLabel}</label>
            <input part="input code-input" id="code" name="code" type="text" inputmode="numeric"
              autocomplete="one-time-code" required maxlength=${flow.codeLength * 3}
              aria-invalid=${wrong} aria-describedby=${wrong ? 'error' : flow.recent ? 'note' : nothing} @input=${this.#onCodeInput} />
            <button part="button primary submit" ?disabled=${flow.busy}>${m.verifyCode}</button>
          </form>
          <div part="actions">
            <button part="button resend" type="button" ?disabled=${flow.busy || seconds > 0} @click=${this.#onResend}>
              ${seconds > 0 ? m.resendIn(seconds) : m.resend}
            </button>
            <button part="button change-email" type="button" @click=${this.#onChangeEmail}>${m.changeEmail}</button>
          </div>
        `;
      }
      case 'link': {
        // A used or expired link cannot be retried, only replaced; a failed connection can.
        const retry = !flow.error || flow.error.code === 'network_error';
        // "Back" leads to the session still kept, if any, else to the email step.
        const user = this.#stored?.user;
        return html`
          <p part="text">${flow.busy ? m.signingIn : retry ? m.linkExplain : user ? m.signedInAs(user.email) : m.linkFailed}</p>
          <div part="actions">
            ${retry
              ? html`<button part="button primary continue" type="button" ?disabled=${flow.busy} @click=${this.#onContinue}>
                  ${m.linkContinue}
                </button>`
              : nothing}
            ${flow.error
              ? html`<button part="button back" type="button" @click=${this.#onBack}>${user ? m.back : m.backToEmail}</button>`
              : nothing}
          </div>
        `;
      }
      case 'signed-in':
        return html`
          <p part="text">${m.signedInAs(flow.user.email)}</p>
          <div part="actions">
            <button part="button sign-out" type="button" ?disabled=${flow.busy} @click=${this.#onSignOut}>${m.signOut}</button>
          </div>
        `;
    }
  }

  async #start(): Promise<void> {
    // Take the token out of the address bar before anything else can read or log it.
    const link = takeLinkFragment();
    const base = this.#client.base;
    this.#stored = loadSession(base);
    // A session kept without a token is in the cookie: only checking it with credentials tells
    // whether it still holds (so a page load with nothing kept asks the server nothing).
    if (this.#stored && !this.#stored.token) this.#client.cookie = true;
    if (link) this.#dispatch({ type: 'link-opened', token: link.token });
    else if (this.#stored) this.#dispatch({ type: 'signed-in', user: this.#stored.user });

    const config = (this.#configured = this.#client.config().then((r) => {
      if (r.ok) this.#client.cookie = (this.#config = r.data).sessionCookie;
    }));
    if (link) {
      if (await isOwnRequest(base, link.client)) await this.#verifyLink();
    } else if (this.#stored) {
      await this.#refreshSession(this.#stored);
    }
    await config;
  }

  async #refreshSession(stored: StoredSession): Promise<void> {
    const result = await this.#client.session(stored.token);
    if (this.#stored !== stored) return;
    if (result.ok) {
      this.#stored = { ...stored, user: result.data.user, expiresAt: result.data.session.expiresAt };
      saveSession(this.#client.base, this.#stored);
      if (this.flow.step === 'signed-in') this.#dispatch({ type: 'signed-in', user: this.#stored.user });
    } else if (result.status === 401) {
      clearSession(this.#client.base);
      this.#stored = null;
      if (this.flow.step === 'signed-in') this.#dispatch({ type: 'restart', email: this.email });
    }
    // Any other failure (offline, an outage) keeps the stored session: the server decides later.
  }

  private async requestCode(email: string): Promise<void> {
    if (this.flow.busy) return;
    this.#dispatch({ type: 'submit' });
    const secret = await newSecret();
    const result = await this.#client.request({
      email,
      locale: this.#requestLocale,
      redirectTo: this.redirectTo || location.href.split('#')[0],
      ...(secret && { clientHash: secret.clientHash }),
    });
    if (!result.ok) {
      const { error } = result;
      const limited = error.code === 'rate_limited';
      // Refused at the email step, a code went to this address moments ago (a reload, or "use a
      // different email" and back): the person may hold it, so ask for it. The server answers
      // unknown emails alike, so this reveals nothing. Without the config the code length is
      // unknown, and the error stays on the email step.
      const config = limited && this.flow.step === 'email' && this.#config;
      if (config) this.#dispatch({ type: 'code-pending', email, codeLength: config.codeLength });
      else this.#fail(error);
      if (limited && this.flow.step === 'code') this.#startCountdown(error.retryAfter ?? this.#config?.resendSeconds ?? 60);
      return;
    }
    if (secret) rememberSecret(this.#client.base, secret.secret, email);
    const { codeLength, expiresIn, retryAfter } = result.data;
    this.#autoSubmitted = '';
    this.#dispatch({ type: 'code-sent', email, codeLength });
    this.#startCountdown(retryAfter);
    emit(this, 'passwordless-code-sent', { email, expiresIn, retryAfter });
  }

  private async verifyCode(code: string): Promise<void> {
    const flow = this.flow;
    if (flow.step !== 'code' || flow.busy) return;
    this.#dispatch({ type: 'submit' });
    await this.#configured;
    const result = await this.#client.verify({ email: flow.email, code });
    if (result.ok) return this.#signIn(result.data, 'code');
    this.#fail(result.error);
    // Select the wrong code so the next one types over it.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#code')?.select();
  }

  async #verifyLink(): Promise<void> {
    const flow = this.flow;
    if (flow.step !== 'link' || flow.busy) return;
    this.#dispatch({ type: 'submit' });
    await this.#configured;
    const result = await this.#client.verify({ token: flow.token });
    if (result.ok) this.#signIn(result.data, 'link');
    else this.#fail(result.error);
  }

  #signIn({ user, session }: VerifyResponse, method: 'code' | 'link'): void {
    const base = this.#client.base;
    // In cookie mode `session` has no token: the marker `{expiresAt, user}` is all that is kept.
    this.#stored = { ...session, user };
    saveSession(base, this.#stored);
    forgetSecrets(base);
    this.#countdown.stop();
    this.announcement = '';
    this.#dispatch({ type: 'signed-in', user });
    emit(this, 'passwordless-success', { method, user, session: this.session! });
  }

  #fail(error: FlowError): void {
    this.#dispatch({ type: 'failed', error });
    emit(this, 'passwordless-error', { code: error.code, message: errorMessage(this.#messages, error) });
  }

  #startCountdown(seconds: number): void {
    this.announcement = '';
    this.#countdown.start(seconds);
  }

  #dispatch(action: FlowAction): void {
    const before = this.flow.step;
    this.flow = transition(this.flow, action);
    if (this.flow.step === before) return;
    this.#moveFocus = this.#interacted;
    emit(this, 'passwordless-step-change', { step: this.flow.step });
  }

  /**
   * Tracks a handler's work for `settled`, and turns an exception in it (a browser without some
   * API, an `api` that is not a URL, a bug) into the `internal_error` sentence and event: nothing
   * may leave the element busy and silent.
   */
  #track(work: Promise<void>): Promise<void> {
    const tracked = work.catch(() => this.#fail({ code: 'internal_error' }));
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
    return tracked;
  }

  #onEmailSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.#interacted = true;
    const email = String(new FormData(event.target as HTMLFormElement).get('email') ?? '').trim();
    void this.#track(this.requestCode(email));
  }

  #onCodeInput(event: InputEvent): void {
    const input = event.target as HTMLInputElement;
    // NFKC turns full-width digits (Chinese input methods) into ASCII; then drop spaces and dashes.
    const digits = input.value.normalize('NFKC').replace(/\D/g, '');
    if (digits !== input.value) input.value = digits;
    const flow = this.flow;
    if (flow.step !== 'code' || digits.length !== flow.codeLength || digits === this.#autoSubmitted) return;
    this.#interacted = true;
    this.#autoSubmitted = digits;
    void this.#track(this.verifyCode(digits));
  }

  #onCodeSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.#interacted = true;
    const code = String(new FormData(event.target as HTMLFormElement).get('code') ?? '');
    void this.#track(this.verifyCode(code.normalize('NFKC').replace(/\D/g, '')));
  }

  #onResend(): void {
    this.#interacted = true;
    if (this.flow.step === 'code') void this.#track(this.requestCode(this.flow.email));
  }

  #onChangeEmail(): void {
    this.#interacted = true;
    this.#countdown.stop();
    this.announcement = '';
    this.#dispatch({ type: 'restart', email: this.flow.step === 'code' ? this.flow.email : this.email });
  }

  #onBack(): void {
    this.#interacted = true;
    this.reset();
  }

  #onContinue(): void {
    this.#interacted = true;
    void this.#track(this.#verifyLink());
  }

  #onSignOut(): void {
    this.#interacted = true;
    void this.signOut();
  }

  get #client(): ApiClient {
    const base = apiBase(this.api);
    if (this.#apiClient?.base !== base) this.#apiClient = new ApiClient(base);
    return this.#apiClient;
  }

  get #locale(): Locale {
    const candidates = [this.lang || closestLang(this), ...navigator.languages, navigator.language];
    return candidates.map(matchLocale).find((l) => l !== null) ?? Locale.en;
  }

  /** The locale for the email: ours, unless the server says it cannot write it. */
  get #requestLocale(): Locale {
    const locale = this.#locale;
    return !this.#config || this.#config.locales.includes(locale) ? locale : this.#config.defaultLocale;
  }

  get #messages(): Messages {
    return withOverrides(this.catalog ?? en, this.strings);
  }
}

/** The `lang` of the closest ancestor, crossing shadow roots. */
function closestLang(element: Element): string | null {
  let node: Node | null = element.parentNode;
  while (node) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang');
    node = node instanceof ShadowRoot ? node.host : node.parentNode;
  }
  return null;
}
