/**
 * The two WebAuthn ceremonies, each the server's options, the browser's prompt and the server's
 * check of the answer: signing in with a passkey and adding one. Shared by the element's module
 * and the headless client. Neither throws: the prompt's own failures come back as a
 * {@link PromptFailure}, the server's as its error, like every other call of the client.
 */
import type { VerifyResponse } from '../../../contract/index.ts';
import type { PasskeyInfo } from '../../../contract/passkeys.ts';
import type { ApiResult } from '../../api/api-client.ts';
import type { SessionKeeper } from '../../session/session-keeper.ts';
import { register, registerOptions, signIn, signInOptions } from './passkey-calls.ts';
import { creationOptions, credentialJSON, requestOptions } from './webauthn-json.ts';

/**
 * What the browser's prompt can end in besides an answer:
 * - `passkey_cancelled`: the person closed it, chose nothing, or it timed out (`NotAllowedError`,
 *   which the browser also gives when no passkey of this site is on the device, so as not to tell
 *   a page which accounts exist), or the page aborted it (`AbortError`);
 * - `passkey_exists`: this device already holds a passkey of this user here (`InvalidStateError`,
 *   from the server's `excludeCredentials`);
 * - `passkey_failed`: anything else (no authenticator, a relying party this origin may not use).
 */
export type PromptErrorCode = 'passkey_cancelled' | 'passkey_exists' | 'passkey_failed';

export interface PromptFailure {
  ok: false;
  status: 0;
  error: { code: PromptErrorCode };
}

export type PasskeyResult<T> = ApiResult<T> | PromptFailure;

export interface SignInOptions {
  /** Passkey autofill: the prompt waits, quiet, for the person to pick a passkey in the email field's suggestions. */
  conditional?: boolean;
  /** Aborts the prompt (an autofill that should stop when the email step goes). */
  signal?: AbortSignal;
}

function promptFailure(error: unknown): PromptFailure {
  const name = (error as Error | null)?.name;
  const code = name === 'NotAllowedError' || name === 'AbortError' ? 'passkey_cancelled' : name === 'InvalidStateError' ? 'passkey_exists' : 'passkey_failed';
  return { ok: false, status: 0, error: { code } };
}

/** Signs in with a discoverable passkey; keeps the session as a code does. */
export async function signInWithPasskey(keeper: SessionKeeper, { conditional, signal }: SignInOptions = {}): Promise<PasskeyResult<VerifyResponse>> {
  const options = await signInOptions(keeper);
  if (!options.ok) return options;
  let credential: PublicKeyCredential;
  try {
    credential = (await navigator.credentials.get({
      publicKey: requestOptions(options.data.options),
      ...(conditional && { mediation: 'conditional' }),
      signal,
    })) as PublicKeyCredential;
  } catch (error) {
    return promptFailure(error);
  }
  return signIn(keeper, { credential: credentialJSON(credential) });
}

/** Adds a passkey for the signed-in user (the session must be fresh: signed in by email within 10 minutes). */
export async function addPasskey(keeper: SessionKeeper, name?: string): Promise<PasskeyResult<PasskeyInfo>> {
  const options = await registerOptions(keeper);
  if (!options.ok) return options;
  let credential: PublicKeyCredential;
  try {
    credential = (await navigator.credentials.create({ publicKey: creationOptions(options.data.options) })) as PublicKeyCredential;
  } catch (error) {
    return promptFailure(error);
  }
  return register(keeper, { credential: credentialJSON(credential), ...(name && { name }) });
}
