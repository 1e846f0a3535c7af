/**
 * A fresh session: one signed in by an email code or link within the last 10 minutes. What may
 * outlive every session, or move the account where the owner no longer hears of it, asks for
 * one: adding a passkey (passkeys/fresh-session.ts), starting a change of address
 * (account/account-service.ts) and turning on authenticator-app codes (second-factor/). A stolen session token, an old session left open on a shared
 * computer, or a session made by a passkey (which would let one passkey beget others with no
 * email step) is refused with `403 stale_session`.
 */
import { ApiError, type ApiErrorEntry } from '../../contract/index.ts';
import type { UserRecord } from '../store/types.ts';
import type { LoginContext } from './login-context.ts';
import { LoginError } from './login-error.ts';
import { findSessionRecord } from './sessions.ts';

/** 10 minutes: the default code lifetime, so "I just signed in" covers the whole email step. */
export const FRESH_SESSION_MS = 10 * 60_000;

/** The session's user when it is fresh; `unauthenticated` (no session) or `refusal` (a `stale_session` entry) otherwise. */
export async function freshSessionUser(context: LoginContext, token: string | null, refusal: ApiErrorEntry): Promise<UserRecord> {
  const found = token ? await findSessionRecord(context, token) : null;
  if (!found) throw LoginError.of(ApiError.unauthenticated);
  const { session, user } = found;
  const byEmail = session.method === 'code' || session.method === 'link';
  if (!byEmail || context.clock.now() - session.createdAt > FRESH_SESSION_MS) throw LoginError.of(refusal);
  return user;
}
