/**
 * Authenticator-app codes (contract/second-factor.ts): turning them on and off, renewing the
 * recovery codes, the gate a first factor passes through (login/second-factor-gate.ts), and the
 * second step that turns a ticket into the session. Plain TypeScript with the store, mailer and
 * clock of the login service; it knows nothing of Koa.
 *
 * Why each rule holds:
 * - Each code at most once: a right code claims `totp:<userId>:<step>` (`Store.claimOnce`) of the
 *   step it matched, so the same code typed a step later (±1 step accepted) claims the same key
 *   and is refused, on every instance sharing the store.
 * - One cap across both factors: an app or recovery code reserves its attempt in the address's
 *   `LoginState.attempts` before it is checked (one `updateLogin`), so 20 parallel guesses check
 *   at most maxAttempts; a right one gives it back, or resets the count when it signs in. The
 *   first factor that opened the second step kept the wrong ones before it (verify-login.ts,
 *   approve-login.ts). At the cap the ticket dies (its claim is spent by the reservation that
 *   reached it), so past it each ticket, like each mailed code, gets one try.
 * - The secret at rest is AES-256-GCM under a key derived from SECRET (sealed-box.ts); recovery
 *   codes are keyed hashes; a used one leaves the list in the same `updateUser` that checks it.
 */
import QRCode from 'qrcode';
import { ApiError, type Locale, type VerifyResponse } from '../../contract/index.ts';
import type { SecondFactorChallenge, TotpRecoveryCodes, TotpSetup, TotpStatus } from '../../contract/second-factor.ts';
import { secretMatches } from '../login/approval-ticket.ts';
import { freshSessionUser } from '../login/fresh-session.ts';
import { errorMessage } from '../login/hooks.ts';
import { loginContext, type LoginContext, type LoginServiceOptions } from '../login/login-context.ts';
import { LoginError, rateLimited } from '../login/login-error.ts';
import { burnAll, countFailure, emptyLoginState, prune, requestWaitMs } from '../login/login-state.ts';
import type { FirstFactorMethod, SecondFactorGate } from '../login/second-factor-gate.ts';
import { findSessionRecord, signInUser } from '../login/sessions.ts';
import { lastSignInLocale } from '../login/user-locale.ts';
import { toPublicUser } from '../login/users.ts';
import type { Mail } from '../mail/types.ts';
import type { AuditLog } from '../observability/audit.ts';
import type { TotpRecord, UserRecord } from '../store/types.ts';
import { newRecoveryCodes, recoveryCodeHash, withoutRecoveryCode } from './recovery-codes.ts';
import { sealedBox, type SealedBox } from './sealed-box.ts';
import { secondFactorTokens, TICKET_TTL_MS, type SecondFactorTokens } from './second-factor-tokens.ts';
import { matchingStep, newTotpSecret, TOTP_PERIOD_SECONDS, totpUri } from './totp-codes.ts';

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
/** A claim's expiry already past: `claimOnce` then answers whether the key is held, holding nothing. */
const PROBE_EXPIRY = 1;
/** 26 to 205 base32 characters: 128 bits (RFC 4226 4) to 1,024, far beyond any app's. */
const BASE32_SECRET = /^[A-Z2-7]{26,205}$/;

export interface SecondFactorServiceOptions {
  login: LoginServiceOptions;
  /** SECRET: the keys of the secret at rest and of the sealed tokens are derived from it. */
  secret: string;
  /** The issuer an authenticator app shows beside the code: SITE_NAME, or the public host. */
  issuer: string;
  audit?: Pick<AuditLog, 'totpEnabled' | 'totpDisabled'>;
}

/** A proof of the second factor: the app's current code, or one recovery code. */
export type SecondFactorProof = { code: string; recoveryCode?: undefined } | { recoveryCode: string; code?: undefined };

/** What a completed second step gives the router: the session, the first factor's method and what the second was. */
export interface CompletedSecondFactor {
  answer: VerifyResponse;
  method: FirstFactorMethod;
  secondFactor: 'totp' | 'recovery';
}

