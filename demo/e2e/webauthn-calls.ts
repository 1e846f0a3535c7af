/**
 * `navigator.credentials.create/get` called straight from a test, on any page, with the options a
 * passkey sign-in uses (a discoverable credential, user verification required): what the tests of
 * the virtual authenticator and of Related Origin Requests need, with no element in between.
 * The challenge is zeros: nothing here verifies an answer, only whether the browser gives one.
 */
import type { Page } from 'playwright-core';

/** What the browser answered, or the `DOMException`'s name and message when it refused. */
export type WebAuthnAnswer =
  | { ok: true; id: string; userHandle: string | null; flags: number }
  | { ok: false; error: string; message: string };

/** The authenticator data's flags byte (offset 32): user present, user verified, backup eligible, backed up. */
export const Flag = { userPresent: 0x01, userVerified: 0x04, backupEligible: 0x08, backedUp: 0x10 } as const;

export function createCredential(page: Page, rpId: string, userName: string): Promise<WebAuthnAnswer> {
  // No named function inside: tsx would wrap it in a helper the page does not have.
  return page.evaluate(async ({ rpId, userName }) => {
    try {
      const credential = (await navigator.credentials.create({
        publicKey: {
          rp: { id: rpId, name: 'test' },
          user: { id: new TextEncoder().encode(userName), name: userName, displayName: userName },
          challenge: new Uint8Array(32),
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        },
      })) as PublicKeyCredential;
      const response = credential.response as AuthenticatorAttestationResponse;
      return { ok: true as const, id: credential.id, userHandle: userName, flags: new Uint8Array(response.getAuthenticatorData())[32]! };
    } catch (error) {
      return { ok: false as const, error: (error as DOMException).name, message: (error as DOMException).message };
    }
  }, { rpId, userName });
}

/**
 * A sign-in with any discoverable credential of `rpId` (no allow list), as the passkey button
 * asks, or as the email field's autofill does with `mediation: 'conditional'`.
 */
export function getCredential(page: Page, rpId: string, mediation?: CredentialMediationRequirement): Promise<WebAuthnAnswer> {
  return page.evaluate(async ({ rpId, mediation }) => {
    try {
      const credential = (await navigator.credentials.get({ mediation, publicKey: { rpId, challenge: new Uint8Array(32), userVerification: 'required' } })) as PublicKeyCredential;
      const response = credential.response as AuthenticatorAssertionResponse;
      const userHandle = response.userHandle ? new TextDecoder().decode(response.userHandle) : null;
      return { ok: true as const, id: credential.id, userHandle, flags: new Uint8Array(response.authenticatorData)[32]! };
    } catch (error) {
      return { ok: false as const, error: (error as DOMException).name, message: (error as DOMException).message };
    }
  }, { rpId, mediation });
}

