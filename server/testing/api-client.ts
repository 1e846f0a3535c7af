/** Small fetch helpers for tests that speak the HTTP contract to a real server. */
export interface JsonAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function postJson<T = any>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await readJson(response) };
}

export async function getJson<T = any>(url: string, headers: Record<string, string> = {}): Promise<JsonAnswer<T>> {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: await readJson(response) };
}

async function readJson(response: Response): Promise<any> {
  const text = await response.text();
  return text === '' ? null : JSON.parse(text);
}

/** The token from a magic link's fragment. */
export function tokenOf(link: string): string {
  return new URLSearchParams(new URL(link).hash.slice(1)).get('pl_token') ?? '';
}
