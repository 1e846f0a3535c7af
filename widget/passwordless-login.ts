import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ApiPath, RTL_LOCALES, type Locale, type ConfigResponse, type User, type VerifyBody, type VerifyResponse } from '../contract/index.ts';
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
import { clearSession, loadSession, saveSession, SESSION_KEY_PREFIX, type StoredSession } from './session-store.ts';

/**
 * @tag passwordless-login
 * @summary An email login without passwords: one message with a code and a link; type the code
 * here, or follow the link.
 *
 * The steps are `email` → `code` (countdown-limited resend, change email) → `signed-in` (sign
 * out), plus `link` when the page was opened from a magic link. The session is kept in
 * `localStorage` per API base and shared by every tab of the page's origin: when the link finishes
 * the login in a new tab, the tab that asked for the code signs in too (and signing out in one tab
 * signs out the others).
 *
 * Styling: `--pl-*` custom properties, a `::part()` on every visible piece, slots for a header and
 * a footer, `theme="auto|light|dark"`. Everything is in adopted style sheets, so a strict
 * Content-Security-Policy needs nothing added.
 *
 * @event {CustomEvent<CodeSentDetail>} passwordless-code-sent - `{email, expiresIn, retryAfter}`: a code and link are on their way.
 * @event {CustomEvent<SuccessDetail>} passwordless-success - `{method: 'code' | 'link', user, session}`: signed in, and the
 *   session is stored (`session` is `{token, expiresAt}`, or only `{expiresAt}` when the server keeps it in a cookie). Also
 *   fired when another tab of this browser signed in with the same API (the magic link opened in a new tab): `method` is
 *   then how that tab did it.
 * @event {CustomEvent<ErrorDetail>} passwordless-error - `{code, message}`: a request failed; `message` is the sentence shown.
 * @event {CustomEvent<null>} passwordless-signed-out - The session was revoked and forgotten, here or in another tab.
 * @event {CustomEvent<StepChangeDetail>} passwordless-step-change - `{step}`: `email`, `code`, `link` or `signed-in` is now shown.
 *
 * @slot header - Above the title (a logo, a product name).
 * @slot footer - Below everything (terms, a help link).
 *
 * @csspart base - The box around everything; carries `dir` and `lang` of the language shown.
 * @csspart title - The heading of each step.
 * @csspart text - Explanations: where the code went, who is signed in.
 * @csspart form - The email and code forms.
 * @csspart label - Field labels.
 * @csspart input - Both text fields.
 * @csspart email-input - The email field.
 * @csspart code-input - The code field.
 * @csspart actions - The row of secondary buttons.
 * @csspart button - Every button.
 * @csspart primary - The main button of a step (also `button`): send, sign in, continue.
 * @csspart submit - The button of each form (send the code, sign in with it).
 * @csspart resend - "Resend code", disabled during the countdown.
 * @csspart change-email - "Use a different email".
 * @csspart continue - "Continue signing in" on a magic link.
 * @csspart back - Back from a failed magic link.
 * @csspart sign-out - "Sign out".
 * @csspart error - The error sentence (`role="alert"`).
 *
 * @cssproperty [--pl-color-background=light-dark(#ffffff, #1c1c21)] - Box background (light, dark).
 * @cssproperty [--pl-color-text=light-dark(#1b1b1f, #ececf1)] - Main text.
 * @cssproperty [--pl-color-muted=light-dark(#5b5b66, #a8a8b3)] - Explanations.
 * @cssproperty [--pl-color-border=light-dark(#8a8a96, #6e6e7a)] - Box and field borders.
 * @cssproperty [--pl-color-accent=light-dark(#3a4fd8, #8c9bff)] - Buttons and the focus ring.
 * @cssproperty [--pl-color-on-accent=light-dark(#ffffff, #101018)] - Text on the primary button.
 * @cssproperty [--pl-color-error=light-dark(#b3261e, #ffb4ab)] - The error sentence.
 * @cssproperty [--pl-color-focus=var(--pl-color-accent)] - Focus ring.
 * @cssproperty [--pl-radius=0.5rem] - Corner radius of the box, fields and buttons.
 * @cssproperty [--pl-spacing=0.75rem] - Base gap and padding.
 * @cssproperty [--pl-font-family=system-ui, sans-serif] - Font.
 * @cssproperty [--pl-font-size=1rem] - Base font size.
 * @cssproperty [--pl-max-width=24rem] - Largest inline size of the box.
 */
