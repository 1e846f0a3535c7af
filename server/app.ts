/**
 * The standalone backend's Koa app: errors, security headers, the passwordless router, the
 * widget bundle, a health check, and request metrics with `GET /metrics`. Sites with a Koa app
 * of their own mount `createPasswordlessRouter` directly instead.
 */
import Koa, { type Middleware } from 'koa';
import type { Router } from '@koa/router';
import { errorsMiddleware } from './http/errors-middleware.ts';
import { metricsEndpoint } from './http/metrics-endpoint.ts';
import { requestMetrics } from './http/request-metrics.ts';
import type { Logger } from './observability/logger.ts';
import type { Metrics } from './observability/metrics.ts';
import { securityHeaders } from './http/security-headers.ts';

export const WIDGET_PATH = '/passwordless-login.js';
/** Where the script-tag file fetches its other languages from: beside itself. */
const LOCALE_PATH = /^\/passwordless-login\/locales\/([A-Za-z-]{2,10})\.js$/;

export interface AppOptions {
  router: Router;
  logger: Logger;
  /** The built widget (one file, Lit included), or null when it has not been built. */
  widgetScript: string | null;
  /** The built language modules by tag (`zh-CN` → its JS). */
  widgetLocales?: ReadonlyMap<string, string>;
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
}

export function createApp({ router, logger, widgetScript, widgetLocales = new Map(), trustProxy = 0, metrics, metricsToken = null, jwks, mailPreview }: AppOptions): Koa {
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
  app.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/health') {
      ctx.state.route = '/health';
      ctx.body = { status: 'ok' };
      return;
    }
    if (ctx.method === 'GET' && ctx.path === WIDGET_PATH) {
      ctx.state.route = WIDGET_PATH;
      if (widgetScript === null) {
        logger.error({ msg: 'widget bundle missing: run `npm run build`' });
        ctx.status = 503;
        ctx.body = { error: { code: 'internal_error', message: 'The widget has not been built on this server.' } };
        return;
      }
      ctx.type = 'text/javascript; charset=utf-8';
      // Any site may load the script tag; a short cache keeps deploys visible within minutes.
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
      ctx.body = widgetScript;
      return;
    }
    const locale = ctx.method === 'GET' ? LOCALE_PATH.exec(ctx.path)?.[1] : undefined;
    if (locale !== undefined && widgetLocales.has(locale)) {
      ctx.state.route = '/passwordless-login/locales/:tag.js';
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
      // `import()` fetches modules in CORS mode; these are public files with no credentials.
      ctx.set('Access-Control-Allow-Origin', '*');
      ctx.body = widgetLocales.get(locale);
      return;
    }
    await next();
  });
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  return app;
}
