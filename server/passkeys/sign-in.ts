/**
 * Signing in with a passkey (WebAuthn authentication) with a discoverable credential: the options
 * name no credential, so the browser offers the person's passkeys for this RP ID (autofill or a
 * button), and the answer says which passkey signed and whose it is (the user handle).
 *
 * Order of the checks, cheapest and most telling first: our challenge (made here, for a sign-in,
 * unexpired), the passkey by credential ID, its user and the user handle, then the library's
 * checks (origin, RP ID, user verification, signature, counter). Only a verified answer spends its
 * challenge; the counter and the last use are then written in one atomic change, which checks the
 * counter again, so two concurrent answers of a cloned authenticator cannot both pass.
 */
import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { ApiError, type VerifyResponse } from '../../contract/index.ts';
import type { PasskeyCredentialJSON, PasskeyOptionsResponse } from '../../contract/passkeys.ts';
import { LoginError } from '../login/login-error.ts';
import { signInUser } from '../login/sessions.ts';
import type { PasskeyRecord } from '../store/types.ts';
import { signedChallenge } from './client-data.ts';
import type { PasskeyContext } from './passkey-context.ts';
import { userHandleOf } from './registration.ts';
import { BAD_SIGNATURE, verificationFailure } from './verification-failure.ts';

export async function signInOptions(context: PasskeyContext): Promise<PasskeyOptionsResponse> {
  const options = await generateAuthenticationOptions({
    rpID: context.relyingParty.rpId,
    challenge: context.challenges.issue('sign_in'),
    userVerification: 'required',
    // Conditional mediation waits on the email step for as long as the page is open: the browser
    // may keep the request that long, but the challenge is refused after CODE_TTL anyway.
    timeout: context.login.rules.codeTtlSeconds * 1000,
  });
  return { options: options as unknown as PasskeyOptionsResponse['options'] };
}

/** A counter that does not move forward while either side keeps one (WebAuthn §6.1.1): a cloned authenticator. */
function counterWentBack(stored: number, seen: number): boolean {
  return (stored > 0 || seen > 0) && seen <= stored;
}

export async function signIn(context: PasskeyContext, credential: PasskeyCredentialJSON): Promise<VerifyResponse> {
  const { store, clock } = context.login;
  const challenge = signedChallenge(credential);
  const opened = context.challenges.open(challenge, 'sign_in');
  const passkey = await store.findPasskey(credential.id);
  if (!passkey) throw LoginError.of(ApiError.unknownPasskey);
  const user = await store.findUserById(passkey.userId);
  // A blocked user's passkey answers as an unknown one: it names no one who may sign in.
  if (!user || user.blockedAt) throw LoginError.of(ApiError.unknownPasskey);
  const userHandle = credential.response.userHandle;
  if (typeof userHandle !== 'string' || userHandle !== Buffer.from(userHandleOf(user)).toString('base64url')) throw LoginError.of(ApiError.passkeyUserMismatch);
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response: credential as unknown as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: context.relyingParty.origins,
      expectedRPID: context.relyingParty.rpId,
      credential: { id: passkey.id, publicKey: Buffer.from(passkey.publicKey, 'base64url'), counter: passkey.counter, transports: passkey.transports },
      requireUserVerification: true,
    });
  } catch (error) {
    throw LoginError.of(verificationFailure(error));
  }
  if (!verified.verified) throw LoginError.of(BAD_SIGNATURE);
  if (!(await store.claimOnce(opened.claimKey, opened.expiresAt))) throw LoginError.of(ApiError.passkeyChallengeUsed);
  const { newCounter, credentialBackedUp } = verified.authenticationInfo;
  const now = clock.now();
  const outcome = await store.updatePasskey<'ok' | 'gone' | 'cloned'>(passkey.id, (current: PasskeyRecord | null) => {
    if (!current) return { next: null, result: 'gone' };
    if (counterWentBack(current.counter, newCounter)) return { next: current, result: 'cloned' };
    return { next: { ...current, counter: newCounter, backedUp: credentialBackedUp, lastUsedAt: now }, result: 'ok' };
  });
  if (outcome === 'gone') throw LoginError.of(ApiError.unknownPasskey);
  if (outcome === 'cloned') throw LoginError.of(ApiError.passkeyCloned);
  return signInUser(context.login, user, 'passkey');
}
