import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ApiPath, RTL_LOCALES, type ConfigResponse, type Locale, type User, type VerifyBody } from '../../contract/index.ts';
import { ApiClient, apiBase } from '../api/api-client.ts';
import { explainUnreachable } from '../api/origin-check.ts';
import { requestCode } from '../api/request-code.ts';
import { CountdownController, type Clock } from '../countdown/countdown-controller.ts';
import type { FeatureHost } from '../features/feature.ts';
import { english, extras, loadFeature, views, type ConfigFeatureName, type FeatureName, type Features } from '../features/registry.ts';
import { digitsOf } from '../flow/code-digits.ts';
import { initialState, transition, type FlowAction, type FlowError, type FlowState, type Step } from '../flow/flow.ts';
import { withOverrides, type MessageOverrides } from '../i18n/catalogs.ts';
import { en } from '../i18n/en.ts';
import { errorMessage, type Messages } from '../i18n/index.ts';
import { LocaleController } from '../i18n/locale-controller.ts';
import { takeLinkFragment } from '../magic-link/link-fragment.ts';
import { SessionKeeper } from '../session/session-keeper.ts';
import type { StoredSession } from '../session/stored-session.ts';
import { emit, type Session } from './events.ts';
import { styles } from './passwordless-login.styles.ts';

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
 * @event {CustomEvent<SuccessDetail>} passwordless-success - `{method: 'code' | 'link' | 'passkey', user, session}`: signed in, and the
 *   session is stored (`session` is `{token, expiresAt}`, or only `{expiresAt}` when the server keeps it in a cookie). Also
 *   fired when another tab of this browser signed in with the same API (the magic link opened in a new tab): `method` is
 *   then how that tab did it.
 * @event {CustomEvent<ErrorDetail>} passwordless-error - `{code, message}`: a request failed; `message` is the sentence shown.
 * @event {CustomEvent<null>} passwordless-signed-out - The session was revoked and forgotten, here or in another tab.
 * @event {CustomEvent<StepChangeDetail>} passwordless-step-change - `{step}`: `email`, `code`, `link`, `second-factor` (the totp module's) or `signed-in` is now shown.
 * @event {CustomEvent<EmailChangedDetail>} passwordless-email-changed - `{user, previousEmail}`: the account module changed the
 *   address (`user` has the new one, as `element.user` has).
 * @event {CustomEvent<AccountDeletedDetail>} passwordless-account-deleted - `{user}`: the account module deleted the account;
 *   `passwordless-signed-out` follows at once.
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
 * @csspart passkey-sign-in - "Sign in with a passkey" under the email form (where the server has passkeys on).
 * @csspart passkey-error - Why a passkey call failed (also `error`).
 * @csspart passkey-offer - The offer of a passkey after a sign-in by email, with `add-passkey` and `not-now`.
 * @csspart add-passkey - "Add a passkey", in the offer and under the list.
 * @csspart not-now - "Not now" in the offer.
 * @csspart passkeys - The "Passkeys" disclosure (a `details`) on the signed-in step; its `summary` is `passkeys-summary`.
 * @csspart passkey-list - The list of passkeys; each item is `passkey`, with `passkey-name` and `passkey-details`.
 * @csspart rename - "Rename" a passkey; the inline form is `passkey-rename`, with `save` and `cancel`.
 * @csspart remove - "Remove" a passkey; the confirmation's button is `confirm-remove`.
 * @csspart approval-number - On the code step (where the server has approvals on), the number to pick on the other device, or why that way is over (also `text`).
 * @csspart approval-device - On a link opened in another browser while the browser that asked waits: what asked, and when (also `text`).
 * @csspart approve-there - "Sign in on the device that asked" (also `primary`); beside it `sign-in-here` (also `continue`).
 * @csspart approval-choices - The three numbers to pick from; each is `approval-choice` (also `button`).
 * @csspart approval-done - "Done: you are signed in on the other device…" (also `text`); `approval-error` says why approving failed (also `error`).
 * @csspart account - The "Account" disclosure (a `details`) on the signed-in step, where the server allows account changes; its `summary` is `account-summary`.
 * @csspart account-heading - "Change email" and "Delete account" (`h3`).
 * @csspart email-change - The change of address: `email-change-form`, its field `new-email-input`, and `send-email-code`.
 * @csspart account-deletion - The deletion's warning and `send-delete-code`.
 * @csspart account-code - The code step of either: `account-code-form`, `account-code-input`, `confirm-email-change` or `confirm-delete`, `account-resend`, `cancel`.
 * @csspart account-done - "Your address is now …" (also `text`); `account-error` says why an account call failed (also `error`).
 * @csspart second-factor-form - The second step's form (where the server has authenticator-app codes on): `totp-code-input` or `recovery-code-input`, and `use-recovery-code`.
 * @csspart totp - The "Two-step verification" disclosure (a `details`) on the signed-in step; its `summary` is `totp-summary`.
 * @csspart totp-qr - The setup's QR code (`role="img"`), with `totp-secret` (the key by 4), `totp-copy`, and the code form `totp-form` (`totp-input`, `totp-submit`, `totp-error`).
 * @csspart totp-codes - The recovery codes shown once, under `totp-heading`, with `totp-download` and `totp-saved`; `totp-turn-on`, `totp-turn-off`, `totp-new-codes`, `totp-on` the status's.
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
  // compiler to get wrong: Vite 8 copies standard decorators into the bundle untouched, which
  // Chromium rejects with a SyntaxError, so the element would never be defined
  // (docs/contributing.md, "Toolchain notes").
  static override properties = {
    api: {},
    email: {},
    lang: {},
    theme: {},
    redirectTo: { attribute: 'redirect-to' },
    strings: { attribute: false },
    flow: { state: true },
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
  /**
   * The polite status line: said once when "Resend" unlocks, never every second. Not reactive:
   * every change comes with a countdown or flow change that renders anyway.
   */
  #announcement = '';

  readonly #countdown = new CountdownController(this, {
    onDone: () => {
      // "Too busy… try again in N s" has counted down to 0: its sentence goes, the request may go again.
      const busy = this.flow.error?.code === 'mail_busy';
      if (busy) this.#dispatch({ type: 'wait-over' });
      if (busy || this.flow.step === 'code') this.#announcement = this.#messages.resendReady;
    },
  });
  readonly #locale = new LocaleController(this, (work) => this.#track(work));
  /** The session this element keeps: made by `#start`, when the API base is known; the methods that use it run after. */
  #keeper?: SessionKeeper;
  /** What feature modules may use of the element (features/feature.ts): made by `#start`, with the session. */
  #host?: FeatureHost;
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

  /**
   * The current session (the bearer token for your API and its end), or null. In cookie mode it
   * has no `token`: the session is in an HttpOnly cookie the browser sends to the API.
   */
  get session(): Session | null {
    const stored = this.#stored;
    if (!stored) return null;
    const { user: _, method: __, ...session } = stored;
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
    // Signed out: nothing to fetch, nothing to ask.
    if (!this.#stored) return null;
    const feature = await this.#feature('access-token');
    return feature ? feature.getAccessToken(this.#keeper!, this.clock.now()) : null;
  }

  /** Back to the start: the email step, or the signed-in step while a session is kept. Does not sign out. */
  async reset(): Promise<void> {
    this.#restart(this.email);
  }

  get #stored(): StoredSession | null {
    return this.#keeper?.stored ?? null;
  }

  /** To the email step with `email` in the field, or to the signed-in step while a session is kept. */
  #restart(email: string): void {
    this.#countdown.stop();
    this.#announcement = '';
    const stored = this.#stored;
    this.#dispatch(stored ? { type: 'signed-in', user: stored.user } : { type: 'restart', email });
  }

  async #endSession(): Promise<void> {
    if (!this.#stored || this.flow.busy) return;
    this.#dispatch({ type: 'submit' });
    await this.#keeper!.end();
  }

  /**
   * The session changed by itself (session/session-keeper.ts `onChange`): it ended (signed out
   * here or in another tab, or the server says it is over), another tab signed in (the magic link
   * opened in a new tab), or the page-load check renewed it.
   */
  #sessionChanged(before: StoredSession | null): void {
    const stored = this.#stored;
    if (!stored) {
      this.#dispatch({ type: 'restart', email: this.email });
      emit(this, 'passwordless-signed-out', null);
    } else if (!before) {
      this.#enter(stored);
    } else if (this.flow.step === 'signed-in') {
      this.#dispatch({ type: 'signed-in', user: stored.user });
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#started) return;
    this.#started = true;
    this.flow = initialState(this.email);
    void this.#track(this.#start());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('email') && this.#started && this.flow.step === 'email' && !this.flow.busy) {
      this.flow = { ...this.flow, email: this.email };
    }
  }

  protected override updated(): void {
    if (!this.#moveFocus) return;
    this.#moveFocus = false;
    if (!this.#interacted) return;
    const root = this.renderRoot;
    (root.querySelector('input') ?? root.querySelector<HTMLElement>('[part~=title]'))?.focus();
  }

  protected override render(): TemplateResult {
    const flow = this.flow;
    const view = views[flow.step];
    // Nothing until the language is in (no flash of English), nor while a step's module is on its way.
    if (!this.#locale.catalog || !(view || ownStep(flow.step))) return html`<div part="base" aria-busy="true"></div>`;
    const m = this.#messages;
    const title = flow.step === 'signed-in' ? m.signedInTitle : view ? view.title(m, flow as never, this) : m.title;
    const lang = this.#locale.lang;
    // `auto`: a page that declares a color-scheme passes it down (no class: inherited); with none
    // ('normal') the system's preference decides (`auto` class: `color-scheme: light dark`).
    const theme = this.theme;
    const scheme = theme === 'light' || theme === 'dark' ? theme : getComputedStyle(this).colorScheme === 'normal' ? 'auto' : '';
    const e = flow.error;
    // mail_busy counts down with the countdown, so it is no alert (said every second): the status line says it once.
    const busy = e?.code === 'mail_busy';
    const error = e ? html`<p part="error" id="error" role=${busy ? nothing : 'alert'}>${errorMessage(m, busy ? { ...e, retryAfter: this.#countdown.remaining } : e)}</p>` : nothing;
    return html`
      <div part="base" class=${scheme} lang=${lang} dir=${RTL_LOCALES.includes(lang) ? 'rtl' : 'ltr'} aria-busy=${flow.busy}
        @click=${this.#onUse} @input=${this.#onUse}>
        <slot name="header"></slot>
        <h2 part="title" tabindex="-1">${title}</h2>
        ${view ? view.render(this.#host!, flow as never, m, error) : this.#renderStep(m, flow, error)}
        ${Object.values(extras).map((parts) => parts?.[flow.step]?.(this.#host!, flow as never, m))}
        <div class="visually-hidden" role="status">${this.#announcement}</div>
        <slot name="footer"></slot>
      </div>
    `;
  }

  /** The steps of the script-tag file. `error` goes right under what it is about: the field, or the step's sentence. */
  #renderStep(m: Messages, flow: FlowState, error: unknown): TemplateResult {
    switch (flow.step) {
      case 'code': {
        const code = flow.error?.code;
        // Every live code is burnt (the server says no attempt is left): nothing to type. A right
        // code of an older, burnt one leaves the newer code live, and its field.
        const spent = code === 'too_many_attempts' && flow.error!.attemptsLeft === 0;
        const wrong = spent || code === 'invalid_code';
        const seconds = this.#countdown.remaining;
        return html`
          <p part="text" id="note">${withAddress(flow.recent ? m.codeSentRecently : m.codeSentTo, flow.email)}</p>
          <form part="form" novalidate @submit=${this.#onSubmit}>
            <label part="label" for="code">${m.codeLabel}</label>
            <input part="input code-input" id="code" name="code" type="text" inputmode="numeric"
              autocomplete="one-time-code" required maxlength=${flow.codeLength * 3} ?disabled=${spent}
              aria-invalid=${wrong} aria-describedby=${wrong ? 'error' : 'note'} @input=${this.#onCodeInput}>
            ${error}
            <button part="button primary submit" ?disabled=${flow.busy || spent}>${m.verifyCode}</button>
          </form>
          <div part="actions">
            <button part="button resend" type="button" ?disabled=${flow.busy || seconds > 0} @click=${this.resend}>
              ${seconds > 0 ? m.resendIn(seconds) : m.resend}
            </button>
            <button part="button change-email" type="button" @click=${() => this.#restart(flow.email)}>${m.changeEmail}</button>
          </div>
        `;
      }
      case 'signed-in':
        return html`
          <p part="text">${withAddress(m.signedInAs, flow.user.email)}</p>
          ${error}
          <div part="actions">
            <button part="button sign-out" type="button" ?disabled=${flow.busy} @click=${this.signOut}>${m.signOut}</button>
          </div>
        `;
      default:
        return html`
          <form part="form" novalidate @submit=${this.#onSubmit}>
            <label part="label" for="email">${m.emailLabel}</label>
            <input part="input email-input" id="email" name="email" type="email" autocomplete="email" required
              .value=${(flow as { email: string }).email} aria-invalid=${!!flow.error} aria-describedby=${flow.error ? 'error' : nothing}>
            ${error}
            <button part="button primary submit" ?disabled=${flow.busy}>${m.sendCode}</button>
          </form>
        `;
    }
  }

  async #start(): Promise<void> {
    // Take the token out of the address bar before anything else can read or log it.
    const link = takeLinkFragment();
    const api = new ApiClient(apiBase(this.api));
    const keeper = (this.#keeper = new SessionKeeper(api, () => this.clock.now(), (before) => this.#sessionChanged(before)));
    this.addController(keeper);
    const host = (this.#host = {
      element: this,
      html,
      nothing,
      session: keeper,
      verify: (body, method) => this.#track(this.#verify(body, method)),
      fail: (error) => this.#fail(error),
      withAddress,
      enter: () => this.#enter(this.#stored!),
      lang: () => this.#locale.lang,
    });
    const stored = keeper.stored;
    if (link) this.#dispatch({ type: 'link-opened', token: link.token });
    else if (stored) this.#dispatch({ type: 'signed-in', user: stored.user });

    // The modules the config turns on, fetched and attached one after the other (their parts of a
    // step come in this order too: features/registry.ts `extras`). The passkey
    // module is in before a sign-in may finish (a magic link verifies after this), so it sees the
    // sign-in it may offer a passkey after. So is the approval module, before a code can be asked
    // for (the request carries its key), and, on a link opened in another browser, once the server
    // has said whether that link may approve the browser that asked: the link step then shows the
    // right choices from the start. The account and totp modules have no hurry before a sign-in
    // finishes (the totp module wraps the first factor's verify, which waits for this config).
    // One loop over the modules rather than an `if` each: for three, 1 B gzip more than three
    // `if`s (December 2026); the fourth, totp, cost 9 B for its name here, paid back by returning
    // early without a config and by inlining "Use a different email" (12,492 → 12,490 B).
    const config = (this.#configured = api.call(ApiPath.config).then(async (r) => {
      // Without the config, no module is on.
      if (!r.ok) return;
      const c = (this.#config = r.data);
      api.cookie = c.sessionCookie;
      const on = { passkey: c.passkeys && window.PublicKeyCredential, approval: c.approvals, account: c.account, totp: c.totp };
      for (const name in on) if (on[name as ConfigFeatureName]) await (await this.#feature(name as ConfigFeatureName))?.attach(host, link, c);
    }));
    if (link) {
      await config;
      await (await this.#feature('link'))?.open(host, link);
    }
    // The session check: whether the kept session still holds (with nothing kept, nothing is asked).
    else if (stored) await keeper.refresh();
    await config;
  }

  async #request(email?: string): Promise<void> {
    const flow = this.flow;
    if (flow.busy || (flow.step !== 'email' && flow.step !== 'code')) return;
    email = (email ?? this.renderRoot?.querySelector<HTMLInputElement>('#email')?.value ?? flow.email).trim();
    this.#dispatch({ type: 'submit' });
    const asked = this.flow;
    const { api } = this.#keeper!;
    // The approval module (where the server has approvals on) adds its key and keeps the answer's ticket.
    const send = (extra?: object) =>
      requestCode(api, { email, locale: this.#requestLocale, redirectTo: this.redirectTo, ...extra }, (secret) => {
        void this.#track(this.#feature('link').then((link) => link?.remember(api.base, secret)));
      });
    const result = await (this.#host!.ask?.(send) ?? send());
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
      else await this.#fail(error);
      // mail_busy (the server's mail queue is full, nothing was sent): its sentence counts down on either step.
      const busy = error.code === 'mail_busy';
      if ((limited && this.flow.step === 'code') || busy) this.#startCountdown(error.retryAfter ?? this.#config?.resendSeconds ?? 60);
      if (busy) this.#announcement = errorMessage(this.#messages, error);
      return;
    }
    const { codeLength, expiresIn, retryAfter } = result.data;
    this.#autoSubmitted = '';
    this.#dispatch({ type: 'code-sent', email, codeLength });
    this.#startCountdown(retryAfter);
    emit(this, 'passwordless-code-sent', { email, expiresIn, retryAfter });
  }

  /** Sends a code (on the code step) or a link token (on the link step) to the server. */
  async #verify(body: VerifyBody, method: 'code' | 'link'): Promise<void> {
    if (this.flow.step !== method || this.flow.busy) return;
    this.#dispatch({ type: 'submit' });
    const asked = this.flow;
    await this.#configured;
    const result = await this.#keeper!.verify(body, method);
    if (result.ok) return this.#enter(this.#stored!);
    if (this.flow !== asked) return;
    await this.#fail(result.error);
    // Too many wrong codes: "Resend" when the server takes a new request (at once after the 5th),
    // not after a countdown that says otherwise. Else select the wrong code to type over it.
    if (result.error.code === 'too_many_attempts') this.#startCountdown(result.error.retryAfter ?? 0);
    await this.updateComplete;
    const input = this.renderRoot.querySelector<HTMLInputElement>('#code');
    if (input?.disabled) {
      input.value = '';
      this.renderRoot.querySelector<HTMLElement>('[part~=resend]')!.focus();
    } else input?.select();
  }

  /** Signed in, here or in another tab (whose session is `stored`). */
  #enter({ user, method = 'link' }: StoredSession): void {
    this.#countdown.stop();
    this.#announcement = '';
    this.#dispatch({ type: 'signed-in', user });
    emit(this, 'passwordless-success', { method, user, session: this.session! });
  }

  /**
   * A feature module (features/registry.ts), fetched the first time. When it cannot be (offline,
   * a deploy half done), a step it should draw gives way to the start, with the sentence that
   * says why, rather than an empty box; a call it should make answers null.
   */
  async #feature<N extends FeatureName>(name: N): Promise<Features[N] | null> {
    try {
      return await loadFeature(name);
    } catch {
      if (!ownStep(this.flow.step) && !views[this.flow.step]) {
        this.#restart(this.email);
        await this.#fail({ code: 'network_error' });
      }
      return null;
    } finally {
      this.requestUpdate();
    }
  }

  /** Shows `error`; a `network_error` first asks the server whether this page's origin is refused. */
  async #fail(error: FlowError): Promise<void> {
    const shown = this.flow;
    if (this.#keeper) error = await explainUnreachable(this.#keeper.api.base, error);
    // Back, or signed in by another tab, while the server was asked: the error is of a step gone.
    if (this.flow !== shown) return;
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

  /**
   * Both forms: the email step's sends a code, the code step's signs in with it. The forms are
   * `novalidate`: a field the browser finds invalid gets the element's own sentence, in its
   * language, under the field (not the browser's bubble), and the focus.
   */
  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).querySelector('input')!;
    const code = this.flow.step === 'code';
    if (input.checkValidity()) void (code ? this.verifyCode(input.value) : this.requestCode(input.value));
    else {
      input.focus();
      if (!code) void this.#track(this.#fail({ code: 'invalid_email' }));
    }
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

  /** The locale for the email: ours, unless the server says it cannot write it. */
  get #requestLocale(): Locale {
    const locale = this.#locale.wanted;
    return !this.#config || this.#config.locales.includes(locale) ? locale : this.#config.defaultLocale;
  }

  get #messages(): Messages {
    // The features' English under the catalog (every other language's catalog translates them),
    // and the page's own wording over both.
    return withOverrides(withOverrides(english, this.#locale.catalog ?? en), this.strings);
  }
}

