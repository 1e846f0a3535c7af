/**
 * One API's session as this browser keeps it, for the element and `PasswordlessClient` alike:
 * kept (localStorage, stored-session.ts), checked with the server, ended, and followed across the
 * tabs of the origin. Both hold one of these and nothing else about sessions, so a fix here is a
 * fix for both.
 *
 * The session is kept in memory as well: with storage blocked (third-party frames, some private
 * modes) the login still lasts as long as the page. An element holds its keeper as a Lit
 * controller, which hears the other tabs (the `storage` event) while the element is in the page.
 * `PasswordlessClient` has no lifecycle to listen with: it reads the entry at each use instead
 * (its `stored` calls {@link SessionKeeper.reload}).
 */
import type { ReactiveController } from 'lit';
import { ApiPath, type SessionResponse, type VerifyBody, type VerifyResponse } from '../../contract/index.ts';
import type { PasskeySignInBody } from '../../contract/passkeys.ts';
import type { ApiClient, ApiResult } from '../api/api-client.ts';
import { forgetSecrets } from '../magic-link/request-secret.ts';
import type { CachedAccessToken } from './access-tokens.ts';
import { clearSession, loadSession, saveSession, SESSION_KEY_PREFIX, sessionKeyOf, type SignInMethod, type StoredSession } from './stored-session.ts';

type OnChange = (before: StoredSession | null) => void;

export class SessionKeeper implements ReactiveController {
  readonly api: ApiClient;
  /** The last access token (access-tokens.ts): dropped with the session, so it never outlives it. */
  accessToken: CachedAccessToken | null = null;
  #stored: StoredSession | null = null;
  readonly #now: () => number;
  readonly #onChange: OnChange | undefined;

  /**
   * `now`: milliseconds since the epoch, for the expiry of the stored entry. `onChange` is told
   * when the session changed by itself rather than by {@link keep}: it ended (here, on the server,
   * or in another tab), a check renewed it, or another tab signed in; `before` is what was kept.
   */
  constructor(api: ApiClient, now: () => number = Date.now, onChange?: OnChange) {
    this.api = api;
    this.#now = now;
    this.#onChange = onChange;
    // A session kept without a token is in the cookie: only a request with credentials reaches it
    // (so a page load with nothing kept asks the server nothing).
    if (this.reload() && !this.#stored!.token) api.cookie = true;
  }

  /** The kept session, or null. It may have been revoked since: {@link refresh} asks. */
  get stored(): StoredSession | null {
    return this.#stored;
  }

  /** Reads the stored entry again (another tab may have changed it). */
  reload(): StoredSession | null {
    return (this.#stored = loadSession(this.api.base, this.#now()));
  }

  /** Keeps a session this page just signed in with; the caller says so itself (no `onChange`). */
  keep(session: StoredSession): void {
    saveSession(this.api.base, (this.#stored = session));
  }

  /** Ends the session here and, through storage, in the other tabs. */
  forget(): void {
    clearSession(this.api.base);
    this.accessToken = null;
    this.#set(null);
  }

  /**
   * Signs in with a code or a magic link's token and keeps the session it answers with. A passkey
   * signs in the same way at its own `path` (`PasskeyPath.signIn`, which answers as `/verify`
   * does): one place keeps a new session, whichever way it came.
   */
  async verify(body: VerifyBody | PasskeySignInBody, method: SignInMethod, path: string = ApiPath.verify): Promise<ApiResult<VerifyResponse>> {
    const result = await this.api.call(path as typeof ApiPath.verify, body as VerifyBody);
    if (result.ok) {
      const { user, session } = result.data;
      // In cookie mode `session` has no token: the marker `{expiresAt, user, method}` is all that is kept.
      this.keep({ ...session, user, method });
      // The links of this browser's pending requests have done their job.
      forgetSecrets(this.api.base);
    }
    return result;
  }

  /**
   * Asks the server whether the kept session still holds. Yes: its user and end are renewed. A 401
   * (revoked, expired): it is forgotten. Any other failure (offline, an outage) keeps it, and the
   * server decides later. Without a session: a 401, and no request.
   */
  async refresh(): Promise<ApiResult<SessionResponse>> {
    const stored = this.stored;
    if (!stored) return { ok: false, status: 401, error: { code: 'unauthenticated' } };
    const result = await this.api.call(ApiPath.session, undefined, stored.token);
    // Signed out, or in as someone else, meanwhile: the answer is about a session that is gone.
    if (!this.holds(stored)) return result;
    if (result.ok) {
      const renewed = { ...stored, user: result.data.user, expiresAt: result.data.session.expiresAt };
      saveSession(this.api.base, renewed);
      this.#set(renewed);
    } else if (result.status === 401) {
      this.forget();
    }
    return result;
  }

  /** Revokes the session on the server and forgets it here, also when the server cannot be reached: the person asked to be signed out. */
  async end(): Promise<void> {
    const stored = this.stored;
    if (!stored) return;
    await this.api.call(ApiPath.logout, {}, stored.token);
    this.forget();
  }

  hostConnected(): void {
    addEventListener('storage', this.#otherTabWrote);
  }

  hostDisconnected(): void {
    removeEventListener('storage', this.#otherTabWrote);
  }

  /**
   * Another tab of this origin changed `key` in localStorage (a `storage` event, which fires only
   * in the other tabs; `key` is null when storage was cleared). The magic link usually opens in a
   * new tab: this is how the tab that asked for the code learns that the login is done. A session
   * kept here stays until it ends: another tab's session check (a new `expiresAt`) must not replay
   * a sign-in.
   */
  readonly #otherTabWrote = ({ key }: StorageEvent): void => {
    if (key && !key.startsWith(SESSION_KEY_PREFIX)) return;
    const stored = loadSession(this.api.base, this.#now());
    if (!stored || !this.#stored) this.#set(stored);
  };

  /** Whether `session` is still the one kept: the same token, or in cookie mode the same user. */
  holds(session: StoredSession): boolean {
    const current = this.stored;
    return !!current && sessionKeyOf(current) === sessionKeyOf(session);
  }

  #set(stored: StoredSession | null): void {
    const before = this.#stored;
    this.#stored = stored;
    if (before !== stored) this.#onChange?.(before);
  }
}
