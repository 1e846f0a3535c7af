/** Rows of the PostgreSQL tables as the store's records (timestamps back to ISO strings and epoch milliseconds). */
import type { SessionRecord, UserRecord } from '../types.ts';

export interface UserRow {
  id: string;
  email_key: string;
  email: string;
  email_verified: boolean;
  created_at: Date;
  last_login_at: Date | null;
  data: Record<string, unknown>;
}

export interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
}

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    emailKey: row.email_key,
    emailVerified: row.email_verified,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at ? row.last_login_at.toISOString() : null,
    data: row.data,
  };
}

export function toSession(row: SessionRow): SessionRecord {
  return { tokenHash: row.token_hash, userId: row.user_id, createdAt: row.created_at.getTime(), expiresAt: row.expires_at.getTime() };
}
