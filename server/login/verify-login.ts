/**
 * Signing in with a code or a link: checking it against the login state, then creating the user
 * (on a first login) and the session.
 *
 * Why each rule holds:
 * - Single use under concurrency: the check and the "used" mark happen in one `updateLogin`
 *   change, which no other change to the same email can interleave with.
 * - Wrong codes: the attempt is counted in that same change, before the answer, so 100 parallel
 *   guesses check at most `maxAttempts` codes. The count survives resends and new codes and is
 *   reset only by a login; past the cap each wrong code burns every live one, so an attacker gets
 *   one guess per code mailed (five an hour, at most) and the owner still signs in with the next.
 *   After 100 wrong codes in a row (NIST 800-63B 5.2.2) the address is locked for 24 hours: no
 *   code is mailed to it, and since the wrong code that got there burnt every live one, nothing
 *   is left to guess. A burn lifts the resend wait (not the hourly cap): the person who typed
 *   the 5th wrong code is told to ask for a new one, and may at once. None of these rules looks
 *   at whether the user exists, so they answer alike for unknown emails.
 */
import { ApiError } from '../../contract/index.ts';
import type { FirstFactorResponse } from '../../contract/second-factor.ts';
import { sameHash } from '../secrets/hasher.ts';
import { randomId } from '../secrets/random.ts';
import type { LoginState, SequenceRecord, UserRecord } from '../store/types.ts';
import type { EmailAddress } from './email-address.ts';
import { notify } from './hooks.ts';
import type { LoginContext } from './login-context.ts';
import { LoginError } from './login-error.ts';
import type { LoginRules } from './rules.ts';
import { consumeAll, countFailure, emptyLoginState, findSequence, isLive, prune, requestWaitMs } from './login-state.ts';
import { newSession } from './sessions.ts';
import { toPublicUser } from './users.ts';

export type VerifyOutcome =
  /** `priorAttempts`: the wrong codes counted before this right one, kept when a second step follows (one cap across both factors). */
  | { kind: 'ok'; sequence: SequenceRecord; address: string; priorAttempts?: number }
  | { kind: 'invalid'; attemptsLeft: number }
  | { kind: 'expired' }
  | { kind: 'too_many'; attemptsLeft: 0 | 1; retryAfter: number }
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

export async function verifyCode(context: LoginContext, email: EmailAddress, code: string, secondFactorKey?: string): Promise<FirstFactorResponse> {
  const { store, clock, hash, rules } = context;
  const now = clock.now();
  const outcome = await store.updateLogin<VerifyOutcome>(email.key, (current) => {
    const state = prune(current ?? emptyLoginState(email.key, email.address), now, rules);
    // With no sequence (an unknown address under USER_CREATION=false) one hash is still
    // computed, so such a guess costs what a guess against a known address does.
    // A code that confirms an account change (its `purpose`) is no sign-in code: not a candidate.
    const signIns = state.sequences.filter((sequence) => !sequence.purpose);
    const candidates = signIns.length > 0 ? signIns : [DECOY_SEQUENCE];
    const match = findSequence(candidates, (s) => sameHash(s.codeHash, hash(`code:${s.id}:${code}`)) && s !== DECOY_SEQUENCE);
    // A right code that can no longer sign in is not a guess: it costs no attempt.
    if (match?.usedAt != null) return { next: state, result: { kind: 'invalid', attemptsLeft: Math.max(0, rules.maxAttempts - state.attempts) } };
    if (match?.burntAt != null) return { next: state, result: tooMany(state, now, rules) };
    if (match && match.expiresAt <= now) return { next: state, result: { kind: 'expired' } };
    if (match) {
      const priorAttempts = state.attempts;
      consumeAll(state, now);
      return { next: state, result: { kind: 'ok', sequence: match, address: state.address, priorAttempts } };
    }
    // Past the cap every wrong code burns what is live, so a fresh code gets exactly one try
    // until a login resets the count (NIST 800-63B: a new code must not reset it).
    // The wrong code that reaches the cap burns what the owner was typing: they may ask for a
    // new code at once (the 60 s resend wait is lifted; the hourly cap of 5 still counts, so
    // guesses stay at one per mailed code). Only that one: past the cap each fresh code gets
    // one try, and lifting the wait on every burn would let one wrong verify before each
    // request mail an address as fast as CODES_PER_HOUR allows, with no minute between
    // (countFailure, login-state.ts).
    if (countFailure(state, now, rules)) return { next: state, result: tooMany(state, now, rules) };
    return { next: state, result: { kind: 'invalid', attemptsLeft: rules.maxAttempts - state.attempts } };
  });
  return finishLogin(context, 'code', email.key, outcome, secondFactorKey);
}