export class PasswordlessLogin extends LitElement {
  static override styles = styles;

  // A static map rather than decorators: about 400 bytes less in the bundle, and nothing for a
  // compiler to get wrong (see TOOLCHAIN.md on Vite 8 and decorators).
  static override properties = {
    api: {},
    email: {},
    lang: {},
    theme: {},
    redirectTo: { attribute: 'redirect-to' },
    strings: { attribute: false },
    flow: { state: true },
    catalog: { state: true },
  };

  /** API base URL, e.g. `https://auth.example.com/auth`; a relative one resolves against the page. Default: this script's origin + `/auth`. */
  api = '';

  /** Prefills the email field. */
  email = '';

  /**
   * The language, e.g. `en`, `zh-CN`, `ar` (any BCP 47 tag; `pt-BR` speaks `pt`). Default: the
   * closest ancestor's `lang`, then the browser's languages, then `en`. Right-to-left languages
   * turn the box around (`dir="rtl"` on the `base` part).
   */
  override lang = '';

  /**
   * `light` or `dark` pins the colors. `auto` (the default) follows the host page: its
   * `color-scheme` where it declares one (inherited by the element), else the system's
   * `prefers-color-scheme`. Read at each render: call `requestUpdate()` after the page switches.
   */
  theme: 'auto' | 'light' | 'dark' = 'auto';

  /** Where the magic link lands. Default: this page's URL without its fragment. */
  redirectTo = '';

  /**
   * Your own wording for any sentence (and any error's sentence), over the chosen language's:
   * `el.strings = {title: 'Log in', errors: {invalid_code: 'Nope.'}}`. Sentences that take a value
   * are functions (`codeSentTo: (email) => …`); see the `Messages` type.
   */
  strings: MessageOverrides | null = null;

  /** @internal Where the person is: a reactive state, not an attribute. */
  private flow: FlowState = initialState();
  /** @internal The chosen language's sentences; null while they are on their way (nothing is shown, so no flash of English). */
  private catalog: Messages | null = null;
  #catalogLocale: Locale | null = null;
  /** The language of `catalog` (English when the wanted one could not be fetched). */
  #catalogLang: Locale = 'en';
  /**
   * The polite status line: said once when "Resend" unlocks, never every second. Not reactive:
   * every change comes with a countdown or flow change that renders anyway.
   */
  #announcement = '';

