/**
 * Which catalog speaks which language. English is in the script-tag file; every other language is
 * a module of its own, fetched the first time an element needs it (on-demand.ts), so the file
 * carries one language instead of twelve.
 */
import type { Locale } from '../../contract/index.ts';
import { loadModule } from '../on-demand/on-demand.ts';
import { en } from './en.ts';
import type { CoreMessages, Messages } from './messages.ts';

/** The catalog for `locale`; English if it cannot be fetched (and the next element tries again). */
export function loadCatalog(locale: Locale): Promise<Messages | CoreMessages> {
  return locale === 'en' ? Promise.resolve(en) : loadModule('locales', locale).catch(() => en);
}

/** What `strings` may override: any sentence, and any error's sentence. */
export type MessageOverrides = Partial<Omit<Messages, 'errors'>> & { errors?: Partial<Messages['errors']> };

/** `overrides` over `catalog`, error sentences included: a catalog under the page's `strings`, or the features' English under a catalog. */
export function withOverrides(catalog: MessageOverrides | CoreMessages, overrides: MessageOverrides | CoreMessages | null | undefined): Messages {
  if (!overrides) return catalog as Messages;
  return { ...catalog, ...overrides, errors: { ...catalog.errors, ...overrides.errors } } as Messages;
}
