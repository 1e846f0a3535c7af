/**
 * Times every request and records it by route and final status. Outermost in the app, so the
 * status is the one the client got (after the error middleware) and the time includes it.
 *
 * `route` is the matched route pattern (`/auth/verify`), or what the app itself names in
 * `ctx.state.route` (`/health`, the widget), else `unmatched`: never the raw URL, whose paths and
 * query strings a scanner can make unbounded.
 */
import type { Middleware } from 'koa';
import type { Metrics } from '../observability/metrics.ts';

export function requestMetrics(metrics: Pick<Metrics, 'httpDuration'>): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
      const route = typeof matched === 'string' ? matched : typeof ctx.state.route === 'string' ? ctx.state.route : 'unmatched';
      metrics.httpDuration.observe({ route, status: String(ctx.status) }, seconds);
    }
  };
}
