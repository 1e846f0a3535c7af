/**
 * The headless client: the element's own API client and storage, with a method per step, for
 * sites that draw their own sign-in UI (`import { PasswordlessClient } from 'passwordless-login'`).
 *
 * It keeps the session where the element keeps it (localStorage, one entry per API base), so an
 * element and a client on one page, or in two tabs, see the same sign-in. Like the element's
 * client, no method throws: each resolves to `{ok: true, data}` or `{ok: false, status, error}`
 * with the contract's error `code` (or `network_error` when the server could not be reached).
 *
 * Only the ES module build exports it; the script-tag file stays the element alone.
 */
import { ApiPath, type AccessTokenResponse, type ConfigResponse, type Locale, type RequestResponse, type SessionResponse, type VerifyResponse } from '../contract/index.ts';
import { ApiClient, apiBase, type ApiResult } from './api-client.ts';
import { takeLinkFragment } from './link-fragment.ts';
import { forgetSecrets, isOwnRequest, newSecret, rememberSecret } from './request-secret.ts';
import { clearSession, loadSession, saveSession, sessionKeyOf, type StoredSession } from './session-store.ts';

export type { ApiResult } from './api-client.ts';
export type { StoredSession } from './session-store.ts';

export interface PasswordlessClientOptions {
  /** The API base, as the element's `api` attribute: default this page's origin + `/auth`. */
  api?: string;
  /** Milliseconds since the epoch; tests move it. Default `Date.now`. */
  now?: () => number;
}

export interface RequestCodeOptions {
  /** The email's language; default English. */
  locale?: Locale;
  /** Where the magic link lands; default this page (without its fragment). Must be on the server's allow-list. */
  redirectTo?: string;
  /** Stored on the user if this login creates it. */
  userData?: Record<string, unknown>;
}

/** A magic link that opened this page: its token, and whether this browser asked for it. */
export interface MagicLink {
  token: string;
  /**
   * True when this browser requested the mail: sign in at once. False for a link opened on another
   * device or fetched by a mail scanner: ask the person to confirm (a button) before `verifyLink`.
   */
  fromThisBrowser: boolean;
}

/** Reused until this long before it expires, so it never runs out on the way to the API. */
const ACCESS_TOKEN_MARGIN_MS = 60_000;

export class PasswordlessClient {
  readonly #api: ApiClient;
  readonly #now: () => number;
  #config: Promise<ApiResult<ConfigResponse>> | null = null;
  #access: { token: string; until: number; session: string } | null = null;

  constructor(options: PasswordlessClientOptions = {}) {
    this.#api = new ApiClient(apiBase(options.api ?? ''));
    this.#now = options.now ?? Date.now;
    // A session kept without a token lives in an HttpOnly cookie: send credentials from the start.
    if (this.session && !this.session.token) this.#api.cookie = true;
  }

  /** The absolute API base this client talks to. */
  get base(): string {
    return this.#api.base;
  }

  /** The kept session (token, expiry, user), or null. It may have been revoked: {@link refreshSession} asks. */
  get session(): StoredSession | null {
    return loadSession(this.base, this.#now());
  }

  /** The server's settings (code length, lifetimes, cookie mode), fetched once. */
  config(): Promise<ApiResult<ConfigResponse>> {
    this.#config ??= this.#api.call(ApiPath.config).then((result) => {
      if (result.ok) this.#api.cookie = result.data.sessionCookie;
      else this.#config = null; // try again next time
      return result;
    });
    return this.#config;
  }

  /** Mails a code and a magic link to `email`. The same answer whether or not the address has an account. */
  async requestCode(email: string, options: RequestCodeOptions = {}): Promise<ApiResult<RequestResponse>> {
    const secret = newSecret();
    const result = await this.#api.call(ApiPath.request, {
      email: email.trim(),
      locale: options.locale,
      redirectTo: options.redirectTo ?? location.href.split('#')[0],
      userData: options.userData,
      clientHash: secret,
    });
    if (result.ok) rememberSecret(this.base, secret, this.#now());
    return result;
  }

  /** Signs in with the code from the mail (spaces, dashes and full-width digits are fine); keeps the session. */
  async verifyCode(email: string, code: string): Promise<ApiResult<VerifyResponse>> {
    return this.#verify({ email: email.trim(), code: code.normalize('NFKC').replace(/\D/g, '') }, 'code');
  }

  /**
   * Reads a magic link from this page's address and takes it out of the address bar (history,
   * bookmarks, screenshots). Null when the page was not opened from one.
   */
  readMagicLink(): MagicLink | null {
    const link = takeLinkFragment();
    return link && { token: link.token, fromThisBrowser: isOwnRequest(this.base, link.client, this.#now()) };
  }

  /** Signs in with a magic link's token (from {@link readMagicLink}); keeps the session. */
  async verifyLink(token: string): Promise<ApiResult<VerifyResponse>> {
    return this.#verify({ token }, 'link');
  }

  /** Asks the server whether the kept session still holds; forgets it when it does not (401). */
  async refreshSession(): Promise<ApiResult<SessionResponse>> {
    const stored = this.session;
    if (!stored) return { ok: false, status: 401, error: { code: 'unauthenticated' } };
    const result = await this.#api.call(ApiPath.session, undefined, stored.token);
    if (result.ok) saveSession(this.base, { ...stored, user: result.data.user, expiresAt: result.data.session.expiresAt });
    else if (result.status === 401) this.#forget();
    return result;
  }

  /**
   * A short-lived signed token (JWT) for your own API, `Authorization: Bearer …`; your backend
   * verifies it with the keys at `/.well-known/jwks.json`. Reused until a minute before it
   * expires. Null when signed out, when the session has ended (then it is forgotten here) or when
   * the server cannot be reached.
   */
  async getAccessToken(): Promise<string | null> {
    const stored = this.session;
    if (!stored) return null;
    const now = this.#now();
    const session = sessionKeyOf(stored);
    if (this.#access && this.#access.session === session && this.#access.until > now) return this.#access.token;
    await this.config();
    const result: ApiResult<AccessTokenResponse> = await this.#api.call(ApiPath.token, {}, stored.token);
    // Another tab or element signed out, or in as someone else, meanwhile: this answer is stale,
    // and a 401 about the old session must not clear the new one.
    const current = this.session;
    if (!current || sessionKeyOf(current) !== session) return null;
    if (!result.ok) {
      if (result.status === 401) this.#forget();
      return null;
    }
    this.#access = { token: result.data.accessToken, until: now + result.data.expiresIn * 1000 - ACCESS_TOKEN_MARGIN_MS, session };
    return result.data.accessToken;
  }

  /** Revokes the session on the server and forgets it here (also when the server cannot be reached). */
  async signOut(): Promise<void> {
    const stored = this.session;
    if (!stored) return;
    await this.#api.call(ApiPath.logout, {}, stored.token);
    this.#forget();
  }

  async #verify(body: { email: string; code: string } | { token: string }, method: 'code' | 'link'): Promise<ApiResult<VerifyResponse>> {
    // Cookie mode must be known before the answer that sets the cookie.
    await this.config();
    const result = await this.#api.call(ApiPath.verify, body);
    if (result.ok) {
      const { user, session } = result.data;
      saveSession(this.base, { ...session, user, method });
      forgetSecrets(this.base);
    }
    return result;
  }

  #forget(): void {
    this.#access = null;
    clearSession(this.base);
  }
}

