/**
 * What the console and the command line show of a user: the stored records turned into the
 * shapes of contract/admin.ts, times as ISO 8601. Never a token or its hash, a passkey's public
 * key or counter, or the identity key: only what a person reading an access request needs.
 */
import type { AdminPasskey, AdminSession, AdminUserExport, AdminUserSummary, AuditEntry } from '../../contract/admin.ts';
import { toPublicUser } from '../login/users.ts';
import type { PasskeyRecord, SessionRecord, Store, UserRecord } from '../store/types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function userSummary(user: UserRecord): AdminUserSummary {
  return { id: user.id, email: user.email, createdAt: user.createdAt, lastLoginAt: user.lastLoginAt, blockedAt: user.blockedAt ? iso(user.blockedAt) : null };
}

export function sessionView(session: SessionRecord): AdminSession {
  return { createdAt: iso(session.createdAt), expiresAt: iso(session.expiresAt), method: session.method ?? null };
}

export function passkeyView(passkey: PasskeyRecord): AdminPasskey {
  return { name: passkey.name, createdAt: iso(passkey.createdAt), lastUsedAt: passkey.lastUsedAt === null ? null : iso(passkey.lastUsedAt), backedUp: passkey.backedUp };
}

/** Everything stored about one user (GDPR art. 15): the console's export, every time in ISO 8601. */
export async function exportUser(store: Store, record: UserRecord, audit: AuditEntry[] = []): Promise<AdminUserExport> {
  const [sessions, passkeys] = await Promise.all([store.listUserSessions(record.id), store.listPasskeys(record.id)]);
  return {
    user: { ...toPublicUser(record), blockedAt: record.blockedAt ? iso(record.blockedAt) : null },
    sessions: sessions.map(sessionView),
    passkeys: passkeys.map(passkeyView),
    audit,
  };
}
