/**
 * What a host's backend puts in front of its own routes: a Koa middleware that accepts a request
 * only with a valid access token from the login service, verified offline against the published
 * key set (jose's remote JWK set fetches it once, caches it, and fetches again only for a `kid`
 * it has not seen, at most every 30 s). The login service is not asked per request.
 *
 * On success `ctx.state.user` is `{id, email}` from the token's `sub` and `email`. A missing,
 * malformed, forged, expired or foreign token is a 401 with `WWW-Authenticate: Bearer
 * error="invalid_token"` (RFC 6750); a key set that cannot be fetched is a 503, not a 401, so an
 * outage does not look like a sign-out.
 */
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { Context, Middleware } from 'koa';

export interface RequireAccessTokenOptions {
  /** The login service's key set, e.g. `https://login.example.com/.well-known/jwks.json`. */
  jwksUrl: string;
  /** The tokens' `iss`: the login service's PUBLIC_URL. */
  issuer: string;
  /** The tokens' `aud`: ACCESS_TOKEN_AUDIENCE (default the login service's PUBLIC_URL). */
  audience: string;
  /** Milliseconds since the epoch; for tests on a manual clock. Default: the system clock. */
  now?: () => number;
}

export interface AccessTokenUser {
  id: string;
  email: string;
}

const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/;

/** jose's errors about the token itself (as opposed to fetching the key set). */
const TOKEN_ERRORS = [errors.JWTExpired, errors.JWTClaimValidationFailed, errors.JWSSignatureVerificationFailed, errors.JWKSNoMatchingKey, errors.JWSInvalid, errors.JWTInvalid, errors.JOSEAlgNotAllowed, errors.JOSENotSupported];

export function requireAccessToken(options: RequireAccessTokenOptions): Middleware {
  const keySet = createRemoteJWKSet(new URL(options.jwksUrl));
  return async (ctx, next) => {
    const token = BEARER.exec(ctx.get('Authorization'))?.[1];
    if (!token) return refuse(ctx, 'Send an access token: Authorization: Bearer <token>.');
    let user: AccessTokenUser;
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: options.issuer,
        audience: options.audience,
        typ: 'at+jwt',
        algorithms: ['ES256'],
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: options.now ? new Date(options.now()) : undefined,
      });
      if (typeof payload.sub !== 'string' || typeof payload.email !== 'string') return refuse(ctx, 'The token names no user.');
      user = { id: payload.sub, email: payload.email };
    } catch (error) {
      // Only what is wrong with the token is a 401. Anything else (the key set timed out, answered
      // 502, was not JSON) says nothing about the visitor: a 503, so an outage is not a sign-out.
      if (!TOKEN_ERRORS.some((type) => error instanceof type)) {
        ctx.status = 503;
        ctx.body = { error: { code: 'unavailable', message: 'The sign-in keys cannot be fetched right now.' } };
        return;
      }
      return refuse(ctx, error instanceof errors.JWTExpired ? 'The access token has expired.' : 'The access token is not valid.');
    }
    ctx.state.user = user;
    await next();
  };
}

function refuse(ctx: Context, message: string): void {
  ctx.status = 401;
  ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
  ctx.body = { error: { code: 'unauthenticated', message } };
}
