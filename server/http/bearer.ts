import type { Context } from 'koa';

/** The session token from `Authorization: Bearer <token>`, or null. */
export function bearerToken(ctx: Context): string | null {
  const match = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(ctx.get('Authorization'));
  return match ? match[1]! : null;
}
