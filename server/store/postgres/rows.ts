/** Rows of the PostgreSQL tables as the store's records (timestamps back to ISO strings and epoch milliseconds). */
import type { PasskeyRecord, SessionRecord, TotpRecord, UserRecord } from '../types.ts';

export interface UserRow {
  id: string;
  email_key: string;
  email: string;
  email_verified: boolean;
  created_at: Date;
  last_login_at: Date | null;
  data: Record<string, unknown>;
  blocked_at: Date | null;
  totp: TotpRecord | null;
}

export interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  method: SessionRecord['method'] | null;
}

export interface PasskeyRow {
  id: string;
  user_id: string;
  public_key: string;
  /** bigint: node-postgres gives it as a string. */
  counter: string;
  transports: string[];
  backed_up: boolean;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}

export function toUser(row: UserRow): UserRecord {
  const user: UserRecord = {
    id: row.id,
    email: row.email,
    emailKey: row.email_key,
    emailVerified: row.email_verified,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at ? row.last_login_at.toISOString() : null,
    data: row.data,
  };
  // Absent, not null, on a user never blocked (or unblocked): as the other stores give it back.
  if (row.blocked_at != null) user.blockedAt = row.blocked_at.getTime();
  if (row.totp != null) user.totp = row.totp;
  return user;
}

export function toSession(row: SessionRow): SessionRecord {
  const session: SessionRecord = { tokenHash: row.token_hash, userId: row.user_id, createdAt: row.created_at.getTime(), expiresAt: row.expires_at.getTime() };
  // Absent, not null, on a session made before passkeys: as the other stores give it back.
  if (row.method !== null) session.method = row.method;
  return session;
}

export function toPasskey(row: PasskeyRow): PasskeyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: row.transports,
    backedUp: row.backed_up,
    name: row.name,
    createdAt: row.created_at.getTime(),
    lastUsedAt: row.last_used_at ? row.last_used_at.getTime() : null,
  };
}

/** The columns of `PASSKEY_COLUMNS` (sql.ts) in order, as statement parameters. */
export function passkeyValues(passkey: PasskeyRecord): unknown[] {
  return [
    passkey.id,
    passkey.userId,
    passkey.publicKey,
    passkey.counter,
    passkey.transports,
    passkey.backedUp,
    passkey.name,
    new Date(passkey.createdAt),
    passkey.lastUsedAt === null ? null : new Date(passkey.lastUsedAt),
  ];
}
