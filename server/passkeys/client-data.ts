/**
 * The challenge a credential's answer signed, read from its clientDataJSON before anything else,
 * so the ceremony knows which challenge to check (and later spend). The library reads the same
 * field again when it verifies the answer, against the challenge given here.
 */
import { ApiError } from '../../contract/index.ts';
import type { PasskeyCredentialJSON } from '../../contract/passkeys.ts';
import { LoginError } from '../login/login-error.ts';

export function signedChallenge(credential: PasskeyCredentialJSON): string {
  const clientDataJSON = credential.response.clientDataJSON;
  try {
    if (typeof clientDataJSON !== 'string') throw new TypeError('no clientDataJSON');
    const clientData: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    if (typeof challenge !== 'string') throw new TypeError('no challenge');
    return challenge;
  } catch {
    throw LoginError.of(ApiError.passkeyNotVerified('its client data is malformed'));
  }
}
