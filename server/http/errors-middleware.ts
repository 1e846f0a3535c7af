import type { Middleware } from 'koa';
import { ApiError } from '../../contract/index.ts';
import { LoginError } from '../login/login-error.ts';
import type { Logger } from '../observability/logger.ts';
import { InvalidUserListQuery } from '../store/user-list.ts';

/**
 * The one place errors become responses: a LoginError keeps its status and code; a body-parser
 * error (bad JSON, too large) becomes its 4xx; a bad listing of users (the store's
 * `InvalidUserListQuery`, from any route that lists users) `400 invalid_user_list_query` with its
 * reason; anything else is a bug, logged and answered with a
 * generic 500 that leaks nothing.
 */
export function errorsMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw LoginError.of(ApiError.notFound);
      }
    } catch (error) {
      const known = toLoginError(error);
      if (!known) logger.error({ msg: 'unhandled error', method: ctx.method, path: ctx.path, err: String((error as Error)?.stack ?? error) });
      const answer = known ?? LoginError.of(ApiError.internal);
      ctx.status = answer.status;
      ctx.set(answer.headers);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = answer.toBody();
    }
  };
}

function toLoginError(error: unknown): LoginError | null {
  if (error instanceof LoginError) return error;
  if (error instanceof InvalidUserListQuery) return LoginError.of(ApiError.invalidUserListQuery(error.message));
  const status = (error as { status?: number; type?: string })?.status;
  const type = (error as { type?: string })?.type;
  if (status === 413 || type === 'entity.too.large') return LoginError.of(ApiError.payloadTooLarge);
  // From the router's allowedMethods: a known path with another method (405), or a method the
  // router has never heard of (501, which would read as our fault).
  if (status === 405 || status === 501) return LoginError.of(ApiError.methodNotAllowed);
  if (status === 415) return LoginError.of(ApiError.notJsonBody);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return LoginError.of(ApiError.invalidJson);
  }
  return null;
}
