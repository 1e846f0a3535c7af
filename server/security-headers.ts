import type { Middleware } from 'koa';

/**
 * Headers on every response. Pages get a CSP with no `unsafe-inline` (the widget and demo need
 * none), may not be framed (a framed login page invites clickjacking), are never cached (they
 * may show who is signed in) and keep their window to themselves (COOP).
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
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (!ctx.response.get('Referrer-Policy')) ctx.set('Referrer-Policy', 'same-origin');
  }
};
