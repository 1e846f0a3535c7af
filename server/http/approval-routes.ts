/**
 * The cross-device approval's routes (contract/approval.ts), mounted by the router beside the
 * others and behind the same guards: the origin guard, JSON only and zod. The phone's two calls
 * count as verifies under the per-IP limit (each one is a try at a link); the asking browser's
 * long poll is held to a few at once per IP instead (approval/approval-waits.ts), since a wait
 * of 10 minutes is two dozen polls.
 */
import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { ApprovalApproveResponse, ApprovalDescription, ApprovalWaitResponse } from '../../contract/approval.ts';
import { ApprovalPath } from '../../contract/approval.ts';
import type { VerifyResponse } from '../../contract/index.ts';
import type { SecondFactorChallenge } from '../../contract/second-factor.ts';
import type { ApprovalWaits } from '../approval/approval-waits.ts';
import type { LoginService } from '../login/login-service.ts';
import type { VerifyMethod } from '../observability/metrics.ts';
import { ApprovalApproveSchema, ApprovalDescribeSchema, ApprovalWaitSchema } from './approval-schemas.ts';
import { clientKey } from './client-ip.ts';
import { parseBody } from './validate.ts';

export interface ApprovalRoutesOptions {
  service: LoginService;
  waits: ApprovalWaits;
  /** The origin guard, then the per-IP verify limit, then JSON only and the body parser. */
  guard: Middleware;
  limitVerifies: Middleware;
  json: Middleware[];
  /** Per-IP wait cap on: false with RATE_LIMITS=off. */
  capWaits: boolean;
  /** The router's answer to every sign-in (audit entry, cookie mode), here with `approved`. */
  signedIn: (ctx: Context, answer: VerifyResponse, method: VerifyMethod, approved?: true) => void;
  /** TOTP=on: a wait's `secondFactorKey` is read, and an account with a second factor collects its ticket. */
  secondFactor: boolean;
}

export const APPROVAL_PATHS = Object.values(ApprovalPath);

export function mountApprovalRoutes(router: Router, options: ApprovalRoutesOptions): void {
  const { service, waits, guard, limitVerifies, json, signedIn } = options;

  router.post(ApprovalPath.describe, guard, limitVerifies, ...json, async (ctx) => {
    const body: ApprovalDescription = await service.describeApproval(parseBody(ApprovalDescribeSchema, ctx.request.body).token);
    ctx.body = body;
  });

  router.post(ApprovalPath.approve, guard, limitVerifies, ...json, async (ctx) => {
    const { token, number } = parseBody(ApprovalApproveSchema, ctx.request.body);
    await waits.approve(token, number);
    const body: ApprovalApproveResponse = { approved: true };
    ctx.body = body;
  });

  router.post(ApprovalPath.wait, guard, ...json, async (ctx) => {
    const { id, secret, secondFactorKey } = parseBody(ApprovalWaitSchema, ctx.request.body);
    // A client that hangs up ends its wait at once: a session collected for it now would be lost.
    const hungUp = new AbortController();
    const onClose = () => {
      if (!ctx.res.writableEnded) hungUp.abort();
    };
    ctx.res.once('close', onClose);
    try {
      const outcome = await waits.wait(id, secret, options.capWaits ? clientKey(ctx) : null, hungUp.signal, options.secondFactor ? secondFactorKey : undefined);
      // Approved, for an account with a second factor: the ticket of its second step, no session yet.
      if (outcome.status === 'second_factor') {
        // Not in `ApprovalWaitResponse` (the approval module's type): a client that sent `secondFactorKey` expects it.
        const body: SecondFactorChallenge & { status: 'approved' } = { status: 'approved', ...outcome.challenge };
        ctx.body = body;
        return;
      }
      if (outcome.status !== 'approved') {
        const body: ApprovalWaitResponse = { status: outcome.status };
        ctx.body = body;
        return;
      }
      signedIn(ctx, outcome.answer, 'link', true);
    } finally {
      ctx.res.off('close', onClose);
    }
  });
}
