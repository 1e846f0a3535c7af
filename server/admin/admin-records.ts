/**
 * What the console reads of the audit trail and the daily counts, through the trail's read side
 * (observability/audit-query.ts), after writing what this process has waiting: an admin sees
 * their own action at once (another instance's within about a second, its batch).
 */
import type { AdminOverview, AuditEntry } from '../../contract/admin.ts';
import { overview, readAudit } from '../observability/audit-query.ts';
import type { AuditTrail } from '../observability/audit-trail.ts';
import type { Store } from '../store/types.ts';
import type { Clock } from '../time/clock.ts';

export interface AdminRecords {
  overview(): Promise<AdminOverview>;
  /** The user's newest audit entries, newest first, at most `limit` (any number: read a page of 200 at a time). */
  userAudit(userId: string, limit: number): Promise<AuditEntry[]>;
}

export function adminRecords(store: Pick<Store, 'countUsers' | 'countSessions' | 'listDailyCounts' | 'listAudit'>, clock: Clock, trail: Pick<AuditTrail, 'flush'> | undefined): AdminRecords {
  return {
    async overview() {
      await trail?.flush();
      return overview(store, clock);
    },
    async userAudit(userId, limit) {
      await trail?.flush();
      return readAudit(store, userId, limit);
    },
  };
}
