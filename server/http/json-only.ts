import type { Middleware } from 'koa';
import { ApiError } from '../../contract/index.ts';
import { LoginError } from '../login/login-error.ts';

/**
 * Bodies must be `application/json`: 415 for anything else, or for no body. Besides clarity,
 * this keeps browsers from sending our POSTs cross-site without a CORS preflight (a form or
 * `text/plain` body is a "simple request" that skips it).
 */
export const jsonOnly: Middleware = async (ctx, next) => {
  if (!ctx.is('application/json')) throw notJson();
  await next();
};

/** For POSTs that need no body (logout, token): none is fine; one that is sent must be JSON like every other. */
export const jsonIfAny: Middleware = async (ctx, next) => {
  if (ctx.request.type && !ctx.is('application/json')) throw notJson();
  await next();
};

function notJson(): LoginError {
  return LoginError.of(ApiError.notJsonBody);
}
