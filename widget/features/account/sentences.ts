/**
 * The account sentences in the element's language: English in the module, another language a
 * file beside it (`features/account-<tag>.js`), fetched the first time an element shows the
 * account part in it (features/language-files.ts: nothing drawn until it is in, and English for
 * this page if it cannot be fetched).
 */
import type { FeatureHost } from '../feature.ts';
import { languageFiles } from '../language-files.ts';
import { en } from './en.ts';
import type { AccountMessages } from './messages.ts';

const sentencesFor = languageFiles<AccountMessages>(en, (lang) => import(`./locales/${lang}.ts`));

/**
 * The sentences for `host`'s element, under the page's own wording: the element's `strings` may
 * set account sentences by the same keys (`{account: '…', errors: {same_email: '…'}}`). Null while
 * the language's file is on its way (the element draws again once it is in).
 */
export function sentences(host: FeatureHost): AccountMessages | null {
  const own = sentencesFor(host.lang(), () => host.element.requestUpdate());
  const strings = host.element.strings as Partial<AccountMessages> | null;
  return own && strings ? { ...own, ...strings, errors: { ...own.errors, ...strings.errors } } : own;
}
