/**
 * Where a magic link may land: only on an allow-listed URL prefix (REDIRECT_URLS), compared on
 * the parsed URL (scheme, host, port, then path prefix), never on the raw string, so
 * `https://good.example@evil.example`, `https://good.example.evil.example` and friends fail.
 * What the parser would quietly repair (whitespace, controls) or leave for the landing site to
 * decode (`%2f`, `%5c`, `%2e` in the path) is refused outright.
 * The fragment is dropped: the link's own fragment carries the token.
 */
import { ApiError } from '../../contract/index.ts';
import { LoginError } from '../login/login-error.ts';

// The URL parser silently drops tabs and newlines and trims spaces and controls: refuse them
// instead of repairing what an attacker wrote.
const UNPRINTABLE = /[\s\u0000-\u001f\u007f-\u009f]/;
// An encoded slash, backslash or dot survives parsing as text but may be decoded by the landing
// site's server into a path outside the allowed prefix (`/welcome/..%2fadmin`).
const ENCODED_SEPARATOR = /%(2f|5c|2e)/i;

export function checkRedirect(value: string, allowed: string[]): string {
  if (UNPRINTABLE.test(value)) throw invalidRedirect();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidRedirect();
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidRedirect();
  if (url.username || url.password || ENCODED_SEPARATOR.test(url.pathname)) throw invalidRedirect();
  url.hash = '';
  const ok = allowed.some((prefix) => {
    const allow = new URL(prefix);
    if (allow.origin !== url.origin) return false;
    const base = allow.pathname.endsWith('/') ? allow.pathname : `${allow.pathname}/`;
    return url.pathname === allow.pathname || url.pathname.startsWith(base);
  });
  if (!ok) throw invalidRedirect();
  return url.href;
}

function invalidRedirect(): LoginError {
  return LoginError.of(ApiError.invalidRedirect, { fields: { redirectTo: 'is not an allowed landing page' } });
}
