/**
 * `getAccessToken()` for the element and `PasswordlessClient`: a short-lived signed token (a JWT)
 * for the site's own API, reused until a minute before it expires and tied to the session it was
 * issued for. The element fetches this file on demand (features/access-token); the client has it
 * built in.
 */
import { ApiPath } from '../../contract/index.ts';
import type { SessionKeeper } from './session-keeper.ts';
import { sessionKeyOf } from './stored-session.ts';

/** Reused until this long before it expires, so it never runs out on the way to the API. */
const MARGIN_MS = 60_000;

export interface CachedAccessToken {
  token: string;
  /** Until when (the caller's clock) it is handed out again. */
  until: number;
  /**
   * Which session it belongs to (sessionKeyOf): not the stored object, which a session check
   * replaces with a fresh copy of the same session.
   */
  session: string;
}

/**
 * The token, or null when no one is signed in, the server cannot be reached, or the session ended
 * (the server's 401: then it is forgotten, here and in the other tabs).
 *
 * `now` is the caller's clock: the expiry comes from the token's lifetime, not its `exp`, so a
 * server clock minutes off does not matter. `ready` runs before the request (the client learns
 * cookie mode first).
 */
export async function getAccessToken(keeper: SessionKeeper, now: number, ready?: () => Promise<unknown>): Promise<string | null> {
  const stored = keeper.stored;
  if (!stored) return null;
  const session = sessionKeyOf(stored);
  const cached = keeper.accessToken;
  if (cached?.session === session && cached.until > now) return cached.token;
  await ready?.();
  const result = await keeper.api.call(ApiPath.token, {}, stored.token);
  // Signed out, or in as someone else, meanwhile (here or in another tab): the answer is about a
  // session that is gone, and a 401 about it must not end the new one.
  if (!keeper.holds(stored)) return null;
  if (!result.ok) {
    if (result.status === 401) keeper.forget();
    return null;
  }
  const { accessToken, expiresIn } = result.data;
  keeper.accessToken = { token: accessToken, until: now + expiresIn * 1000 - MARGIN_MS, session };
  return accessToken;
}