  readonly #countdown = new CountdownController(this, {
    onDone: () => {
      if (this.flow.step === 'code') this.#announcement = this.#messages.resendReady;
    },
  });
  #stored: StoredSession | null = null;
  #config: ConfigResponse | null = null;
  /** Settles once the config is in or failed: a verify waits for it to know whether to send credentials. */
  #configured?: Promise<void>;
  #started = false;
  /**
   * Focus follows a step change only after the person has used the element (a click or typing
   * inside it, which includes Enter in a field and keys on a button): never on page load.
   */
  #interacted = false;
  #moveFocus = false;
  /** The code last sent by typing, so an unchanged wrong code is not sent again by itself. */
  #autoSubmitted = '';
  readonly #pending = new Set<Promise<unknown>>();
  #apiClient: ApiClient | null = null;
  /** The last access token, until when (this clock) to reuse it (a minute before it expires), and for which session. */
  #access: [token: string, until: number, session: string] | null = null;

  /**
   * The current session (the bearer token for your API and its end), or null. In cookie mode it
   * has no `token`: the session is in an HttpOnly cookie the browser sends to the API.
   */
  get session(): Session | null {
    if (!this.#stored) return null;
    const { user: _, method: __, ...session } = this.#stored;
    return session;
  }

  /** Who is signed in, or null. */
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

  /**
   * Sends a code and a link to `email` (default: what is in the email field, or on the code step
   * the address the code went to: a resend). Works on the email and code steps; elsewhere, or
   * while a request is in flight, it does nothing. Resolves once the server has answered: then
   * the code step shows and `passwordless-code-sent` has fired, or `passwordless-error` has.
   */
  requestCode(email?: string): Promise<void> {
    return this.#track(this.#request(email));
  }

  /**
   * Signs in with `code` (spaces, dashes and full-width digits are fine). Works on the code step;
   * elsewhere, or while a request is in flight, it does nothing. Resolves once the server has
   * answered: then `passwordless-success` or `passwordless-error` has fired.
   */
  verifyCode(code: string): Promise<void> {
    return this.#track(this.#verify({ email: (this.flow as { email: string }).email, code: digitsOf(code) }, 'code'));
  }

  /** "Resend code": a new code to the same address. Does nothing except on the code step with the countdown over. */
  async resend(): Promise<void> {
    if (this.flow.step === 'code' && !this.#countdown.remaining) await this.requestCode(this.flow.email);
  }

  /**
   * Revokes the session on the server, forgets it here (and in the other tabs) and returns to the
   * email step, firing `passwordless-signed-out`. Does nothing when no one is signed in.
   */
  signOut(): Promise<void> {
    return this.#track(this.#endSession());
  }

  /**
   * A short-lived signed token (a JWT) that proves to your own API who is signed in: send it as
   * `Authorization: Bearer …`, and your backend verifies it offline with the keys at
   * `/.well-known/jwks.json`. Kept and reused until a minute before it expires. Null when no one
   * is signed in or the server cannot be reached; when the server says the session has ended, the
   * element also signs out here.
   */
  async getAccessToken(): Promise<string | null> {
    const session = this.#sessionKey;
    // The client's own clock, from the lifetime: a server clock minutes off must not matter.
    const now = this.clock.now();
    if (!session) return null;
    if (this.#access?.[2] === session && this.#access[1] > now) return this.#access[0];
    const result = await this.#client.call(ApiPath.token, {}, this.#stored!.token);
    // Signed out, or in as someone else, meanwhile: the answer is about a session that is gone.
    if (this.#sessionKey !== session) return null;
    if (!result.ok) {
      if (result.status === 401) this.#forget();
      return null;
    }
    const { accessToken, expiresIn } = result.data;
    this.#access = [accessToken, now + expiresIn * 1e3 - 6e4, session];
    return accessToken;
  }

  /** session-store.ts `sessionKeyOf`, written out: the call would cost 13 B of the script-tag file. */
  get #sessionKey(): string | undefined {
    return this.#stored ? (this.#stored.token ?? this.#stored.user.id) : undefined;
  }

  /** Back to the start: the email step, or the signed-in step while a session is kept. Does not sign out. */
  async reset(): Promise<void> {
    this.#restart(this.email);
  }

  /** To the email step with `email` in the field, or to the signed-in step while a session is kept. */
  #restart(email: string): void {
    this.#countdown.stop();
    this.#announcement = '';
    this.#dispatch(this.#stored ? { type: 'signed-in', user: this.#stored.user } : { type: 'restart', email });
  }

  async #endSession(): Promise<void> {
    const stored = this.#stored;
    if (!stored || this.flow.busy) return;
    this.#dispatch({ type: 'submit' });
    // Forget it here even if the server cannot be reached: the person asked to be signed out.
    await this.#client.call(ApiPath.logout, {}, stored.token);
    this.#forget();
  }

  /** Ends the session here and in the other tabs: signed out, or the server says it is over. */
  #forget(): void {
    clearSession(this.#client.base);
    this.#signedOut();
  }

  /** Signed out here, or in another tab. */
  #signedOut(): void {
    if (!this.#stored) return;
    this.#stored = null;
    this.#dispatch({ type: 'restart', email: this.email });
    emit(this, 'passwordless-signed-out', null);
  }

  /**
   * Another tab of this origin stored or removed the session (a `storage` event fires only in the
   * other tabs). The magic link usually opens in a new tab: this is how the tab that asked for the
   * code learns that the login is done. Works when the link lands on a page of this origin (the
   * default: the page that asked), not on the API's own `/auth/link` page on another origin.
   */
  readonly #onStorage = ({ key }: StorageEvent): void => {
    if (key && !key.startsWith(SESSION_KEY_PREFIX)) return;
    const stored = loadSession(this.#client.base);
    if (!stored) this.#signedOut();
    else if (!this.#stored) this.#enter((this.#stored = stored));
  };

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('storage', this.#onStorage);
    if (this.#started) return;
    this.#started = true;
    this.flow = initialState(this.email);
    void this.#track(this.#start());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('storage', this.#onStorage);
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
    if (!this.#interacted) return;
    const root = this.renderRoot;
    (root.querySelector('input') ?? root.querySelector<HTMLElement>('[part~="title"]'))?.focus();
  }

  /** Fetches the catalog when the language changes (the `lang` attribute, or the page's). */
  #followLocale(): void {
    const locale = this.#locale;
    if (locale === this.#catalogLocale) return;
    this.#catalogLocale = locale;
    const show = (catalog: Messages) => {
      if (this.#catalogLocale !== locale) return;
      this.catalog = catalog;
      this.#catalogLang = catalog === en ? 'en' : locale;
    };
    if (locale === 'en') show(en);
    else void this.#track(loadCatalog(locale).then(show));
  }

  protected override render(): TemplateResult {
    if (!this.catalog) return html`<div part="base" aria-busy="true"></div>`;
    const m = this.#messages;
    const flow = this.flow;
    const title = { email: m.title, code: m.title, link: m.linkTitle, 'signed-in': m.signedInTitle }[flow.step];
    const lang = this.#catalogLang;
    // `auto`: a page that declares a color-scheme passes it down (no class: inherited); with none
    // ('normal') the system's preference decides (`auto` class: `color-scheme: light dark`).
    const theme = this.theme;
    const scheme = theme === 'light' || theme === 'dark' ? theme : getComputedStyle(this).colorScheme === 'normal' ? 'auto' : '';
    return html`
      <div part="base" class=${scheme} lang=${lang} dir=${RTL_LOCALES.includes(lang) ? 'rtl' : 'ltr'} aria-busy=${flow.busy}
        @click=${this.#onUse} @input=${this.#onUse}>
        <slot name="header"></slot>
        <h2 part="title" tabindex="-1">${title}</h2>
        ${this.#renderStep(m, flow, flow.error ? html`<p part="error" id="error" role="alert">${errorMessage(m, flow.error)}</p>` : nothing)}
        <div class="visually-hidden" role="status">${this.#announcement}</div>
        <slot name="footer"></slot>
      </div>
    `;
  }

  /** `error` goes right under what it is about: the field, or the step's sentence. */
  #renderStep(m: Messages, flow: FlowState, error: unknown): TemplateResult {
    switch (flow.step) {
      case 'email':
        return html`
          <form part="form" @submit=${this.#onSubmit}>
            <label part="label" for="email">${m.emailLabel}</label>
            <input part="input email-input" id="email" name="email" type="email" autocomplete="email" required
              .value=${flow.email} aria-invalid=${!!flow.error} aria-describedby=${flow.error ? 'error' : nothing} />
            ${error}
            <button part="button primary submit" ?disabled=${flow.busy}>${m.sendCode}</button>
          </form>
        `;
      case 'code': {
        const wrong = flow.error?.code === 'invalid_code';
        const seconds = this.#countdown.remaining;
        return html`
          <p part="text">${m.codeSentTo(flow.email)}</p>
          ${flow.recent ? html`<p part="text" id="note">${m.codeSentRecently}</p>` : nothing}
          <form part="form" @submit=${this.#onSubmit}>
            <label part="label" for="code">${m.codeLabel}</label>
            <input part="input code-input" id="code" name="code" type="text" inputmode="numeric"
              autocomplete="one-time-code" required maxlength=${flow.codeLength * 3}
              aria-invalid=${wrong} aria-describedby=${wrong ? 'error' : flow.recent ? 'note' : nothing} @input=${this.#onCodeInput} />
            ${error}
            <button part="button primary submit" ?disabled=${flow.busy}>${m.verifyCode}</button>
          </form>
          <div part="actions">
            <button part="button resend" type="button" ?disabled=${flow.busy || seconds > 0} @click=${this.resend}>
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
          ${error}
          <div part="actions">
            ${retry
              ? html`<button part="button primary continue" type="button" ?disabled=${flow.busy} @click=${this.#verifyLink}>
                  ${m.linkContinue}
                </button>`
              : nothing}
            ${flow.error
              ? html`<button part="button back" type="button" @click=${this.reset}>${user ? m.back : m.backToEmail}</button>`
              : nothing}
          </div>
        `;
      }
      case 'signed-in':
        return html`
          <p part="text">${m.signedInAs(flow.user.email)}</p>
          ${error}
          <div part="actions">
            <button part="button sign-out" type="button" ?disabled=${flow.busy} @click=${this.signOut}>${m.signOut}</button>
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

    const config = (this.#configured = this.#client.call(ApiPath.config).then((r) => {
      if (r.ok) this.#client.cookie = (this.#config = r.data).sessionCookie;
    }));
    if (link) {
      if (isOwnRequest(base, link.client)) await this.#verifyLink();
    } else if (this.#stored) {
      await this.#refreshSession(this.#stored);
    }
    await config;
  }

  async #refreshSession(stored: StoredSession): Promise<void> {
    const result = await this.#client.call(ApiPath.session, undefined, stored.token);
    if (this.#stored !== stored) return;
    if (result.ok) {
      this.#stored = { ...stored, user: result.data.user, expiresAt: result.data.session.expiresAt };
      saveSession(this.#client.base, this.#stored);
      if (this.flow.step === 'signed-in') this.#dispatch({ type: 'signed-in', user: this.#stored.user });
    } else if (result.status === 401) {
      // The session ended on the server (revoked, expired): the page learns it is signed out.
      this.#forget();
    }
    // Any other failure (offline, an outage) keeps the stored session: the server decides later.
  }

  async #request(email?: string): Promise<void> {
    const flow = this.flow;
    if (flow.busy || (flow.step !== 'email' && flow.step !== 'code')) return;
    email = (email ?? this.renderRoot?.querySelector<HTMLInputElement>('#email')?.value ?? flow.email).trim();
    this.#dispatch({ type: 'submit' });
    const asked = this.flow;
    const secret = newSecret();
    const result = await this.#client.call(ApiPath.request, {
      email,
      locale: this.#requestLocale,
      redirectTo: this.redirectTo || location.href.split('#')[0],
      clientHash: secret,
    });
    if (result.ok) rememberSecret(this.#client.base, secret);
    // Signed in by another tab, or reset() meanwhile: the answer is no longer what is on screen.
    if (this.flow !== asked) return;
    if (!result.ok) {
      const { error } = result;
      const limited = error.code === 'rate_limited';
      // Refused at the email step, a code went to this address moments ago (a reload, or "use a
      // different email" and back): the person may hold it, so ask for it. The server answers
      // unknown emails alike, so this reveals nothing. Without the config the code length is
      // unknown, and the error stays on the email step.
      const config = limited && flow.step === 'email' && this.#config;
      if (config) this.#dispatch({ type: 'code-pending', email, codeLength: config.codeLength });
      else this.#fail(error);
      if (limited && this.flow.step === 'code') this.#startCountdown(error.retryAfter ?? this.#config?.resendSeconds ?? 60);
      return;
    }
    const { codeLength, expiresIn, retryAfter } = result.data;
    this.#autoSubmitted = '';
    this.#dispatch({ type: 'code-sent', email, codeLength });
    this.#startCountdown(retryAfter);
    emit(this, 'passwordless-code-sent', { email, expiresIn, retryAfter });
  }

  #verifyLink(): Promise<void> {
    return this.#track(this.#verify({ token: (this.flow as { token: string }).token }, 'link'));
  }

  /** Sends a code (on the code step) or a link token (on the link step) to the server. */
  async #verify(body: VerifyBody, method: 'code' | 'link'): Promise<void> {
    if (this.flow.step !== method || this.flow.busy) return;
    this.#dispatch({ type: 'submit' });
    const asked = this.flow;
    await this.#configured;
    const result = await this.#client.call(ApiPath.verify, body);
    if (result.ok) return this.#signIn(result.data, method);
    if (this.flow !== asked) return;
    this.#fail(result.error);
    // Select the wrong code so the next one types over it.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#code')?.select();
  }

  #signIn({ user, session }: VerifyResponse, method: 'code' | 'link'): void {
    // In cookie mode `session` has no token: the marker `{expiresAt, user, method}` is all that is kept.
    saveSession(this.#client.base, (this.#stored = { ...session, user, method }));
    this.#enter(this.#stored);
  }

  /** Signed in, here or in another tab (whose session is `stored`). */
  #enter({ user, method = 'link' }: StoredSession): void {
    forgetSecrets(this.#client.base);
    this.#countdown.stop();
    this.#announcement = '';
    this.#dispatch({ type: 'signed-in', user });
    emit(this, 'passwordless-success', { method, user, session: this.session! });
  }

  #fail(error: FlowError): void {
    this.#dispatch({ type: 'failed', error });
    emit(this, 'passwordless-error', { code: error.code, message: errorMessage(this.#messages, error) });
  }

  #startCountdown(seconds: number): void {
    this.#announcement = '';
    this.#countdown.start(seconds);
  }

  #dispatch(action: FlowAction): void {
    const before = this.flow.step;
    this.flow = transition(this.flow, action);
    if (this.flow.step === before) return;
    this.#moveFocus = true;
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

  /** Both forms: the email step's sends a code, the code step's signs in with it. */
  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const value = (event.target as HTMLFormElement).querySelector('input')!.value;
    void (this.flow.step === 'code' ? this.verifyCode(value) : this.requestCode(value));
  }

  #onCodeInput(event: InputEvent): void {
    const input = event.target as HTMLInputElement;
    const digits = digitsOf(input.value);
    if (digits !== input.value) input.value = digits;
    const flow = this.flow;
    if (flow.step !== 'code' || digits.length !== flow.codeLength || digits === this.#autoSubmitted) return;
    this.#autoSubmitted = digits;
    void this.verifyCode(digits);
  }

  #onUse(): void {
    this.#interacted = true;
  }

  /** "Use a different email": back with the address the code went to in the field. */
  #onChangeEmail(): void {
    this.#restart((this.flow as { email: string }).email);
  }

  get #client(): ApiClient {
    const base = apiBase(this.api);
    if (this.#apiClient?.base !== base) this.#apiClient = new ApiClient(base);
    return this.#apiClient;
  }

  get #locale(): Locale {
    const candidates = [this.lang || closestLang(this), ...navigator.languages, navigator.language];
    return candidates.map(matchLocale).find((l) => l !== null) ?? 'en';
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

/** NFKC turns full-width digits (Chinese input methods) into ASCII; then spaces and dashes go. */
function digitsOf(code: string): string {
  return code.normalize('NFKC').replace(/\D/g, '');
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
