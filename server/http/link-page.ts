/**
 * The default landing page for magic links (`GET <base>/link`): the site's name as its heading,
 * the element, which reads the token from the fragment and completes the login, and a link back
 * to the site. No inline script or style, so it runs under the strict CSP: its look is the pages'
 * stylesheet (page-styles.ts, `GET <base>/pages.css`).
 *
 * The page's own words are the site's name and "Back to …", in the language the browser asks for
 * (Accept-Language, among the 12 locales): the element follows the page's `lang`, so a page pinned
 * to English would show the element in English to a person whose mail came in Arabic. Nothing
 * else from the request reaches the page (docs/security.md).
 */
import type { Middleware } from 'koa';
import { Locale, RTL_LOCALES } from '../../contract/index.ts';
import { escapeHtml } from '../mail/render.ts';
import { servePerLocale } from './page-locale.ts';

export interface LinkPageOptions {
  /** The API's base path, for the element's `api` and the stylesheet. */
  apiBase: string;
  widgetUrl: string;
  /** Where the stylesheet is served, `<base>/pages.css`. */
  stylesheetUrl: string;
  /** The heading, `SITE_NAME`; empty: no heading but the element's own. */
  siteName: string;
  /** Where "Back to …" leads: the site's root. */
  siteUrl: string;
}

/** "Back to {site}" in each locale; the site's name stays as the operator wrote it. */
const BACK_TO: Record<Locale, (site: string) => string> = {
  en: (site) => `Back to ${site}`,
  'zh-CN': (site) => `返回 ${site}`,
  'zh-TW': (site) => `返回 ${site}`,
  ja: (site) => `${site} に戻る`,
  ko: (site) => `${site}(으)로 돌아가기`,
  es: (site) => `Volver a ${site}`,
  fr: (site) => `Retour à ${site}`,
  de: (site) => `Zurück zu ${site}`,
  pt: (site) => `Voltar para ${site}`,
  it: (site) => `Torna a ${site}`,
  ru: (site) => `Вернуться на ${site}`,
  ar: (site) => `العودة إلى ${site}`,
};

/** The page for each locale, rendered once: it depends on nothing but the configuration and the language. */
export function linkPage(options: LinkPageOptions): Middleware {
  return servePerLocale((locale) => renderLinkPage(options, locale));
}

export function renderLinkPage({ apiBase, widgetUrl, stylesheetUrl, siteName, siteUrl }: LinkPageOptions, locale: Locale = Locale.en): string {
  const site = escapeHtml(siteName);
  // The mark is the name's first letter; a name that starts otherwise (an IP address) gets none.
  const initial = /^\p{L}/u.test(siteName) ? Array.from(siteName)[0]!.toUpperCase() : '';
  const mark = initial ? `<span class="site-mark" aria-hidden="true">${escapeHtml(initial)}</span>` : '';
  const heading = siteName ? `<header class="site">${mark}<h1 class="site-name" dir="auto">${site}</h1></header>` : '';
  const back = escapeHtml(BACK_TO[locale](siteName || new URL(siteUrl, 'http://x').host || siteUrl));
  return `<!doctype html>
<html lang="${locale}" dir="${RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${site || 'Sign in'}</title>
<link rel="stylesheet" href="${escapeHtml(stylesheetUrl)}">
<script src="${escapeHtml(widgetUrl)}" defer></script>
</head>
<body class="pl-page">
<main class="landing">
${heading}
<passwordless-login api="${escapeHtml(apiBase)}"></passwordless-login>
<p class="back-row"><a class="back" href="${escapeHtml(siteUrl)}">${back}</a></p>
</main>
</body>
</html>
`;
}