export class SecondFactorService {
  readonly #context: LoginContext;
  readonly #tokens: SecondFactorTokens;
  readonly #atRest: SealedBox;
  readonly #issuer: string;
  readonly #audit: SecondFactorServiceOptions['audit'];
  /** Handed to the login service (`LoginServiceOptions.secondFactor`). */
  readonly gate: SecondFactorGate;

  constructor(options: SecondFactorServiceOptions) {
    this.#context = loginContext(options.login);
    this.#tokens = secondFactorTokens(options.secret);
    this.#atRest = sealedBox(options.secret, 'totp');
    this.#issuer = options.issuer;
    this.#audit = options.audit;
    this.gate = { challenge: (user, method, key) => this.#challenge(user, method, key) };
  }

  // ——— The session's own (the routes) ———

  async status(sessionToken: string | null): Promise<TotpStatus> {
    return statusOf((await this.#sessionUser(sessionToken, false)).totp);
  }

  /** A new secret, its URI and QR code, sealed in the setup token: nothing is written. Fresh session. */
  async setup(sessionToken: string | null): Promise<TotpSetup> {
    return this.setupFor(await this.#sessionUser(sessionToken, true));
  }

  /** On, once the app's code checks against the sealed secret: ten recovery codes, a notice mail. Fresh session. */
  async enable(sessionToken: string | null, input: { setupToken: string; code: string; locale: Locale }): Promise<TotpRecoveryCodes> {
    const user = await this.#sessionUser(sessionToken, true);
    const grant = this.#tokens.openSetup(input.setupToken);
    if (!grant || grant.userId !== user.id || grant.expiresAt <= this.#context.clock.now()) throw LoginError.of(ApiError.invalidTotpSetup);
    return this.#turnOn(user, grant.secret, input.code, input.locale);
  }

  /** Off, with a current app code or a recovery code; a notice mail. */
  async disable(sessionToken: string | null, proof: SecondFactorProof, locale: Locale): Promise<void> {
    const user = await this.#sessionUser(sessionToken, false);
    await this.#withProof(user, proof, () => null, 'totp_disabled', locale);
    this.#audit?.totpDisabled({ userId: user.id });
  }

  /** Ten new recovery codes (the old ones stop working), with a current app code or a recovery code. */
  async renewRecoveryCodes(sessionToken: string | null, proof: SecondFactorProof): Promise<TotpRecoveryCodes> {
    const user = await this.#sessionUser(sessionToken, false);
    const recoveryCodes = newRecoveryCodes();
    const hashes = recoveryCodes.map((code) => recoveryCodeHash(this.#context.hash, user.id, code));
    await this.#withProof(user, proof, (totp) => ({ ...totp, recoveryCodes: hashes }), null, null);
    return { recoveryCodes };
  }

  /** `POST /second-factor`: the ticket, the browser's secret and a proof → the session. */
  async complete(input: { ticket: string; secret: string } & SecondFactorProof): Promise<CompletedSecondFactor> {
    const { store, clock } = this.#context;
    const now = clock.now();
    const ticket = this.#tokens.openTicket(input.ticket);
    if (!ticket || ticket.expiresAt <= now || !secretMatches(input.secret, ticket.keyHash)) throw LoginError.of(ApiError.invalidSecondFactor);
    const user = await store.findUserById(ticket.userId);
    // Erased, blocked or turned off since the first factor: nothing to complete.
    if (!user || user.blockedAt || !user.totp) throw LoginError.of(ApiError.invalidSecondFactor);
    const totp = user.totp;
    const secondFactor = input.code !== undefined ? 'totp' : 'recovery';
    // A ticket spent (signed in, or dead at the cap) checks nothing more: a probe of its claim
    // (an expiry already past is a read on every store, account/undo-epoch.ts), so guesses sent
    // with it after its sign-in reset the count are not counted against the owner, nor checked.
    if (!(await store.claimOnce(ticket.claimKey, PROBE_EXPIRY))) throw LoginError.of(ApiError.invalidSecondFactor);
    // The attempt is reserved before anything is checked, so N parallel guesses on one ticket
    // check at most maxAttempts codes. The one whose reservation reaches the cap spends the
    // ticket itself (it dies there); past the cap each ticket gets one try, claimed first, so a
    // new first factor still lets the owner in while the count goes on toward the lockout.
    const appSecret = input.code !== undefined ? this.#secretOf(user, totp) : null;
    const seat = await this.#reserveAttempt(user, now);
    const ownsTicket = seat !== 'open';
    if (seat === 'past' && !(await store.claimOnce(ticket.claimKey, ticket.expiresAt))) throw LoginError.of(ApiError.invalidSecondFactor);
    if (seat === 'past') await this.#countPastCap(user, now);
    if (seat === 'last' && !(await store.claimOnce(ticket.claimKey, ticket.expiresAt))) throw LoginError.of(ApiError.invalidSecondFactor);
    // A check that spends nothing, so a wrong code (below the cap) leaves the ticket for the next try.
    const step = input.code !== undefined && appSecret !== null ? matchingStep(appSecret, input.code, now) : null;
    const looksRight = input.code !== undefined ? step !== null : withoutRecoveryCode(this.#context.hash, user.id, totp.recoveryCodes, input.recoveryCode) !== null;
    if (!looksRight) return this.#refuse(user, secondFactor);
    // An app code: its step is claimed first, so a replay (the same step, or the same code a step
    // later) is a wrong code that leaves the ticket for the right one. Then the ticket is spent:
    // of two completions of one ticket, one wins.
    if (step !== null && !(await this.#claimStep(user, step))) return this.#refuse(user, secondFactor);
    if (!ownsTicket && !(await store.claimOnce(ticket.claimKey, ticket.expiresAt))) throw LoginError.of(ApiError.invalidSecondFactor);
    // A recovery code is removed only once the ticket is spent (a removal is not undone); used
    // meanwhile by a concurrent request: counted, and this ticket is gone.
    if (input.recoveryCode !== undefined && !(await this.#spendRecoveryCode(user, input.recoveryCode, (t) => t))) return this.#refuse(user, secondFactor);
    // A sign-in: the reserved attempt and the ones before it are forgotten, as after a right email code.
    await store.updateLogin(user.emailKey, (state) => (state ? { next: { ...state, attempts: 0, lastFailureAt: null }, result: null } : { next: null, result: null }));
    const answer = await signInUser(this.#context, user, ticket.method);
    return { answer, method: ticket.method, secondFactor };
  }

  // ——— The host's server code (the library) ———

  /** A new secret for `user`, with its URI, QR code and setup token (setup writes nothing). */
  async setupFor(user: UserRecord): Promise<TotpSetup> {
    if (user.totp) throw LoginError.of(ApiError.totpAlreadyEnabled);
    const secret = newTotpSecret();
    const uri = totpUri(secret, this.#issuer, user.email);
    const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
    // The element puts this into the page: it must be drawing only, whatever qrcode ever emits.
    if (/<script|\sstyle\s*=|\son[a-z]+\s*=|javascript:/i.test(qrSvg)) throw new Error('qrcode drew an SVG with a script or a style attribute');
    return { secret, uri, qrSvg, setupToken: this.#tokens.setup(user.id, secret, this.#context.clock.now()) };
  }

  /** `enableTotp`: turns it on for `userId` with the secret the host showed and a code from the app. */
  async enableFor(userId: string, input: { secret: string; code: string; locale?: Locale }): Promise<TotpRecoveryCodes> {
    const secret = typeof input.secret === 'string' ? input.secret.toUpperCase().replace(/\s/g, '').replace(/=+$/, '') : '';
    // Base32 of 128 bits at least (RFC 4226 4): 26 characters of 5 bits; anything else would reach
    // the TOTP library as a TypeError (a 500), or enrol a secret too short to resist guessing.
    if (!BASE32_SECRET.test(secret)) throw LoginError.of(ApiError.invalidTotpSecret);
    return this.#turnOn(await this.#userById(userId), secret, typeof input.code === 'string' ? input.code : '', input.locale ?? 'en');
  }

  /**
   * `verifyTotp`: whether `code` is the user's current app code (or, `recoveryCode`, one of the
   * recovery codes), spending it; a wrong one counts against the address's cap. False when off.
   */
  async verifyFor(userId: string, proof: SecondFactorProof): Promise<boolean> {
    const user = await this.#userById(userId);
    if (!user.totp) return false;
    try {
      await this.#withProof(user, proof, (totp) => totp, null, null);
      return true;
    } catch (error) {
      if (error instanceof LoginError && (error.code === 'invalid_code' || error.code === 'too_many_attempts')) return false;
      throw error;
    }
  }

  /** `disableTotp`: off, by the host's decision (no proof asked: its server code checked what it needed); false when it was off. */
  async disableFor(userId: string, locale: Locale = 'en'): Promise<boolean> {
    const user = await this.#userById(userId);
    const place = this.#reserveMail();
    try {
      const was = await this.#context.store.updateUser(user.emailKey, (current) => (current?.totp ? { next: { ...current, totp: null }, result: true } : { next: current, result: false }));
      if (!was) return false;
      this.#audit?.totpDisabled({ userId: user.id });
      await this.#notice(user, 'totp_disabled', locale, place.send);
      return true;
    } finally {
      place.release();
    }
  }

  // ——— Inside ———

  async #challenge(user: UserRecord, method: FirstFactorMethod, key: string | undefined): Promise<SecondFactorChallenge | null> {
    if (!user.totp) {
      if (!(await this.#required(user))) return null;
      throw LoginError.of(ApiError.secondFactorSetupRequired);
    }
    if (key === undefined) throw LoginError.of(ApiError.secondFactorRequired);
    const ticket = this.#tokens.ticket(user.id, method, key, this.#context.clock.now());
    return { secondFactor: { ticket, expiresIn: TICKET_TTL_MS / 1000 } };
  }

  /** The host's `requireSecondFactor`: anything but `false` (a throw, `1`, `'yes'`, undefined) demands it (fail closed). */
  async #required(user: UserRecord): Promise<boolean> {
    const hook = this.#context.hooks.requireSecondFactor;
    if (!hook) return false;
    try {
      return (await hook(toPublicUser(user))) !== false;
    } catch (error) {
      this.#context.logger.error({ msg: 'hook failed', hook: 'requireSecondFactor', err: errorMessage(error) });
      return true;
    }
  }

  /**
   * `fresh`: as for adding a passkey or changing the address (login/fresh-session.ts), a session
   * made by an email code or link in the last 10 minutes; a passkey's is not, or one passkey (or
   * a stolen session) could put an attacker's authenticator app between the owner and their account.
   */
  async #sessionUser(token: string | null, fresh: boolean): Promise<UserRecord> {
    if (fresh) return freshSessionUser(this.#context, token, ApiError.staleSessionForTotp);
    const found = token ? await findSessionRecord(this.#context, token) : null;
    if (!found) throw LoginError.of(ApiError.unauthenticated);
    return found.user;
  }

  async #userById(userId: string): Promise<UserRecord> {
    const user = await this.#context.store.findUserById(userId);
    if (!user) throw LoginError.of(ApiError.noSuchUser);
    return user;
  }

  /**
   * The base32 secret of `user`. Sealed under another SECRET (rotated since it was turned on) it
   * does not open and no code can match: a typed refusal (503, logged for the operator, who turns
   * it off with `disableTotp` or `users totp-off`), never a 500, and opened before an attempt is
   * reserved, so it costs none.
   */
  #secretOf(user: UserRecord, totp: TotpRecord): string {
    const secret = this.#atRest.open(totp.secret);
    if (secret === null) {
      this.#context.logger.error({ msg: 'the TOTP secret does not open with this SECRET: turn it off for this user (disableTotp, or users totp-off)', userId: user.id });
      throw LoginError.of(ApiError.totpUnreadable);
    }
    return secret;
  }

  async #turnOn(user: UserRecord, secret: string, code: string, locale: Locale): Promise<TotpRecoveryCodes> {
    const { store, clock, hash } = this.#context;
    if (user.totp) throw LoginError.of(ApiError.totpAlreadyEnabled);
    const step = matchingStep(secret, code, clock.now());
    if (step === null || !(await this.#claimStep(user, step))) throw LoginError.of(ApiError.wrongTotpCode);
    const recoveryCodes = newRecoveryCodes();
    const record: TotpRecord = { secret: this.#atRest.seal(secret), enabledAt: clock.now(), recoveryCodes: recoveryCodes.map((c) => recoveryCodeHash(hash, user.id, c)) };
    // The notice's place is taken before anything is written (as for a passkey): never on without it.
    const place = this.#reserveMail();
    try {
      const turnedOn = await store.updateUser(user.emailKey, (current) =>
        current && current.id === user.id && !current.totp && !current.blockedAt ? { next: { ...current, totp: record }, result: true } : { next: current, result: false },
      );
      if (!turnedOn) throw LoginError.of(ApiError.totpAlreadyEnabled);
      this.#audit?.totpEnabled({ userId: user.id });
      await this.#notice(user, 'totp_enabled', locale, place.send);
      return { recoveryCodes };
    } finally {
      place.release();
    }
  }

  /**
   * Checks and spends a proof of a signed-in user, then applies `change` to their second factor
   * (null turns it off) and mails `notice` if given. The attempt is reserved first (as in
   * `complete`), so parallel wrong proofs check at most maxAttempts; a right one gives its
   * reservation back. Past the cap nothing is checked until a sign-in resets it.
   */
  async #withProof(user: UserRecord, proof: SecondFactorProof, change: (totp: TotpRecord) => TotpRecord | null, notice: 'totp_disabled' | null, locale: Locale | null): Promise<void> {
    const { store, clock } = this.#context;
    if (!user.totp) throw LoginError.of(ApiError.totpNotEnabled);
    const kind = proof.code !== undefined ? 'totp' : 'recovery';
    const now = clock.now();
    const appSecret = proof.code !== undefined ? this.#secretOf(user, user.totp) : null;
    // The notice's place is taken before the attempt: a full mail queue costs no attempt.
    const place = notice ? this.#reserveMail() : null;
    let reserved = false;
    try {
      if ((await this.#reserveAttempt(user, now)) === 'past') throw await this.#tooManyNow(user, now);
      reserved = true;
      let spent: boolean;
      if (appSecret !== null && proof.code !== undefined) {
        const step = matchingStep(appSecret, proof.code, now);
        spent = step !== null && (await this.#claimStep(user, step));
        if (spent) spent = await store.updateUser(user.emailKey, (current) => (current?.totp && current.id === user.id ? { next: { ...current, totp: change(current.totp) }, result: true } : { next: current, result: false }));
      } else {
        spent = await this.#spendRecoveryCode(user, proof.recoveryCode ?? '', change);
      }
      if (!spent) return await this.#refuse(user, kind);
      // A right proof is no wrong try: its reservation is given back.
      reserved = false;
      await this.#giveBack(user);
      if (notice && place) await this.#notice(user, notice, locale ?? 'en', place.send);
    } catch (error) {
      // A refusal of the proof keeps the reservation (it was a wrong try); anything else gives it back.
      if (reserved && !(error instanceof LoginError && (error.code === 'invalid_code' || error.code === 'too_many_attempts'))) await this.#giveBack(user);
      throw error;
    } finally {
      place?.release();
    }
  }

  /**
   * Reserves one attempt on the address's count, atomically: `open` (counted, below the cap
   * still), `last` (this reservation reached the cap) or `past` (the cap was reached before:
   * nothing counted here). Counted as a wrong try until a right proof gives it back or signs in.
   */
  #reserveAttempt(user: UserRecord, now: number): Promise<'open' | 'last' | 'past'> {
    const { store, rules } = this.#context;
    return store.updateLogin(user.emailKey, (current) => {
      const state = prune(current ?? emptyLoginState(user.emailKey, user.email), now, rules);
      if (state.attempts >= rules.maxAttempts) return { next: state, result: 'past' as const };
      state.attempts += 1;
      state.lastFailureAt = now;
      return { next: state, result: state.attempts >= rules.maxAttempts ? ('last' as const) : ('open' as const) };
    });
  }

  /** The one try a ticket gets past the cap: counted like a wrong email code there (every live code burns). */
  async #countPastCap(user: UserRecord, now: number): Promise<void> {
    const { store, rules } = this.#context;
    await store.updateLogin(user.emailKey, (current) => {
      const state = prune(current ?? emptyLoginState(user.emailKey, user.email), now, rules);
      countFailure(state, now, rules);
      return { next: state, result: null };
    });
  }

  /** A reservation not used for a check (the proof could not be looked at): given back. */
  async #giveBack(user: UserRecord): Promise<void> {
    await this.#context.store.updateLogin(user.emailKey, (state) => (state ? { next: { ...state, attempts: Math.max(0, state.attempts - 1) }, result: null } : { next: null, result: null }));
  }

  async #tooManyNow(user: UserRecord, now: number): Promise<LoginError> {
    const state = await this.#context.store.updateLogin(user.emailKey, (current) => ({ next: current, result: current }));
    return this.#tooMany(state ?? emptyLoginState(user.emailKey, user.email), now);
  }

  /** Claims the step a right code matched: false when that code (at that step or the next) was used. */
  #claimStep(user: UserRecord, step: number): Promise<boolean> {
    // The code of step N is accepted until the end of step N + 1: the claim outlives that.
    return this.#context.store.claimOnce(`totp:${user.id}:${step}`, (step + 2) * STEP_MS + STEP_MS);
  }

  /** Removes one recovery code and applies `change`, atomically; false when it is not (or no longer) there. */
  #spendRecoveryCode(user: UserRecord, code: string, change: (totp: TotpRecord) => TotpRecord | null): Promise<boolean> {
    const { store, hash } = this.#context;
    return store.updateUser(user.emailKey, (current) => {
      if (!current?.totp || current.id !== user.id) return { next: current, result: false };
      const left = withoutRecoveryCode(hash, user.id, current.totp.recoveryCodes, code);
      if (!left) return { next: current, result: false };
      return { next: { ...current, totp: change({ ...current.totp, recoveryCodes: left }) }, result: true };
    });
  }

  /**
   * A wrong proof, its attempt reserved already: at the cap every live email code burns (as
   * after a fifth wrong email code, countFailure) and the answer is `too_many_attempts`. Always throws.
   */
  async #refuse(user: UserRecord, kind: 'totp' | 'recovery'): Promise<never> {
    const { store, clock, rules } = this.#context;
    const now = clock.now();
    const outcome = await store.updateLogin(user.emailKey, (current) => {
      const state = prune(current ?? emptyLoginState(user.emailKey, user.email), now, rules);
      if (state.attempts < rules.maxAttempts) return { next: state, result: LoginError.of(kind === 'totp' ? ApiError.wrongTotpCode : ApiError.wrongRecoveryCode, { attemptsLeft: rules.maxAttempts - state.attempts }) };
      if (burnAll(state, now) > 0 && state.attempts === rules.maxAttempts) state.lastRequestAt = null;
      return { next: state, result: this.#tooMany(state, now) };
    });
    throw outcome;
  }

  #tooMany(state: Parameters<typeof requestWaitMs>[0], now: number): LoginError {
    return LoginError.of(ApiError.tooManyAttempts, { attemptsLeft: 0, retryAfter: Math.ceil(requestWaitMs(state, now, this.#context.rules) / 1000) });
  }

  #reserveMail() {
    const place = this.#context.mailer.reserve();
    if (place.busy) {
      this.#context.metrics?.mailBusy.inc();
      throw rateLimited(place.retryAfter, ApiError.mailBusy);
    }
    return place;
  }

  async #notice(user: UserRecord, kind: 'totp_enabled' | 'totp_disabled', requestLocale: Locale, send: (mail: Mail) => void): Promise<void> {
    const locale = await lastSignInLocale(this.#context.store, user.emailKey, requestLocale);
    send({ kind, to: user.email, locale, at: this.#context.clock.now() });
  }
}

function statusOf(totp: TotpRecord | null | undefined): TotpStatus {
  return totp ? { enabled: true, enabledAt: new Date(totp.enabledAt).toISOString(), recoveryCodesLeft: totp.recoveryCodes.length } : { enabled: false, enabledAt: null, recoveryCodesLeft: 0 };
}
