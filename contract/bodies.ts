/** What each call of the API is sent and answers (see `paths.ts` for where). */
import type { Locale } from './locales.ts';

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
  /** Passkey sign-in is on (PASSKEYS): the element fetches its passkey module and offers them. */
  passkeys: boolean;
  /** Cross-device approval is served (`/approval/*`): the element may send `approvalKey` and wait for the phone. */
  approvals: boolean;
  /** Which account changes a signed-in person may make (contract/account.ts); `false` when neither is served. */
  account: import('./account.ts').AccountOptions | false;
  /** Authenticator-app codes (TOTP=on, contract/second-factor.ts): the routes are served and a sign-in may ask for the second step. */
  totp: boolean;
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
  /**
   * When an operator blocked the user (ms since the epoch); absent when not blocked. Only the
   * host's and the operator's calls ever see it: a blocked user has no session to be answered.
   */
  blockedAt?: number | null;
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

/**
 * `200` from `GET /auth/origin`, for any origin (`Access-Control-Allow-Origin: *`). `allowed` is
 * what a preflight already tells; outside production a refused origin also gets `origin` (as the
 * server read it) and `message`, an English sentence for the site's owner naming the variable.
 */
export interface OriginResponse {
  allowed: boolean;
  origin?: string;
  message?: string;
}

/** `POST /auth/link-address`: the token of a magic link. */
export interface LinkAddressBody {
  token: string;
}

/** `200` from `POST /auth/link-address`: the address the link signs in (nothing is spent). */
export interface LinkAddressResponse {
  email: string;
}
