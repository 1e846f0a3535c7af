/**
 * The mail preview, for development only (backend.ts mounts it unless NODE_ENV=production):
 * `GET /dev/mail-preview` lists every locale of the login mail with its subject and links to
 * `/dev/mail-preview/<locale>.html` and `.txt`, the mail as it would be sent, filled with sample
 * values that sign nobody in and say so. Every other mail the backend sends has its own list at
 * `/dev/mail-preview/<name>` and its views at `/dev/mail-preview/<name>/<locale>.html` and `.txt`,
 * `<name>` being its templates' file name (`passkey-added`, `email-changed`…: the samples are in
 * mail-preview-samples.ts); each list links to the others. Query parameters fill the operator's
 * `{{extra.<key>}}` placeholders of the login mail (`?plan=Pro`), under the same rules as `extra`
 * itself.
 *
 * The templates are read afresh on every view, from the same directory the mailer uses
 * (`TEMPLATES_DIR` over `templates/`), so an edit shows on reload, and a broken template shows
 * the TemplateError the next start would stop with.
 *
 * The list and the text view live under the app's strict policy: no script, no inline style. The
 * HTML view is the mail itself, styled by inline `style` attributes as mail must be (clients drop
 * style sheets); `style-src 'self'` would show it bare, so that one answer gets a policy of its
 * own: inline styles, and still no script, no fetch, no form, sandboxed (the app's security
 * headers keep a policy a page set).
 */
import type { Middleware } from 'koa';
import { LOCALES, type Locale } from '../../contract/index.ts';
import { parseMailExtra, type MailExtra } from '../mail/mail-extra.ts';
import { escapeHtml, loadMailTemplates, renderAnyWithTemplates, type MailTemplates } from '../mail/render.ts';
import { PREVIEW_LABELS, PREVIEW_MAILS, SAMPLE_NOTICES, sampleMail, type PreviewMail, type SampleValues } from './mail-preview-samples.ts';

export const MAIL_PREVIEW_PATH = '/dev/mail-preview';
/** `/dev/mail-preview[/<name>][/<locale>.<html|txt>]`: a list without the view, the login mail without a name. */
const PREVIEW_PATH = new RegExp(`^${MAIL_PREVIEW_PATH}(?:/([a-z-]+?))?(?:/([A-Za-z-]{2,10})\\.(html|txt))?$`);

export const MAIL_VIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

export interface MailPreviewOptions extends SampleValues {
  /** `TEMPLATES_DIR`; undefined: the built-in templates. */
  templatesDir: string | undefined;
  /** The pages' stylesheet (`<base>/pages.css`, http/page-styles.ts): the list looks like the landing page. */
  stylesheetUrl: string;
}

/** What a path asks for, or null when it is none of the preview's. */
function parsePath(path: string): { name: PreviewMail; locale: Locale | null; format: 'html' | 'txt' | null } | null {
  const match = PREVIEW_PATH.exec(path);
  if (!match) return null;
  const [, named, localeText, format] = match;
  // The login mail's pages have no name: one address each.
  const name = named === undefined ? 'login' : PREVIEW_MAILS.find((n) => n !== 'login' && n === named);
  if (!name) return null;
  if (localeText === undefined) return { name, locale: null, format: null };
  const locale = LOCALES.find((l) => l === localeText);
  return locale ? { name, locale, format: format as 'html' | 'txt' } : null;
}

/** The path of a mail's list (`locale` null) or of one view; the login mail's have no name. */
function previewPath(name: PreviewMail, locale: Locale | null = null, format = ''): string {
  const mail = name === 'login' ? '' : `/${name}`;
  return `${MAIL_PREVIEW_PATH}${mail}${locale ? `/${locale}.${format}` : ''}`;
}

