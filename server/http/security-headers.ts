import type { Middleware } from 'koa';

/**
 * Headers on every response. Pages get a CSP with no `unsafe-inline` (the widget and demo need
 * none), may not be framed (a framed login page invites clickjacking), are never cached (they
 * may show who is signed in) and keep their window to themselves (COOP). A page that sets a
 * policy of its own keeps it (the mail preview's HTML view, the demo's strict-CSP page).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: Middleware = async (ctx, next) => {
  await next();
  ctx.set('X-Content-Type-Options', 'nosniff');
  if (ctx.response.is('html')) {
    if (!ctx.response.get('Content-Security-Policy')) ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (!ctx.response.get('Referrer-Policy')) ctx.set('Referrer-Policy', 'same-origin');
  }
};
