/**
 * Tells the operator about a browser origin the API refuses (not in ALLOWED_ORIGINS): which
 * origin, which variable, what is allowed now. The browser hides the reason from the page (a
 * refused CORS call is only "failed to fetch"), so without this line a typo such as `localhost`
 * for `127.0.0.1` shows nowhere.
 *
 * Once per origin per 10 minutes, not per request: a page retrying, or every visitor of a
 * misconfigured site, writes one line. At most 100 origins are remembered: a flood of made-up
 * `Origin` headers (any client can send one) costs at most 100 entries of at most 200 characters
 * (about 20 KB) and at most 100 lines per 10 minutes; the origins past that go unlogged until
 * entries expire.
 */
import type { Clock } from '../time/clock.ts';
import type { Logger } from '../observability/logger.ts';

/** Each refused origin is logged at most once in this window: 10 minutes. */
export const REFUSED_ORIGIN_WINDOW_MS = 10 * 60_000;
/** Origins remembered at once: 100. */
export const REFUSED_ORIGINS_KEPT = 100;
/** Longer `Origin` values are cut in the log: a real origin is far shorter (scheme, host, port). */
const ORIGIN_CHARS = 200;

export interface RefusedOriginLog {
  /** Notes that `origin` was refused; logs it unless it was logged within the window. */
  refused(origin: string): void;
}

/**
 * What the owner of a refused page must do, in one sentence. `null` is what a page opened from
 * file:// or a sandboxed frame sends; it can never be allowed (the configuration refuses it), so
 * "add it" would be advice no one can follow.
 */
export function originAdvice(origin: string): string {
  return origin === 'null'
    ? 'A page opened from file:// or in a sandboxed frame sends Origin null, which is never allowed: serve the page over http(s) from an origin in ALLOWED_ORIGINS.'
    : `This page's origin, ${origin}, is not in ALLOWED_ORIGINS on the sign-in server: add it there to let this page sign in.`;
}

export function refusedOriginLog(logger: Logger, clock: Clock, allowed: readonly string[]): RefusedOriginLog {
  /** Origin → when it was last logged; Map keeps insertion order, oldest first. */
  const logged = new Map<string, number>();
  return {
    refused(raw) {
      const origin = raw.slice(0, ORIGIN_CHARS);
      const now = clock.now();
      const last = logged.get(origin);
      if (last !== undefined && now - last < REFUSED_ORIGIN_WINDOW_MS) return;
      logged.delete(origin);
      if (logged.size >= REFUSED_ORIGINS_KEPT) {
        for (const [key, at] of logged) if (now - at >= REFUSED_ORIGIN_WINDOW_MS) logged.delete(key);
        if (logged.size >= REFUSED_ORIGINS_KEPT) return;
      }
      logged.set(origin, now);
      logger.warn({
        msg: `Refused browser calls. ${originAdvice(origin)}`,
        origin,
        variable: 'ALLOWED_ORIGINS',
        allowedOrigins: allowed,
      });
    },
  };
}
