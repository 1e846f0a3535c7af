/**
 * The passkey sentences in the element's language: English is in the module; another language's
 * file (locales/<tag>.ts, `features/passkey-<tag>.js` beside the module) is fetched the first time
 * an element shows passkeys in it (features/language-files.ts: nothing drawn until it is in, and
 * English for this page if it cannot be fetched).
 */
import { languageFiles } from '../language-files.ts';
import { en } from './en.ts';
import type { PasskeyMessages } from './messages.ts';

/** The sentences of `lang`, or null while they are on their way (`whenIn` is called once they are). */
export const sentencesFor = languageFiles<PasskeyMessages>(en, (lang) => import(`./locales/${lang}.ts`));