/**
 * `too_many_attempts` with what the element needs to agree with itself: `attemptsLeft` 0 when no
 * code is live (nothing to type: the field goes), 1 when a newer code is (a right code of a burnt
 * one was typed, and the newer code keeps its one try); `retryAfter`, seconds until a new code
 * may be asked for (0 after the burn that lifted the wait), so "Resend" counts down truly.
 */
function tooMany(state: LoginState, now: number, rules: LoginRules): VerifyOutcome {
  const live = state.sequences.some((sequence) => isLive(sequence, now));
  return { kind: 'too_many', attemptsLeft: live ? 1 : 0, retryAfter: Math.ceil(requestWaitMs(state, now, rules) / 1000) };
}

export async function verifyLink(context: LoginContext, token: string, secondFactorKey?: string): Promise<FirstFactorResponse> {
  const { store, clock, hash, rules } = context;
  const now = clock.now();
  const tokenHash = hash(`link:${token}`);
  const key = await store.findLoginKeyByTokenHash(tokenHash);
  if (!key) return finishLogin(context, 'link', '', { kind: 'invalid_link' });
  const outcome = await store.updateLogin<VerifyOutcome>(key, (current) => {
    if (!current) return { next: null, result: { kind: 'invalid_link' } };
    const state = prune(current, now, rules);
    const match = findSequence(state.sequences, (s) => sameHash(s.tokenHash, tokenHash));
    if (!match || match.purpose || match.usedAt !== null || match.burntAt !== null) return { next: state, result: { kind: 'invalid_link' } };
    if (match.expiresAt <= now) return { next: state, result: { kind: 'expired' } };
    // As for a code: the wrong attempts before the link stay counted if a second step follows,
    // or each mailed link would give 5 fresh app-code guesses and the 100-failure lock never come.
    const priorAttempts = state.attempts;
    consumeAll(state, now);
    return { next: state, result: { kind: 'ok', sequence: match, address: state.address, priorAttempts } };
  });
  return finishLogin(context, 'link', key, outcome, secondFactorKey);
}

/**
 * The address a link token signs in, without using it: the stored user's address, or for a first
 * login the identity key (the address lower-cased). Reads only: no attempt is counted, nothing is
 * spent. An unknown token is `invalid_link`; a used or expired one still names its address until
 * the sweep forgets it, and its verify then says what became of it.
 */
export async function linkAddress(context: LoginContext, token: string): Promise<string> {
  const { store, hash } = context;
  const key = await store.findLoginKeyByTokenHash(hash(`link:${token}`));
  if (!key) throw LoginError.of(ApiError.invalidLink);
  return (await store.findUserByEmailKey(key))?.email ?? key;
}

/** The refusal each failed outcome answers with. */
const REFUSAL = {
  invalid: ApiError.wrongCode,
  expired: ApiError.expiredCode,
  too_many: ApiError.tooManyAttempts,
  invalid_link: ApiError.invalidLink,
} as const;

/**
 * After a right code, link or approval: the user (created on a first login) and the session, or,
 * for a user with a second factor (or of whom the site demands one), the second step's ticket and
 * no session (login/second-factor-gate.ts).
 */
