/**
 * Erasing a user (an erasure request, an operator's delete): every session ended first, as
 * `revokeUserSessions` ends them (counted, audited `sign_out`, `onLogout`), then the user, their
 * sessions, passkeys and the login state of their address erased by the store in one atomic step
 * (Store.deleteUser), audited `user_deleted` with the id alone, and `onUserDeleted` told with the
 * public user as it was. The address may sign up again afterwards: as a new user, with a new id.
 */
import { notify } from './hooks.ts';
import type { LoginContext } from './login-context.ts';
import { revokeUserSessions } from './sessions.ts';
import { toPublicUser } from './users.ts';

export interface ErasedUser {
  /** Sessions ended: by the revoke, plus any a sign-in made in between and the erasure took. */
  sessions: number;
  passkeys: number;
}

/** What an erasure uses: no mailer, hasher or rules, so the command line erases without building them. */
export type ErasureContext = Pick<LoginContext, 'store' | 'metrics' | 'audit' | 'hooks' | 'logger'>;

/** Erases the user; null when there is no user with this id (erasing twice is not an error). */
export async function eraseUser(context: ErasureContext, userId: string): Promise<ErasedUser | null> {
  const user = await context.store.findUserById(userId);
  if (!user) return null;
  const revoked = await revokeUserSessions(context, userId);
  const erased = await context.store.deleteUser(userId);
  // Erased by a concurrent call between the two steps: that call audits and tells the host.
  if (!erased) return null;
  context.audit?.userDeleted({ userId });
  await notify(context.logger, 'onUserDeleted', context.hooks.onUserDeleted, toPublicUser(user));
  return { sessions: revoked + erased.sessions, passkeys: erased.passkeys };
}
