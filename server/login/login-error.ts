import { ApiError, ErrorStatus, type ApiErrorBody, type ApiErrorEntry, type ErrorCode } from '../../contract/index.ts';

type Details = Omit<ApiErrorBody['error'], 'code' | 'message'>;

/**
 * The one error type of the server. Thrown anywhere (service, validation, router) and turned
 * into `{error: {code, message, ...details}}` with its status by one middleware. Made from the
 * contract's registry (`LoginError.of(ApiError.wrongCode)`), so each refusal's code, status and
 * sentence are written once.
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

  /** The registry's refusal (contract/errors.ts `ApiError`) with the status of its code. */
  static of(entry: ApiErrorEntry, details: Details = {}, headers: Record<string, string> = {}): LoginError {
    return new LoginError(entry.status ?? ErrorStatus[entry.code], entry.code, entry.message, details, headers);
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

/** A refusal that says when to come back (a 429, or 503 `mail_busy`), in whole seconds (at least 1), in the body and `Retry-After`. */
export function rateLimited(retryAfter: number, entry: ApiErrorEntry = ApiError.rateLimited): LoginError {
  const seconds = Math.max(1, Math.ceil(retryAfter));
  return LoginError.of(entry, { retryAfter: seconds }, { 'Retry-After': String(seconds) });
}
