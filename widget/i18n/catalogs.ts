/**
 * Which catalog speaks which language, and how the others arrive. English is in the bundle;
 * every other language is a module of its own, fetched the first time an element needs it, so
 * the script-tag file carries one language instead of twelve. Each entry point registers how to
 * fetch: by URL beside the script (index.ts), or by `import()` a bundler follows (module.ts).
 */
import type { Locale } from '../../contract/index.ts';
import { en } from './en.ts';
import type { Messages } from './messages.ts';

export type CatalogLoader = (locale: Locale) => Promise<{ default: Messages }>;

let loader: CatalogLoader | null = null;
const loaded = new Map<Locale, Promise<Messages>>([['en', Promise.resolve(en)]]);

export function setCatalogLoader(load: CatalogLoader): void {
  loader = load;
}

/** The catalog for `locale`; English if it cannot be fetched (and the next element tries again). */
export function loadCatalog(locale: Locale): Promise<Messages> {
  let catalog = loaded.get(locale);
  if (!catalog) {
    catalog = (loader ? loader(locale) : Promise.reject(new Error('no catalog loader'))).then(
      (module) => module.default,
      () => {
        loaded.delete(locale);
        return en;
      },
    );
    loaded.set(locale, catalog);
  }
  return catalog;
}

/** What `strings` may override: any sentence, and any error's sentence. */
export type MessageOverrides = Partial<Omit<Messages, 'errors'>> & { errors?: Partial<Messages['errors']> };

export function withOverrides(catalog: Messages, overrides: MessageOverrides | null | undefined): Messages {
  if (!overrides) return catalog;
  return { ...catalog, ...overrides, errors: { ...catalog.errors, ...overrides.errors } } as Messages;
}
