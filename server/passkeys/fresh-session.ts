/**
 * Who may add a passkey: the user of a session signed in by an email code or link within the last
 * 10 minutes. A passkey is a way in that outlives every session, so a stolen session token, an
 * old session left open on a shared computer, or a session made by a passkey itself (which would
 * let one passkey beget others with no email step) must not be able to plant one.
 */
import { ApiError } from '../../contract/index.ts';
import { LoginError } from '../login/login-error.ts';
import { findSessionRecord } from '../login/sessions.ts';
import type { UserRecord } from '../store/types.ts';
import type { PasskeyContext } from './passkey-context.ts';

/** 10 minutes: the default code lifetime, so "I just signed in" covers the whole email step. */
export const FRESH_SESSION_MS = 10 * 60_000;

/** The session's user when it may enrol; `unauthenticated` (no session) or `stale_session` otherwise. */
export async function enrollingUser(context: PasskeyContext, token: string | null): Promise<UserRecord> {
  const found = token ? await findSessionRecord(context.login, token) : null;
  if (!found) throw LoginError.of(ApiError.unauthenticated);
  const { session, user } = found;
  const byEmail = session.method === 'code' || session.method === 'link';
  if (!byEmail || context.login.clock.now() - session.createdAt > FRESH_SESSION_MS) throw LoginError.of(ApiError.staleSession);
  return user;
}
