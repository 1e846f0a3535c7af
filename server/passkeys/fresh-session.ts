/**
 * Who may add a passkey: the user of a fresh session (login/fresh-session.ts: signed in by an
 * email code or link within the last 10 minutes). A passkey is a way in that outlives every
 * session, so a stolen session token, an old session left open on a shared computer, or a
 * session made by a passkey itself must not be able to plant one.
 */
import { ApiError } from '../../contract/index.ts';
import { freshSessionUser } from '../login/fresh-session.ts';
import type { UserRecord } from '../store/types.ts';
import type { PasskeyContext } from './passkey-context.ts';

/** The session's user when it may enrol; `unauthenticated` (no session) or `stale_session` otherwise. */
export function enrollingUser(context: PasskeyContext, token: string | null): Promise<UserRecord> {
  return freshSessionUser(context.login, token, ApiError.staleSession);
}
