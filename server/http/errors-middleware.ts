import type { Middleware } from 'koa';
import { ErrorCode } from '../../contract/index.ts';
import { LoginError } from '../login/login-error.ts';
import type { Logger } from '../observability/logger.ts';

/**
 * The one place errors become responses: a LoginError keeps its status and code; a body-parser
 * error (bad JSON, too large) becomes its 4xx; anything else is a bug, logged and answered with a
 * generic 500 that leaks nothing.
 */
export function errorsMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new LoginError(404, ErrorCode.not_found, 'There is nothing here.');
      }
    } catch (error) {
      const known = toLoginError(error);
      if (!known) logger.error({ msg: 'unhandled error', method: ctx.method, path: ctx.path, err: String((error as Error)?.stack ?? error) });
      const answer = known ?? new LoginError(500, ErrorCode.internal_error, 'Something went wrong on our side. Try again in a moment.');
      ctx.status = answer.status;
      ctx.set(answer.headers);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = answer.toBody();
    }
  };
}

function toLoginError(error: unknown): LoginError | null {
  if (error instanceof LoginError) return error;
  const status = (error as { status?: number; type?: string })?.status;
  const type = (error as { type?: string })?.type;
  if (status === 413 || type === 'entity.too.large') return new LoginError(413, ErrorCode.payload_too_large, 'The request body is too large.');
  // From the router's allowedMethods: a known path with another method (405), or a method the
  // router has never heard of (501, which would read as our fault).
  if (status === 405 || status === 501) return new LoginError(405, ErrorCode.method_not_allowed, 'This address does not take that method.');
  if (status === 415) return new LoginError(415, ErrorCode.unsupported_media_type, 'Send the body as application/json.');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new LoginError(400, ErrorCode.invalid_request, 'The body is not valid JSON.');
  }
  return null;
}
