/**
 * The headless client: the element's own API client and storage, with a method per step, for
 * sites that draw their own sign-in UI (`import { PasswordlessClient } from 'passwordless-login'`).
 *
 * It keeps the session with the element's own code (session/session-keeper.ts: localStorage, one
 * entry per API base), so an element and a client on one page, or in two tabs, see the same
 * sign-in. Like the element's API client, no method throws: each resolves to `{ok: true, data}` or `{ok: false, status, error}`
 * with the contract's error `code` (or `network_error` when the server could not be reached).
 *
 * Only the ES module build exports it; the script-tag file stays the element alone.
 */
import type { AccountCodeSent, AccountDeletedResponse, EmailChangeResponse } from '../../contract/account.ts';
import type { ApprovalRequestResponse } from '../../contract/approval.ts';
import { ApiPath, type ConfigResponse, type Locale, type SessionResponse, type VerifyBody, type VerifyResponse } from '../../contract/index.ts';
import type { PasskeyInfo, PasskeyListResponse } from '../../contract/passkeys.ts';
import type { FirstFactorResponse, TotpRecoveryCodes, TotpSetup, TotpStatus } from '../../contract/second-factor.ts';
import type { ApprovalOutcome, PendingApproval } from '../features/approval/approval-calls.ts';
import type { PasskeyResult, SignInOptions as PasskeySignInOptions } from '../features/passkey/ceremonies.ts';
import type { PendingSecondFactor, SecondFactorProof } from '../features/totp/totp-calls.ts';
import { ApiClient, apiBase, type ApiResult } from '../api/api-client.ts';
import { requestCode } from '../api/request-code.ts';
import { digitsOf } from '../flow/code-digits.ts';
import { takeLinkFragment } from '../magic-link/link-fragment.ts';
import { isOwnRequest, rememberSecret } from '../magic-link/request-secret.ts';
import { getAccessToken } from '../session/access-tokens.ts';
import { SessionKeeper } from '../session/session-keeper.ts';
import type { StoredSession } from '../session/stored-session.ts';

export type { ApiResult } from '../api/api-client.ts';
export type { StoredSession } from '../session/stored-session.ts';
export type { PasskeyResult, PromptErrorCode, SignInOptions as PasskeySignInOptions } from '../features/passkey/ceremonies.ts';
export type { ApprovalOutcome } from '../features/approval/approval-calls.ts';
export type { SecondFactorProof } from '../features/totp/totp-calls.ts';
export { isChallenge } from '../features/totp/challenge.ts';

/**
 * The passkey code (WebAuthn JSON, the ceremonies, the routes: 1.3 KB gzip) is fetched at the first
 * passkey call, a chunk of its own in your bundle, so a site that never calls one pays nothing
 * for it, and one that does pays once.
 */
const passkeys = () => import('../features/passkey/client-passkeys.ts');

/** The approval calls (the key, the long poll), a chunk of their own too: fetched at the first request that asks for an approval. */
const approvals = () => import('../features/approval/approval-calls.ts');

/** The account calls (change email, delete account), a chunk of their own too: fetched at the first one. */
const account = () => import('../features/account/account-calls.ts');

/** The second factor's calls (the first factor's key, the second step, turning it on and off): fetched where the server has it on, or at the first such call. */
const totp = () => import('../features/totp/totp-calls.ts');

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
  /**
   * Ask that the link, opened on another device, may sign in this browser (cross-device
   * approval): the answer then carries `approval: {id, number}`; show the number ("Opening the link
   * on another device? Pick 47 there.") and call {@link PasswordlessClient.waitForApproval}. Needs
   * `crypto.subtle` (https, or localhost); without it the request goes without an approval.
   */
  approval?: boolean;
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

export class PasswordlessClient {
  readonly #keeper: SessionKeeper;
  /** The address the last successful `changeEmail` was given: where `confirmEmailChange` checks its code. */
  #pendingEmail = '';
  readonly #now: () => number;
  #config: Promise<ApiResult<ConfigResponse>> | null = null;
  /** The last request's approval: its ticket and the secret behind its key, in memory only. */
  #approval: PendingApproval | null = null;
  /** The second step a first factor asked for: its ticket and the secret behind its key, in memory only. */
  #secondFactor: PendingSecondFactor | null = null;

  constructor(options: PasswordlessClientOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#keeper = new RereadingKeeper(new ApiClient(apiBase(options.api ?? '')), this.#now);
  }

