/**
 * The codes that confirm an account change: a sequence with a `purpose` in the login state of
 * the address the code was mailed to (the new address for a change of email, the current one for
 * a deletion). Being a sequence of that state, it is under the login's limits as they are: the
 * resend wait and the hourly cap count it with the sign-in codes of the address, wrong codes are
 * counted against the same attempts (the 5th burns every live code, the 100th locks the address),
 * and a locked address is mailed nothing. Being marked, it never signs in (verify-login.ts skips
 * it), and only a code of the same purpose and user confirms: a sign-in code never does.
 *
 * A change of email has one more need: its confirm names no address (`{code}`), so the sequence
 * carries a link-token hash derived from the user's id (`email-change-index:<userId>`: no link
 * token hashes to it, since those are hashed as `link:<token>`),
 * and the store's link index finds the new address's state from it. A new start points the index
 * at the newer address, so one change is in flight per user: the latest.
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

/** The link-token hash that finds a user's pending change of email through the store's link index. */
export function emailChangeIndexHash(context: Pick<LoginContext, 'hash'>, userId: string): string {
  return context.hash(`email-change-index:${userId}`);
}

export type IssueOutcome =
  /** A code was stored: mail it. */
  | { kind: 'issued'; code: string }
  /** Counted as a request, but no code (a locked address, or `countOnly`): mail nothing or a notice. */
  | { kind: 'counted' };

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
  const outcome = await store.updateLogin<{ retryAfter: number; issued: boolean }>(email.key, (current) => {
    const state = prune(current ?? emptyLoginState(email.key, email.address), now, rules);
    const own = state.sequences.filter((sequence) => samePurpose(sequence, purpose));
    // The resend wait runs from this user's last code of this purpose, not from the address's
    // last sign-in code: a person who signed in a moment ago may ask at once. The hourly cap
    // counts every code of the address alike, so the address still gets at most CODES_PER_HOUR.
    const lastOwn = own.reduce<number | null>((last, sequence) => Math.max(last ?? 0, sequence.createdAt), null);
    const waitMs = requestWaitMs({ ...state, lastRequestAt: lastOwn }, now, rules);
    if (waitMs > 0) return { next: state, result: { retryAfter: waitMs / 1000, issued: false } };
    state.requestTimes.push(now);
    const issued = !countOnly && !isLocked(state, now, rules.maxConsecutiveFailures, rules.lockoutSeconds * 1000);
    // The code confirms one thing: an older one of the same purpose and user is void.
    for (const sequence of own) if (isLive(sequence, now)) sequence.usedAt = now;
    // Stored even when nothing is mailed (an address with an account, a locked one), spent at
    // once: the next start waits as it would after a code, and a confirm is checked against it
    // and counted as wrong, so neither answer tells a mailed code from a notice or from nothing.
    state.sequences.push({
      id,
      codeHash: hash(`code:${id}:${code}`),
      // Never mailed: a deletion's is random (nothing looks it up), a change's finds this state.
      tokenHash: purpose.kind === 'email_change' ? emailChangeIndexHash(context, purpose.userId) : hash(`link:${randomToken()}`),
      createdAt: now,
      expiresAt: now + rules.codeTtlSeconds * 1000,
      usedAt: issued ? null : now,
      burntAt: null,
      locale,
      userData: {},
      purpose,
    });
    return { next: state, result: { retryAfter: 0, issued } };
  });
  if (outcome.retryAfter > 0) {
    context.metrics?.rateLimited.inc({ scope: 'email' });
    throw rateLimited(outcome.retryAfter, ApiError.codeSentMomentsAgo);
  }
  return outcome.issued ? { kind: 'issued', code } : { kind: 'counted' };
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

/** As verify-login.ts answers it: `attemptsLeft` 1 when a newer code is live, `retryAfter` until a new one may be asked for. */
function tooMany(state: LoginState, now: number, rules: LoginRules): { kind: 'too_many'; attemptsLeft: 0 | 1; retryAfter: number } {
  const live = state.sequences.some((sequence) => isLive(sequence, now));
  return { kind: 'too_many', attemptsLeft: live ? 1 : 0, retryAfter: Math.ceil(requestWaitMs(state, now, rules) / 1000) };
}
