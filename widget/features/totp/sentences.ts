/**
 * The totp sentences in the element's language: English in the module, another language a file
 * beside it (`features/totp-<tag>.js`), fetched the first time an element shows the module's part
 * in it (features/language-files.ts: nothing drawn until it is in, and English for this page if
 * it cannot be fetched).
 */
import type { FeatureHost } from '../feature.ts';
import { languageFiles } from '../language-files.ts';
import { en } from './en.ts';
import type { TotpMessages } from './messages.ts';

const sentencesFor = languageFiles<TotpMessages>(en, (lang) => import(`./locales/${lang}.ts`));

/**
 * The sentences for `host`'s element, under the page's own wording: the element's `strings` may
 * set totp sentences by the same keys (`{enterCode: '…', errors: {invalid_second_factor: '…'}}`). Null while the language's file is on its way (the element
 * draws again once it is in).
 */
export function sentences(host: FeatureHost): TotpMessages | null {
  const own = sentencesFor(host.lang(), () => host.element.requestUpdate());
  const strings = host.element.strings as Partial<TotpMessages> | null;
  return own && strings ? { ...own, ...strings, errors: { ...own.errors, ...strings.errors } } : own;
}

/** Resolves once the sentences of the element's language are in (at once for English, or once fetched). */
export const sentencesIn = (host: FeatureHost) => new Promise<void>((resolve) => void (sentencesFor(host.lang(), resolve) && resolve()));
