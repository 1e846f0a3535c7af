/**
 * When a login mail that failed for a passing reason is tried again: after 1 s, 4 s, 16 s, then
 * every 60 s (`MAIL_RETRIES` tries at most, 3 by default), each delay plus up to a quarter more at
 * random, so mails that failed together in one outage do not all come back in the same
 * millisecond. The first retry is quick because most passing failures are short (a restarting
 * relay, a dropped pooled connection, a 421 "too busy"); 60 s caps it so that ten retries still
 * fit inside the 10-minute life of the code the mail carries. Longer outages and greylisting are
 * for a relay with a queue of its own (a local MTA), not for a login that waits on its code.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Backoff {
  /** Delay before the first retry; each next one is 4 times longer. Default 1000. */
  firstDelayMs: number;
  /** No delay is longer than this (before jitter). Default 60 000. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { firstDelayMs: 1000, maxDelayMs: 60_000 };
const FACTOR = 4;
const JITTER = 0.25;

/** Milliseconds to wait before retry number `retry` (1 for the first); `random` in [0, 1). */
export function retryDelayMs(retry: number, backoff: Backoff = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(backoff.maxDelayMs, backoff.firstDelayMs * FACTOR ** (retry - 1));
  return Math.round(base * (1 + JITTER * random()));
}

/** Waits `ms`, or less when `signal` aborts first (a shutdown that will not sit out a backoff). */
export function waitOrWake(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal }).catch(() => {});
}
