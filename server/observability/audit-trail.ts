/**
 * The audit trail's way into the store: entries (and the day's counters: sign-ins by method, mail
 * sent and failed) are collected in memory and written in batches, off the request path.
 *
 * - A request never waits: `add` and `count` only push onto a list. A sign-in's latency does not
 *   grow with the store's write.
 * - A flush runs once the oldest pending entry is 1 s old (by the injected clock, checked every
 *   200 ms by a timer that does not hold the process open) or 100 entries are pending, and at
 *   `close()`. It writes 100 entries per `appendAudit`, and one `addDailyCounts` per day.
 * - A failed write is logged and tried again at least 1 s later (new entries wait behind it);
 *   failed again, it is dropped with an error log (the log lines of `audit.ts` still hold every entry).
 * - Memory is bounded: at most 10,000 entries wait; past that, new ones are dropped (counted, and
 *   logged once per overflow), so a store that is down cannot grow the process without end.
 * - A `kill -9` loses what waits, up to about 1 s of entries: the log has them.
 */
import type { Clock } from '../time/clock.ts';
import type { Logger } from './logger.ts';
import { dayOf } from '../store/audit-records.ts';
import type { AuditRecord, Store } from '../store/types.ts';

/** The counters the overview reads (contract/admin.ts AdminDay). */
export type DailyCounter = 'sign_in:code' | 'sign_in:link' | 'sign_in:passkey' | 'mail:sent' | 'mail:failed';

export interface AuditTrail {
  /** Queues an entry for the store; a `sign_in` also counts `sign_in:<method>` for its day. */
  add(record: AuditRecord): void;
  /** Adds to one of today's counters (by the clock). */
  count(counter: DailyCounter, amount?: number): void;
  /** Writes what is due now: the timer calls it every 200 ms; tests call it after moving the clock. */
  tick(): Promise<void>;
  /** Writes everything waiting now, due or not (a failed batch still waits its second): a read of the trail in this process sees what this process did. */
  flush(): Promise<void>;
  /** Writes everything pending (a failure is tried once more at once, then dropped) and stops the timer. */
  close(): Promise<void>;
}

export interface AuditTrailOptions {
  store: Pick<Store, 'appendAudit' | 'addDailyCounts'>;
  clock: Clock;
  logger: Logger;
  /** Age of the oldest pending entry that triggers a flush, ms: default 1,000. */
  flushAfterMs?: number;
  /** Entries per `appendAudit`, and the pending count that triggers a flush: default 100. */
  batchSize?: number;
  /** Entries that may wait at most: default 10,000. */
  maxPending?: number;
  /** Start the 200 ms timer (default true; tests drive `tick()` themselves). */
  timer?: boolean;
}

/** A batch taken for writing: its entries (until written) and its counts by day (each until written). */
interface Batch {
  records: AuditRecord[] | null;
  counts: Map<string, Record<string, number>>;
  failures: number;
}

const TICK_MS = 200;

export function createAuditTrail(options: AuditTrailOptions): AuditTrail {
  const { store, clock, logger } = options;
  const flushAfterMs = options.flushAfterMs ?? 1_000;
  const batchSize = options.batchSize ?? 100;
  const maxPending = options.maxPending ?? 10_000;
  let pending: AuditRecord[] = [];
  let counts = new Map<string, Record<string, number>>();
  /** When the oldest pending entry or count came (null: nothing waits). */
  let oldestAt: number | null = null;
  let retry: { batch: Batch; notBefore: number } | null = null;
  let overflow = 0;
  let closed = false;

  const countFor = (day: string, counter: string, amount: number) => {
    const ofDay = counts.get(day) ?? {};
    ofDay[counter] = (ofDay[counter] ?? 0) + amount;
    counts.set(day, ofDay);
    oldestAt ??= clock.now();
  };

  /** Writes what is left of one batch; true when all of it is in the store. */
  const write = async (batch: Batch): Promise<boolean> => {
    try {
      // Each slice leaves the batch once stored, so a retry after a later slice failed writes only
      // what is not in the store yet (no entry twice).
      while (batch.records) {
        await store.appendAudit(batch.records.slice(0, batchSize));
        batch.records = batch.records.length > batchSize ? batch.records.slice(batchSize) : null;
      }
      for (const [day, ofDay] of batch.counts) {
        await store.addDailyCounts(day, ofDay);
        batch.counts.delete(day);
      }
      return true;
    } catch (error) {
      batch.failures += 1;
      const what = { entries: batch.records?.length ?? 0, days: batch.counts.size, err: error instanceof Error ? error.message : String(error) };
      if (batch.failures >= 2) logger.error({ msg: 'audit trail write failed twice: entries dropped from the store (the log has them)', ...what });
      else logger.warn({ msg: 'audit trail write failed: trying again', ...what });
      return false;
    }
  };

  /** `force`: write what waits, due or not; `retryNow`: a failed batch too, without waiting its second (close only). */
  const flush = async (force: boolean, retryNow = false): Promise<void> => {
    // While a failed batch waits for its second try, new entries wait behind it (bounded by maxPending).
    if (retry) {
      if (!retryNow && clock.now() < retry.notBefore) return;
      const { batch } = retry;
      retry = null;
      if (!(await write(batch)) && batch.failures < 2) {
        retry = { batch, notBefore: clock.now() + flushAfterMs };
        return;
      }
    }
    const now = clock.now();
    const due = oldestAt !== null && (force || pending.length >= batchSize || now - oldestAt >= flushAfterMs);
    if (!due) return;
    const batch: Batch = { records: pending.length > 0 ? pending : null, counts, failures: 0 };
    pending = [];
    counts = new Map();
    oldestAt = null;
    if (overflow > 0) {
      logger.error({ msg: 'audit trail full: entries dropped from the store (the log has them)', dropped: overflow, maxPending });
      overflow = 0;
    }
    if (!(await write(batch))) retry = { batch, notBefore: clock.now() + flushAfterMs };
  };

  /** One flush at a time; one asked for meanwhile runs after it. `write` catches, so none rejects. */
  let chain: Promise<void> = Promise.resolve();
  const run = (force: boolean, retryNow = false): Promise<void> => {
    const next = chain.then(() => flush(force, retryNow));
    chain = next.catch(() => {});
    return next;
  };

  const timer = options.timer === false ? null : setInterval(() => void run(false).catch(() => {}), TICK_MS).unref();

  return {
    add(record) {
      if (closed) return;
      if (pending.length >= maxPending) {
        overflow += 1;
        return;
      }
      pending.push(record);
      oldestAt ??= clock.now();
      if (record.event === 'sign_in' && record.method) countFor(dayOf(record.at), `sign_in:${record.method}`, 1);
      // A full batch goes now, not at the next tick (still never awaited by the caller).
      if (pending.length === batchSize) void run(false).catch(() => {});
    },
    count(counter, amount = 1) {
      if (closed || amount <= 0) return;
      countFor(dayOf(clock.now()), counter, amount);
    },
    tick: () => run(false),
    flush: () => run(true),
    async close() {
      if (timer) clearInterval(timer);
      await run(true, true);
      closed = true;
      // What failed at close is tried once more at once: nothing comes after.
      if (retry) await run(true, true);
    },
  };
}
