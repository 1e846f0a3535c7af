/**
 * An undone change of address takes with it the passkeys added since the change: whoever moved
 * the account (a stolen session, in the case an undo answers) may have planted one, and a passkey
 * outlives every session the undo ends. Each is removed as its owner would remove it
 * (passkeys/passkey-list.ts: audited `passkey_removed`); nothing is mailed (the owner asked for
 * the undo, and its page tells them).
 */
import type { LoginContext } from '../login/login-context.ts';
import { removePasskey } from '../passkeys/passkey-list.ts';

/** Removes `userId`'s passkeys created at or after `since` (ms); returns how many. */
export async function removePasskeysSince(context: LoginContext, userId: string, since: number): Promise<number> {
  let removed = 0;
  for (const passkey of await context.store.listPasskeys(userId)) {
    if (passkey.createdAt >= since && (await removePasskey({ login: context, audit: context.audit }, userId, passkey.id))) removed++;
  }
  return removed;
}
