/**
 * A thin fetch wrapper for the HTTP contract. It never throws: a network failure, a non-JSON
 * answer or a body of the wrong shape becomes `network_error`, so the element can always show a
 * sentence instead of breaking.
 */
import {
  ApiPath,
  DEFAULT_BASE_PATH,
  type ApiErrorBody,
  type ConfigResponse,
  type RequestBody,
  type RequestResponse,
  type SessionResponse,
  type VerifyBody,
  type VerifyResponse,
} from '../server/contract.ts';
import type { FlowError } from './flow.ts';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: FlowError };

// Read while the bundle runs: `document.currentScript` is the <script src> tag then, and null
// afterwards. As an ES module (tests, an app's own bundle) it is null: the page's origin it is.
const scriptSrc = (document.currentScript as HTMLScriptElement | null)?.src;

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

  config(): Promise<ApiResult<ConfigResponse>> {
    return this.call('GET', ApiPath.config);
  }

  request(body: RequestBody): Promise<ApiResult<RequestResponse>> {
    return this.call('POST', ApiPath.request, { body });
  }

  verify(body: VerifyBody): Promise<ApiResult<VerifyResponse>> {
    return this.call('POST', ApiPath.verify, { body });
  }

  session(token?: string): Promise<ApiResult<SessionResponse>> {
    return this.call('GET', ApiPath.session, { token });
  }

  logout(token?: string): Promise<ApiResult<null>> {
    return this.call('POST', ApiPath.logout, { token, body: {} });
  }

  private async call<T>(method: string, path: ApiPath, init: { body?: unknown; token?: string } = {}): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        body: init.body === undefined ? null : JSON.stringify(init.body),
        credentials: this.cookie ? 'include' : 'omit',
      });
    } catch {
      return { ok: false, status: 0, error: { code: 'network_error' } };
    }
    const data = await readJson(response);
    if (response.ok) {
      if (response.status === 204) return { ok: true, data: null as T };
      if (data === undefined) return { ok: false, status: response.status, error: { code: 'network_error' } };
      return { ok: true, data: data as T };
    }
    const error = (data as Partial<ApiErrorBody> | undefined)?.error;
    if (!error || typeof error.code !== 'string') {
      return { ok: false, status: response.status, error: { code: 'network_error' } };
    }
    const flowError: FlowError = { code: error.code };
    if (typeof error.attemptsLeft === 'number') flowError.attemptsLeft = error.attemptsLeft;
    if (typeof error.retryAfter === 'number') flowError.retryAfter = error.retryAfter;
    return { ok: false, status: response.status, error: flowError };
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    const value: unknown = await response.json();
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}
