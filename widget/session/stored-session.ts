/**
 * The session in localStorage, one entry per API base, so two widgets talking to two backends on
 * one page keep two sessions. An expired entry is dropped on read.
 *
 * In cookie mode the entry has no token, only `{expiresAt, user}`: a marker that tells the next
 * page load to ask the server (with the cookie) whether the session still holds.
 */
import type { User } from '../../contract/index.ts';
import { readJson, removeItem, writeJson } from './storage.ts';

/**
 * The session the element keeps: when it ends (ISO 8601) and the bearer token for the API. In
 * cookie mode (the server's `sessionCookie`) there is no `token`: the session is in an HttpOnly
 * cookie that no script can read, and the browser sends it with each request to the API.
 */
export interface Session {
  token?: string;
  expiresAt: string;
}

/** How a person signs in: the code typed, the link followed, or a passkey (features/passkey/). */
export type SignInMethod = 'code' | 'link' | 'passkey';

export interface StoredSession extends Session {
  user: User;
  /** How the login was done, for the other tabs' `passwordless-success` (absent in entries from before it was kept). */
  method?: SignInMethod;
}

/** Every session key starts so; other tabs' `storage` events for other keys are not about sessions. */
export const SESSION_KEY_PREFIX = 'passwordless-login:session:';

const key = (apiBase: string) => SESSION_KEY_PREFIX + apiBase;

/**
 * Which session an entry is: its token, or in cookie mode its user. Not the entry object, which a
 * session check replaces with a fresh copy of the same session (a new `expiresAt`).
 */
export function sessionKeyOf(session: StoredSession): string {
  return session.token ?? session.user.id;
}

export function loadSession(apiBase: string, now = Date.now()): StoredSession | null {
  const value = readJson(key(apiBase));
  if (!isStoredSession(value)) return null;
  if (Date.parse(value.expiresAt) <= now) {
    clearSession(apiBase);
    return null;
  }
  return value;
}

export function saveSession(apiBase: string, session: StoredSession): void {
  writeJson(key(apiBase), session);
}

export function clearSession(apiBase: string): void {
  removeItem(key(apiBase));
}

function isStoredSession(value: unknown): value is StoredSession {
  const v = value as Partial<StoredSession> | null;
  return typeof v?.expiresAt === 'string' && typeof v.user?.email === 'string';
}