/**
 * A sentence naming an email address. Each hyphen sits in a no-wrap span with its neighbours
 * (styles: `.address span`), which takes away the only place a browser would break an address
 * (after a `-`): the address moves to the next line whole, with the full stop after it, and one
 * longer than a line breaks after its `@` (a `<wbr>`: `jane-doe@` above `example.com`, not
 * `jane-doe@exa` above `mple.com`) or, longer still, anywhere else (`overflow-wrap: anywhere`),
 * never leaving `my-` at the end of a line, which reads as a word broken in two. The address is
 * a `<bdi>`, isolated from the sentence's direction: in a right-to-left one, digits at its start
 * would otherwise join the sentence's side (`1984-ana@example.com` drawn as
 * `ana@example.com-1984`), in every message and language, without each catalog marking it.
 */
function withAddress(sentence: (email: string) => string, email: string): TemplateResult {
  const [before, after] = sentence('\0').split('\0');
  const parts = email
    .split(/(.?-+.?)/)
    .map((part, i) => (i % 2 ? html`<span>${part}</span>` : part.split('@').map((piece, j) => (j ? html`@<wbr>${piece}` : piece))));
  return html`${before}<bdi class="address">${parts}</bdi>${after}`;
}

/** The steps this file draws; a feature module draws the others (features/feature.ts). */
function ownStep(step: Step): boolean {
  return step === 'email' || step === 'code' || step === 'signed-in';
}
