/**
 * The read side of the audit trail and the daily counts, in the shapes of the admin console's
 * API (contract/admin.ts): what the console's routes, the library and the CLI call.
 */
import type { AdminAction, AdminDay, AdminOverview, AuditEntry } from '../../contract/admin.ts';
import type { Clock } from '../time/clock.ts';
import { dayOf } from '../store/audit-records.ts';
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

/** The newest `limit` (1 to 200) entries of one user, newest first. */
export function recentAudit(store: Pick<Store, 'listAudit'>, userId: string, limit: number): Promise<AuditEntry[]> {
  return listAuditEntries(store, { userId, limit });
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