  /** The absolute API base this client talks to. */
  get base(): string {
    return this.#keeper.api.base;
  }

  /** The kept session (token, expiry, user), or null. It may have been revoked: {@link refreshSession} asks. */
  get session(): StoredSession | null {
    return this.#keeper.stored;
  }

  /** The server's settings (code length, lifetimes, cookie mode), fetched once. */
  config(): Promise<ApiResult<ConfigResponse>> {
    const api = this.#keeper.api;
    this.#config ??= api.call(ApiPath.config).then((result) => {
      if (result.ok) api.cookie = result.data.sessionCookie;
      else this.#config = null; // try again next time
      return result;
    });
    return this.#config;
  }

  /**
   * Mails a code and a magic link to `email`. The same answer whether or not the address has an
   * account. With `approval: true`, the answer also carries the number to show (`approval`).
   */
  async requestCode(email: string, { approval, ...options }: RequestCodeOptions = {}): Promise<ApiResult<ApprovalRequestResponse>> {
    const pair = approval ? await (await approvals()).newApprovalKey() : null;
    const body = { email: email.trim(), ...options, ...(pair && { approvalKey: pair.key }) };
    const result: ApiResult<ApprovalRequestResponse> = await requestCode(this.#keeper.api, body, (secret) => rememberSecret(this.base, secret, this.#now()));
    const ticket = result.ok && result.data.approval;
    this.#approval = pair && ticket ? { ...ticket, secret: pair.secret } : null;
    return result;
  }

  /**
   * After `requestCode(email, {approval: true})`: waits until the person picks the right number on
   * the device where they opened the link, then keeps the session (`method: 'link'`) and resolves
   * with `{status: 'approved', user, session}`; or with `{status: 'refused'}` when a wrong number was
   * picked there (the code still works); or, for an account with two-step verification, with
   * `{status: 'second-factor', secondFactor}`: then {@link completeSecondFactor}. Keep the code field meanwhile: the code signs in too. Errors:
   * `expired_code` (the code's time is over), `invalid_link` (the code or the link signed in already),
   * `invalid_approval` (no approval was asked for, or its session was collected), `rate_limited`.
   * A network error is retried by itself after 2 s. `signal` ends the wait (hanging up the request
   * in flight): it then resolves to null.
   */
  async waitForApproval({ signal }: { signal?: AbortSignal } = {}): Promise<ApiResult<ApprovalOutcome> | null> {
    const pending = this.#approval;
    if (!pending) return { ok: false, status: 0, error: { code: 'invalid_approval' } };
    // Cookie mode must be known before the answer that sets the cookie.
    const config = await this.config();
    // Where the server has a second factor, the wait is a first factor with its key (as verifyCode's).
    const pair = config.ok && config.data.totp ? await (await approvals()).newApprovalKey() : null;
    const result = await (await approvals()).waitForApproval(this.#keeper, pending, signal, undefined, pair?.key);
    // An answer is the end of this approval (a network error was retried); a call called off may wait again.
    if (result && this.#approval === pending) this.#approval = null;
    if (result?.ok && result.data.status === 'second-factor') {
      const { ticket, expiresIn } = result.data.secondFactor;
      this.#secondFactor = { ticket, secret: pair!.secret, method: 'link', expiresAt: this.#now() + expiresIn * 1000 };
    }
    return result;
  }

  /**
   * Signs in with the code from the mail (spaces, dashes and full-width digits are fine); keeps the
   * session. For an account with two-step verification on (where the server has it, `totp` in
   * {@link config}), the answer is instead `{secondFactor: {ticket, expiresIn}}` (tell it apart with
   * `isChallenge(result.data)`): ask for the app's code, then {@link completeSecondFactor}.
   */
  verifyCode(email: string, code: string): Promise<ApiResult<FirstFactorResponse>> {
    return this.#verify({ email: email.trim(), code: digitsOf(code) }, 'code');
  }

  /**
   * Reads a magic link from this page's address and takes it out of the address bar (history,
   * bookmarks, screenshots). Null when the page was not opened from one.
   */
  readMagicLink(): MagicLink | null {
    const link = takeLinkFragment();
    return link && { token: link.token, fromThisBrowser: isOwnRequest(this.base, link.client, this.#now()) };
  }

  /** Signs in with a magic link's token (from {@link readMagicLink}); keeps the session, or asks for the second step as {@link verifyCode} does. */
  verifyLink(token: string): Promise<ApiResult<FirstFactorResponse>> {
    return this.#verify({ token }, 'link');
  }

  /** Asks the server whether the kept session still holds; forgets it when it does not (401). */
  refreshSession(): Promise<ApiResult<SessionResponse>> {
    return this.#keeper.refresh();
  }

  /**
   * A short-lived signed token (JWT) for your own API, `Authorization: Bearer …`; your backend
   * verifies it with the keys at `/.well-known/jwks.json`. Reused until a minute before it
   * expires. Null when signed out, when the session has ended (then it is forgotten here) or when
   * the server cannot be reached.
   */
  getAccessToken(): Promise<string | null> {
    return getAccessToken(this.#keeper, this.#now(), () => this.config());
  }

  /** Revokes the session on the server and forgets it here (also when the server cannot be reached). */
  signOut(): Promise<void> {
    return this.#keeper.end();
  }

  /**
   * Signs in with a passkey (discoverable: the person picks one of this site's); keeps the session,
   * `method: 'passkey'`. `conditional`: passkey autofill, which waits for the person to pick a
   * passkey among the suggestions of a field with `autocomplete="username webauthn"` (check
   * `PublicKeyCredential.isConditionalMediationAvailable()` first); abort it with `signal` when
   * the field goes. A prompt the person closed answers `passkey_cancelled` (status 0).
   */
  async signInWithPasskey(options: PasskeySignInOptions = {}): Promise<PasskeyResult<VerifyResponse>> {
    await this.config();
    return (await passkeys()).signInWithPasskey(this.#keeper, options);
  }

  /**
   * Adds a passkey for the signed-in person (the browser's prompt). Needs a session signed in by
   * an email code or link within the last 10 minutes (else `stale_session`). `name`: what the list
   * calls it; default, from the browser (“Chrome on macOS”).
   */
  async addPasskey({ name }: { name?: string } = {}): Promise<PasskeyResult<PasskeyInfo>> {
    return (await passkeys()).addPasskey(this.#keeper, name);
  }

  /** The signed-in person's passkeys: name, created, last used, synced. */
  async listPasskeys(): Promise<ApiResult<PasskeyListResponse>> {
    return (await passkeys()).listPasskeys(this.#keeper);
  }

  /** Renames one of the person's passkeys (at most 64 characters). */
  async renamePasskey(id: string, name: string): Promise<ApiResult<PasskeyInfo>> {
    return (await passkeys()).renamePasskey(this.#keeper, id, name);
  }

  /** Removes one of the person's passkeys: it no longer signs in (`unknown_passkey`). */
  async removePasskey(id: string): Promise<ApiResult<null>> {
    return (await passkeys()).removePasskey(this.#keeper, id);
  }

  /**
   * Starts a change of the signed-in person's address: a code goes to `newEmail` (so a typo never
   * hands the account to a stranger). `locale`: the mail's language (default: the user's last).
   * The answer is the same `202` whether or not `newEmail` has an account (that address gets a
   * notice instead of a code). Errors: `invalid_email`, `same_email` (it is the account's address
   * already), `rate_limited` and `mail_busy` (with `retryAfter`), `unauthenticated`.
   */
  async changeEmail(newEmail: string, { locale }: { locale?: Locale } = {}): Promise<ApiResult<AccountCodeSent>> {
    const result = await (await account()).changeEmail(this.#keeper, { email: newEmail, ...(locale && { locale }) });
    if (result.ok) this.#pendingEmail = newEmail.trim();
    return result;
  }

  /**
   * The code from the new address's mail: the address is changed, the kept session's `user` is
   * the new one, and the old address gets a notice with a link that undoes the change for 7 days.
   * The code is checked at the address the last successful {@link changeEmail} was given (this
   * client remembers it); after a reload, pass that address as `newEmail`. Errors: `invalid_code`
   * (with `attemptsLeft`; also when no change to that address is in flight), `too_many_attempts`,
   * `expired_code`, `invalid_email` (no address given nor remembered), `unauthenticated`.
   */
  async confirmEmailChange(code: string, newEmail: string = this.#pendingEmail): Promise<ApiResult<EmailChangeResponse>> {
    const result = await (await account()).confirmEmailChange(this.#keeper, newEmail, code);
    if (result.ok) this.#pendingEmail = '';
    return result;
  }

  /** Starts the deletion of the signed-in person's account: a code goes to their address. Errors as {@link changeEmail}'s. */
  async deleteAccount(): Promise<ApiResult<AccountCodeSent>> {
    return (await account()).deleteAccount(this.#keeper);
  }

  /**
   * The code from the deletion's mail: the account (user, sessions, passkeys, login state) is
   * erased, every session ends, and the kept one is forgotten here. Errors as {@link confirmEmailChange}'s.
   */
  async confirmAccountDeletion(code: string): Promise<ApiResult<AccountDeletedResponse>> {
    const result = await (await account()).confirmAccountDeletion(this.#keeper, code);
    if (result.ok) this.#keeper.forget();
    return result;
  }

  /**
   * The second step, after a first factor answered `{secondFactor}`: the app's current code
   * (`{code}`) or one of the recovery codes (`{recoveryCode}`). Keeps the session (its `method` is
   * the first factor's). Errors: `invalid_code` (`attemptsLeft`: try again), `too_many_attempts`
   * (wrong codes of both factors reached the cap: sign in again), `invalid_second_factor` (its 5
   * minutes are over, or it was used: sign in again); `invalid_second_factor` too without a first
   * factor that asked for it.
   */
  async completeSecondFactor(proof: SecondFactorProof): Promise<ApiResult<VerifyResponse>> {
    const pending = this.#secondFactor;
    if (!pending) return { ok: false, status: 0, error: { code: 'invalid_second_factor' } };
    const result = await (await totp()).completeSecondFactor(this.#keeper, pending, proof);
    // A wrong code may be tried again; anything else ends this second step.
    if (result.ok || result.error.code !== 'invalid_code') this.#secondFactor = null;
    return result;
  }

  /** Whether the signed-in person has two-step verification on, since when, and how many recovery codes are left. */
  async totpStatus(): Promise<ApiResult<TotpStatus>> {
    return (await totp()).totpStatus(this.#keeper);
  }

  /**
   * Starts turning on two-step verification: a new secret (`secret`, base32, to type in), its
   * `otpauth://` URI and the URI's QR code as an SVG document (`qrSvg`, drawn by the server: parse
   * it, do not put it in as HTML), and `setupToken`, for {@link enableTotp}. Nothing is on yet.
   * Needs a sign-in from the last 10 minutes (else `stale_session`); `totp_already_enabled` when on.
   */
  async setupTotp(): Promise<ApiResult<TotpSetup>> {
    return (await totp()).setupTotp(this.#keeper);
  }

  /**
   * The app's first code: two-step verification is on, and the answer carries the ten recovery
   * codes, which the server never shows again (offer them as a download). Errors: `invalid_code`,
   * `invalid_totp_setup` (the setup's 10 minutes are over: start again), `stale_session`.
   */
  async enableTotp(setupToken: string, code: string): Promise<ApiResult<TotpRecoveryCodes>> {
    return (await totp()).enableTotp(this.#keeper, setupToken, code);
  }

  /** Turns it off, with the app's current code or a recovery code. Errors: `invalid_code`, `too_many_attempts`, `totp_not_enabled`. */
  async disableTotp(proof: SecondFactorProof): Promise<ApiResult<null>> {
    return (await totp()).disableTotp(this.#keeper, proof);
  }

  /** Ten new recovery codes (the old ones stop working), with the app's current code or a recovery code. Errors as {@link disableTotp}'s. */
  async newRecoveryCodes(proof: SecondFactorProof): Promise<ApiResult<TotpRecoveryCodes>> {
    return (await totp()).newRecoveryCodes(this.#keeper, proof);
  }

  async #verify(body: VerifyBody, method: 'code' | 'link'): Promise<ApiResult<FirstFactorResponse>> {
    // Cookie mode must be known before the answer that sets the cookie.
    const config = await this.config();
    // A server without the second factor keeps the old way: no key, no chunk to fetch.
    if (!(config.ok && config.data.totp)) return this.#keeper.verify(body, method);
    const result = await (await totp()).verifyFirstFactor(this.#keeper, body, method, this.#now());
    this.#secondFactor = result.pending ?? null;
    const { pending: _, ...answer } = result;
    return answer as ApiResult<FirstFactorResponse>;
  }
}

/** The client has no lifecycle to hear other tabs with: it reads the kept session at each use. */
class RereadingKeeper extends SessionKeeper {
  override get stored(): StoredSession | null {
    return this.reload();
  }
}
