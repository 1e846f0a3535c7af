/**
 * The refusal for an answer that @simplewebauthn/server did not accept: `invalid_passkey` with a
 * fixed sentence naming the cause. The library's own message is never passed on: it quotes the
 * answer's origin and challenge, text the caller chose, and its wording may change with versions.
 */
import { ApiError, type ApiErrorEntry } from '../../contract/index.ts';

/** The first pattern the library's message matches names the cause, in the order its checks run. */
const CAUSES: ReadonlyArray<[RegExp, string]> = [
  [/response type/i, 'it answers another kind of request'],
  [/top origin|origin/i, 'it was made on a site this server does not serve'],
  [/RP ID/i, 'it was made for another relying party (RP ID)'],
  [/user verification|not present/i, 'the authenticator did not verify the person (a PIN, a fingerprint or a face)'],
  [/alg/i, 'its key type is not accepted'],
  [/attestation|format/i, 'its attestation is not accepted'],
];

export function verificationFailure(error: unknown): ApiErrorEntry {
  const message = error instanceof Error ? error.message : '';
  if (/counter value/i.test(message)) return ApiError.passkeyCloned;
  const cause = CAUSES.find(([pattern]) => pattern.test(message))?.[1] ?? 'it is malformed';
  return ApiError.passkeyNotVerified(cause);
}

/** A signature that does not verify (the library answers `verified: false` rather than throwing). */
export const BAD_SIGNATURE = ApiError.passkeyNotVerified('its signature is wrong');
