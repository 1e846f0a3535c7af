/**
 * Blocking a user (an operator's answer to abuse): `blockedAt` is set on the user and every
 * session ends. From then on the address is answered like any other and mailed nothing
 * (request-login.ts), and no code, link, approval or passkey signs in (verify-login.ts,
 * passkeys/sign-in.ts), not even one issued before the block; a session made in the same moment
 * is refused when it is read (sessions.ts). Unblocking removes the field: the user reads back as
 * one never blocked, and signs in again with a fresh code.
 */
import type { UserRecord } from '../store/types.ts';
import type { LoginContext } from './login-context.ts';
import { revokeUserSessions } from './sessions.ts';

/** What blocking uses: no mailer, hasher or rules, so the command line blocks without building them. */
export type BlockingContext = Pick<LoginContext, 'store' | 'metrics' | 'audit' | 'hooks' | 'logger' | 'clock'>;

export interface BlockOptions {
  /** Who blocked (the admin's user id, or `cli`), for the audit entry. */
  by?: string;
}

/**
 * Blocks the user and ends every session; returns the user as stored, or null when there is no
 * such user. Blocking a blocked user keeps the first time and ends any session again.
 */
export async function blockUser(context: BlockingContext, userId: string, options: BlockOptions = {}): Promise<UserRecord | null> {
  const blocked = await changeBlock(context, userId, (user) => ({ ...user, blockedAt: user.blockedAt ?? context.clock.now() }));
  if (!blocked) return null;
  await revokeUserSessions(context, userId);
  context.audit?.userBlocked({ userId, ...(options.by ? { by: options.by } : {}) });
  return blocked;
}

/** Lifts a block; returns the user as stored, or null when there is no such user. */
export async function unblockUser(context: BlockingContext, userId: string, options: BlockOptions = {}): Promise<UserRecord | null> {
  const unblocked = await changeBlock(context, userId, ({ blockedAt: _, ...user }) => user);
  if (!unblocked) return null;
  context.audit?.userUnblocked({ userId, ...(options.by ? { by: options.by } : {}) });
  return unblocked;
}

/**
 * One atomic change of the user found by id; null when there is none (or it was erased meanwhile).
 * A confirmed change of address between the read and the write moves the record: it is read
 * again by id and the change retried (3 tries: each needs another move in the same instant).
 */
async function changeBlock(context: BlockingContext, userId: string, change: (user: UserRecord) => UserRecord): Promise<UserRecord | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await context.store.findUserById(userId);
    if (!found) return null;
    const outcome = await context.store.updateUser<UserRecord | 'moved'>(found.emailKey, (current) => {
      // Moved to another address (or erased) between the read and the write: not here any more.
      if (!current || current.id !== userId) return { next: current, result: 'moved' };
      const next = change(current);
      return { next, result: next };
    });
    if (outcome !== 'moved') return outcome;
  }
  return null;
}
