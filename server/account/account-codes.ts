/**
 * The codes that confirm an account change: a sequence with a `purpose` in the login state of
 * the address the code was mailed to (the new address for a change of email, the current one for
 * a deletion). Being a sequence of that state, it is under the login's limits as they are: the
 * resend wait and the hourly cap count it with the sign-in codes of the address, wrong codes are
 * counted against the same attempts (the 5th burns every live code, the 100th locks the address),
 * and a locked address is mailed nothing. Being marked, it never signs in (verify-login.ts skips
 * it), and only a code of the same purpose and user confirms: a sign-in code never does.
 *
 * A change's confirm names the new address (`{email, code}`): the code is looked up in that
 * address's state, among this user's change codes. Nothing else points at a pending change, so
 * an erasure cannot find one: its sequence (the user id and the new address) stays in that
 * state until the state's first write two code lifetimes after it was made (prune keeps a
 * sequence a code lifetime past its expiry; 20 minutes by default), or until the state expires
 * (retention.ts: an hour after its last request, 30 days after a wrong code).
 */
import { ApiError, type Locale } from '../../contract/index.ts';
import { sameHash } from '../secrets/hasher.ts';
import { randomCode, randomId, randomToken } from '../secrets/random.ts';
import type { EmailAddress } from '../login/email-address.ts';
import type { LoginContext } from '../login/login-context.ts';
import { LoginError, rateLimited } from '../login/login-error.ts';
import { countFailure, emptyLoginState, findSequence, isLive, isLocked, prune, requestWaitMs } from '../login/login-state.ts';
import type { LoginRules } from '../login/rules.ts';
import type { LoginState, SequencePurpose, SequenceRecord } from '../store/types.ts';

export type IssueOutcome =
  /** A code was stored: mail it. */
  | { kind: 'issued'; code: string }
  /** Counted as a request, but no code (`countOnly`): mail nothing or a notice. */
  | { kind: 'counted' }
  /** Counted, and the address is locked (too many wrong codes): mail nothing at all. */
  | { kind: 'locked' };

/**
 * Counts a request against `email`'s limits and, unless `countOnly` or the address is locked,
 * stores a fresh code for `purpose`. Throws `rate_limited` (the resend wait of this purpose, or
 * the address's hourly cap).
 */
export async function issueAccountCode(context: LoginContext, email: EmailAddress, purpose: SequencePurpose, locale: Locale, countOnly = false): Promise<IssueOutcome> {
  const { store, clock, hash, rules } = context;
  const now = clock.now();
  const code = randomCode(rules.codeLength);
  const id = randomId();
  const outcome = await store.updateLogin<{ retryAfter: number; issued: boolean; locked: boolean }>(email.key, (current) => {
    const state = prune(current ?? emptyLoginState(email.key, email.address), now, rules);
    const own = state.sequences.filter((sequence) => samePurpose(sequence, purpose));
    // The resend wait runs from this user's last code of this purpose, not from the address's
    // last sign-in code: a person who signed in a moment ago may ask at once. The hourly cap
    // counts every code of the address alike, so the address still gets at most CODES_PER_HOUR.
    const lastOwn = own.reduce<number | null>((last, sequence) => Math.max(last ?? 0, sequence.createdAt), null);
    const waitMs = requestWaitMs({ ...state, lastRequestAt: lastOwn }, now, rules);
    if (waitMs > 0) return { next: state, result: { retryAfter: waitMs / 1000, issued: false, locked: false } };
    state.requestTimes.push(now);
    const locked = isLocked(state, now, rules.maxConsecutiveFailures, rules.lockoutSeconds * 1000);
    const issued = !countOnly && !locked;
    // The code confirms one thing: an older one of the same purpose and user is void.
    for (const sequence of own) if (isLive(sequence, now)) sequence.usedAt = now;
    // Stored even when nothing is mailed (an address with an account, a locked one), spent at
    // once: the next start waits as it would after a code, and a confirm is checked against it
    // and counted as wrong, so neither answer tells a mailed code from a notice or from nothing.
    state.sequences.push({
      id,
      codeHash: hash(`code:${id}:${code}`),
      // Never mailed and never looked up: random, so no link token ever matches it.
      tokenHash: hash(`link:${randomToken()}`),
      createdAt: now,
      expiresAt: now + rules.codeTtlSeconds * 1000,
      usedAt: issued ? null : now,
      burntAt: null,
      locale,
      userData: {},
      purpose,
    });
    return { next: state, result: { retryAfter: 0, issued, locked } };
  });
  if (outcome.retryAfter > 0) {
    context.metrics?.rateLimited.inc({ scope: 'email' });
    throw rateLimited(outcome.retryAfter, ApiError.codeSentMomentsAgo);
  }
  if (outcome.issued) return { kind: 'issued', code };
  return outcome.locked ? { kind: 'locked' } : { kind: 'counted' };
}

