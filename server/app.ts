/**
 * The standalone backend's Koa app: errors, security headers, the passwordless router, the
 * widget bundle and its modules, a health check, and request metrics with `GET /metrics`. Sites
 * with a Koa app of their own mount the library's middleware instead (library/).
 */
import Koa, { type Middleware } from 'koa';
import type { Router } from '@koa/router';
import type { WidgetFiles } from './assets/widget-files.ts';
import { errorsMiddleware } from './http/errors-middleware.ts';
import { metricsEndpoint } from './http/metrics-endpoint.ts';
import { requestMetrics } from './http/request-metrics.ts';
import type { Logger } from './observability/logger.ts';
import type { Metrics } from './observability/metrics.ts';
import { securityHeaders } from './http/security-headers.ts';
import { widgetAssets } from './http/widget-assets.ts';

export interface AppOptions {
  router: Router;
  logger: Logger;
  /** The built element: the script-tag file and the modules it fetches (assets/widget-files.ts). */
  widget: WidgetFiles;
  /** Proxies in front whose X-Forwarded-For to trust for the client IP (TRUST_PROXY); 0: the socket. */
  trustProxy?: number;
  /** Request timing, and `GET /metrics` when `metricsToken` is set; absent: neither. */
  metrics?: Metrics;
  /** `METRICS_TOKEN`: the bearer token `GET /metrics` requires; null: no /metrics at all. */
  metricsToken?: string | null;
  /** `GET /dev/mail-preview` (http/mail-preview.ts), outside production only; absent: not served. */
  mailPreview?: Middleware;
  /** `GET /.well-known/jwks.json` (http/router.ts `wellKnownJwks`); absent: 404 there. */
  jwks?: Middleware;
  /** `GET /.well-known/webauthn` (http/passkey-routes.ts `wellKnownWebauthn`); absent (PASSKEYS=off): 404 there. */
  webauthn?: Middleware;
  /** The operators' console, `/admin` and `/admin/api/*` (admin/admin-console.ts); absent (no ADMIN_EMAILS): 404 there. */
  admin?: Middleware[];
}

export function createApp({ router, logger, widget, trustProxy = 0, metrics, metricsToken = null, jwks, webauthn, mailPreview, admin = [] }: AppOptions): Koa {
  // With N trusted proxies Koa takes the client IP N entries from the right of X-Forwarded-For,
  // so a client cannot pick its own IP by sending the header: the leftmost entries are its own.
  const app = new Koa({ proxy: trustProxy > 0, maxIpsCount: trustProxy });
  // Timing outermost: it sees the status the client got, error answers included.
  if (metrics) app.use(requestMetrics(metrics));
  // Headers outermost, so error answers carry them too.
  app.use(securityHeaders);
  app.use(errorsMiddleware(logger));
  if (mailPreview) app.use(mailPreview);
  if (metrics) app.use(metricsEndpoint(metrics.registry, metricsToken));
  if (jwks) app.use(jwks);
  if (webauthn) app.use(webauthn);
  app.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/health') {
      ctx.state.route = '/health';
      ctx.body = { status: 'ok' };
      return;
    }
    await next();
  });
  app.use(widgetAssets(widget, logger));
  for (const middleware of admin) app.use(middleware);
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  return app;
}
