/**
 * A signed-in person's account changes (contract/account.ts): changing their address, undoing a
 * change from the old address's link, and deleting the account. Plain TypeScript over the login
 * service's own context (store, mailer, clock, hasher, rules, hooks); the router checks the
 * session, the origin and the input and hands over plain values.
 *
 * Why each rule holds (docs/security.md#account-changes):
 * - A change needs a code mailed to the new address: whoever holds it holds that mailbox, so a
 *   typo never hands the account to a stranger. A deletion needs a code mailed to the current one.
 * - The codes are sequences of the address's login state (account-codes.ts): the login's limits
 *   hold for them, and no code does another purpose's job.
 * - A new address that is another user's gets no code but a notice, and the same 202: the
 *   answer never tells whether an address has an account. So does a blocked user's address (no
 *   mail at all) and a locked one.
 * - Every mail has its place in the queue before anything is written (mail/queue-room.ts): with
 *   the queue full the answer is `503 mail_busy` and nothing changed, as for a sign-in request.
 * - A change starts only from a fresh session (signed in by email within 10 minutes), so a
 *   stolen or forgotten session cannot move the account.
 * - The old address hears of a change at once, with a link that undoes it for 7 days, wherever
 *   the account went since (undo-token.ts, undo-epoch.ts); the undo removes the passkeys added
 *   since and authenticator-app codes turned on since (totp-since.ts), voids the account codes in flight and ends every session, so whoever changed it is
 *   signed out with no way back in.
 */
import { EMAIL_CHANGE_UNDO_PAGE, type AccountCodeSent } from '../../contract/account.ts';
import { ApiError, type Locale, type User } from '../../contract/index.ts';
import { parseEmailAddress, type EmailAddress } from '../login/email-address.ts';
import { eraseUser, type ErasedUser } from '../login/erase-user.ts';
import { freshSessionUser } from '../login/fresh-session.ts';
import { notify } from '../login/hooks.ts';
import { loginContext, type LoginContext, type LoginServiceOptions } from '../login/login-context.ts';
import { LoginError, rateLimited } from '../login/login-error.ts';
import { expiresInMinutes } from '../login/rules.ts';
import { revokeUserSessions } from '../login/sessions.ts';
import { lastSignInLocale } from '../login/user-locale.ts';
import { toPublicUser } from '../login/users.ts';
import type { UserRecord } from '../store/types.ts';
import { checkAccountCode, issueAccountCode, voidAccountCodes } from './account-codes.ts';
import { removePasskeysSince } from './passkeys-since.ts';
import { removeTotpSince } from './totp-since.ts';
import { currentUndoEpoch, epochSpent, spendEpoch } from './undo-epoch.ts';
import { openUndoToken, sealUndoToken, undoExpiresAt } from './undo-token.ts';

/** How long one undo of a user holds the others back: 5 s, far more than its few store calls. */
const UNDO_LOCK_MS = 5_000;

export interface AccountServiceOptions {
  /** The same options the login service is built from. */
  login: LoginServiceOptions;
  /** `<PUBLIC_URL><base path>`: the undo link is this, then `/account/email/undo#token=…`. */
  publicBase: string;
}

export class AccountService {
  readonly #context: LoginContext;
  readonly #undoPage: string;

  constructor(options: AccountServiceOptions) {
    this.#context = loginContext(options.login);
    this.#undoPage = `${options.publicBase}${EMAIL_CHANGE_UNDO_PAGE}`;
  }

