/**
 * The host's hooks into the login flow, all optional and all allowed to be async. They get plain
 * data: never a code, a link, a session token or a hash.
 *
 * A hook that throws never breaks a login: the error is logged (its message only, with the hook's
 * name) and the flow goes on, except `validateNewUser`, where a throw counts as a refusal (fail
 * closed: a broken validator must not let everyone in).
 *
 * A refused new user is answered exactly like an unknown email under USER_CREATION=false: the same
 * 202 and no mail, so the answer does not tell whether an address was refused, unknown or known.
 * The validator runs only for addresses with no user, so a slow one makes those answers slower:
 * keep it fast (a list lookup, not a network call) or the delay tells new from known addresses.
 */
import type { User } from '../../contract/index.ts';
import type { PasskeyInfo } from '../../contract/passkeys.ts';
import type { Logger } from '../observability/logger.ts';
import type { VerifyMethod } from '../observability/metrics.ts';

export interface LoginHooks {
  /** Only these email domains may create a user (exact match, lower case, punycode); absent: any. */
  allowedEmailDomains?: readonly string[];
  /** Called before a code is mailed to an address with no user; `false` or a string (a reason, logged) refuses. */
  validateNewUser?(input: { email: string; userData: Record<string, unknown> }): boolean | string | Promise<boolean | string>;
  /** After a login created the user, before the answer. */
  onUserCreated?(user: User): void | Promise<void>;
  /** After every successful login (the new user's first one too), before the answer. */
  onLogin?(event: { user: User; method: VerifyMethod }): void | Promise<void>;
  /** After a passkey was added to a user's account (its notice mail is on its way), before the answer. */
  onPasskeyAdded?(event: { user: User; passkey: PasskeyInfo }): void | Promise<void>;
  /** After a session was revoked (logout or `revokeSession`), and once per `revokeUserSessions` that ended any. */
  onLogout?(event: { userId: string }): void | Promise<void>;
  /** After `deleteUser` erased a user, with the user as they were (the store holds nothing of them now). */
  onUserDeleted?(user: User): void | Promise<void>;
  /** After a user's address changed (confirmed by a code to the new one), with the user as now stored and the address before. */
  onEmailChanged?(event: { user: User; previousEmail: string }): void | Promise<void>;
  /**
   * Whether this existing user must pass a second factor (authenticator-app codes) to sign in by
   * email code, link or approval, even with none set up: `true` for one without it answers
   * `403 second_factor_setup_required` (the site enrols them while signed in by other means). A
   * throw counts as `true` (fail closed). Not asked of a passkey sign-in, nor with TOTP=off.
   */
  requireSecondFactor?(user: User): boolean | Promise<boolean>;
}

/** Whether a new user may be created for `email`; every failure is a refusal. */
export async function mayCreateUser(hooks: LoginHooks, logger: Logger, email: string, userData: Record<string, unknown>): Promise<boolean> {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (hooks.allowedEmailDomains && !hooks.allowedEmailDomains.some((allowed) => allowed.toLowerCase() === domain)) return false;
  if (!hooks.validateNewUser) return true;
  try {
    const verdict = await hooks.validateNewUser({ email, userData });
    if (verdict === true) return true;
    logger.info({ msg: 'new user refused by validateNewUser', domain, ...(typeof verdict === 'string' ? { reason: verdict } : {}) });
    return false;
  } catch (error) {
    logger.error({ msg: 'hook failed', hook: 'validateNewUser', domain, err: errorMessage(error) });
    return false;
  }
}

/** Runs a notification hook; a throw is logged and swallowed. */
export async function notify<E>(logger: Logger, name: string, hook: ((event: E) => void | Promise<void>) | undefined, event: E): Promise<void> {
  if (!hook) return;
  try {
    await hook(event);
  } catch (error) {
    logger.error({ msg: 'hook failed', hook: name, err: errorMessage(error) });
  }
}

/** A thrown value's message, for a log line (never its stack: hooks are the host's code). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
