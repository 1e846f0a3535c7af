/**
 * The second factor's routes (`SecondFactorPath`, contract/second-factor.ts) through the element's
 * own API client, for the element's totp module and the headless client alike: the first factor
 * with the browser's key, its completion with the app's code, and the signed-in person's status,
 * setup, enable, disable and new recovery codes. The paths stay out of the core's `ApiPath`: only
 * code that imports this file carries them.
 */
import type { VerifyBody, VerifyResponse } from '../../../contract/index.ts';
import {
  SecondFactorPath,
  type FirstFactorResponse,
  type TotpRecoveryCodes,
  type TotpSetup,
  type TotpStatus,
} from '../../../contract/second-factor.ts';
import type { ApiResult } from '../../api/api-client.ts';
import { digitsOf } from '../../flow/code-digits.ts';
import { forgetSecrets } from '../../magic-link/request-secret.ts';
import type { SessionKeeper } from '../../session/session-keeper.ts';
import { newApprovalKey } from '../approval/approval-calls.ts';
import { isChallenge } from './challenge.ts';

/** The first factor's `POST /verify`, which the module sends in place of the keeper's own. */
const VERIFY = '/verify';

/** One call with the kept session's token (none in cookie mode: the cookie goes instead). */
function call<T>(keeper: SessionKeeper, path: string, body?: object): Promise<ApiResult<T>> {
  return keeper.api.call(path as never, body as never, keeper.stored?.token) as Promise<ApiResult<T>>;
}

/** What this browser keeps of a first factor the server answered with the second step: in memory only. */
export interface PendingSecondFactor {
  ticket: string;
  /** The 32 bytes whose SHA-256 went as `secondFactorKey`. */
  secret: string;
  /** How the first factor was done: the session's `method` once the second step is done. */
  method: 'code' | 'link';
  /** When the ticket stops working, on the caller's clock (ms). */
  expiresAt: number;
}

/** What a first factor came to: the session (kept), the second step (`pending`), or the server's error. */
export type FirstFactorResult = ApiResult<FirstFactorResponse> & { pending?: PendingSecondFactor };

/**
 * `POST /verify` with `secondFactorKey`: the SHA-256 of 32 fresh random bytes (the same pair as an
 * approval's key), kept here until the second step. A session is kept as the keeper keeps one
 * (session-keeper.ts `verify`); a challenge keeps nothing and comes back with `pending`. Where
 * `crypto.subtle` is missing (plain http other than localhost), no key goes: an account with a
 * second factor then answers `second_factor_required`.
 */
export async function verifyFirstFactor(keeper: SessionKeeper, body: VerifyBody, method: 'code' | 'link', now: number): Promise<FirstFactorResult> {
  const pair = await newApprovalKey();
  const keyed = { ...body, ...(pair && { secondFactorKey: pair.key }) };
  const result = (await keeper.api.call(VERIFY as never, keyed as never)) as ApiResult<FirstFactorResponse>;
  if (!result.ok) return result;
  const data = result.data;
  if (isChallenge(data)) {
    const { ticket, expiresIn } = data.secondFactor;
    return { ...result, pending: { ticket, secret: pair!.secret, method, expiresAt: now + expiresIn * 1000 } };
  }
  keeper.keep({ ...data.session, user: data.user, method });
  // The links of this browser's pending requests have done their job (as after the keeper's verify).
  forgetSecrets(keeper.api.base);
  return result;
}

/** The proof of the second step, or of a change to it: the app's 6 digits, or a recovery code. */
export type SecondFactorProof = { code: string } | { recoveryCode: string };

/** The proof as the server wants it: the digits of an app code; a recovery code trimmed and in lower case. */
function proofOf(proof: SecondFactorProof): { code: string } | { recoveryCode: string } {
  return 'code' in proof ? { code: digitsOf(proof.code) } : { recoveryCode: proof.recoveryCode.trim().toLowerCase() };
}

/** `POST /second-factor`: the session, kept (`method` of the first factor) where the keeper keeps every session. */
export const completeSecondFactor = (keeper: SessionKeeper, pending: PendingSecondFactor, proof: SecondFactorProof): Promise<ApiResult<VerifyResponse>> =>
  keeper.verify({ ticket: pending.ticket, secret: pending.secret, ...proofOf(proof) } as never, pending.method, SecondFactorPath.complete);

/** Whether the signed-in person has it on, since when, and how many recovery codes are left. */
export const totpStatus = (keeper: SessionKeeper) => call<TotpStatus>(keeper, SecondFactorPath.status);

/** A new secret, its QR code and the token that seals it until confirmed (a fresh session: else `stale_session`). */
export const setupTotp = (keeper: SessionKeeper) => call<TotpSetup>(keeper, SecondFactorPath.setup, {});

/** The app's first code: on, and the ten recovery codes, to show once. */
export const enableTotp = (keeper: SessionKeeper, setupToken: string, code: string) =>
  call<TotpRecoveryCodes>(keeper, SecondFactorPath.enable, { setupToken, code: digitsOf(code) });

/** Off, with a current app code or a recovery code. */
export const disableTotp = (keeper: SessionKeeper, proof: SecondFactorProof) => call<null>(keeper, SecondFactorPath.disable, proofOf(proof));

/** Ten new recovery codes (the old ones stop working), with a current app code or a recovery code. */
export const newRecoveryCodes = (keeper: SessionKeeper, proof: SecondFactorProof) =>
  call<TotpRecoveryCodes>(keeper, SecondFactorPath.recoveryCodes, proofOf(proof));
