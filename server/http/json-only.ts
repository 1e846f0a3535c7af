import type { Middleware } from 'koa';
import { ErrorCode } from '../contract.ts';
import { LoginError } from '../errors.ts';

/**
 * Bodies must be `application/json`: 415 for anything else, or for no body. Besides clarity,
 * this keeps browsers from sending our POSTs cross-site without a CORS preflight (a form or
 * `text/plain` body is a "simple request" that skips it).
 */
export const jsonOnly: Middleware = async (ctx, next) => {
  if (!ctx.is('application/json')) {
    throw new LoginError(415, ErrorCode.unsupported_media_type, 'Send the body as application/json.');
  }
  await next();
};
