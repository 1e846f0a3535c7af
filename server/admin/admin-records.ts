/**
 * What the console reads beyond users, sessions and passkeys: the overview's numbers and a user's
 * audit entries. Each comes from the store's own queries (the kept audit trail, the daily counts,
 * `countSessions`); this file only shapes them into contract/admin.ts.
 */
import type { AdminDay, AdminOverview, AuditEntry } from '../../contract/admin.ts';
import { dayOf, daysBetween, MAX_AUDIT_PAGE } from '../store/audit-records.ts';
import type { AuditRecord, DailyCounts, Store } from '../store/types.ts';
import type { Clock } from '../time/clock.ts';

export interface AdminRecords {
  overview(): Promise<AdminOverview>;
  /** The user's newest audit entries, newest first, at most `limit`. */
  userAudit(userId: string, limit: number): Promise<AuditEntry[]>;
}

/** The overview's span: 30 days, today (UTC) last. */
export const OVERVIEW_DAYS = 30;

/** The 30 UTC days ending today, oldest first, each `YYYY-MM-DD`. */
export function lastDays(now: number, days = OVERVIEW_DAYS): string[] {
  return daysBetween(dayOf(now - (days - 1) * 86_400_000), dayOf(now));
}


/** The overview's days from the store's daily counters (`sign_in:code`, `mail:sent`…), missing days as zeros. */
export function daysFrom(counts: DailyCounts, days: string[]): AdminDay[] {
  return days.map((day) => {
    const c = counts[day] ?? {};
    const n = (key: string) => c[key] ?? 0;
    return { day, signIns: { code: n('sign_in:code'), link: n('sign_in:link'), passkey: n('sign_in:passkey') }, mail: { sent: n('mail:sent'), failed: n('mail:failed') } };
  });
}

export function auditEntry(record: AuditRecord): AuditEntry {
  const { at, event, userId, method, action, by } = record;
  return { at: new Date(at).toISOString(), event, ...(userId !== undefined && { userId }), ...(method !== undefined && { method }), ...(action !== undefined && { action: action as AuditEntry['action'] }), ...(by !== undefined && { by }) };
}

/** The records as the store keeps them: the kept audit trail, its daily counts, `countSessions`. */
export function storeRecords(store: Pick<Store, 'countUsers' | 'countSessions' | 'listDailyCounts' | 'listAudit'>, clock: Clock): AdminRecords {
  return {
    async overview() {
      const now = clock.now();
      const days = lastDays(now);
      const [users, activeSessions, counts] = await Promise.all([store.countUsers(), store.countSessions(now), store.listDailyCounts(days[0]!, days.at(-1)!)]);
      return { users, activeSessions, days: daysFrom(counts, days) };
    },
    async userAudit(userId, limit) {
      const entries: AuditEntry[] = [];
      let before: number | undefined;
      // Pages of the store's largest size, back in time, until `limit` or the trail's start.
      while (entries.length < limit) {
        const want = Math.min(MAX_AUDIT_PAGE, limit - entries.length);
        const page = await store.listAudit({ userId, before, limit: want });
        entries.push(...page.map(auditEntry));
        if (page.length < want) break;
        before = page.at(-1)!.at;
      }
      return entries;
    },
  };
}
