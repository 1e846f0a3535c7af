/**
 * The login service: request a code, verify it (or the link), look up and end sessions.
 * Plain TypeScript with the store, mailer, clock and hasher injected; it knows nothing of Koa.
 *
 * Why each rule holds:
 * - Single use under concurrency: the check and the "used" mark happen in one `updateLogin`
 *   change, which no other change to the same email can interleave with.
 * - Wrong codes: the attempt is counted in that same change, before the answer, so 100 parallel
 *   guesses check at most `maxAttempts` codes. The count survives resends and new codes and is
 *   reset only by a login; past the cap each wrong code burns every live one, so an attacker gets
 *   one guess per code mailed (one a minute, at most) and the owner still signs in with the next.
 *   After 100 wrong codes in a row (NIST 800-63B 5.2.2) the address is locked for 24 hours: no
 *   code is mailed to it, and since the wrong code that got there burnt every live one, nothing
 *   is left to guess. None of these rules looks at whether the user exists,
 *   so they answer alike for unknown emails.
 * - Mail volume: one code per 60 s and 5 per hour per address, counted for unknown addresses too.
 * - Enumeration: known and unknown emails take the same path (a user lookup, one state write,
 *   the same answer); the mailer renders and sends only after the answer is written
 *   (`Mailer.dispatch` defers to setImmediate), and it is never awaited.
 */
import { ErrorCode, type Locale, type RequestResponse, type SessionResponse, type User, type VerifyResponse } from '../../contract/index.ts';
import type { Clock } from '../time/clock.ts';
import { parseEmailAddress, type EmailAddress } from './email-address.ts';
import { LoginError, rateLimited } from './login-error.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import { parseMailExtra, type MailExtra } from '../mail/mail-extra.ts';
import type { Mailer } from '../mail/types.ts';
import type { AuditLog } from '../observability/audit.ts';
import type { Metrics, VerifyMethod } from '../observability/metrics.ts';
import { randomCode, randomId, randomToken, sameHash, type Hasher } from '../secrets/secrets.ts';
import type { SequenceRecord, Store, UserRecord } from '../store/types.ts';
import { burnAll, consumeAll, emptyLoginState, findSequence, isLocked, prune, requestWaitMs, retainUntil } from './login-state.ts';
import { expiresInMinutes, type LoginRules } from './rules.ts';
import { buildMagicLink } from './magic-link.ts';
import { mayCreateUser, notify, type LoginHooks } from './hooks.ts';

export interface LoginServiceOptions {
  store: Store;
  mailer: Mailer;
  clock: Clock;
  hash: Hasher;
  rules: LoginRules;
  /** The landing page used when a request names none (the backend's own `/auth/link`). */
  defaultLanding: string;
  /** Counted where decided: codes issued, verify outcomes, per-email limits, revoked sessions. */
  metrics?: Pick<Metrics, 'codesRequested' | 'verifies' | 'rateLimited' | 'sessionsRevoked'>;
  /**
   * Where a new user and a revoke of all of a user's sessions are recorded; sign-ins and single
   * sign-outs are audited by the router, which knows the client.
   */
  audit?: Pick<AuditLog, 'userCreated' | 'signOut'>;
  /** The host's hooks (hooks.ts); none by default. */
  hooks?: LoginHooks;
  /** Where failing hooks are logged; default silent. */
  logger?: Logger;
}

/** Who a programmatic `requestLoginToken` is for: an address (a user or not yet), or an existing user. */
export type LoginTarget = { email: string } | { userId: string };

export interface LoginTokenOptions {
  userData?: Record<string, unknown>;
  /** Trusted as given: the redirect allow-list is the router's, so check user input against it first. */
  redirectTo?: string;
  locale?: Locale;
}

export interface SendLoginTokenEmailInput {
  userId: string;
  /** Must be the user's address when given (a user has one). */
  email?: string;
  /**
   * Values for this one mail that an operator's templates show as `{{extra.<key>}}` (HTML-escaped
   * in .html like every value): at most 20 strings or numbers of at most 500 characters, keys
   * like `plan` or `team_name` (mail-extra.ts). Anything else is a 400 saying what is wrong.
   */
  extra?: Record<string, string | number>;
  locale?: Locale;
}

