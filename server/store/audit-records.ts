/**
 * The audit trail and the daily counts, the same in every store: the queries checked once here
 * (a bad limit, day or count is the caller's mistake, said in an `InvalidAuditQuery`, never a
 * crash or a scan of everything), the UTC day of an instant, and a record's stored form.
 *
 * Order: newest first by `at`; entries of the same millisecond in the order the store keeps them
 * (the later appended first). Paging is by time (`before`): an entry sharing the millisecond of
 * the oldest of a full page may be on neither page, which a trail read by people can afford.
 */
import { z } from 'zod';
import type { AuditQuery, AuditRecord } from './types.ts';

/** A query with a bad limit, `before`, user id, day or count. */
export class InvalidAuditQuery extends Error {
  override name = 'InvalidAuditQuery';
}

export const MAX_AUDIT_PAGE = 200;
/** Days one `listDailyCounts` may span: a year and some, so a query can never walk without end. */
export const MAX_COUNT_DAYS = 400;
const DAY_MS = 86_400_000;

const QueryShape = z.object({
  userId: z.string().min(1).max(200).optional(),
  before: z.number().finite().optional(),
  limit: z.number().int().min(1).max(MAX_AUDIT_PAGE),
});

export interface CheckedAuditQuery {
  userId: string | null;
  /** Infinity when there is no bound. */
  before: number;
  limit: number;
}

export function checkAuditQuery(query: AuditQuery): CheckedAuditQuery {
  const parsed = QueryShape.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidAuditQuery(`bad audit query: ${issue.path.join('.') || 'query'} ${issue.message} (limit is 1 to ${MAX_AUDIT_PAGE})`);
  }
  return { userId: parsed.data.userId ?? null, before: parsed.data.before ?? Infinity, limit: parsed.data.limit };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Midnight UTC starting `day`, ms since the epoch; an `InvalidAuditQuery` for what is not a real day. */
export function dayStart(day: string): number {
  const start = DAY.test(day) ? Date.parse(`${day}T00:00:00.000Z`) : NaN;
  if (Number.isNaN(start) || dayOf(start) !== day) throw new InvalidAuditQuery(`bad day "${day.slice(0, 40)}": expected YYYY-MM-DD`);
  return start;
}

/** Every day from `fromDay` to `toDay`, both included; at most MAX_COUNT_DAYS. */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const from = dayStart(fromDay);
  const to = dayStart(toDay);
  const count = Math.round((to - from) / DAY_MS) + 1;
  if (count < 1 || count > MAX_COUNT_DAYS) throw new InvalidAuditQuery(`bad range of days ${fromDay} to ${toDay}: 1 to ${MAX_COUNT_DAYS} days, oldest first`);
  return Array.from({ length: count }, (_, i) => dayOf(from + i * DAY_MS));
}

/**
 * A counter's name: `<group>:<name>` in lower-case letters, digits and _ (`sign_in:code`), at most
 * 100 characters; so never `__proto__` or another name special to the JSON store's plain objects.
 */
const COUNTER = /^[a-z0-9_]+:[a-z0-9_]+$/;

/** Counts to add: counter names as COUNTER, whole non-negative amounts. */
export function checkCounts(day: string, counts: Record<string, number>): [string, number][] {
  dayStart(day);
  const entries = Object.entries(counts);
  for (const [key, amount] of entries) {
    if (key.length > 100 || !COUNTER.test(key) || !Number.isSafeInteger(amount) || amount < 0) throw new InvalidAuditQuery(`bad daily count ${JSON.stringify(key.slice(0, 100))}: ${amount} (a name like sign_in:code, a whole number from 0)`);
  }
  return entries.filter(([, amount]) => amount > 0);
}

/** A record with only its own known fields (nothing a caller added by mistake is stored). */
export function auditRecord(record: AuditRecord): AuditRecord {
  const { at, event, userId, method, action, by, clientKey } = record;
  if (!Number.isFinite(at) || typeof event !== 'string' || event.length === 0) throw new InvalidAuditQuery('bad audit record: `at` (ms) and `event` are required');
  return { at, event, ...(userId !== undefined ? { userId } : {}), ...(method !== undefined ? { method } : {}), ...(action !== undefined ? { action } : {}), ...(by !== undefined ? { by } : {}), ...(clientKey !== undefined ? { clientKey } : {}) };
}