function samePurpose(sequence: SequenceRecord, purpose: SequencePurpose): boolean {
  return sequence.purpose?.kind === purpose.kind && sequence.purpose.userId === purpose.userId;
}

/** Compared against when the state holds no code of this purpose; never matches. */
const DECOY: SequenceRecord = { id: 'decoy', codeHash: '', tokenHash: '', createdAt: 0, expiresAt: 0, usedAt: null, burntAt: null, locale: 'en', userData: {} };

/**
 * Checks `code` against the live codes of `purpose` in `emailKey`'s state, as a sign-in code is
 * checked (verify-login.ts): a wrong one counted, the cap burning, the expiry kinder. The right
 * one is spent, with every other live code of its purpose; the sequence is returned (its locale,
 * and for a change the new address). Throws `invalid_code`, `expired_code` or `too_many_attempts`.
 */
export async function checkAccountCode(context: LoginContext, emailKey: string, purpose: Pick<SequencePurpose, 'kind' | 'userId'>, code: string): Promise<SequenceRecord> {
  const { store, clock, hash, rules } = context;
  const now = clock.now();
  type Outcome = { kind: 'ok'; sequence: SequenceRecord } | { kind: 'invalid'; attemptsLeft: number } | { kind: 'expired' } | { kind: 'too_many'; attemptsLeft: 0 | 1; retryAfter: number };
  const outcome = await store.updateLogin<Outcome>(emailKey, (current) => {
    if (!current) return { next: null, result: { kind: 'invalid', attemptsLeft: 0 } };
    const state = prune(current, now, rules);
    const own = state.sequences.filter((sequence) => samePurpose(sequence, purpose as SequencePurpose));
    // A change's confirm names the address: one where this user started no change has nothing
    // to guess against, and counts nothing (a session must not run up a stranger's count).
    if (purpose.kind === 'email_change' && own.length === 0) return { next: current, result: { kind: 'invalid', attemptsLeft: 0 } };
    const candidates = own.length > 0 ? own : [DECOY];
    const match = findSequence(candidates, (s) => sameHash(s.codeHash, hash(`code:${s.id}:${code}`)) && s !== DECOY);
    if (match?.usedAt != null) return { next: state, result: { kind: 'invalid', attemptsLeft: Math.max(0, rules.maxAttempts - state.attempts) } };
    if (match?.burntAt != null) return { next: state, result: tooMany(state, now, rules) };
    if (match && match.expiresAt <= now) return { next: state, result: { kind: 'expired' } };
    if (match) {
      for (const sequence of own) if (isLive(sequence, now)) sequence.usedAt = now;
      state.attempts = 0;
      return { next: state, result: { kind: 'ok', sequence: match } };
    }
    if (countFailure(state, now, rules)) return { next: state, result: tooMany(state, now, rules) };
    return { next: state, result: { kind: 'invalid', attemptsLeft: rules.maxAttempts - state.attempts } };
  });
  if (outcome.kind === 'ok') return outcome.sequence;
  if (outcome.kind === 'expired') throw LoginError.of(ApiError.expiredCode);
  const { kind, ...details } = outcome;
  throw LoginError.of(kind === 'invalid' ? ApiError.wrongCode : ApiError.tooManyAttempts, details);
}

/**
 * Marks used every live account code of `userId` in `emailKey`'s state (an undo of a change of
 * address: whatever the account's codes were about to confirm is void).
 */
export async function voidAccountCodes(context: LoginContext, emailKey: string, userId: string): Promise<void> {
  const now = context.clock.now();
  await context.store.updateLogin(emailKey, (current) => {
    if (!current) return { next: null, result: undefined };
    for (const sequence of current.sequences) if (sequence.purpose?.userId === userId && isLive(sequence, now)) sequence.usedAt = now;
    return { next: current, result: undefined };
  });
}

/** As verify-login.ts answers it: `attemptsLeft` 1 when a newer code is live, `retryAfter` until a new one may be asked for. */
function tooMany(state: LoginState, now: number, rules: LoginRules): { kind: 'too_many'; attemptsLeft: 0 | 1; retryAfter: number } {
  const live = state.sequences.some((sequence) => isLive(sequence, now));
  return { kind: 'too_many', attemptsLeft: live ? 1 : 0, retryAfter: Math.ceil(requestWaitMs(state, now, rules) / 1000) };
}
