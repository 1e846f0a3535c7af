/**
 * The "a passkey was added to your account" mail, after every registration: whoever held a fresh
 * session could add one, and the owner should hear of it at once, in their own language. It goes
 * through the same bounded mail queue as the codes, in a place the registration reserved before it
 * stored anything (registration.ts): with the queue full the registration is refused (503), so
 * no passkey is ever added without its notice on the way.
 */
import { LOCALES, type Locale } from '../../contract/index.ts';
import type { Mail } from '../mail/types.ts';
import type { PasskeyRecord, UserRecord } from '../store/types.ts';
import type { PasskeyContext } from './passkey-context.ts';

/**
 * The locale of the user's last email sign-in (the sequence used last: the language their code
 * came in), else `fallback` (the request's). A fresh session means that sign-in was minutes ago,
 * so its login state is there. Read through `updateLogin`, the store's one way to read a login
 * state, leaving it as it is: one write per registration, at most 20 a user.
 */
async function lastSignInLocale(context: PasskeyContext, user: UserRecord, fallback: Locale): Promise<Locale> {
  const locale = await context.login.store.updateLogin<string | null>(user.emailKey, (state) => {
    const used = (state?.sequences ?? []).filter((sequence) => sequence.usedAt !== null).sort((a, b) => b.usedAt! - a.usedAt!);
    return { next: state, result: used[0]?.locale ?? null };
  });
  return LOCALES.find((known) => known === locale) ?? fallback;
}

/** Sends the notice through `send`: the place the registration reserved in the mail queue. */
export async function sendPasskeyAddedNotice(context: PasskeyContext, user: UserRecord, passkey: PasskeyRecord, requestLocale: Locale, send: (mail: Mail) => void): Promise<void> {
  const locale = await lastSignInLocale(context, user, requestLocale);
  send({ kind: 'passkey_added', to: user.email, locale, deviceName: passkey.name, addedAt: passkey.createdAt });
}
