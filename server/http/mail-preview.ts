/**
 * The mail preview, for development only (backend.ts mounts it unless NODE_ENV=production):
 * `GET /dev/mail-preview` lists every locale with its subject and links to
 * `/dev/mail-preview/<locale>.html` and `.txt`, the login mail as it would be sent, filled with
 * sample values that sign nobody in and say so. Query parameters fill the operator's
 * `{{extra.<key>}}` placeholders (`?plan=Pro`), under the same rules as `extra` itself.
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
import { escapeHtml, loadMailTemplates, renderWithTemplates, type MailTemplates } from '../mail/render.ts';
import type { LoginMail } from '../mail/types.ts';

export const MAIL_PREVIEW_PATH = '/dev/mail-preview';
const MAIL_PATH = new RegExp(`^${MAIL_PREVIEW_PATH}/([A-Za-z-]{2,10})\\.(html|txt)$`);

export const MAIL_VIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

export interface MailPreviewOptions {
  /** `TEMPLATES_DIR`; undefined: the built-in templates. */
  templatesDir: string | undefined;
  /** The magic link's landing page; the sample link points there with a token that is not one. */
  landingPage: string;
  codeLength: number;
  expiresInMinutes: number;
  /** The pages' stylesheet (`<base>/pages.css`, http/page-styles.ts): the list looks like the landing page. */
  stylesheetUrl: string;
}

export function mailPreview(options: MailPreviewOptions): Middleware {
  const sample = (locale: Locale, extra: MailExtra): LoginMail => ({
    to: 'someone@example.com',
    locale,
    code: '1234567890'.slice(0, options.codeLength),
    link: `${options.landingPage}#pl_token=SAMPLE-not-a-real-token`,
    expiresInMinutes: options.expiresInMinutes,
    extra,
  });

  return async (ctx, next) => {
    if (ctx.method !== 'GET') return next();
    const match = MAIL_PATH.exec(ctx.path);
    const locale = LOCALES.find((l) => l === match?.[1]);
    if (ctx.path !== MAIL_PREVIEW_PATH && !locale) return next();
    ctx.state.route = locale ? `${MAIL_PREVIEW_PATH}/:locale.:format` : MAIL_PREVIEW_PATH;
    ctx.set('Cache-Control', 'no-store');
    let templates: MailTemplates;
    let extra: MailExtra;
    try {
      templates = loadMailTemplates(options.templatesDir);
      extra = parseMailExtra(Object.fromEntries(new URLSearchParams(ctx.querystring)));
    } catch (error) {
      ctx.status = error instanceof TypeError ? 400 : 500;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `Mail preview: ${(error as Error).message}\n`;
      return;
    }
    if (!locale) {
      ctx.type = 'html';
      ctx.body = listPage(templates, options, (l) => renderWithTemplates(templates, sample(l, extra)).subject, ctx.search);
      return;
    }
    const mail = renderWithTemplates(templates, sample(locale, extra));
    const notice = `Sample mail: the code and the link sign nobody in. Subject: ${mail.subject}`;
    if (match![2] === 'txt') {
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

function listPage(templates: MailTemplates, { templatesDir, stylesheetUrl }: MailPreviewOptions, subjectOf: (locale: Locale) => string, search: string): string {
  const rows = LOCALES.map((locale) => {
    const href = (format: string) => escapeHtml(`${MAIL_PREVIEW_PATH}/${locale}.${format}${search}`);
    return `<tr><td>${locale}</td><td dir="auto">${escapeHtml(subjectOf(locale))}</td><td><a href="${href('html')}">HTML</a></td><td><a href="${href('txt')}">text</a></td></tr>`;
  });
  const source =
    templatesDir === undefined
      ? 'All templates are the built-in ones (templates/).'
      : `From TEMPLATES_DIR (${escapeHtml(templatesDir)}): ${escapeHtml(templates.overridden.join(', ') || 'no files yet')}; every other file is the built-in one.`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Login mail preview</title>
<link rel="stylesheet" href="${escapeHtml(stylesheetUrl)}">
</head>
<body class="pl-page">
<main class="sheet">
<p class="eyebrow">Development only</p>
<h1>Login mail preview</h1>
<p>This page is not served when NODE_ENV=production. Each mail is filled with samples: the code and the link sign nobody in. Add <code>?key=value</code> to the address to fill <code>{{extra.key}}</code>.</p>
<p>${source}</p>
<div class="card">
<table>
<thead><tr><th>Locale</th><th>Subject</th><th colspan="2">Login mail</th></tr></thead>
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
