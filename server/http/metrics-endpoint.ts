/**
 * `GET /metrics`: the Prometheus text, for a scraper holding `METRICS_TOKEN`. Without a token
 * configured the path does not exist (404); with one, a request without the right
 * `Authorization: Bearer` gets a 401. The counters are traffic volumes and failure rates, which
 * say more about a site than it may want public.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { ApiError } from '../../contract/index.ts';
import { LoginError } from '../login/login-error.ts';
import type { MetricsRegistry } from '../observability/metrics.ts';

export const METRICS_PATH = '/metrics';

/** Prometheus text exposition format 0.0.4. */
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function metricsEndpoint(registry: MetricsRegistry, token: string | null): Middleware {
  // Compared as SHA-256 digests: equal lengths for timingSafeEqual, so neither the token's
  // length nor its prefix leaks through the time a wrong guess takes.
  const expected = token === null ? null : digest(token);
  return async (ctx, next) => {
    if (expected === null || ctx.method !== 'GET' || ctx.path !== METRICS_PATH) return next();
    ctx.state.route = METRICS_PATH;
    const presented = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1] ?? '';
    if (!timingSafeEqual(digest(presented), expected)) {
      throw LoginError.of(ApiError.metricsTokenNeeded, {}, { 'WWW-Authenticate': 'Bearer' });
    }
    ctx.type = CONTENT_TYPE;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = registry.render();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
