/**
 * A feature's sentences in the element's language, where the feature brings its own languages
 * (features/feature.ts, "Where its sentences live"): English is in the module, another language's
 * file is fetched the first time an element shows the feature in it. Until it is in, the feature
 * draws nothing of its own (no flash of English beside a translated step); if it cannot be
 * fetched, it speaks English for this page, as the element's own steps do.
 *
 * `load` is the feature's own `import(\`./locales/${lang}.ts\`)`, written in its folder, so the
 * build makes each language a chunk beside the feature (`<feature>-<tag>.js`).
 */
import type { Locale } from '../../contract/index.ts';

export function languageFiles<T>(en: T, load: (lang: Locale) => Promise<{ default: T }>): (lang: Locale, whenIn: () => void) => T | null {
  const ready = new Map<Locale, T>([['en', en]]);
  const loading = new Map<Locale, Promise<void>>();
  return (lang, whenIn) => {
    const sentences = ready.get(lang);
    if (sentences) return sentences;
    let file = loading.get(lang);
    if (!file) {
      file = load(lang).then(
        (module) => void ready.set(lang, module.default),
        () => void ready.set(lang, en),
      );
      loading.set(lang, file);
    }
    // Every caller hears it (each element that asked, and a module waiting before it draws).
    void file.then(whenIn);
    return null;
  };
}