  /** What both starts answer: the code step's numbers, whatever was mailed. */
  #codeSent(): AccountCodeSent {
    const { rules } = this.#context;
    return { codeLength: rules.codeLength, expiresIn: rules.codeTtlSeconds, retryAfter: rules.resendSeconds };
  }

  /** A place in the mail queue, or `503 mail_busy` before anything is read or written. */
  #reserve() {
    const place = this.#context.mailer.reserve();
    if (place.busy) {
      this.#context.metrics?.mailBusy.inc();
      throw rateLimited(place.retryAfter, ApiError.mailBusy);
    }
    return place;
  }

  /** The signed-in user's record (the router checked the session); gone meanwhile, the session is as good as ended. */
  async #user(userId: string): Promise<UserRecord> {
    const user = await this.#context.store.findUserById(userId);
    if (!user || user.blockedAt) throw LoginError.of(ApiError.unauthenticated);
    return user;
  }

  async #locale(user: UserRecord, asked: Locale | undefined): Promise<Locale> {
    return asked ?? (await lastSignInLocale(this.#context.store, user.emailKey, 'en'));
  }

  /**
   * Start of a change of address: a code to `to` (or, when `to` is another user's, a notice
   * there; when that user is blocked, nothing), under `to`'s limits. The session must be fresh
   * (login/fresh-session.ts: `403 stale_session` otherwise), so a stolen or forgotten session
   * cannot move the account. `same_email` when `to` is the user's address already.
   */
  async startEmailChange(sessionToken: string | null, to: EmailAddress, asked?: Locale): Promise<AccountCodeSent> {
    const user = await freshSessionUser(this.#context, sessionToken, ApiError.staleSessionForEmailChange);
    if (to.key === user.emailKey) throw LoginError.of(ApiError.sameEmail);
    const place = this.#reserve();
    try {
      const locale = await this.#locale(user, asked);
      const holder = await this.#context.store.findUserByEmailKey(to.key);
      const outcome = await issueAccountCode(this.#context, to, { kind: 'email_change', userId: user.id, email: to.address }, locale, holder !== null);
      if (outcome.kind === 'issued') {
        place.send({ kind: 'email_change_code', to: to.address, locale, code: outcome.code, expiresInMinutes: expiresInMinutes(this.#context.rules) });
      } else if (outcome.kind === 'counted' && holder && !holder.blockedAt) {
        // Not to a locked address either: it is mailed nothing until the lockout ends.
        place.send({ kind: 'email_taken', to: holder.email, locale });
      }
      return this.#codeSent();
    } finally {
      place.release();
    }
  }

  /**
   * The code mailed to `to` → the user moved there (atomically; `email_taken` when it became a
   * user meanwhile), audited `email_changed`, `onEmailChanged` told, the old address's login
   * state deleted (it is no longer the user's: nothing of it stays once the user is erased), and
   * the old address sent a notice with the undo link. The session goes on. The code is looked up
   * in `to`'s login state among this user's change codes (the newest matching); an address
   * where this user started no change counts nothing (nothing to guess against there, and a
   * session must not be able to run up another address's wrong-code count).
   */
  async confirmEmailChange(userId: string, to: EmailAddress, code: string): Promise<User> {
    const user = await this.#user(userId);
    const { store, clock, hash } = this.#context;
    const place = this.#reserve();
    try {
      const sequence = await checkAccountCode(this.#context, to.key, { kind: 'email_change', userId: user.id }, code);
      if (sequence.purpose?.kind !== 'email_change') throw new Error('an email change code without its address');
      const moved = await store.changeUserEmail(user.id, { email: sequence.purpose.email, emailKey: to.key });
      if (moved === 'taken') throw LoginError.of(ApiError.newEmailTaken);
      if (moved === null) throw LoginError.of(ApiError.unauthenticated);
      await store.updateLogin(user.emailKey, () => ({ next: null, result: undefined }));
      const now = clock.now();
      const epoch = await currentUndoEpoch(this.#context, user.id);
      const token = sealUndoToken(hash, { userId: user.id, oldEmail: user.email, changedAt: now, epoch });
      place.send({ kind: 'email_changed', to: user.email, locale: sequence.locale, newEmail: moved.email, link: `${this.#undoPage}#token=${token}`, changedAt: now });
      this.#context.audit?.emailChanged({ userId: user.id });
      const publicUser = toPublicUser(moved);
      await notify(this.#context.logger, 'onEmailChanged', this.#context.hooks.onEmailChanged, { user: publicUser, previousEmail: user.email });
      return publicUser;
    } finally {
      place.release();
    }
  }

  /**
   * The old address's link: the account back at the old address, wherever it moved since; the
   * passkeys added since the change removed (audited `passkey_removed`), authenticator-app codes
   * turned on since turned off (audited `totp_disabled`, `by: 'undo'`), the user's account codes
   * in flight voided, every session ended; audited `email_change_undone`. `invalid_undo_link` for a
   * token not made here, expired, after an undo of that user since its change (undo-epoch.ts; the
   * link's own use is one), or of an erased user; `email_taken` when the old address is another
   * user's now (nothing changes, and the link still works once it is free: the epoch is claimed
   * only once the account is back).
   */
  async undoEmailChange(token: string): Promise<{ email: string }> {
    const { store, clock, hash } = this.#context;
    const undo = openUndoToken(hash, token);
    const now = clock.now();
    if (!undo || undoExpiresAt(undo) <= now) throw LoginError.of(ApiError.invalidUndoLink);
    const old = parseEmailAddress(undo.oldEmail);
    const user = await store.findUserById(undo.userId);
    if (!old || !user || (await epochSpent(this.#context, user.id, undo.epoch))) throw LoginError.of(ApiError.invalidUndoLink);
    // One undo of a user at a time (5 s, on every instance): two links of one epoch racing could
    // otherwise both move the account, the later move winning while the other claimed the epoch.
    // A claim cannot be released, so a retry within the 5 s (after a 409) is told to wait.
    if (!(await store.claimOnce(`email-change-undo-lock:${hash(`email-change-undo-lock:${user.id}`)}`, now + UNDO_LOCK_MS))) throw rateLimited(UNDO_LOCK_MS / 1000, ApiError.undoInProgress);
    // Read again under the lock: an undo that held it a moment ago may have spent the epoch.
    if (await epochSpent(this.#context, user.id, undo.epoch)) throw LoginError.of(ApiError.invalidUndoLink);
    const holder = await store.findUserByEmailKey(old.key);
    if (holder && holder.id !== user.id) throw LoginError.of(ApiError.oldEmailTaken);
    const restored = user.emailKey === old.key ? user : await store.changeUserEmail(user.id, { email: old.address, emailKey: old.key });
    if (restored === 'taken') throw LoginError.of(ApiError.oldEmailTaken);
    if (restored === null) throw LoginError.of(ApiError.invalidUndoLink);
    // The link is spent only now that the account is back: a failed move leaves it working.
    if (!(await spendEpoch(this.#context, user.id, undo.epoch, now))) throw LoginError.of(ApiError.invalidUndoLink);
    await removePasskeysSince(this.#context, user.id, undo.changedAt);
    await removeTotpSince(this.#context, user.id, restored.emailKey, undo.changedAt);
    // The account codes in flight: a deletion's is in the login state of the address the account
    // had; every change needs a session, and every session ends below.
    await voidAccountCodes(this.#context, user.emailKey, user.id);
    await voidAccountCodes(this.#context, old.key, user.id);
    await revokeUserSessions(this.#context, user.id);
    this.#context.audit?.emailChangeUndone({ userId: user.id });
    await notify(this.#context.logger, 'onEmailChanged', this.#context.hooks.onEmailChanged, { user: toPublicUser(restored), previousEmail: user.email });
    return { email: restored.email };
  }

  /** Start of a deletion: a code to the user's own address, under its limits. */
  async startDeletion(userId: string, asked?: Locale): Promise<AccountCodeSent> {
    const user = await this.#user(userId);
    const place = this.#reserve();
    try {
      const locale = await this.#locale(user, asked);
      const outcome = await issueAccountCode(this.#context, { address: user.email, key: user.emailKey }, { kind: 'deletion', userId: user.id }, locale);
      if (outcome.kind === 'issued') place.send({ kind: 'deletion_code', to: user.email, locale, code: outcome.code, expiresInMinutes: expiresInMinutes(this.#context.rules) });
      return this.#codeSent();
    } finally {
      place.release();
    }
  }

  /** The deletion code → the user erased (erase-user.ts: every session, passkeys, login state; `user_deleted`; `onUserDeleted`). */
  async confirmDeletion(userId: string, code: string): Promise<ErasedUser | null> {
    const user = await this.#user(userId);
    await checkAccountCode(this.#context, user.emailKey, { kind: 'deletion', userId: user.id }, code);
    return eraseUser(this.#context, user.id);
  }
}

