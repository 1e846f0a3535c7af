/**
 * The console's page, `GET /admin`, and its two built files, `/admin/admin.js` and
 * `/admin/admin.css`. The page is a shell: a skip link, a header, the `<passwordless-login>`
 * element to sign in with (the script tag this backend serves) and a `<main>` the script fills.
 * No inline script or style, so the strict CSP of every page (http/security-headers.ts) holds.
 * English only (docs/admin-console.md says why). Nothing from the request reaches the page.
 */
import type { Context, Middleware } from 'koa';
import { ADMIN_PAGE_PATH } from '../../contract/admin.ts';
import { ApiError } from '../../contract/index.ts';
import type { AdminFiles } from '../assets/admin-files.ts';
import { LoginError } from '../login/login-error.ts';
import { escapeHtml } from '../mail/render.ts';
import type { Logger } from '../observability/logger.ts';

export const ADMIN_SCRIPT_PATH = `${ADMIN_PAGE_PATH}/admin.js`;
export const ADMIN_STYLESHEET_PATH = `${ADMIN_PAGE_PATH}/admin.css`;

export interface AdminPageOptions {
  files: AdminFiles;
  /** The sign-in API's base path, for the element's `api`. */
  apiBase: string;
  widgetUrl: string;
  /** SITE_NAME, in the title and the header. */
  siteName: string;
  logger: Logger;
}

export function adminPage({ files, apiBase, widgetUrl, siteName, logger }: AdminPageOptions): Middleware {
  const page = renderAdminPage({ apiBase, widgetUrl, siteName });
  const serve = (ctx: Context, type: string, body: string | null) => {
    if (body === null) {
      logger.error({ msg: 'admin console not built: run `npm run build`' });
      throw LoginError.of(ApiError.adminNotBuilt);
    }
    ctx.type = type;
    // Not public: only admins use these, and a deploy must show at once.
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = body;
  };
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === ADMIN_PAGE_PATH) {
      ctx.state.route = ADMIN_PAGE_PATH;
      ctx.type = 'html';
      ctx.body = page;
      return;
    }
    if (ctx.path === ADMIN_SCRIPT_PATH) {
      ctx.state.route = ADMIN_SCRIPT_PATH;
      return serve(ctx, 'text/javascript; charset=utf-8', files.script);
    }
    if (ctx.path === ADMIN_STYLESHEET_PATH) {
      ctx.state.route = ADMIN_STYLESHEET_PATH;
      return serve(ctx, 'text/css; charset=utf-8', files.stylesheet);
    }
    return next();
  };
}

export function renderAdminPage({ apiBase, widgetUrl, siteName }: Omit<AdminPageOptions, 'files' | 'logger'>): string {
  const site = escapeHtml(siteName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Admin · ${site}</title>
<link rel="stylesheet" href="${ADMIN_STYLESHEET_PATH}">
<script src="${escapeHtml(widgetUrl)}" defer></script>
<script type="module" src="${ADMIN_SCRIPT_PATH}"></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="top-bar">
<p class="brand"><span class="brand-site">${site}</span> <span class="brand-tag">admin</span></p>
<nav class="top-nav" aria-label="Console" hidden>
<a href="#/" data-nav="overview">Overview</a>
<a href="#/users" data-nav="users">Users</a>
</nav>
<p class="who" hidden><span class="who-email"></span> <button type="button" class="button sign-out">Sign out</button></p>
</header>
<main id="main" tabindex="-1">
<section class="sign-in" aria-labelledby="sign-in-title">
<h1 id="sign-in-title">Sign in to the console</h1>
<p class="lede">Only the addresses in ADMIN_EMAILS may use it.</p>
<passwordless-login api="${escapeHtml(apiBase)}"></passwordless-login>
</section>
<div class="view" hidden></div>
</main>
</body>
</html>
`;
}