export async function finishLogin(context: LoginContext, method: 'code' | 'link', emailKey: string, outcome: VerifyOutcome, secondFactorKey?: string): Promise<FirstFactorResponse> {
  const { store, clock, rules, metrics } = context;
  if (outcome.kind !== 'ok') {
    metrics?.verifies.inc({ method, outcome: outcome.kind });
    const { kind, ...details } = outcome;
    throw LoginError.of(REFUSAL[kind], details);
  }
  const now = clock.now();
  const nowIso = new Date(now).toISOString();
  // The consumption above (updateLogin) is durable already. The user and the session are then
  // written together, so a store that groups its commits (the JSON journal) makes both durable
  // in one round. The session needs the user's id before the user is written: the existing
  // user's (a read, no commit), or the id a new user will get, drawn here.
  const known = await store.findUserByEmailKey(emailKey);
  // Blocked since the code or link was mailed: refused as one that names nothing (the code or
  // link is spent all the same), so the answer does not tell a blocked address from another.
  if (known?.blockedAt) {
    metrics?.verifies.inc({ method, outcome: method === 'link' ? 'invalid_link' : 'invalid' });
    throw method === 'link' ? LoginError.of(ApiError.invalidLink) : LoginError.of(ApiError.wrongCode, { attemptsLeft: rules.maxAttempts });
  }
  // A new user has no second factor yet: the first sign-in creates them, and they may turn one on.
  const challenge = known && context.secondFactor ? await context.secondFactor.challenge(known, method, secondFactorKey) : null;
  if (challenge) {
    // The right code or link reset the count (consumeAll); with a second step still to come the
    // wrong codes before it stay counted, so email and app codes share one cap of maxAttempts.
    // (An approval kept them at the approve itself: approve-login.ts.)
    const prior = outcome.priorAttempts ?? 0;
    if (prior > 0) await context.store.updateLogin(emailKey, (state) => (state ? { next: { ...state, attempts: Math.max(state.attempts, prior), lastFailureAt: state.lastFailureAt ?? now }, result: null } : { next: null, result: null }));
    metrics?.verifies.inc({ method, outcome: 'second_factor' });
    return challenge;
  }
  const sessionUserId = known ? known.id : randomId();
  const { token, record } = newSession(context, sessionUserId, method);
  const [user] = await Promise.all([
    store.updateUser<UserRecord | null>(emailKey, (existing) => {
      if (existing) {
        // Blocked in the moment between the read above and this write: no sign-in.
        if (existing.blockedAt) return { next: existing, result: null };
        const next = { ...existing, emailVerified: true, lastLoginAt: nowIso };
        return { next, result: next };
      }
      // The user read above is gone from this address (moved by a confirmed change of address,
      // or erased) in the moment between: the code or link named a user that is not here now.
      // Never created with that user's id (that would make a second record of one user); refused.
      if (known || !rules.userCreation) return { next: null, result: null };
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
    store.createSession(record),
  ]);
  // The session's token is handed out only below, once it names the user really stored. These
  // two branches are rare races (the user created by a concurrent login between the read and
  // the write; the user moved away or erased; user creation switched off while a sequence for
  // a new user was live): the
  // session written beside is removed, and replaced when there is a user.
  if (!user || user.id !== sessionUserId) {
    await store.deleteSession(record.tokenHash);
    if (!user) {
      metrics?.verifies.inc({ method, outcome: 'invalid' });
      throw LoginError.of(ApiError.wrongCode, { attemptsLeft: 0 });
    }
    await store.createSession({ ...record, userId: user.id });
  }
  metrics?.verifies.inc({ method, outcome: 'ok' });
  // The drawn id was stored, and no user existed before: this login created it.
  const publicUser = toPublicUser(user);
  if (!known && user.id === sessionUserId) {
    context.audit?.userCreated({ userId: user.id });
    await notify(context.logger, 'onUserCreated', context.hooks.onUserCreated, publicUser);
  }
  await notify(context.logger, 'onLogin', context.hooks.onLogin, { user: publicUser, method });
  return { user: publicUser, session: { token, expiresAt: new Date(record.expiresAt).toISOString() } };
}
