/**
 * Locales the server can write emails in and the widget ships strings for: zh-CN is Simplified
 * Chinese, zh-TW Traditional, pt Brazilian Portuguese, ar is written right to left.
 */
export const LOCALES = ['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'es', 'fr', 'de', 'pt', 'it', 'ru', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
/**
 * The same locales by name, for the server's code. The widget writes the literals instead (`'en'`
 * is a `Locale` too), so its bundle carries only the list above.
 */
export const Locale = {
  en: 'en',
  zhCN: 'zh-CN',
  zhTW: 'zh-TW',
  ja: 'ja',
  ko: 'ko',
  es: 'es',
  fr: 'fr',
  de: 'de',
  pt: 'pt',
  it: 'it',
  ru: 'ru',
  ar: 'ar',
} as const satisfies Record<string, Locale>;
/** Locales written right to left: their email is rendered with `dir="rtl"`. */
export const RTL_LOCALES: readonly Locale[] = ['ar'];
