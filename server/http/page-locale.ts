/**
 * The language of a page or a mail a browser's request leads to, and the pages rendered once per
 * language: the magic link's landing page (link-page.ts) and the old address's undo page
 * (undo-page.ts), both carrying a token in their fragment.
 */
import type { Context, Middleware } from 'koa';
import { Locale, LOCALES } from '../../contract/index.ts';

/** The best of the 12 locales for the request's Accept-Language (negotiator: `ar-EG` → `ar`), else English. */
export function pageLocale(ctx: Pick<Context, 'acceptsLanguages'>): Locale {
  const best = ctx.acceptsLanguages([...LOCALES]);
  return LOCALES.find((locale) => locale === best) ?? Locale.en;
}

/** Serves `render(locale)`, rendered once for each of the 12 locales, in the request's language. */
export function servePerLocale(render: (locale: Locale) => string): Middleware {
  const pages = new Map(LOCALES.map((locale) => [locale, render(locale)]));
  return (ctx) => {
    // The token is in the fragment, which browsers never send; still, no referrer leaves this page.
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.vary('Accept-Language');
    ctx.type = 'html';
    ctx.body = pages.get(pageLocale(ctx))!;
  };
}
