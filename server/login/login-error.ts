import { ErrorCode, type ApiErrorBody } from '../../contract/index.ts';

type Details = Omit<ApiErrorBody['error'], 'code' | 'message'>;

/**
 * The one error type of the server. Thrown anywhere (service, validation, router) and turned
 * into `{error: {code, message, ...details}}` with its status by one middleware.
 */
export class LoginError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: Details;
  /** Extra response headers, e.g. `Retry-After` on 429. */
  readonly headers: Record<string, string>;

  constructor(status: number, code: ErrorCode, message: string, details: Details = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'LoginError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

export function rateLimited(retryAfter: number, message = 'Too many requests. Try again later.'): LoginError {
  const seconds = Math.max(1, Math.ceil(retryAfter));
  return new LoginError(429, ErrorCode.rate_limited, message, { retryAfter: seconds }, { 'Retry-After': String(seconds) });
}
