/**
 * The "a passkey was added to your account" mail, after every registration: whoever held a fresh
 * session could add one, and the owner should hear of it at once, in their own language. It goes
 * through the same bounded mail queue as the codes, after the answer; a full queue drops it
 * (logged and counted), and never blocks or fails the registration.
 */
import { LOCALES, type Locale } from '../../contract/index.ts';
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

export async function sendPasskeyAddedNotice(context: PasskeyContext, user: UserRecord, passkey: PasskeyRecord, requestLocale: Locale): Promise<void> {
  const locale = await lastSignInLocale(context, user, requestLocale);
  context.login.mailer.dispatch({ kind: 'passkey_added', to: user.email, locale, deviceName: passkey.name, addedAt: passkey.createdAt });
}
