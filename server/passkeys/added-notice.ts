/**
 * The "a passkey was added to your account" mail, after every registration: whoever held a fresh
 * session could add one, and the owner should hear of it at once, in their own language. It goes
 * through the same bounded mail queue as the codes, in a place the registration reserved before it
 * stored anything (registration.ts): with the queue full the registration is refused (503), so
 * no passkey is ever added without its notice on the way.
 */
import type { Locale } from '../../contract/index.ts';
import { lastSignInLocale } from '../login/user-locale.ts';
import type { Mail } from '../mail/types.ts';
import type { PasskeyRecord, UserRecord } from '../store/types.ts';
import type { PasskeyContext } from './passkey-context.ts';

/** Sends the notice through `send`: the place the registration reserved in the mail queue. */
export async function sendPasskeyAddedNotice(context: PasskeyContext, user: UserRecord, passkey: PasskeyRecord, requestLocale: Locale, send: (mail: Mail) => void): Promise<void> {
  // A fresh session means that sign-in was minutes ago, so its login state is there.
  const locale = await lastSignInLocale(context.login.store, user.emailKey, requestLocale);
  send({ kind: 'passkey_added', to: user.email, locale, deviceName: passkey.name, addedAt: passkey.createdAt });
}
