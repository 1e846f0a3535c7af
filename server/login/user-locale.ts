/**
 * The language a user last signed in with: the locale of their address's sequence used last (the
 * language their code came in). Notices to the user (a passkey added, their address changed) and
 * account codes default to it, so they arrive in the language the person reads.
 */
import { LOCALES, type Locale } from '../../contract/index.ts';
import type { Store } from '../store/types.ts';

/**
 * The locale of the newest used sequence of `emailKey`, else `fallback`. Read through
 * `updateLogin`, the store's one way to read a login state, leaving it as it is.
 */
export async function lastSignInLocale(store: Store, emailKey: string, fallback: Locale): Promise<Locale> {
  const locale = await store.updateLogin<string | null>(emailKey, (state) => {
    const used = (state?.sequences ?? []).filter((sequence) => sequence.usedAt !== null).sort((a, b) => b.usedAt! - a.usedAt!);
    return { next: state, result: used[0]?.locale ?? null };
  });
  return LOCALES.find((known) => known === locale) ?? fallback;
}
