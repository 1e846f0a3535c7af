/**
 * The HTTP contract between the `<passwordless-login>` element and the backend.
 *
 * Both sides import this file, so a renamed field or a new error code breaks the type check
 * on both at once instead of drifting apart. It holds types and constants only: no runtime
 * dependencies, so importing it adds a few hundred bytes to the widget bundle.
 */

/** The default path under which the router is mounted. */
export const DEFAULT_BASE_PATH = '/auth';

/** Paths relative to the base path. */
export const ApiPath = {
  config: '/config',
  request: '/request',
  verify: '/verify',
  session: '/session',
  logout: '/logout',
  /** `POST`: exchanges the session for a short-lived access token (JWT) for the host's API. */
  token: '/token',
} as const;

/**
 * What the backend serves under the base path for people and verifiers rather than the widget.
 * Kept out of `ApiPath`, whose object the widget bundle carries byte for byte.
 */
export const DocumentPath = {
  /** The magic link's default landing page. */
  link: '/link',
  /** `GET`: the public keys that verify access tokens (also at `/.well-known/jwks.json`). */
  jwks: '/jwks.json',
} as const;

/** Where the key set is published at the root of the backend's origin: the conventional well-known location (RFC 8615). */
export const JWKS_WELL_KNOWN_PATH = '/.well-known/jwks.json';
export type ApiPath = (typeof ApiPath)[keyof typeof ApiPath];

/** The fragment parameter that carries the magic-link token: `<landing page>#pl_token=…`. */
export const LINK_TOKEN_PARAM = 'pl_token';
/**
 * The fragment parameter that echoes the `clientHash` the widget sent with its request, so the
 * widget on the landing page can tell it is the browser that asked (and complete at once).
 */
export const LINK_CLIENT_PARAM = 'pl_client';

/**
 * Locales the server can write emails in and the widget ships strings for: zh-CN is Simplified
 * Chinese, zh-TW Traditional, pt Brazilian Portuguese, ar is written right to left.
 */
export const LOCALES = ['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'es', 'fr', 'de', 'pt', 'it', 'ru', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
/**
 * The same locales by name, for the server's code. The widget writes the literals instead (`'en'`
 * is a `Locale` too), so its bundle carries only the list above.
 */
export const Locale = {
  en: 'en',
  zhCN: 'zh-CN',
  zhTW: 'zh-TW',
  ja: 'ja',
  ko: 'ko',
  es: 'es',
  fr: 'fr',
  de: 'de',
  pt: 'pt',
  it: 'it',
  ru: 'ru',
  ar: 'ar',
} as const satisfies Record<string, Locale>;
/** Locales written right to left: their email is rendered with `dir="rtl"`. */
export const RTL_LOCALES: readonly Locale[] = ['ar'];

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

/** `GET /auth/config`: what the widget needs before its first request. */
export interface ConfigResponse {
  codeLength: number;
  locales: Locale[];
  defaultLocale: Locale;
  /** Seconds a code and link stay valid. */
  expiresIn: number;
  /** Seconds between two requests for the same email. */
  resendSeconds: number;
  /**
   * `true` when sessions live in an HttpOnly `__Host-` cookie (SESSION_COOKIE=on): the verify
   * answer then carries no token, and the widget sends requests with credentials instead.
   */
  sessionCookie: boolean;
}

/** `POST /auth/request`. */
export interface RequestBody {
  email: string;
  /** Landing page for the magic link; must match the allow-list. Defaults to the backend's `/auth/link`. */
  redirectTo?: string;
  locale?: Locale;
  /** Stored on the user when this login creates it (Meteor's `userData`). */
  userData?: Record<string, unknown>;
  /**
   * 32 random bytes, base64url (43 characters), that the widget keeps in this browser. The server
   * echoes it in the link's fragment; it is a hint, not a credential (any client may send any
   * value): it lets the asking browser finish the link login without a "Continue" click, while
   * any other browser (or a mail scanner) must click.
   */
  clientHash?: string;
}

/** `202` from `POST /auth/request`: the same for known and unknown emails. */
export interface RequestResponse {
  codeLength: number;
  /** Seconds until the code and link expire. */
  expiresIn: number;
  /** Seconds until another request for this email is allowed. */
  retryAfter: number;
}

/** `POST /auth/verify`: either the code with its email, or the token from the link. */
export type VerifyBody = { email: string; code: string } | { token: string };

export interface User {
  id: string;
  email: string;
  emailVerified: boolean;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  lastLoginAt: string | null;
  data: Record<string, unknown>;
}

export interface SessionInfo {
  /** ISO 8601. */
  expiresAt: string;
}

/** `200` from `POST /auth/verify`. */
export interface VerifyResponse {
  user: User;
  /** `token` is absent in cookie mode: the session is in an HttpOnly cookie, out of reach of scripts. */
  session: SessionInfo & { token?: string };
}

/** `200` from `GET /auth/session`. */
export interface SessionResponse {
  user: User;
  session: SessionInfo;
}

/** `200` from `POST /auth/token`: a signed JWT (ES256) for the host's API, sent as `Authorization: Bearer …`. */
export interface AccessTokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds the token is valid for. */
  expiresIn: number;
  /** ISO 8601. */
  expiresAt: string;
}
