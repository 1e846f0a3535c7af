/**
 * Pure functions over one email's LoginState: what a request and a verify do to it. They run
 * inside `Store.updateLogin`, with exclusive access to the state, so they must stay synchronous.
 */
import { sameHash } from '../secrets.ts';
import type { LoginState, SequenceRecord } from '../store/types.ts';

export function emptyLoginState(emailKey: string, address: string): LoginState {
  return { emailKey, address, sequences: [], attempts: 0, lastRequestAt: null };
}

export function isLive(sequence: SequenceRecord, now: number): boolean {
  return sequence.usedAt === null && sequence.burntAt === null && sequence.expiresAt > now;
}

/**
 * Drops what can never matter again: used and burnt sequences, and expired ones once a further
 * lifetime has passed (until then a late code still gets the kinder `expired_code`).
 */
export function prune(state: LoginState, now: number, ttlMs: number): LoginState {
  state.sequences = state.sequences.filter((s) => s.usedAt === null && s.burntAt === null && s.expiresAt + ttlMs > now);
  return state;
}

/** Marks every live sequence used: after a login, the other codes and links in flight are done. */
export function consumeAll(state: LoginState, now: number): void {
  for (const sequence of state.sequences) if (isLive(sequence, now)) sequence.usedAt = now;
  state.attempts = 0;
}

export function burnAll(state: LoginState, now: number): void {
  for (const sequence of state.sequences) if (isLive(sequence, now)) sequence.burntAt = now;
}

/**
 * The sequence (not used, not burnt) whose hash matches. Every candidate is compared, in
 * constant time, so the answer time does not depend on which one matched.
 */
export function findByHash(sequences: SequenceRecord[], hashOf: (s: SequenceRecord) => string, field: 'codeHash' | 'tokenHash'): SequenceRecord | null {
  let found: SequenceRecord | null = null;
  for (const sequence of sequences) {
    const matches = sameHash(sequence[field], hashOf(sequence));
    if (matches && sequence.usedAt === null && sequence.burntAt === null) found = sequence;
  }
  return found;
}
