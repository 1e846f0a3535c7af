/**
 * The approval sentences in the element's language: English in the module, another language a
 * file beside it (`features/approval-<tag>.js`), fetched the first time an element shows an
 * approval part in it.
 */
import type { FeatureHost } from '../feature.ts';
import { languageFiles } from '../language-files.ts';
import { en } from './en.ts';
import type { ApprovalMessages } from './messages.ts';

export const sentencesFor = languageFiles<ApprovalMessages>(en, (lang) => import(`./locales/${lang}.ts`));

/**
 * The sentences for `host`'s element, under the page's own wording: the element's `strings` may
 * set approval sentences by the same keys (`{approveThere: '…', errors: {approval_refused: '…'}}`).
 * Null while the language's file is on its way (the element draws again once it is in).
 */
export function sentences(host: FeatureHost): ApprovalMessages | null {
  const own = sentencesFor(host.lang(), () => host.element.requestUpdate());
  const strings = host.element.strings as Partial<ApprovalMessages> | null;
  return own && strings ? { ...own, ...strings, errors: { ...own.errors, ...strings.errors } } : own;
}

/** Resolves once `host`'s sentences are in: a part that must not show in English first waits for them. */
export function sentencesIn(host: FeatureHost): Promise<void> {
  return new Promise((resolve) => (sentences(host) ? resolve() : sentencesFor(host.lang(), resolve)));
}
