/**
 * The passkey routes (`PasskeyPath`, docs/http-api.md#passkeys), mounted on the API's router only
 * when PASSKEYS is on, behind the same guards as the others: the origin guard on every call that
 * changes something, the per-IP verify limit on the ceremonies (a sign-in answer is a guess like
 * a code is, and options cost a signature of ours), JSON only, then zod.
 *
 * And `GET /.well-known/webauthn` at the origin's root: the embedding sites (ALLOWED_ORIGINS)
 * browsers let use our RP ID (WebAuthn Related Origin Requests).
 */
import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import type { SessionResponse, VerifyResponse } from '../../contract/index.ts';
import { PASSKEY_WELL_KNOWN_PATH, PasskeyPath, type PasskeyListResponse, type RelatedOriginsResponse } from '../../contract/passkeys.ts';
import { ApiError } from '../../contract/index.ts';
import { LoginError } from '../login/login-error.ts';
import type { VerifyMethod } from '../observability/metrics.ts';
import { describeDevice } from './user-agent.ts';
import type { PasskeyService } from '../passkeys/passkey-service.ts';
import { pageLocale } from './page-locale.ts';
import { PasskeyIdSchema, PasskeyRegisterSchema, PasskeyRenameSchema, PasskeySignInSchema } from './schemas.ts';
import { parseBody } from './validate.ts';

/** What the API's router lends the passkey routes, so they guard and answer exactly as its own routes do. */
export interface PasskeyRouteParts {
  guard: Middleware;
  /** JSON only, then the body parser. */
  json: Middleware[];
  /** The same for calls that need no body: JSON only when there is one. */
  optionalJson: Middleware[];
  /** The per-IP limit of verifies. */
  limit: Middleware;
  /** The request's session token (bearer or cookie), or null. */
  sessionToken(ctx: Context): string | null;
  /** The session the request carries, or a 401. */
  liveSession(ctx: Context): Promise<SessionResponse>;
  /** Answers a sign-in as `POST /verify` does: the audit entry, the cookie in cookie mode, the body. */
  signedIn(ctx: Context, answer: VerifyResponse, method: VerifyMethod): void;
}

/** The options calls take `{}` (or no body): nothing else. */
const NoFields = z.strictObject({});

export function mountPasskeyRoutes(router: Router, passkeys: PasskeyService, parts: PasskeyRouteParts): void {
  const { guard, json, optionalJson, limit } = parts;
  const noFields = (ctx: Context) => parseBody(NoFields, ctx.request.body ?? {});

  router.post(PasskeyPath.signInOptions, guard, limit, ...optionalJson, async (ctx) => {
    noFields(ctx);
    ctx.body = await passkeys.signInOptions();
  });

  router.post(PasskeyPath.signIn, guard, limit, ...json, async (ctx) => {
    const { credential } = parseBody(PasskeySignInSchema, ctx.request.body);
    parts.signedIn(ctx, await passkeys.signIn(credential), 'passkey');
  });

  router.post(PasskeyPath.registerOptions, guard, limit, ...optionalJson, async (ctx) => {
    noFields(ctx);
    ctx.body = await passkeys.registrationOptions(parts.sessionToken(ctx));
  });

  router.post(PasskeyPath.register, guard, limit, ...json, async (ctx) => {
    const input = parseBody(PasskeyRegisterSchema, ctx.request.body);
    ctx.body = await passkeys.register(parts.sessionToken(ctx), {
      credential: input.credential,
      name: input.name ?? describeDevice(ctx.get('User-Agent')),
      locale: pageLocale(ctx),
    });
    ctx.status = 201;
  });

  router.get(PasskeyPath.list, async (ctx) => {
    const { user } = await parts.liveSession(ctx);
    const body: PasskeyListResponse = { passkeys: await passkeys.listPasskeys(user.id) };
    ctx.body = body;
  });

  router.patch(PasskeyPath.item, guard, ...json, async (ctx) => {
    const { user } = await parts.liveSession(ctx);
    const { name } = parseBody(PasskeyRenameSchema, ctx.request.body);
    ctx.body = await passkeys.renamePasskey(user.id, passkeyId(ctx), name);
  });

  router.delete(PasskeyPath.item, guard, ...optionalJson, async (ctx) => {
    const { user } = await parts.liveSession(ctx);
    if (!(await passkeys.removePasskey(user.id, passkeyId(ctx)))) throw LoginError.of(ApiError.unknownPasskey);
    ctx.status = 204;
  });
}

/** The `:id` of the path, checked like any input; a malformed one names no passkey. */
function passkeyId(ctx: Context): string {
  const result = PasskeyIdSchema.safeParse(ctx.params.id);
  if (!result.success) throw LoginError.of(ApiError.unknownPasskey);
  return result.data;
}

/**
 * `GET /.well-known/webauthn` at the origin's root (outside the base path, as the key set is):
 * `{origins}`, the sites allowed to use the RP ID besides its own. Public and cacheable for 5
 * minutes; browsers fetch it without credentials, from any page.
 */
export function wellKnownWebauthn(origins: string[]): Middleware {
  const body: RelatedOriginsResponse = { origins };
  const text = JSON.stringify(body);
  return (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== PASSKEY_WELL_KNOWN_PATH) return next();
    ctx.state.route = PASSKEY_WELL_KNOWN_PATH;
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.type = 'application/json';
    ctx.body = text;
  };
}
