/**
 * An undone change of address also takes with it authenticator-app codes turned on since the
 * change: whoever moved the account (a stolen session, in the case an undo answers) may have
 * enrolled their own app, and with it on the owner, back at their address, could not sign in
 * without a code only the attacker's phone shows. Turned off in one `updateUser` that checks the
 * date (second-factor/turn-off.ts), so one the owner turned on before the change stays. Audited `totp_disabled` with
 * `by: 'undo'`; nothing is mailed (the address it was turned on from is the attacker's, and the
 * owner asked for the undo, whose page tells them).
 */
import type { LoginContext } from '../login/login-context.ts';
import { turnOffTotp } from '../second-factor/turn-off.ts';

/** Turns off the second factor of the user at `emailKey` if it was turned on at or after `since` (ms); returns whether it did. */
export async function removeTotpSince(context: LoginContext, userId: string, emailKey: string, since: number): Promise<boolean> {
  const removed = await turnOffTotp(context.store, userId, emailKey, since);
  if (removed) context.audit?.totpDisabled({ userId, by: 'undo' });
  return removed;
}
