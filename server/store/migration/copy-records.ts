/**
 * Copies the records of one store into another through the target's own `Store` methods, so the
 * rows, keys, indexes and expiries are exactly the ones its backend writes: users, their
 * passkeys, live sessions (with how they were signed in), and login states that still matter
 * (login/retention.ts), and the live one-time claims (spent passkey challenges: without them a
 * challenge spent just before the move could be spent again after it). What stopped mattering is
 * counted and left behind. The audit trail and the daily counts are copied whole (the target's
 * sweep applies its retention): appended, oldest first, so a second copy with --force adds them again.
 */
import type { AuditRecord, DailyCounts, LoginState, PasskeyRecord, Retention, SessionRecord, Store, UserRecord } from '../types.ts';

/** Everything a store holds, as plain records. */
export interface StoreRecords {
  users: UserRecord[];
  logins: LoginState[];
  sessions: SessionRecord[];
  passkeys: PasskeyRecord[];
  /** Claimed keys and until when they count. */
  claims: ClaimRecord[];
  /** The audit trail, oldest first. */
  audit: AuditRecord[];
  dailyCounts: DailyCounts;
}

export interface ClaimRecord {
  key: string;
  expiresAt: number;
}

export interface MigrationCounts {
  users: number;
  passkeys: number;
  claims: number;
  sessions: number;
  logins: number;
  links: number;
  /** Expired sessions and login states past their retention: nothing to copy. */
  expiredSessions: number;
  expiredLogins: number;
  /** Audit entries, and days of daily counts. */
  audit: number;
  countedDays: number;
}

/** An operator's mistake in a migration (no source, a target that holds data): one line, exit 1. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function copyRecords(records: StoreRecords, target: Store, retention: Retention, now: number): Promise<MigrationCounts> {
  const counts: MigrationCounts = { users: 0, passkeys: 0, claims: 0, sessions: 0, logins: 0, links: 0, expiredSessions: 0, expiredLogins: 0, audit: 0, countedDays: 0 };
  await inBatches(records.users, async (user) => {
    await target.updateUser(user.emailKey, () => ({ next: user, result: null }));
    counts.users += 1;
  });
  // After the users: PostgreSQL refuses a passkey whose user it does not hold. Written whole, so
  // with --force one that is there already is written over, as a user is.
  await inBatches(records.passkeys, async (passkey) => {
    await target.updatePasskey(passkey.id, () => ({ next: passkey, result: null }));
    counts.passkeys += 1;
  });
  // An expired claim no longer counts anywhere: left behind, like an expired session.
  await inBatches(records.claims, async (claim) => {
    if (claim.expiresAt <= now) return;
    await target.claimOnce(claim.key, claim.expiresAt);
    counts.claims += 1;
  });
  await inBatches(records.sessions, async (session) => {
    if (session.expiresAt <= now) return void (counts.expiredSessions += 1);
    await target.createSession(session);
    counts.sessions += 1;
  });
  await inBatches(records.logins, async (state) => {
    if (retention.loginState(state) <= now) return void (counts.expiredLogins += 1);
    await target.updateLogin(state.emailKey, () => ({ next: state, result: null }));
    counts.logins += 1;
    counts.links += state.sequences.filter((s) => retention.link(s) > now).length;
  });
  // 1,000 entries a write, one after another: the order of entries of one millisecond is kept.
  for (let i = 0; i < records.audit.length; i += 1000) {
    const batch = records.audit.slice(i, i + 1000);
    await target.appendAudit(batch);
    counts.audit += batch.length;
  }
  for (const [day, ofDay] of Object.entries(records.dailyCounts)) {
    await target.addDailyCounts(day, ofDay);
    counts.countedDays += 1;
  }
  return counts;
}

/** 100 at a time: enough to keep a pool or a pipeline busy, few enough to bound memory. */
async function inBatches<T>(items: T[], task: (item: T) => Promise<void>, size = 100): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(task));
}
