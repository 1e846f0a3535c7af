/**
 * Sessions after the sign-in: who a token belongs to, ending one or all of a user's, and the
 * sweep that deletes expired sessions and login states.
 * Session tokens are kept only as keyed hashes (`session:<token>`), so a lookup hashes first.
 */
import type { SessionResponse, VerifyResponse } from '../../contract/index.ts';
import type { VerifyMethod } from '../observability/metrics.ts';
import { randomToken } from '../secrets/random.ts';
import type { SessionRecord, UserRecord } from '../store/types.ts';
import { notify } from './hooks.ts';
import { prune } from './login-state.ts';
import type { LoginContext } from './login-context.ts';
import { toPublicUser } from './users.ts';

/** A new session of `userId`, signed in by `method`: its token (handed out once) and its record (to write). */
export function newSession(context: LoginContext, userId: string, method: VerifyMethod): { token: string; record: SessionRecord } {
  const now = context.clock.now();
  const token = randomToken();
  return { token, record: { tokenHash: context.hash(`session:${token}`), userId, createdAt: now, expiresAt: now + context.rules.sessionTtlSeconds * 1000, method } };
}

/**
 * Signs in a user who already exists (a passkey names its user): the session written, the last
 * login noted, `onLogin` run, and the answer of `POST /verify`, as an email sign-in gives them.
 */
export async function signInUser(context: LoginContext, user: UserRecord, method: VerifyMethod): Promise<VerifyResponse> {
  if (user.blockedAt) throw new Error('signInUser: the user is blocked (the caller refuses blocked users first)');
  const { store, clock } = context;
  const { token, record } = newSession(context, user.id, method);
  const lastLoginAt = new Date(clock.now()).toISOString();
  const [updated] = await Promise.all([
    store.updateUser<UserRecord | null>(user.emailKey, (current) => (current ? { next: { ...current, lastLoginAt }, result: { ...current, lastLoginAt } } : { next: null, result: null })),
    store.createSession(record),
  ]);
  const publicUser = toPublicUser(updated ?? user);
  await notify(context.logger, 'onLogin', context.hooks.onLogin, { user: publicUser, method });
  return { user: publicUser, session: { token, expiresAt: new Date(record.expiresAt).toISOString() } };
}

/** The live session a token names, with its user: null when unknown or expired (an expired one is deleted on the way). */
export async function findSessionRecord(context: LoginContext, token: string): Promise<{ session: SessionRecord; user: UserRecord } | null> {
  const { store, clock, hash } = context;
  const tokenHash = hash(`session:${token}`);
  const session = await store.findSession(tokenHash);
  if (!session) return null;
  if (session.expiresAt <= clock.now()) {
    await store.deleteSession(tokenHash);
    return null;
  }
  const user = await store.findUserById(session.userId);
  // A block ends every session; one made in the same moment is refused here all the same.
  return user && !user.blockedAt ? { session, user } : null;
}

/** The session's user and expiry, or null when the token is unknown or expired. */
export async function findSession(context: LoginContext, token: string): Promise<SessionResponse | null> {
  const found = await findSessionRecord(context, token);
  return found && { user: toPublicUser(found.user), session: { expiresAt: new Date(found.session.expiresAt).toISOString() } };
}

/**
 * Revokes the session on the server and returns whose it was (for the audit trail), or null.
 * Unknown tokens are fine: logging out twice is not an error.
 */
export async function logout(context: LoginContext, token: string): Promise<string | null> {
  const { store, hash, metrics } = context;
  const tokenHash = hash(`session:${token}`);
  const session = await store.findSession(tokenHash);
  if (!(await store.deleteSession(tokenHash))) return null;
  metrics?.sessionsRevoked.inc();
  if (session) await notify(context.logger, 'onLogout', context.hooks.onLogout, { userId: session.userId });
  return session?.userId ?? null;
}

/**
 * Ends every session of one user (after a ban, or "sign out everywhere"); returns how many it
 * ended. Each of them answers 401 from then on, on every instance sharing the store. One audit
 * `sign_out` entry and one `onLogout` call stand for them all; the metric counts each session.
 * A sign-in completing at the same moment may keep its new session: the store ends each
 * session at most once and never loses track of one, so calling again ends it.
 */
export async function revokeUserSessions(context: Pick<LoginContext, 'store' | 'metrics' | 'audit' | 'hooks' | 'logger'>, userId: string): Promise<number> {
  const revoked = await context.store.deleteUserSessions(userId);
  if (revoked === 0) return 0;
  context.metrics?.sessionsRevoked.inc({}, revoked);
  context.audit?.signOut({ userId });
  await notify(context.logger, 'onLogout', context.hooks.onLogout, { userId });
  return revoked;
}

/**
 * Deletes what can never matter again: expired sessions, and login states past their retention.
 * Keeps the data file from growing with every address ever typed.
 */
export async function sweep(context: LoginContext): Promise<{ logins: number; sessions: number }> {
  const { store, clock, rules, retention } = context;
  const now = clock.now();
  return store.sweep(now, (state) => {
    const pruned = prune(state, now, rules);
    return retention.loginState(pruned) > now ? pruned : null;
  });
}
