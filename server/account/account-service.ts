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
 * - The old address hears of a change at once, with a link that undoes it for 7 days
 *   (undo-token.ts); the undo ends every session, so whoever changed it is signed out.
 */
import { EMAIL_CHANGE_UNDO_PAGE, EMAIL_CHANGE_UNDO_SECONDS, type AccountCodeSent } from '../../contract/account.ts';
import { ApiError, type Locale, type User } from '../../contract/index.ts';
import { parseEmailAddress, type EmailAddress } from '../login/email-address.ts';
import { eraseUser, type ErasedUser } from '../login/erase-user.ts';
import { notify } from '../login/hooks.ts';
import { loginContext, type LoginContext, type LoginServiceOptions } from '../login/login-context.ts';
import { LoginError, rateLimited } from '../login/login-error.ts';
import { expiresInMinutes } from '../login/rules.ts';
import { revokeUserSessions } from '../login/sessions.ts';
import { lastSignInLocale } from '../login/user-locale.ts';
import { toPublicUser } from '../login/users.ts';
import type { UserRecord } from '../store/types.ts';
import { checkAccountCode, emailChangeIndexHash, issueAccountCode } from './account-codes.ts';
import { openUndoToken, sealUndoToken } from './undo-token.ts';

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
   * there; when that user is blocked, nothing), under `to`'s limits. `same_email` when `to` is
   * the user's address already.
   */
  async startEmailChange(userId: string, to: EmailAddress, asked?: Locale): Promise<AccountCodeSent> {
    const user = await this.#user(userId);
    if (to.key === user.emailKey) throw LoginError.of(ApiError.sameEmail);
    const place = this.#reserve();
    try {
      const locale = await this.#locale(user, asked);
      const holder = await this.#context.store.findUserByEmailKey(to.key);
      const outcome = await issueAccountCode(this.#context, to, { kind: 'email_change', userId: user.id, email: to.address }, locale, holder !== null);
      if (outcome.kind === 'issued') {
        place.send({ kind: 'email_change_code', to: to.address, locale, code: outcome.code, expiresInMinutes: expiresInMinutes(this.#context.rules) });
      } else if (holder && !holder.blockedAt) {
        place.send({ kind: 'email_taken', to: holder.email, locale });
      }
      return this.#codeSent();
    } finally {
      place.release();
    }
  }

  /**
   * The code of the new address → the user moved there (atomically; `email_taken` when it became
   * a user meanwhile), audited `email_changed`, `onEmailChanged` told, and the old address sent
   * a notice with the undo link. The session goes on.
   */
  async confirmEmailChange(userId: string, code: string): Promise<User> {
    const user = await this.#user(userId);
    const { store, clock, hash } = this.#context;
    const pendingKey = await store.findLoginKeyByTokenHash(emailChangeIndexHash(this.#context, user.id));
    // No change in flight: nothing to guess against, so nothing is counted.
    if (!pendingKey) throw LoginError.of(ApiError.wrongCode, { attemptsLeft: 0 });
    const place = this.#reserve();
    try {
      const sequence = await checkAccountCode(this.#context, pendingKey, { kind: 'email_change', userId: user.id }, code);
      if (sequence.purpose?.kind !== 'email_change') throw new Error('an email change code without its address');
      const to = parseEmailAddress(sequence.purpose.email);
      if (!to || to.key !== pendingKey) throw new Error('an email change code for another address than its state');
      const moved = await store.changeUserEmail(user.id, { email: to.address, emailKey: to.key });
      if (moved === 'taken') throw LoginError.of(ApiError.newEmailTaken);
      if (moved === null) throw LoginError.of(ApiError.unauthenticated);
      const now = clock.now();
      const token = sealUndoToken(hash, { userId: user.id, oldEmail: user.email, oldEmailKey: user.emailKey, newEmailKey: to.key, expiresAt: now + EMAIL_CHANGE_UNDO_SECONDS * 1000 });
      place.send({ kind: 'email_changed', to: user.email, locale: sequence.locale, newEmail: to.address, link: `${this.#undoPage}#token=${token}`, changedAt: now });
      this.#context.audit?.emailChanged({ userId: user.id });
      const publicUser = toPublicUser(moved);
      await notify(this.#context.logger, 'onEmailChanged', this.#context.hooks.onEmailChanged, { user: publicUser, previousEmail: user.email });
      return publicUser;
    } finally {
      place.release();
    }
  }

  /**
   * The old address's link: the account back at the old address and every session ended,
   * audited `email_change_undone`. `invalid_undo_link` for a token not made here, expired, used,
   * or whose change is no longer the account's (changed again, or erased); `email_taken` when the
   * old address is another user's now (nothing changes, and the link still works once it is free).
   */
  async undoEmailChange(token: string): Promise<{ email: string }> {
    const { store, clock, hash } = this.#context;
    const undo = openUndoToken(hash, token);
    if (!undo || undo.expiresAt <= clock.now()) throw LoginError.of(ApiError.invalidUndoLink);
    const user = await store.findUserById(undo.userId);
    if (!user || user.emailKey !== undo.newEmailKey) throw LoginError.of(ApiError.invalidUndoLink);
    const holder = await store.findUserByEmailKey(undo.oldEmailKey);
    if (holder && holder.id !== user.id) throw LoginError.of(ApiError.oldEmailTaken);
    if (!(await store.claimOnce(`email-change-undo:${undo.id}`, undo.expiresAt))) throw LoginError.of(ApiError.invalidUndoLink);
    const restored = await store.changeUserEmail(user.id, { email: undo.oldEmail, emailKey: undo.oldEmailKey });
    if (restored === 'taken') throw LoginError.of(ApiError.oldEmailTaken);
    if (restored === null) throw LoginError.of(ApiError.invalidUndoLink);
    await revokeUserSessions(this.#context, user.id);
    this.#context.audit?.emailChangeUndone({ userId: user.id });
    await notify(this.#context.logger, 'onEmailChanged', this.#context.hooks.onEmailChanged, { user: toPublicUser(restored), previousEmail: user.email });
    return { email: undo.oldEmail };
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

