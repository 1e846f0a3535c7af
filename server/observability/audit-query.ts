/**
 * The read side of the audit trail and the daily counts, in the shapes of the admin console's
 * API (contract/admin.ts): what the console's routes, the library and the CLI call.
 */
import type { AdminAction, AdminDay, AdminOverview, AuditEntry } from '../../contract/admin.ts';
import type { Clock } from '../time/clock.ts';
import { dayOf, MAX_AUDIT_PAGE } from '../store/audit-records.ts';
import type { AuditQuery, AuditRecord, Store } from '../store/types.ts';

/** Days the overview covers, today (UTC) last. */
export const OVERVIEW_DAYS = 30;
const DAY_MS = 86_400_000;

/** A stored entry as the API gives it: `at` in ISO 8601, no client key (an operator's page needs no IP). */
export function auditEntry(record: AuditRecord): AuditEntry {
  return {
    at: new Date(record.at).toISOString(),
    event: record.event,
    ...(record.userId !== undefined ? { userId: record.userId } : {}),
    ...(record.method !== undefined ? { method: record.method } : {}),
    ...(record.action !== undefined ? { action: record.action as AdminAction } : {}),
    ...(record.by !== undefined ? { by: record.by } : {}),
  };
}

/** A page of the trail, newest first (`Store.listAudit`: a bad query throws `InvalidAuditQuery`). */
export async function listAuditEntries(store: Pick<Store, 'listAudit'>, query: AuditQuery): Promise<AuditEntry[]> {
  return (await store.listAudit(query)).map(auditEntry);
}

/**
 * The newest `limit` entries (any number), newest first, one user's when `userId` is given, read
 * a page of 200 at a time. Stores page back by time (`before`, exclusive), and entries share a
 * millisecond often: a first sign-in writes `user_created` and `sign_in` at one `now`. With
 * `before` at a page's oldest entry, the rest of that entry's millisecond would never be read
 * (a user's export lost one of the pair when a page of 200 ended between them). So the next page
 * starts at that millisecond again (`before` one later) and drops the entries of it already read:
 * every store lists one millisecond's entries in the same order, the later appended first (the
 * audit contract, testing/audit-contract.ts).
 */
export async function readAudit(store: Pick<Store, 'listAudit'>, userId: string | undefined, limit: number): Promise<AuditEntry[]> {
  const records: AuditRecord[] = [];
  let before: number | undefined;
  /** Entries of the millisecond `before - 1` already read: the next page starts with them. */
  let seen = 0;
  while (records.length < limit) {
    const want = Math.min(MAX_AUDIT_PAGE, limit - records.length + seen);
    const page = await store.listAudit({ userId, before, limit: want });
    records.push(...page.slice(seen));
    if (page.length < want) break;
    const oldest = page.at(-1)!.at;
    const ofOldest = page.length - page.findIndex((record) => record.at === oldest);
    // A page of 200 entries all of one millisecond cannot step inside it: the rest of that
    // millisecond is skipped rather than read for ever. One user's actions come nowhere near 200 a millisecond.
    if (ofOldest >= MAX_AUDIT_PAGE) [before, seen] = [oldest, 0];
    else [before, seen] = [oldest + 1, ofOldest];
  }
  return records.map(auditEntry);
}

/**
 * Users, live sessions, and the last 30 UTC days oldest first, today last, each with its sign-ins
 * by method and mail sent and failed (zeros for a day with nothing). Four reads, run together.
 */
export async function overview(store: Pick<Store, 'countUsers' | 'countSessions' | 'listDailyCounts'>, clock: Clock): Promise<AdminOverview> {
  const now = clock.now();
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => dayOf(now - (OVERVIEW_DAYS - 1 - i) * DAY_MS));
  const [users, activeSessions, counts] = await Promise.all([store.countUsers(), store.countSessions(now), store.listDailyCounts(days[0]!, days.at(-1)!)]);
  return {
    users,
    activeSessions,
    days: days.map((day): AdminDay => {
      const of = (key: string) => counts[day]?.[key] ?? 0;
      return {
        day,
        signIns: { code: of('sign_in:code'), link: of('sign_in:link'), passkey: of('sign_in:passkey') },
        mail: { sent: of('mail:sent'), failed: of('mail:failed') },
      };
    }),
  };
}
