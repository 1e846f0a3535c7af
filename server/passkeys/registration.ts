/**
 * Adding a passkey (WebAuthn registration), for the user of a fresh session (fresh-session.ts).
 *
 * Options: a discoverable credential (`residentKey: 'required'`, so the passkey can later sign in
 * with no address typed), user verification required (the passkey alone is then two factors: the
 * device and its PIN or biometric), no attestation (we trust no vendor list; a passkey is as good
 * as the email that enrolled it), and the user's passkeys excluded, so one authenticator is not
 * enrolled twice. The answer is checked by @simplewebauthn/server against our challenge, origins
 * and RP ID; only then is the challenge spent and the passkey stored.
 */
import { generateRegistrationOptions, verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { ApiError, type Locale } from '../../contract/index.ts';
import type { PasskeyCredentialJSON, PasskeyInfo, PasskeyOptionsResponse } from '../../contract/passkeys.ts';
import { notify } from '../login/hooks.ts';
import type { Mail } from '../mail/types.ts';
import { LoginError, rateLimited } from '../login/login-error.ts';
import { toPublicUser } from '../login/users.ts';
import type { PasskeyRecord, UserRecord } from '../store/types.ts';
import { sendPasskeyAddedNotice } from './added-notice.ts';
import { signedChallenge } from './client-data.ts';
import { enrollingUser } from './fresh-session.ts';
import { toPasskeyInfo, type PasskeyContext } from './passkey-context.ts';
import { verificationFailure } from './verification-failure.ts';

/**
 * 20 passkeys per user: a person with a phone, a laptop, a tablet and a few security keys, each
 * re-enrolled now and then, stays well under it, while the list (and each sign-in's exclude list)
 * stays small. A race of two registrations at 19 may end at 21; the cap bounds growth, not a count.
 */
export const MAX_PASSKEYS_PER_USER = 20;

/** The user handle stored in the passkey: the user id's bytes, never the address (WebAuthn §14.6.1: no personal data). */
export function userHandleOf(user: Pick<UserRecord, 'id'>): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(user.id, 'utf8'));
}

export async function registrationOptions(context: PasskeyContext, sessionToken: string | null): Promise<PasskeyOptionsResponse> {
  const user = await enrollingUser(context, sessionToken);
  const passkeys = await context.login.store.listPasskeys(user.id);
  if (passkeys.length >= MAX_PASSKEYS_PER_USER) throw LoginError.of(ApiError.tooManyPasskeys(MAX_PASSKEYS_PER_USER));
  const { rpId, rpName } = context.relyingParty;
  const options = await generateRegistrationOptions({
    rpName,
    rpID: rpId,
    userName: user.email,
    userDisplayName: user.email,
    userID: userHandleOf(user),
    challenge: context.challenges.issue('register', user.id),
    // The browser gives up when the challenge would be refused anyway.
    timeout: context.login.rules.codeTtlSeconds * 1000,
    attestationType: 'none',
    excludeCredentials: passkeys.map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
  });
  return { options: options as unknown as PasskeyOptionsResponse['options'] };
}

export interface RegisterInput {
  credential: PasskeyCredentialJSON;
  /** The name the person gave, or the device the User-Agent describes. */
  name: string;
  /** For the notice when the user's last sign-in says none (the request's Accept-Language). */
  locale: Locale;
}

export async function register(context: PasskeyContext, sessionToken: string | null, input: RegisterInput): Promise<PasskeyInfo> {
  const { store } = context.login;
  const user = await enrollingUser(context, sessionToken);
  const challenge = signedChallenge(input.credential);
  const opened = context.challenges.open(challenge, 'register', user.id);
  const { rpId, origins } = context.relyingParty;
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: input.credential as unknown as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: origins,
      expectedRPID: rpId,
      requireUserVerification: true,
    });
  } catch (error) {
    throw LoginError.of(verificationFailure(error));
  }
  if (!verified.verified) throw LoginError.of(ApiError.passkeyNotVerified('its attestation does not verify'));
  if ((await store.listPasskeys(user.id)).length >= MAX_PASSKEYS_PER_USER) throw LoginError.of(ApiError.tooManyPasskeys(MAX_PASSKEYS_PER_USER));
  // The notice's place in the mail queue is taken before anything is written: a passkey the owner
  // is never told of is what an intruder with a fresh session wants, so with the queue full the
  // answer is 503 mail_busy (Retry-After) and nothing is stored, as for a code request.
  const place = context.login.mailer.reserve();
  if (place.busy) {
    context.login.metrics?.mailBusy.inc();
    throw rateLimited(place.retryAfter, ApiError.mailBusy);
  }
  try {
    return await storePasskey(context, user, input, { claimKey: opened.claimKey, expiresAt: opened.expiresAt, verified: verified.registrationInfo }, place.send);
  } finally {
    place.release();
  }
}

interface VerifiedRegistration {
  claimKey: string;
  expiresAt: number;
  verified: Extract<Awaited<ReturnType<typeof verifyRegistrationResponse>>, { verified: true }>['registrationInfo'];
}

async function storePasskey(context: PasskeyContext, user: UserRecord, input: RegisterInput, registration: VerifiedRegistration, send: (mail: Mail) => void): Promise<PasskeyInfo> {
  const { store, clock } = context.login;
  const opened = registration;
  if (!(await store.claimOnce(opened.claimKey, opened.expiresAt))) throw LoginError.of(ApiError.passkeyChallengeUsed);
  const { credential, credentialBackedUp } = registration.verified;
  const passkey: PasskeyRecord = {
    id: credential.id,
    userId: user.id,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: credential.transports ?? [],
    backedUp: credentialBackedUp,
    name: input.name,
    createdAt: clock.now(),
    lastUsedAt: null,
  };
  if (!(await store.addPasskey(passkey))) throw LoginError.of(ApiError.passkeyAlreadyRegistered);
  context.audit?.passkeyAdded({ userId: user.id, credentialId: passkey.id });
  await sendPasskeyAddedNotice(context, user, passkey, input.locale, send);
  const info = toPasskeyInfo(passkey);
  await notify(context.login.logger, 'onPasskeyAdded', context.login.hooks.onPasskeyAdded, { user: toPublicUser(user), passkey: info });
  return info;
}
