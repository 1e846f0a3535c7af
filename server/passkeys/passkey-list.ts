/**
 * A user's own passkeys: listing, renaming and removing them. A passkey of another user is
 * answered exactly like one that does not exist (`unknown_passkey`), and nothing is written: a
 * session can neither touch nor learn about anyone else's passkeys.
 */
import { ApiError } from '../../contract/index.ts';
import type { PasskeyInfo } from '../../contract/passkeys.ts';
import { LoginError } from '../login/login-error.ts';
import type { AuditLog } from '../observability/audit.ts';
import { toPasskeyInfo, type PasskeyContext } from './passkey-context.ts';

export async function listPasskeys(context: PasskeyContext, userId: string): Promise<PasskeyInfo[]> {
  return (await context.login.store.listPasskeys(userId)).map(toPasskeyInfo);
}

/** Renames the user's passkey; `unknown_passkey` when it is not theirs (or gone). */
export async function renamePasskey(context: PasskeyContext, userId: string, id: string, name: string): Promise<PasskeyInfo> {
  const { store } = context.login;
  // Read first, so a refusal writes nothing; the change checks the owner again, atomically.
  if ((await store.findPasskey(id))?.userId !== userId) throw LoginError.of(ApiError.unknownPasskey);
  const renamed = await store.updatePasskey(id, (current) => (current?.userId === userId ? { next: { ...current, name }, result: { ...current, name } } : { next: current, result: null }));
  if (!renamed) throw LoginError.of(ApiError.unknownPasskey);
  return toPasskeyInfo(renamed);
}

/** Removes the user's passkey; false when it is not theirs (or already gone). */
export async function removePasskey(context: { login: PasskeyContext['login']; audit?: Pick<AuditLog, 'passkeyRemoved'> | undefined }, userId: string, id: string): Promise<boolean> {
  const { store } = context.login;
  if ((await store.findPasskey(id))?.userId !== userId) return false;
  const removed = await store.updatePasskey(id, (current) => (current?.userId === userId ? { next: null, result: true } : { next: current, result: false }));
  if (removed) context.audit?.passkeyRemoved({ userId, credentialId: id });
  return removed;
}
