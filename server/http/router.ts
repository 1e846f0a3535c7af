/**
 * `createPasswordlessRouter(options)`: the HTTP contract (docs/http-api.md) as a @koa/router that
 * mounts in any Koa app. It validates every input with zod at the edge and hands plain values to
 * the login service; it knows nothing of the store or the mailer.
 *
 * In front of each state-changing call, in order: the origin guard (no foreign browser page),
 * the per-IP limit, JSON only, then zod. The cheapest refusals come first.
 */
import { bodyParser } from '@koa/bodyparser';
import cors from '@koa/cors';
import { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { AccessTokens } from '../access/access-tokens.ts';
import type { ApprovalWaits } from '../approval/approval-waits.ts';
import type { AuditLog } from '../observability/audit.ts';
import { ApiError, ApiPath, DEFAULT_BASE_PATH, DocumentPath, ErrorCode, JWKS_WELL_KNOWN_PATH, Locale, LOCALES, type ConfigResponse, type LinkAddressResponse, type OriginResponse, type VerifyResponse } from '../../contract/index.ts';
import { PasskeyPath } from '../../contract/passkeys.ts';
import { LoginError } from '../login/login-error.ts';
import type { LoginService } from '../login/login-service.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import type { Metrics, VerifyMethod } from '../observability/metrics.ts';
import type { PasskeyService } from '../passkeys/passkey-service.ts';
import { systemClock, type Clock } from '../time/clock.ts';
import { describeDevice } from './user-agent.ts';
import { APPROVAL_PATHS, mountApprovalRoutes } from './approval-routes.ts';
import type { AccountService } from '../account/account-service.ts';
import { accountPaths, mountAccountRoutes, type AccountFeatures } from './account-routes.ts';
import { clientKey } from './client-ip.ts';
import { limitByIp, memoryIpLimiters, type IpLimiters } from './ip-limits.ts';
import { jsonIfAny, jsonOnly } from './json-only.ts';
import { linkPage } from './link-page.ts';
import { mountPasskeyRoutes } from './passkey-routes.ts';
import { pageStyles } from './page-styles.ts';
import { originGuard } from './origin-guard.ts';
import { checkRedirect } from './redirect-policy.ts';
import { originAdvice, refusedOriginLog } from './refused-origins.ts';
import { RequestSchema, VerifyCodeSchema, VerifyLinkBodySchema, VerifyLinkSchema } from './schemas.ts';
import type { SecondFactorService } from '../second-factor/second-factor-service.ts';
import { mountSecondFactorRoutes, SECOND_FACTOR_PATHS } from './second-factor-routes.ts';
import { clearSessionCookie, sessionToken, setSessionCookie } from './session-token.ts';
import { parseBody } from './validate.ts';

export interface PasswordlessRouterOptions {
  service: LoginService;
  /** Exact origins allowed to call the API from a browser (CORS and the origin guard). */
  allowedOrigins: string[];
  /** Allowed landing-page URL prefixes for `redirectTo`. */
  redirectUrls: string[];
  /** Where the router is mounted; default `/auth`. */
  basePath?: string;
  /** URL of the widget script for the `/auth/link` page; default `/passwordless-login.js`. */
  widgetUrl?: string;
  /** Largest accepted JSON body; default 8 KB (an email, a URL and a little userData). */
  bodyLimit?: string;
  /**
   * Per-client-IP limiters; `false` lifts them (RATE_LIMITS=off). Default: in memory, 30 code
   * requests and 60 verifies per IP per 15 minutes. The client IP is `ctx.ip`: set the app's
   * `proxy` and `maxIpsCount` when behind proxies, or every client shares the proxy's address.
   */
  ipLimiters?: IpLimiters | false;
  /** Sessions in an HttpOnly `__Host-` cookie instead of the answer body (same-site APIs only). */
  sessionCookie?: boolean;
  /** Counts per-IP refusals (`passwordless_rate_limited_total{scope="ip"}`). */
  metrics?: Pick<Metrics, 'rateLimited'>;
  /** Sign-ins and sign-outs, with the client's IP key: only the HTTP layer knows the client. */
  audit?: Pick<AuditLog, 'signIn' | 'signOut'>;
  /** The passkey ceremonies and a user's passkeys (PASSKEYS=on); absent: no passkey route, and `/config` says `passkeys: false`. */
  passkeys?: PasskeyService;
  /** Signs the access tokens of `POST /token` and publishes `GET /jwks.json`; absent: neither route. */
  accessTokens?: AccessTokens;
  /** The landing page's heading (`SITE_NAME`) and where its "Back to …" leads; default none and `/`. */
  site?: { name: string; url: string };
  /** Where a refused browser origin is reported, once per origin per 10 minutes (refused-origins.ts); default: nowhere. */
  logger?: Logger;
  /** The clock of that "once per 10 minutes"; default the system's. */
  clock?: Clock;
  /**
   * `true` (NODE_ENV=production): `GET /origin` tells a refused page only that it is refused.
   * Otherwise it also names the origin and the variable to add it to. Default false.
   */
  production?: boolean;
  /** Cross-device approval's waits (approval/approval-waits.ts); absent: no approval routes, and `approvalKey` is ignored. */
  approvals?: ApprovalWaits;
  /**
   * A signed-in person's account changes (account/account-service.ts) and which are served
   * (ACCOUNT_EMAIL_CHANGE, ACCOUNT_DELETION); absent, or both off: no account route (404), and
   * `/config` says `account: false`.
   */
  account?: { service: AccountService; features: AccountFeatures };
  /** Authenticator-app codes (TOTP=on, contract/second-factor.ts); absent: no such route (404), and `/config` says `totp: false`. */
  secondFactor?: SecondFactorService;
}

const pass: Middleware = (_ctx, next) => next();

export function createPasswordlessRouter(options: PasswordlessRouterOptions): Router {
  const { service } = options;
  const basePath = options.basePath ?? DEFAULT_BASE_PATH;
  const cookieMode = options.sessionCookie ?? false;
  const router = new Router({ prefix: basePath });
  const allowed = new Set(options.allowedOrigins);
  const limiters = options.ipLimiters ?? memoryIpLimiters({ requests: 30, verifies: 60, windowSeconds: 900 });
  const refusals = refusedOriginLog(options.logger ?? silentLogger, options.clock ?? systemClock, options.allowedOrigins);

  // CORS for exact origins only: no `*`, never the `null` origin; @koa/cors adds `Vary: Origin`.
  // Credentials only in cookie mode, and then still only for those exact origins.
  router.use(
    cors({
      origin: (ctx) => {
        const origin = ctx.get('Origin');
        if (allowed.has(origin)) return origin;
        if (origin) refusals.refused(origin);
        return '';
      },
      credentials: cookieMode,
      allowMethods: options.passkeys ? ['GET', 'POST', 'PATCH', 'DELETE'] : ['GET', 'POST'],
      allowHeaders: ['Content-Type', 'Authorization'],
      maxAge: 600,
    }),
  );
  // @koa/router runs `use` middleware only for matched routes: give preflights a route to match,
  // so CORS (above) answers them.
  const passkeyPaths = options.passkeys ? Object.values(PasskeyPath) : [];
  const approvalPaths = options.approvals ? APPROVAL_PATHS : [];
  const accountFeatures: AccountFeatures | false = options.account && (options.account.features.emailChange || options.account.features.deletion) ? options.account.features : false;
  const accountRoutes = accountFeatures ? accountPaths(accountFeatures) : [];
  const secondFactorPaths = options.secondFactor ? SECOND_FACTOR_PATHS : [];
  for (const path of [ApiPath.config, ApiPath.request, ApiPath.verify, ApiPath.session, ApiPath.logout, ApiPath.token, ApiPath.linkAddress, ...passkeyPaths, ...approvalPaths, ...accountRoutes, ...secondFactorPaths]) {
    router.options(path, (ctx) => {
      ctx.status = 204;
    });
  }
  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  const guard = originGuard(allowed);
  const parseJson = bodyParser({ enableTypes: ['json'], jsonLimit: options.bodyLimit ?? '8kb', jsonStrict: true });
  const json = [jsonOnly, parseJson];
  const limit = (which: keyof IpLimiters) => (limiters ? countRefusals(limitByIp(limiters[which]), options.metrics) : pass);

  router.get(ApiPath.config, (ctx) => {
    const { rules } = service;
    const body: ConfigResponse = {
      codeLength: rules.codeLength,
      locales: [...LOCALES],
      defaultLocale: Locale.en,
      expiresIn: rules.codeTtlSeconds,
      resendSeconds: rules.resendSeconds,
      sessionCookie: cookieMode,
      passkeys: options.passkeys !== undefined,
      approvals: options.approvals !== undefined,
      account: accountFeatures && { emailChange: accountFeatures.emailChange, deletion: accountFeatures.deletion },
      totp: options.secondFactor !== undefined,
    };
    ctx.body = body;
  });

  // Why a page's calls fail. A refused CORS call reaches the page as "failed to fetch", with no
  // reason, so the element asks here: a GET with no credentials and no custom header needs no
  // preflight, and `*` lets any page read the answer. It tells a refused page no more than a
  // preflight does (docs/security.md#cross-site-requests); the other routes' CORS stays exact.
  router.get(ApiPath.origin, (ctx) => {
    const origin = ctx.get('Origin');
    const refused = !!origin && !allowed.has(origin);
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.remove('Access-Control-Allow-Credentials');
    const body: OriginResponse =
      refused && !options.production
        ? { allowed: false, origin, message: originAdvice(origin) }
        : { allowed: !refused };
    ctx.body = body;
  });

  router.post(ApiPath.request, guard, limit('requests'), ...json, async (ctx) => {
    const input = parseBody(RequestSchema, ctx.request.body);
    const redirectTo = input.redirectTo === undefined ? undefined : checkRedirect(input.redirectTo, options.redirectUrls);
    ctx.body = await service.requestLogin({
      email: input.email,
      redirectTo,
      locale: (input.locale ?? Locale.en) as Locale,
      userData: input.userData,
      clientHash: input.clientHash,
      approval: input.approvalKey === undefined || !options.approvals ? undefined : { key: input.approvalKey, device: describeDevice(ctx.get('User-Agent')) },
    });
    ctx.status = 202;
  });

  /**
   * A sign-in's answer, whatever its method: the audit entry, and the session in a cookie in
   * cookie mode. `approved`: collected by the asking browser after an approval on another device
   * (its audit entry says so, and its answer carries `status: 'approved'`). `secondFactor`: completed
   * by `POST /second-factor` with an app code or a recovery code (`method` is the first factor's).
   */
  const signedIn = (ctx: Context, answer: VerifyResponse, method: VerifyMethod, approved?: true, secondFactor?: 'totp' | 'recovery') => {
    options.audit?.signIn({ userId: answer.user.id, method, clientKey: clientKey(ctx), ...(approved && { approved }), ...(secondFactor && { secondFactor }) });
    if (cookieMode) {
      setSessionCookie(ctx, answer.session.token!, service.rules.sessionTtlSeconds);
      delete answer.session.token;
    }
    ctx.body = approved ? { status: 'approved', ...answer } : answer;
  };

  router.post(ApiPath.verify, guard, limit('verifies'), ...json, async (ctx) => {
    const body = ctx.request.body as Record<string, unknown> | undefined;
    const method = body && typeof body === 'object' && 'token' in body ? 'link' : 'code';
    // `secondFactorKey` is read only where a second step can follow (TOTP=on), as `approvalKey` is.
    const keyed = (key: string | undefined) => (options.secondFactor ? key : undefined);
    const answer =
      method === 'link'
        ? await (async () => {
            const input = parseBody(VerifyLinkBodySchema, body);
            return service.verifyLink(input.token, keyed(input.secondFactorKey));
          })()
        : await (async () => {
            const input = parseBody(VerifyCodeSchema, body);
            return service.verifyCode(input.email, input.code, keyed(input.secondFactorKey));
          })();
    // The second step's ticket: no session yet, so no sign-in to audit and no cookie.
    if ('secondFactor' in answer) ctx.body = answer;
    else signedIn(ctx, answer, method);
  });

  // The address a magic link signs in, for the "Continue" page of another browser. It changes
  // nothing (no attempt counted, nothing spent) and tells the address only to whoever holds the
  // 256-bit token, who could sign in as it anyway (docs/security.md#magic-links).
  router.post(ApiPath.linkAddress, guard, limit('verifies'), ...json, async (ctx) => {
    const body: LinkAddressResponse = { email: await service.linkAddress(parseBody(VerifyLinkSchema, ctx.request.body).token) };
    ctx.body = body;
  });

  if (options.approvals) {
    mountApprovalRoutes(router, { service, waits: options.approvals, guard, limitVerifies: limit('verifies'), json, capWaits: limiters !== false, signedIn, secondFactor: options.secondFactor !== undefined });
  }

  /** The session the request carries (bearer or cookie), or a 401. */
  const liveSession = async (ctx: Context) => {
    const token = sessionToken(ctx, cookieMode);
    const session = token ? await service.findSession(token) : null;
    if (!session) throw LoginError.of(ApiError.unauthenticated);
    return session;
  };

  router.get(ApiPath.session, async (ctx) => {
    ctx.body = await liveSession(ctx);
  });

  router.post(ApiPath.logout, guard, jsonIfAny, async (ctx) => {
    const token = sessionToken(ctx, cookieMode);
    const userId = token ? await service.logout(token) : null;
    if (userId) options.audit?.signOut({ userId });
    if (cookieMode) clearSessionCookie(ctx);
    ctx.status = 204;
  });

  if (options.passkeys) {
    mountPasskeyRoutes(router, options.passkeys, { guard, json, optionalJson: [jsonIfAny, parseJson], limit: limit('verifies'), sessionToken: (ctx) => sessionToken(ctx, cookieMode), liveSession, signedIn });
  }

  if (options.secondFactor) {
    mountSecondFactorRoutes(router, options.secondFactor, { guard, json, optionalJson: [jsonIfAny, parseJson], limitVerifies: limit('verifies'), sessionToken: (ctx) => sessionToken(ctx, cookieMode), signedIn });
  }

  if (options.account && accountFeatures) {
    mountAccountRoutes(router, {
      account: options.account.service,
      features: accountFeatures,
      guard,
      json,
      optionalJson: [jsonIfAny, parseJson],
      limitRequests: limit('requests'),
      limitVerifies: limit('verifies'),
      liveSession,
      sessionToken: (ctx) => sessionToken(ctx, cookieMode),
      cookieMode,
      page: { apiBase: basePath, stylesheetUrl: `${basePath}${DocumentPath.pageStyles}` },
    });
  }

  const { accessTokens } = options;
  if (accessTokens) {
    // A POST behind the origin guard, like logout: a foreign page must not mint tokens with a
    // visitor's cookie (cookie mode). The session is checked on every exchange, so a revoked
    // session gets no new token; tokens already out live until their `exp`.
    router.post(ApiPath.token, guard, jsonIfAny, async (ctx) => {
      const { user, session } = await liveSession(ctx);
      ctx.body = await accessTokens.issue(user, Date.parse(session.expiresAt));
    });
    router.get(DocumentPath.jwks, jwksHandler(accessTokens));
  }

  const site = options.site ?? { name: '', url: '/' };
  const stylesheetUrl = `${basePath}${DocumentPath.pageStyles}`;
  router.get(DocumentPath.link, linkPage({ apiBase: basePath, widgetUrl: options.widgetUrl ?? '/passwordless-login.js', stylesheetUrl, siteName: site.name, siteUrl: site.url }));
  router.get(DocumentPath.pageStyles, pageStyles);

  return router;
}

/**
 * `GET` of the key set. Public and cacheable for 5 minutes: a verifier that meets an unknown `kid`
 * fetches again anyway, and the next key is published a whole rotation period before it signs.
 * CORS `*`: a key set is no secret, and browser-side verifiers may fetch it from any origin.
 */
function jwksHandler(accessTokens: AccessTokens): Middleware {
  return (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.set('Access-Control-Allow-Origin', '*');
    // Cookie mode's CORS adds this; with `*` browsers would refuse the answer. No credentials here.
    ctx.remove('Access-Control-Allow-Credentials');
    ctx.type = 'application/jwk-set+json';
    ctx.body = JSON.stringify(accessTokens.jwks());
  };
}

/**
 * The key set at the origin's root, `GET /.well-known/jwks.json` (outside the base path, so the
 * standalone app and a host's app both put this in front); any other request goes on.
 */
export function wellKnownJwks(accessTokens: AccessTokens): Middleware {
  const serve = jwksHandler(accessTokens);
  return (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== JWKS_WELL_KNOWN_PATH) return next();
    ctx.state.route = JWKS_WELL_KNOWN_PATH;
    return serve(ctx, next);
  };
}

/** Counts the 429s of a per-IP limiter; its other errors (a Redis outage) are not refusals. */
function countRefusals(limiter: Middleware, metrics: Pick<Metrics, 'rateLimited'> | undefined): Middleware {
  if (!metrics) return limiter;
  return async (ctx, next) => {
    let passed = false;
    try {
      await limiter(ctx, () => ((passed = true), next()));
    } catch (error) {
      if (!passed && error instanceof LoginError && error.code === ErrorCode.rate_limited) metrics.rateLimited.inc({ scope: 'ip' });
      throw error;
    }
  };
}
