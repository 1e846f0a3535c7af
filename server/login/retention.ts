/**
 * How long the records of a login matter, by the login rules. Built once from the rules where the
 * parts are put together (backend.ts, the migration tool) and handed to the store that expires
 * records by it (Redis) and to the sweep that deletes them (the JSON store), so no store reaches
 * into the login rules itself.
 */
import type { Retention, SequenceRecord } from '../store/types.ts';
import { HOUR_MS } from './login-state.ts';
import type { LoginRules } from './rules.ts';

/** Wrong codes on record are forgotten after 30 quiet days: kept forever, they would let anyone grow the store. */
const FAILURE_MEMORY_MS = 30 * 86_400_000;

export function retentionFor(rules: Pick<LoginRules, 'codeTtlSeconds' | 'resendSeconds'>): Retention {
  const codeTtlMs = rules.codeTtlSeconds * 1000;
  const resendMs = rules.resendSeconds * 1000;
  // A sequence is kept one more lifetime past its expiry: a late code gets the kinder
  // `expired_code`, and a code retried after it signed in costs no attempt.
  const link = (sequence: SequenceRecord) => sequence.expiresAt + codeTtlMs;
  return {
    link,
    /**
     * The latest of: each sequence's life plus one more lifetime, the resend wait, the hourly
     * window, and 30 days after the last wrong code (the count survives new codes until a login).
     */
    loginState: (state) =>
      Math.max(
        0,
        ...state.sequences.map(link),
        state.lastRequestAt === null ? 0 : state.lastRequestAt + resendMs,
        ...(state.requestTimes ?? []).map((t) => t + HOUR_MS),
        state.attempts > 0 && state.lastFailureAt !== null ? state.lastFailureAt + FAILURE_MEMORY_MS : 0,
      ),
  };
}
