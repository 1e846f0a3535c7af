/**
 * A thin fetch wrapper for the HTTP contract. It never throws: a network failure, a non-JSON
 * answer or a body of the wrong shape becomes `network_error`, so the element can always show a
 * sentence instead of breaking.
 */
import {
  ApiPath,
  DEFAULT_BASE_PATH,
  type AccessTokenResponse,
  type ApiErrorBody,
  type ConfigResponse,
  type LinkAddressBody,
  type LinkAddressResponse,
  type RequestBody,
  type RequestResponse,
  type SessionResponse,
  type VerifyBody,
  type VerifyResponse,
} from '../../contract/index.ts';
import type { FlowError } from '../flow/flow.ts';

/** What each path answers… */
interface ResponseOf {
  [ApiPath.config]: ConfigResponse;
  [ApiPath.request]: RequestResponse;
  [ApiPath.verify]: VerifyResponse;
  [ApiPath.session]: SessionResponse;
  [ApiPath.logout]: null;
  [ApiPath.token]: AccessTokenResponse;
  [ApiPath.linkAddress]: LinkAddressResponse;
}

/** …and what it is sent (a GET: nothing). */
interface BodyOf {
  [ApiPath.config]: undefined;
  [ApiPath.request]: RequestBody;
  [ApiPath.verify]: VerifyBody;
  [ApiPath.session]: undefined;
  [ApiPath.logout]: object;
  [ApiPath.token]: object;
  [ApiPath.linkAddress]: LinkAddressBody;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: FlowError };

/**
 * Where this script came from. Read while the bundle runs: `document.currentScript` is the
 * <script src> tag then, and null afterwards. As an ES module (tests, an app's own bundle) it is
 * undefined: the page it is.
 */
export const scriptSrc = (document.currentScript as HTMLScriptElement | null)?.src;

/**
 * The API base for the element's `api` attribute: absolute, without a trailing slash, and by
 * default this script's origin plus `/auth`. Absolute because the base also keys the stored
 * session and pending secrets: the `/auth/link` page says `api="/auth"`, and must find what a page
 * with the full URL kept. Throws on an `api` that is not a URL.
 */
export function apiBase(api: string): string {
  const fallback = (scriptSrc ? new URL(scriptSrc).origin : location.origin) + DEFAULT_BASE_PATH;
  return new URL(api || fallback, location.href).href.replace(/\/+$/, '');
}

export class ApiClient {
  /** From {@link apiBase}. */
  readonly base: string;
  /**
   * Cookie mode (the config's `sessionCookie`, or a stored session without a token): every call
   * goes with credentials, so the browser keeps the session cookie the verify answer sets and
   * sends it back. Otherwise the bearer token is the credential and cookies are left out, which
   * also leaves out a CSRF surface.
   */
  cookie = false;

  constructor(base: string) {
    this.base = base;
  }

  /**
   * A POST of `body` to `path`, else a GET; `token` as bearer credential. `method` for the other
   * verbs (the passkey routes' PATCH and DELETE), whose paths a feature types itself. `signal`
   * hangs up (the approval's long poll, when nobody waits for it any more): the answer is then a
   * `network_error`.
   */
  async call<P extends keyof ResponseOf>(path: P, body?: BodyOf[P], token?: string, method?: string, signal?: AbortSignal): Promise<ApiResult<ResponseOf[P]>> {
    type T = ResponseOf[P];
    let status = 0;
    try {
      const response = await fetch(this.base + path, {
        method: method ?? (body ? 'POST' : 'GET'),
        headers: {
          ...(body && { 'Content-Type': 'application/json' }),
          ...(token && { Authorization: `Bearer ${token}` }),
        },
        body: body && JSON.stringify(body),
        credentials: this.cookie ? 'include' : 'omit',
        signal,
      });
      status = response.status;
      if (status === 204) return { ok: true, data: null as T };
      const data = (await response.json()) as (T & object) | Partial<ApiErrorBody> | null;
      if (response.ok && typeof data === 'object' && data) return { ok: true, data: data as T };
      // An error answer is `{error: {code, …}}`; anything else (an HTML error page, a proxy's
      // JSON) throws or fails here and becomes network_error below.
      // The error object is passed on whole (its `message` and `fields` ride along unused).
      const { error } = data as ApiErrorBody;
      if (typeof error.code !== 'string') throw error;
      return { ok: false, status, error };
    } catch {
      return { ok: false, status, error: { code: 'network_error' } };
    }
  }
}