export function mailPreview(options: MailPreviewOptions): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET') return next();
    const asked = parsePath(ctx.path);
    if (!asked) return next();
    const { name, locale, format } = asked;
    ctx.state.route = `${MAIL_PREVIEW_PATH}${name === 'login' ? '' : '/:mail'}${locale ? '/:locale.:format' : ''}`;
    ctx.set('Cache-Control', 'no-store');
    let templates: MailTemplates;
    let extra: MailExtra = {};
    try {
      templates = loadMailTemplates(options.templatesDir);
      // Only the login mail has {{extra.<key>}}: the query means nothing to the others.
      if (name === 'login') extra = parseMailExtra(Object.fromEntries(new URLSearchParams(ctx.querystring)));
    } catch (error) {
      ctx.status = error instanceof TypeError ? 400 : 500;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `Mail preview: ${(error as Error).message}\n`;
      return;
    }
    const render = (l: Locale) => renderAnyWithTemplates(templates, sampleMail(name, l, extra, options));
    if (!locale) {
      ctx.type = 'html';
      ctx.body = listPage(name, templates, options, (l) => render(l).subject, name === 'login' ? ctx.search : '');
      return;
    }
    const mail = render(locale);
    const notice = `${SAMPLE_NOTICES[name]} Subject: ${mail.subject}`;
    if (format === 'txt') {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `${notice}\n\n${mail.text}`;
      return;
    }
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', MAIL_VIEW_CSP);
    const banner = `<p lang="en" dir="ltr" style="margin:0;padding:8px 16px;background-color:#fef3c7;color:#78350f;font:14px/20px sans-serif;">${escapeHtml(notice)}</p>`;
    ctx.body = /<body[^>]*>/i.test(mail.html) ? mail.html.replace(/<body[^>]*>/i, (tag) => tag + banner) : banner + mail.html;
  };
}

function listPage(name: PreviewMail, templates: MailTemplates, { templatesDir, stylesheetUrl }: MailPreviewOptions, subjectOf: (locale: Locale) => string, search: string): string {
  const label = PREVIEW_LABELS[name];
  const rows = LOCALES.map((locale) => {
    const href = (format: string) => escapeHtml(previewPath(name, locale, format) + search);
    return `<tr><td>${locale}</td><td dir="auto">${escapeHtml(subjectOf(locale))}</td><td><a href="${href('html')}">HTML</a></td><td><a href="${href('txt')}">text</a></td></tr>`;
  });
  const choices = PREVIEW_MAILS.map((other) => {
    const current = other === name ? ' aria-current="page"' : '';
    return `<li><a href="${escapeHtml(previewPath(other))}"${current}>${escapeHtml(PREVIEW_LABELS[other])}</a></li>`;
  });
  const files = name === 'login' ? '<code>login.&lt;locale&gt;.html</code>, <code>.txt</code> and <code>subjects.json</code>' : `<code>${name}.&lt;locale&gt;.html</code>, <code>.txt</code> and <code>${name}.subjects.json</code>`;
  const source =
    templatesDir === undefined
      ? 'All templates are the built-in ones (templates/).'
      : `From TEMPLATES_DIR (${escapeHtml(templatesDir)}): ${escapeHtml(templates.overridden.join(', ') || 'no files yet')}; every other file is the built-in one.`;
  const extraHint = name === 'login' ? ' Add <code>?key=value</code> to the address to fill <code>{{extra.key}}</code>.' : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(label)} mail preview</title>
<link rel="stylesheet" href="${escapeHtml(stylesheetUrl)}">
</head>
<body class="pl-page">
<main class="sheet">
<p class="eyebrow">Development only</p>
<h1>${escapeHtml(label)} mail preview</h1>
<nav aria-label="Mails"><ul class="mail-choice">
${choices.join('\n')}
</ul></nav>
<p>This page is not served when NODE_ENV=production. Each mail is filled with samples: it goes to nobody, and its code or link does nothing.${extraHint}</p>
<p>Templates: ${files}. ${source}</p>
<div class="card">
<table>
<thead><tr><th>Locale</th><th>Subject</th><th colspan="2">${escapeHtml(label)} mail</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</div>
</main>
</body>
</html>
`;
}
