/**
 * The passkey sentences in the element's language: English is in the module; another language's
 * file (locales/<tag>.ts, `features/passkey-<tag>.js` beside the module) is fetched the first time
 * an element shows passkeys in it. Until it is in, the passkey parts are not drawn (no flash of
 * English beside a translated step); if it cannot be fetched, they speak English for this page,
 * as the element's own steps do.
 */
import type { Locale } from '../../../contract/index.ts';
import { en } from './en.ts';
import type { PasskeyMessages } from './messages.ts';

const ready = new Map<Locale, PasskeyMessages>([['en', en]]);
const asked = new Set<Locale>();

/** The sentences of `lang`, or null while they are on their way (`whenIn` is called once they are). */
export function sentencesFor(lang: Locale, whenIn: () => void): PasskeyMessages | null {
  const sentences = ready.get(lang);
  if (sentences) return sentences;
  if (!asked.has(lang)) {
    asked.add(lang);
    import(`./locales/${lang}.ts`)
      .then((module: { default: PasskeyMessages }) => module.default, () => en)
      .then((messages) => {
        ready.set(lang, messages);
        whenIn();
      });
  }
  return null;
}
