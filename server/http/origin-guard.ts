import type { Middleware } from 'koa';
import { ApiError } from '../../contract/index.ts';
import { LoginError } from '../login/login-error.ts';

/**
 * Refuses state-changing calls from browsers on other sites: a foreign page must not request
 * codes for anyone (mail bombing), sign a visitor in to an account it controls (login CSRF), or
 * sign anyone out. Browsers send `Origin` on every POST; it must be an allowed origin exactly
 * (`null`, sent by sandboxed frames and some redirects, never is). Without `Origin`,
 * `Sec-Fetch-Site: cross-site` still gives a browser away. Clients that are not browsers send
 * neither and are let through: they cannot carry a visitor's ambient credentials anyway.
 */
export function originGuard(allowedOrigins: ReadonlySet<string>): Middleware {
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    const crossSite = origin ? !allowedOrigins.has(origin) : ctx.get('Sec-Fetch-Site') === 'cross-site';
    if (crossSite) {
      throw LoginError.of(ApiError.forbiddenOrigin);
    }
    await next();
  };
}
