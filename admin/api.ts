/**
 * The console's calls to its API (contract/admin.ts), with the session the element keeps: its
 * bearer token, or in cookie mode the `__Host-` cookie the browser sends by itself. A refusal is an
 * `ApiFailure` with the server's code and sentence; 401 means the session is over.
 */
import type { ApiErrorBody } from '../contract/errors.ts';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SessionSource {
  /** The bearer token, or undefined in cookie mode. */
  token(): string | undefined;
}

export function apiClient(session: SessionSource) {
  async function send(path: string, method: 'GET' | 'POST'): Promise<Response> {
    const token = session.token();
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    if (method === 'POST') headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, { method, headers, credentials: 'same-origin', ...(method === 'POST' ? { body: '{}' } : {}) });
    } catch {
      throw new ApiFailure(0, 'network_error', 'The server cannot be reached. Check the connection and try again.');
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
      throw new ApiFailure(response.status, body?.error.code ?? 'internal_error', body?.error.message ?? `The server answered ${response.status}.`);
    }
    return response;
  }
  return {
    get: async <T>(path: string): Promise<T> => (await send(path, 'GET')).json() as Promise<T>,
    post: async <T>(path: string): Promise<T> => (await send(path, 'POST')).json() as Promise<T>,
    /** The answer as a file to save (the export). */
    blob: async (path: string): Promise<Blob> => (await send(path, 'GET')).blob(),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/** `/admin/api/users/:id/block` with the id filled in. */
export const withId = (path: string, id: string): string => path.replace(':id', encodeURIComponent(id));
