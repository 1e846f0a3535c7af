import type { Context } from 'koa';

/** `__Host-`: the browser only accepts it Secure, with Path=/ and no Domain, so no subdomain can set or shadow it. */
export const SESSION_COOKIE = '__Host-pl_session';

const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

/** The session token from `Authorization: Bearer <token>`, or (in cookie mode) the session cookie; else null. */
export function sessionToken(ctx: Context, cookieMode: boolean): string | null {
  const bearer = /^Bearer (\S+)$/.exec(ctx.get('Authorization'))?.[1];
  if (bearer !== undefined) return TOKEN.test(bearer) ? bearer : null;
  if (!cookieMode) return null;
  const cookie = ctx
    .get('Cookie')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1);
  return cookie !== undefined && TOKEN.test(cookie) ? cookie : null;
}

/**
 * HttpOnly keeps it from scripts (an XSS cannot steal it); SameSite=Strict keeps other sites'
 * requests from carrying it. Written by hand because Koa's cookie helper refuses Secure cookies
 * on plain-http loopback, where browsers do accept them.
 */
export function setSessionCookie(ctx: Context, token: string, maxAgeSeconds: number): void {
  ctx.append('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Strict`);
}

export function clearSessionCookie(ctx: Context): void {
  ctx.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict`);
}
