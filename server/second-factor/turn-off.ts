/**
 * Turning a user's authenticator-app codes off with no proof, for whoever decided it elsewhere:
 * an undone change of address (account/totp-since.ts) and the operator's `users totp-off`
 * (bin/users.ts), after a SECRET rotation left the secret unreadable. One `updateUser`, so it
 * changes only the user it was asked for, and only a second factor turned on at or after `since`.
 */
import type { Store } from '../store/types.ts';

/** Off for `userId` at `emailKey` when on since `since` (ms; any time by default); whether it was. */
export function turnOffTotp(store: Store, userId: string, emailKey: string, since = Number.NEGATIVE_INFINITY): Promise<boolean> {
  return store.updateUser(emailKey, (current) =>
    current && current.id === userId && current.totp && current.totp.enabledAt >= since ? { next: { ...current, totp: null }, result: true } : { next: current, result: false },
  );
}
