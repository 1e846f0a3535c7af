/**
 * Who may call the console's API, checked in front of every route in this order (the cheapest
 * refusal first): the request comes from the backend's own origin (403 `forbidden_origin`), it
 * carries a live session (401 `unauthenticated`: none, unknown, ended or expired by the clock),
 * and that session's user has, *now*, an address in ADMIN_EMAILS (403 `not_admin`). The address is
 * read from the store on every call, so an admin whose address changed away from the list, or who
 * was erased, loses the console with their next call, not when their session ends.
 */
import type { Context, Middleware } from 'koa';
import { ApiError } from '../../contract/index.ts';
import { originGuard } from '../http/origin-guard.ts';
import { sessionToken } from '../http/session-token.ts';
import { parseEmailAddress } from '../login/email-address.ts';
import { LoginError } from '../login/login-error.ts';
import type { LoginService } from '../login/login-service.ts';

export interface AdminAccessOptions {
  service: Pick<LoginService, 'findSession'>;
  /** ADMIN_EMAILS as identity keys (config.ts). */
  adminEmails: readonly string[];
  /** The backend's own origins: the console is served from there and nowhere else. */
  ownOrigins: readonly string[];
  /** The session in the `__Host-` cookie (SESSION_COOKIE=true) as well as a bearer token. */
  cookieMode: boolean;
}

/** The admin's user id, for the audit's `by`; set by `adminAccess`. */
export function adminOf(ctx: Context): string {
  return (ctx.state as { adminId: string }).adminId;
}

export function adminAccess({ service, adminEmails, ownOrigins, cookieMode }: AdminAccessOptions): Middleware[] {
  const admins = new Set(adminEmails);
  // Not ALLOWED_ORIGINS: a site that embeds the element may call the sign-in API, never this one.
  const ownOrigin = originGuard(new Set(ownOrigins));
  const session: Middleware = async (ctx, next) => {
    const token = sessionToken(ctx, cookieMode);
    const found = token ? await service.findSession(token) : null;
    if (!found) throw LoginError.of(ApiError.unauthenticated);
    const key = parseEmailAddress(found.user.email)?.key;
    if (!key || !admins.has(key)) throw LoginError.of(ApiError.notAdmin);
    (ctx.state as { adminId: string }).adminId = found.user.id;
    await next();
  };
  return [ownOrigin, session];
}