export interface LoginRequest {
  email: EmailAddress;
  /** Already checked against the allow-list. */
  redirectTo?: string | undefined;
  locale: Locale;
  userData?: Record<string, unknown> | undefined;
  clientHash?: string | undefined;
  /** Checked `extra` values for the mail (sendLoginTokenEmail). */
  extra?: MailExtra | undefined;
}

type VerifyOutcome =
  | { kind: 'ok'; sequence: SequenceRecord; address: string }
  | { kind: 'invalid'; attemptsLeft: number }
  | { kind: 'expired' }
  | { kind: 'too_many' }
  | { kind: 'invalid_link' };

/** Compared against when an address holds no sequence; never matches. */
const DECOY_SEQUENCE: SequenceRecord = {
  id: 'decoy',
  codeHash: '',
  tokenHash: '',
  createdAt: 0,
  expiresAt: 0,
  usedAt: null,
  burntAt: null,
  locale: 'en',
  userData: {},
};

export class LoginService {
  readonly #o: LoginServiceOptions;

  constructor(options: LoginServiceOptions) {
    this.#o = options;
  }

  get rules(): LoginRules {
    return this.#o.rules;
  }

  async requestLogin(request: LoginRequest): Promise<RequestResponse> {
    const { store, clock, hash, rules } = this.#o;
    const now = clock.now();
    const { key, address } = request.email;
    const user = await store.findUserByEmailKey(key);
    const mayLogIn = user !== null || (rules.userCreation && (await this.#mayCreate(address, request.userData ?? {})));
    const code = randomCode(rules.codeLength);
    const token = randomToken();
    const id = randomId();
    const ttlMs = rules.codeTtlSeconds * 1000;

    const outcome = await store.updateLogin(key, (current) => {
      const state = prune(current ?? emptyLoginState(key, address), now, ttlMs);
      const waitMs = rules.rateLimits ? requestWaitMs(state, now, rules.resendSeconds * 1000, rules.codesPerHour) : 0;
      if (waitMs > 0) return { next: state, result: { retryAfter: waitMs / 1000, send: false } };
      state.lastRequestAt = now;
      state.requestTimes.push(now);
      // A locked address gets no code (it could not be used) and so no mail: the lock cannot be
      // turned into a way to flood the owner's mailbox. The answer stays the same.
      if (!mayLogIn || isLocked(state, now, rules.maxConsecutiveFailures, rules.lockoutSeconds * 1000)) {
        return { next: state, result: { retryAfter: 0, send: false } };
      }
      state.sequences.push({
        id,
        codeHash: hash(`code:${id}:${code}`),
        tokenHash: hash(`link:${token}`),
        createdAt: now,
        expiresAt: now + ttlMs,
        usedAt: null,
        burntAt: null,
        locale: request.locale,
        userData: request.userData ?? {},
      });
      return { next: state, result: { retryAfter: 0, send: true } };
    });
    if (outcome.retryAfter > 0) {
      this.#o.metrics?.rateLimited.inc({ scope: 'email' });
      throw rateLimited(outcome.retryAfter, 'A code was sent to this address a moment ago. Wait before asking for another.');
    }

    if (outcome.send) {
      this.#o.metrics?.codesRequested.inc();
      const link = buildMagicLink(request.redirectTo ?? this.#o.defaultLanding, token, request.clientHash);
      this.#o.mailer.dispatch({ to: user?.email ?? address, locale: request.locale, code, link, expiresInMinutes: expiresInMinutes(rules), extra: request.extra });
    }
    return { codeLength: rules.codeLength, expiresIn: rules.codeTtlSeconds, retryAfter: rules.resendSeconds };
  }

  /**
   * `requestLogin` for server code (Meteor's `requestLoginTokenForUser`): the same rules, waits and
   * answer. An unknown `userId` or an invalid address is a 400: the caller is trusted, not a client.
   */
  async requestLoginToken(target: LoginTarget, options: LoginTokenOptions = {}): Promise<RequestResponse> {
    let email: EmailAddress | null;
    if ('userId' in target) {
      const user = await this.#o.store.findUserById(target.userId);
      email = user && { address: user.email, key: user.emailKey };
    } else {
      email = parseEmailAddress(target.email);
    }
    if (!email) throw new LoginError(400, ErrorCode.invalid_request, 'No such user, or not a valid email address.');
    return this.requestLogin({ email, redirectTo: options.redirectTo, locale: options.locale ?? 'en', userData: options.userData });
  }

  /** Mails an existing user a fresh code and link (Meteor's `sendLoginTokenEmail`), under the usual waits. */
  async sendLoginTokenEmail(input: SendLoginTokenEmailInput): Promise<RequestResponse> {
    let extra: MailExtra | undefined;
    try {
      extra = input.extra === undefined ? undefined : parseMailExtra(input.extra);
    } catch (error) {
      throw new LoginError(400, ErrorCode.invalid_request, `Not usable in a mail: ${(error as Error).message}.`);
    }
    const user = await this.#o.store.findUserById(input.userId);
    if (!user) throw new LoginError(400, ErrorCode.invalid_request, 'No such user, or not a valid email address.');
    if (input.email !== undefined && parseEmailAddress(input.email)?.key !== user.emailKey) {
      throw new LoginError(400, ErrorCode.invalid_request, 'That is not this user\'s email address.');
    }
    return this.requestLogin({ email: { address: user.email, key: user.emailKey }, locale: input.locale ?? 'en', extra });
  }

  async findUser(by: { id: string } | { email: string }): Promise<User | null> {
    const { store } = this.#o;
    const key = 'email' in by ? parseEmailAddress(by.email)?.key : undefined;
    const user = 'id' in by ? await store.findUserById(by.id) : key ? await store.findUserByEmailKey(key) : null;
    return user && toPublicUser(user);
  }

  /** The session's user and expiry, or null when the token is unknown or expired. */
  async findSession(token: string): Promise<SessionResponse | null> {
    try {
      return await this.getSession(token);
    } catch (error) {
      if (error instanceof LoginError && error.code === ErrorCode.unauthenticated) return null;
      throw error;
    }
  }

  /** Ends one session; returns whether there was one. */
  async revokeSession(token: string): Promise<boolean> {
    return (await this.logout(token)) !== null;
  }

  /**
   * Ends every session of one user (after a ban, or "sign out everywhere"); returns how many it
   * ended. Each of them answers 401 from then on, on every instance sharing the store. One audit
   * `sign_out` entry and one `onLogout` call stand for them all; the metric counts each session.
   * A sign-in completing at the same moment may keep its new session: the store ends each
   * session at most once and never loses track of one, so calling again ends it.
   */
  async revokeUserSessions(userId: string): Promise<number> {
    const revoked = await this.#o.store.deleteUserSessions(userId);
    if (revoked === 0) return 0;
    this.#o.metrics?.sessionsRevoked.inc({}, revoked);
    this.#o.audit?.signOut({ userId });
    await notify(this.#logger, 'onLogout', this.#o.hooks?.onLogout, { userId });
    return revoked;
  }

  async verifyCode(email: EmailAddress, code: string): Promise<VerifyResponse> {
    const { store, clock, hash, rules } = this.#o;
    const now = clock.now();
    const ttlMs = rules.codeTtlSeconds * 1000;
    const outcome = await store.updateLogin<VerifyOutcome>(email.key, (current) => {
      const state = prune(current ?? emptyLoginState(email.key, email.address), now, ttlMs);
      // With no sequence (an unknown address under USER_CREATION=false) one hash is still
      // computed, so such a guess costs what a guess against a known address does.
      const candidates = state.sequences.length > 0 ? state.sequences : [DECOY_SEQUENCE];
      const match = findSequence(candidates, (s) => sameHash(s.codeHash, hash(`code:${s.id}:${code}`)) && s !== DECOY_SEQUENCE);
      // A right code that can no longer sign in is not a guess: it costs no attempt.
      if (match?.usedAt != null) return { next: state, result: { kind: 'invalid', attemptsLeft: Math.max(0, rules.maxAttempts - state.attempts) } };
      if (match?.burntAt != null) return { next: state, result: { kind: 'too_many' } };
      if (match && match.expiresAt <= now) return { next: state, result: { kind: 'expired' } };
      if (match) {
        consumeAll(state, now);
        return { next: state, result: { kind: 'ok', sequence: match, address: state.address } };
      }
      // Past the cap every wrong code burns what is live, so a fresh code gets exactly one try
      // until a login resets the count (NIST 800-63B: a new code must not reset it).
      state.attempts += 1;
      state.lastFailureAt = now;
      if (state.attempts >= rules.maxAttempts) {
        burnAll(state, now);
        return { next: state, result: { kind: 'too_many' } };
      }
      return { next: state, result: { kind: 'invalid', attemptsLeft: rules.maxAttempts - state.attempts } };
    });
    return this.#finishLogin('code', email.key, outcome);
  }

  async verifyLink(token: string): Promise<VerifyResponse> {
    const { store, clock, hash, rules } = this.#o;
    const now = clock.now();
    const tokenHash = hash(`link:${token}`);
    const key = await store.findLoginKeyByTokenHash(tokenHash);
    if (!key) return this.#finishLogin('link', '', { kind: 'invalid_link' });
    const outcome = await store.updateLogin<VerifyOutcome>(key, (current) => {
      if (!current) return { next: null, result: { kind: 'invalid_link' } };
      const state = prune(current, now, rules.codeTtlSeconds * 1000);
      const match = findSequence(state.sequences, (s) => sameHash(s.tokenHash, tokenHash));
      if (!match || match.usedAt !== null || match.burntAt !== null) return { next: state, result: { kind: 'invalid_link' } };
      if (match.expiresAt <= now) return { next: state, result: { kind: 'expired' } };
      consumeAll(state, now);
      return { next: state, result: { kind: 'ok', sequence: match, address: state.address } };
    });
    return this.#finishLogin('link', key, outcome);
  }

  async getSession(token: string): Promise<SessionResponse> {
    const { store, clock, hash } = this.#o;
    const tokenHash = hash(`session:${token}`);
    const session = await store.findSession(tokenHash);
    const live = session !== null && session.expiresAt > clock.now();
    if (session && !live) await store.deleteSession(tokenHash);
    const user = live ? await store.findUserById(session.userId) : null;
    if (!session || !user) throw unauthenticated();
    return { user: toPublicUser(user), session: { expiresAt: new Date(session.expiresAt).toISOString() } };
  }

  /**
   * Revokes the session on the server and returns whose it was (for the audit trail), or null.
   * Unknown tokens are fine: logging out twice is not an error.
   */
  async logout(token: string): Promise<string | null> {
    const tokenHash = this.#o.hash(`session:${token}`);
    const session = await this.#o.store.findSession(tokenHash);
    if (!(await this.#o.store.deleteSession(tokenHash))) return null;
    this.#o.metrics?.sessionsRevoked.inc();
    if (session) await notify(this.#logger, 'onLogout', this.#o.hooks?.onLogout, { userId: session.userId });
    return session?.userId ?? null;
  }

  /**
   * Deletes what can never matter again: expired sessions, and login states past `retainUntil`.
   * Keeps the data file from growing with every address ever typed.
   */
  async sweep(): Promise<{ logins: number; sessions: number }> {
    const { store, clock, rules } = this.#o;
    const now = clock.now();
    const ttlMs = rules.codeTtlSeconds * 1000;
    return store.sweep(now, (state) => {
      const pruned = prune(state, now, ttlMs);
      return retainUntil(pruned, { codeTtlMs: ttlMs, resendMs: rules.resendSeconds * 1000 }) > now ? pruned : null;
    });
  }

  /** Resolves once every mail handed over so far has been sent or has failed. */
  idle(): Promise<void> {
    return this.#o.mailer.idle();
  }

  get #logger(): Logger {
    return this.#o.logger ?? silentLogger;
  }

  #mayCreate(address: string, userData: Record<string, unknown>): Promise<boolean> {
    return this.#o.hooks ? mayCreateUser(this.#o.hooks, this.#logger, address, userData) : Promise.resolve(true);
  }

  async #finishLogin(method: VerifyMethod, emailKey: string, outcome: VerifyOutcome): Promise<VerifyResponse> {
    const { rules, metrics } = this.#o;
    if (outcome.kind !== 'ok') metrics?.verifies.inc({ method, outcome: outcome.kind });
    switch (outcome.kind) {
      case 'invalid':
        throw new LoginError(401, ErrorCode.invalid_code, 'That code is not right.', { attemptsLeft: outcome.attemptsLeft });
      case 'expired':
        throw new LoginError(401, ErrorCode.expired_code, 'That code or link has expired. Ask for a new one.');
      case 'too_many':
        throw new LoginError(429, ErrorCode.too_many_attempts, `Too many wrong codes: every code sent to this address is now void. Ask for a new one.`);
      case 'invalid_link':
        throw new LoginError(401, ErrorCode.invalid_link, 'This sign-in link is not valid or was already used. Ask for a new one.');
      case 'ok':
        break;
    }
    const { store, clock, hash } = this.#o;
    const now = clock.now();
    const nowIso = new Date(now).toISOString();
    // The consumption above (updateLogin) is durable already. The user and the session are then
    // written together, so a store that groups its commits (the JSON journal) makes both durable
    // in one round. The session needs the user's id before the user is written: the existing
    // user's (a read, no commit), or the id a new user will get, drawn here.
    const known = await store.findUserByEmailKey(emailKey);
    const sessionUserId = known ? known.id : randomId();
    const token = randomToken();
    const tokenHash = hash(`session:${token}`);
    const expiresAt = now + rules.sessionTtlSeconds * 1000;
    const [user] = await Promise.all([
      store.updateUser<UserRecord | null>(emailKey, (existing) => {
        if (existing) {
          const next = { ...existing, emailVerified: true, lastLoginAt: nowIso };
          return { next, result: next };
        }
        if (!rules.userCreation) return { next: null, result: null };
        const created: UserRecord = {
          id: sessionUserId,
          email: outcome.address,
          emailKey,
          emailVerified: true,
          createdAt: nowIso,
          lastLoginAt: nowIso,
          data: outcome.sequence.userData,
        };
        return { next: created, result: created };
      }),
      store.createSession({ tokenHash, userId: sessionUserId, createdAt: now, expiresAt }),
    ]);
    // The session's token is handed out only below, once it names the user really stored. These
    // two branches are rare races (the user created by a concurrent login between the read and
    // the write; user creation switched off while a sequence for a new user was live): the
    // session written beside is removed, and replaced when there is a user.
    if (!user || user.id !== sessionUserId) {
      await store.deleteSession(tokenHash);
      if (!user) {
        metrics?.verifies.inc({ method, outcome: 'invalid' });
        throw new LoginError(401, ErrorCode.invalid_code, 'That code is not right.', { attemptsLeft: 0 });
      }
      await store.createSession({ tokenHash, userId: user.id, createdAt: now, expiresAt });
    }
    metrics?.verifies.inc({ method, outcome: 'ok' });
    // The drawn id was stored, and no user existed before: this login created it.
    const publicUser = toPublicUser(user);
    if (!known && user.id === sessionUserId) {
      this.#o.audit?.userCreated({ userId: user.id });
      await notify(this.#logger, 'onUserCreated', this.#o.hooks?.onUserCreated, publicUser);
    }
    await notify(this.#logger, 'onLogin', this.#o.hooks?.onLogin, { user: publicUser, method });
    return { user: publicUser, session: { token, expiresAt: new Date(expiresAt).toISOString() } };
  }
}

export function toPublicUser(user: UserRecord): User {
  const { emailKey: _key, ...rest } = user;
  return rest;
}

function unauthenticated(): LoginError {
  return new LoginError(401, ErrorCode.unauthenticated, 'You are not signed in, or the session has ended.');
}
