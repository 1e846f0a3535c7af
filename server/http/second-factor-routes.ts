/**
 * The second factor's routes (contract/second-factor.ts), mounted by the router beside the others
 * and behind the same guards: the origin guard, JSON only and zod. `POST /second-factor` counts
 * as a verify under the per-IP limit (each call is a guess at a code); its answer is a sign-in
 * like any other (the router's `signedIn`: audit entry, cookie mode), with `secondFactor` in its
 * audit entry. With TOTP=off none is mounted (404), and no first factor asks for a second step.
 */
import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { VerifyResponse } from '../../contract/index.ts';
import { SecondFactorPath } from '../../contract/second-factor.ts';
import type { VerifyMethod } from '../observability/metrics.ts';
import type { SecondFactorService } from '../second-factor/second-factor-service.ts';
import { pageLocale } from './page-locale.ts';
import { SecondFactorSchema, TotpEnableSchema, TotpProofSchema, TotpSetupSchema } from './second-factor-schemas.ts';
import { parseBody } from './validate.ts';

export interface SecondFactorRoutesOptions {
  guard: Middleware;
  json: Middleware[];
  /** `{}` or no body at all (the setup's POST carries nothing). */
  optionalJson: Middleware[];
  limitVerifies: Middleware;
  /** The session token the request carries (bearer or cookie), or null. */
  sessionToken: (ctx: Context) => string | null;
  signedIn: (ctx: Context, answer: VerifyResponse, method: VerifyMethod, approved?: true, secondFactor?: 'totp' | 'recovery') => void;
}

export const SECOND_FACTOR_PATHS = Object.values(SecondFactorPath);

export function mountSecondFactorRoutes(router: Router, service: SecondFactorService, options: SecondFactorRoutesOptions): void {
  const { guard, json, optionalJson, limitVerifies, sessionToken, signedIn } = options;

  router.get(SecondFactorPath.status, async (ctx) => {
    ctx.body = await service.status(sessionToken(ctx));
  });

  router.post(SecondFactorPath.setup, guard, ...optionalJson, async (ctx) => {
    parseBody(TotpSetupSchema, ctx.request.body ?? {});
    ctx.body = await service.setup(sessionToken(ctx));
  });

  router.post(SecondFactorPath.enable, guard, limitVerifies, ...json, async (ctx) => {
    const input = parseBody(TotpEnableSchema, ctx.request.body);
    ctx.body = await service.enable(sessionToken(ctx), { ...input, locale: pageLocale(ctx) });
  });

  router.post(SecondFactorPath.disable, guard, limitVerifies, ...json, async (ctx) => {
    const proof = parseBody(TotpProofSchema, ctx.request.body);
    await service.disable(sessionToken(ctx), proof.code !== undefined ? { code: proof.code } : { recoveryCode: proof.recoveryCode! }, pageLocale(ctx));
    ctx.status = 204;
  });

  router.post(SecondFactorPath.recoveryCodes, guard, limitVerifies, ...json, async (ctx) => {
    const proof = parseBody(TotpProofSchema, ctx.request.body);
    ctx.body = await service.renewRecoveryCodes(sessionToken(ctx), proof.code !== undefined ? { code: proof.code } : { recoveryCode: proof.recoveryCode! });
  });

  router.post(SecondFactorPath.complete, guard, limitVerifies, ...json, async (ctx) => {
    const { ticket, secret, code, recoveryCode } = parseBody(SecondFactorSchema, ctx.request.body);
    const done = await service.complete(code !== undefined ? { ticket, secret, code } : { ticket, secret, recoveryCode: recoveryCode! });
    signedIn(ctx, done.answer, done.method, undefined, done.secondFactor);
  });
}
