/**
 * Pure functions over one email's LoginState: what a request and a verify do to it. They run
 * inside `Store.updateLogin`, with exclusive access to the state, so they must stay synchronous.
 */
import type { LoginState, SequenceRecord } from '../store/types.ts';
import type { LoginRules } from './rules.ts';

export function emptyLoginState(emailKey: string, address: string): LoginState {
  return { emailKey, address, sequences: [], attempts: 0, lastRequestAt: null, requestTimes: [], lastFailureAt: null };
}

/** The hourly cap's window; also how long a request time matters (retention.ts). */
export const HOUR_MS = 3_600_000;

/** Requests in the last hour, oldest first. */
export function recentRequests(state: LoginState, now: number): number[] {
  return (state.requestTimes ?? []).filter((t) => t + HOUR_MS > now);
}

/** Milliseconds until this email may ask for another code, 0 if it may now (or RATE_LIMITS=off). */
export function requestWaitMs(state: LoginState, now: number, { rateLimits, resendSeconds, codesPerHour }: Pick<LoginRules, 'rateLimits' | 'resendSeconds' | 'codesPerHour'>): number {
  if (!rateLimits) return 0;
  const resend = state.lastRequestAt === null ? 0 : state.lastRequestAt + resendSeconds * 1000 - now;
  const recent = recentRequests(state, now);
  const hourly = recent.length >= codesPerHour ? recent[recent.length - codesPerHour]! + HOUR_MS - now : 0;
  return Math.max(0, resend, hourly);
}

/** Locked after too many wrong codes in a row: no new code is issued until the lock ends. */
export function isLocked(state: LoginState, now: number, maxConsecutiveFailures: number, lockoutMs: number): boolean {
  return state.attempts >= maxConsecutiveFailures && state.lastFailureAt !== null && state.lastFailureAt + lockoutMs > now;
}

export function isLive(sequence: SequenceRecord, now: number): boolean {
  return sequence.usedAt === null && sequence.burntAt === null && sequence.expiresAt > now;
}

/**
 * Sequences kept per address, newest first, whatever their age: with the default limits (5 codes
 * an hour, 10-minute codes) an address never holds more than 5, so this only bites when the
 * limits are off or codes live for hours. Unbounded, 3,000 addresses asked for at 250/s held 50
 * sequences each after ten minutes, every request read and rewrote them all, and p99 went from
 * 23 to 432 ms (docs/storage.md).
 */
export const MAX_SEQUENCES = 10;

/**
 * Drops sequences a further lifetime after they expired, and all but the newest MAX_SEQUENCES (or
 * `codesPerHour`, if larger). Used and burnt ones are kept until then too, so a code retried
 * after it signed in (a client retrying on a lost answer, a second tab) is recognised and costs
 * no attempt, and a late code still gets the kinder `expired_code`. Request times are kept for
 * the hour that counts and only the newest `codesPerHour` of them: the hourly cap looks no further.
 */
export function prune(state: LoginState, now: number, { codeTtlSeconds, codesPerHour }: Pick<LoginRules, 'codeTtlSeconds' | 'codesPerHour'>): LoginState {
  const ttlMs = codeTtlSeconds * 1000;
  state.sequences = state.sequences.filter((s) => s.expiresAt + ttlMs > now).slice(-Math.max(MAX_SEQUENCES, codesPerHour));
  state.requestTimes = recentRequests(state, now).slice(-codesPerHour);
  state.lastFailureAt ??= null;
  return state;
}

/**
 * Marks every live sequence used: after a login, the other codes and links in flight are done.
 * `keepAttempts`: a second step follows (an approval of an account with a second factor), so the
 * wrong attempts stay counted until it is passed (one cap across both factors).
 */
export function consumeAll(state: LoginState, now: number, keepAttempts = false): void {
  for (const sequence of state.sequences) if (isLive(sequence, now)) sequence.usedAt = now;
  if (!keepAttempts) state.attempts = 0;
  // A sign-in by the owner ends the pause a wrong number on a phone began (approve-login.ts).
  delete state.approvalsPausedAt;
}

/** Burns every live sequence; returns how many were live. */
export function burnAll(state: LoginState, now: number): number {
  let burnt = 0;
  for (const sequence of state.sequences) {
    if (!isLive(sequence, now)) continue;
    sequence.burntAt = now;
    burnt++;
  }
  return burnt;
}

/**
 * Counts one wrong attempt (a wrong code, a wrong approval number) against the codes live
 * together; the one that reaches `maxAttempts` burns every live sequence and, the first time,
 * lifts the resend wait (verify-login.ts says why). Returns whether the cap is reached.
 */
export function countFailure(state: LoginState, now: number, { maxAttempts }: Pick<LoginRules, 'maxAttempts'>): boolean {
  state.attempts += 1;
  state.lastFailureAt = now;
  if (state.attempts < maxAttempts) return false;
  if (burnAll(state, now) > 0 && state.attempts === maxAttempts) state.lastRequestAt = null;
  return true;
}

/**
 * The sequence `matches` accepts, whatever its state. Every sequence is tried (callers compare
 * hashes in constant time), so the answer time does not depend on which one matched.
 */
export function findSequence(sequences: SequenceRecord[], matches: (s: SequenceRecord) => boolean): SequenceRecord | null {
  let found: SequenceRecord | null = null;
  for (const sequence of sequences) if (matches(sequence)) found = sequence;
  return found;
}
