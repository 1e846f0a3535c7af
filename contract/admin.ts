/**
 * The operators' console (`/admin`, served when ADMIN_EMAILS is set; 404 otherwise) and its API.
 *
 * The console signs in with the same `<passwordless-login>` element; every API call carries that
 * session (the bearer token, or the `__Host-` cookie in cookie mode) and is refused unless the
 * session's verified address is in ADMIN_EMAILS (403 `not_admin`; 401 `unauthenticated` without a
 * live session) and the call comes from the console's own origin (403 `forbidden_origin`). Every
 * call that changes something is audited (`admin_action`, with the action and the target user id).
 */
import type { User } from './bodies.ts';

/** Where the console is served, at the root of the backend's origin (not under the base path). */
export const ADMIN_PAGE_PATH = '/admin';

/** The console's API, at the root of the backend's origin. */
export const AdminPath = {
  /** `GET` → `AdminOverview`. */
  overview: '/admin/api/overview',
  /** `GET ?search=&sort=created|last_sign_in&after=&limit=` → `AdminUserPage`. */
  users: '/admin/api/users',
  /** `GET` → `AdminUserDetail`; `:id` is the user id. */
  user: '/admin/api/users/:id',
  /** `POST {}` → `AdminActionResponse`: every session of the user ended. */
  endSessions: '/admin/api/users/:id/end-sessions',
  /** `POST {}` → `AdminActionResponse`: blocked (sessions ended; a sign-in request gets the same 202 as anyone's, and no mail). */
  block: '/admin/api/users/:id/block',
  /** `POST {}` → `AdminActionResponse`. */
  unblock: '/admin/api/users/:id/unblock',
  /** `POST {}` → `AdminActionResponse`: the same erasure as the user's own "delete my account". */
  delete: '/admin/api/users/:id/delete',
  /** `GET` → `AdminUserExport` as a JSON download (`Content-Disposition: attachment`). */
  export: '/admin/api/users/:id/export',
} as const;

/** The error only the console's API answers with (403): the element never calls it, so its catalogs need no sentence. */
export type AdminErrorCode = 'not_admin';

export type AdminAction = 'end_sessions' | 'block' | 'unblock' | 'delete' | 'export';

/** One user in the list. */
export interface AdminUserSummary {
  id: string;
  email: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  lastLoginAt: string | null;
  /** ISO 8601 when blocked, else null. */
  blockedAt: string | null;
}

export interface AdminUserPage {
  users: AdminUserSummary[];
  /** Pass as `after` for the next page; null on the last. */
  next: string | null;
  /** All users (not only those the search matches). */
  total: number;
}

/** One entry of the audit trail, as the store keeps it (never an address, a code or a token). */
export interface AuditEntry {
  /** ISO 8601. */
  at: string;
  /** `sign_in`, `sign_out`, `user_created`, `passkey_added`, `passkey_removed`, `user_deleted`, `email_changed`, `email_change_undone`, `user_blocked`, `user_unblocked`, `admin_action`… */
  event: string;
  userId?: string;
  /** On `sign_in`: `code`, `link`, `passkey`. */
  method?: string;
  /** On `admin_action`: what was done, to whom (`userId` is the target), by which admin (`by`, the admin's user id). */
  action?: AdminAction;
  by?: string;
}

export interface AdminSession {
  /** ISO 8601. */
  createdAt: string;
  expiresAt: string;
  method: 'code' | 'link' | 'passkey' | null;
}

export interface AdminPasskey {
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
}

export interface AdminUserDetail {
  /** `secondFactor`: authenticator-app codes are on (contract/second-factor.ts); never the secret. */
  user: AdminUserSummary & { secondFactor: boolean };
  sessions: AdminSession[];
  passkeys: AdminPasskey[];
  /** The newest audit entries of this user, newest first (at most 50). */
  audit: AuditEntry[];
}

/** Everything stored about one user, for an access request (GDPR art. 15): no hash, token or key. */
export interface AdminUserExport {
  /** The user, every time in ISO 8601: `blockedAt` too (where `User` has it in ms). */
  user: Omit<User, 'blockedAt'> & { blockedAt: string | null };
  sessions: AdminSession[];
  passkeys: AdminPasskey[];
  audit: AuditEntry[];
}

export interface AdminActionResponse {
  /** What the action did: sessions ended (end_sessions, block, delete), passkeys erased (delete). */
  sessions?: number;
  passkeys?: number;
}

/** One day of the overview, UTC. */
export interface AdminDay {
  /** `YYYY-MM-DD`. */
  day: string;
  signIns: { code: number; link: number; passkey: number };
  mail: { sent: number; failed: number };
}

export interface AdminOverview {
  users: number;
  activeSessions: number;
  /** The last 30 days, oldest first, today last; days with nothing are there with zeros. */
  days: AdminDay[];
}
