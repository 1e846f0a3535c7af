/**
 * What the console reads beyond users, sessions and passkeys: the overview's numbers and a user's
 * audit entries, and blocking. Each comes from the store's own queries (the kept audit trail, the
 * daily counts, `countSessions`) and the library's block; this file only shapes them.
 */
import type { AdminDay, AdminOverview, AuditEntry } from '../../contract/admin.ts';
import type { Store } from '../store/types.ts';
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
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** A day with nothing in it. */
export function emptyDay(day: string): AdminDay {
  return { day, signIns: { code: 0, link: 0, passkey: 0 }, mail: { sent: 0, failed: 0 } };
}

/** PROVISIONAL until the stored audit trail and daily counts land: the user count, zeros elsewhere. */
export function storeRecords(store: Pick<Store, 'countUsers'>, clock: Clock): AdminRecords {
  return {
    overview: async () => ({ users: await store.countUsers(), activeSessions: 0, days: lastDays(clock.now()).map(emptyDay) }),
    userAudit: async () => [],
  };
}
