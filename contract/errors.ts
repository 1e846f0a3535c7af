/**
 * Every error code the API answers with. The widget maps each to a translated sentence, so a
 * code added here without a sentence there fails the widget's type check.
 */
export const ErrorCode = {
  /** The body is not valid JSON or does not match the schema (see `fields`). */
  invalid_request: 'invalid_request',
  /** POST bodies must be `application/json` (415). */
  unsupported_media_type: 'unsupported_media_type',
  /** The body is larger than the server accepts (413). */
  payload_too_large: 'payload_too_large',
  invalid_email: 'invalid_email',
  /** `redirectTo` is not on the configured allow-list. */
  invalid_redirect: 'invalid_redirect',
  /** Too many requests; `retryAfter` seconds and the `Retry-After` header say when to retry. */
  rate_limited: 'rate_limited',
  /** The code is wrong (or no code is live for this email); `attemptsLeft` says how many remain. */
  invalid_code: 'invalid_code',
  /** The code or link was right but its lifetime is over. */
  expired_code: 'expired_code',
  /** Too many wrong codes: every live code for this email is burnt; request a new one. */
  too_many_attempts: 'too_many_attempts',
  /** The magic link is unknown, already used or burnt. */
  invalid_link: 'invalid_link',
  /** No valid session token was presented. */
  unauthenticated: 'unauthenticated',
  /**
   * A state-changing call from a browser on a site not in ALLOWED_ORIGINS (403): a foreign page
   * may not request codes, sign a visitor in, or sign anyone out.
   */
  forbidden_origin: 'forbidden_origin',
  not_found: 'not_found',
  /** The path exists but not with this method (405). */
  method_not_allowed: 'method_not_allowed',
  /** A bug or an outage on the server (5xx); never an answer to bad input. */
  internal_error: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    /** A sentence a person can read (English); the widget shows its own translation. */
    message: string;
    /** On `invalid_code`. */
    attemptsLeft?: number;
    /** On `rate_limited`, in seconds; equals the `Retry-After` header. */
    retryAfter?: number;
    /** On `invalid_request`: which fields were wrong and why. */
    fields?: Record<string, string>;
  };
}
