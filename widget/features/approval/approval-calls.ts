/**
 * The approval routes (`ApprovalPath`, contract/approval.ts) through the element's own API client,
 * for the element's module and the headless client alike: the asking browser's key and its wait,
 * the other device's describe and approve. The paths stay out of the core's `ApiPath`: only code
 * that imports this file carries them.
 */
import {
  ApprovalPath,
  type ApprovalApproveResponse,
  type ApprovalDescription,
  type ApprovalTicket,
  type ApprovalWaitResponse,
} from '../../../contract/approval.ts';
import type { User, VerifyResponse } from '../../../contract/index.ts';
import type { SecondFactorChallenge } from '../../../contract/second-factor.ts';
import type { ApiResult } from '../../api/api-client.ts';
import { systemClock, type Clock } from '../../countdown/countdown-controller.ts';
import { base64url32, forgetSecrets } from '../../magic-link/request-secret.ts';
import type { SessionKeeper } from '../../session/session-keeper.ts';

function call<T>(keeper: SessionKeeper, path: string, body: object, signal?: AbortSignal): Promise<ApiResult<T>> {
  return keeper.api.call(path as never, body as never, undefined, undefined, signal) as Promise<ApiResult<T>>;
}

/** What the asking browser keeps of one request: the ticket the server answered with, and the secret behind its key. */
export interface PendingApproval extends ApprovalTicket {
  secret: string;
}

/**
 * A fresh approval secret (32 random bytes, base64url, kept in memory only) and the key the
 * request carries: the SHA-256 of those bytes, base64url. Null where `crypto.subtle` is missing
 * (a page on plain http other than localhost): that request goes without an approval.
 */
export async function newApprovalKey(): Promise<{ secret: string; key: string } | null> {
  if (!crypto.subtle) return null;
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return { secret: base64url32(bytes), key: base64url32(hash) };
}

/**
 * How a wait ended: signed in here (the session is kept), a wrong number was picked on the other
 * device, or, for an account with a second factor (where the wait carried `secondFactorKey`),
 * approved but no session yet: the second step's ticket.
 */
export type ApprovalOutcome =
  | { status: 'approved'; user: User; session: VerifyResponse['session'] }
  | { status: 'refused' }
  | ({ status: 'second-factor' } & SecondFactorChallenge);

/** After a network error, the next wait goes after this pause: long enough not to hammer a server that is down, short against the server's 20 s "stopped waiting". */
const RETRY_MS = 2_000;

/**
 * Waits until the other device approves (the session is then kept, `method: 'link'`, as a link's)
 * or refuses: the long poll (`POST /approval/wait`, at most about 25 s), asked again on `waiting`
 * and, after a network error, after a short pause. Ends with `signal`, which hangs up the wait in
 * flight (the server then stops counting this browser as waiting) and resolves to null.
 * Errors: `expired_code` (the code's time is over), `invalid_approval`, `rate_limited` (too many
 * waits from this network); `invalid_link` from servers older than the answer that makes a used
 * code wait on like an unknown address's.
 */
export async function waitForApproval(
  keeper: SessionKeeper,
  { id, secret }: PendingApproval,
  signal?: AbortSignal,
  /** Times the pause after a network error: the element's own clock, which tests move. */
  clock: Clock = systemClock,
  /** Where the server has a second factor: the SHA-256 the browser keeps the bytes of (features/totp). */
  secondFactorKey?: string,
): Promise<ApiResult<ApprovalOutcome> | null> {
  while (!signal?.aborted) {
    const result = await call<ApprovalWaitResponse | (SecondFactorChallenge & { status: 'approved' })>(
      keeper,
      ApprovalPath.wait,
      { id, secret, ...(secondFactorKey && { secondFactorKey }) },
      signal,
    );
    if (signal?.aborted) break;
    if (!result.ok) {
      if (result.error.code !== 'network_error') return result;
      await pause(clock, RETRY_MS, signal);
      continue;
    }
    const answer = result.data;
    if (answer.status === 'waiting') continue;
    if ('secondFactor' in answer) return { ok: true, data: { status: 'second-factor', secondFactor: answer.secondFactor } };
    if (answer.status === 'approved') {
      const { user, session } = answer;
      keeper.keep({ ...session, user, method: 'link' });
      // The links of this browser's pending requests have done their job (as after a verify).
      forgetSecrets(keeper.api.base);
      return { ok: true, data: { status: 'approved', user, session } };
    }
    return { ok: true, data: { status: 'refused' } };
  }
  return null;
}

function pause(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clock.clearTimeout(timer), resolve()), { once: true });
  });
}

/** What asks to be approved, spending nothing. */
export const describeApproval = (keeper: SessionKeeper, token: string) => call<ApprovalDescription>(keeper, ApprovalPath.describe, { token });

/** Picks the number: the right one signs in the device that asked (this one gets no session) and spends the link. */
export const approve = (keeper: SessionKeeper, token: string, number: number) => call<ApprovalApproveResponse>(keeper, ApprovalPath.approve, { token, number });
