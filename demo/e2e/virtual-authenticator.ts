/**
 * A passkey authenticator for the end-to-end tests: Chromium's virtual authenticator, driven over
 * the DevTools protocol's WebAuthn domain (playwright has no API of its own for it). It behaves
 * like a phone's or a laptop's built-in one: CTAP 2.1, "internal" (a platform authenticator, as
 * `authenticatorAttachment: 'platform'` asks), resident keys (discoverable credentials, which the
 * email step's autofill and the "Sign in with a passkey" button need), and a user verification
 * that always succeeds, with no prompt: `navigator.credentials.create/get` answer at once.
 *
 * An authenticator belongs to the page (the tab) it was added to, and stays with it across
 * navigations, to other origins too: one device, whatever site the tab shows.
 */
import type { CDPSession, Page } from 'playwright-core';

/** One credential as the authenticator holds it (the protocol's `WebAuthn.Credential`, bytes as base64). */
export interface VirtualCredential {
  /** Standard base64, as the protocol sends bytes; `credentialIdBase64url` turns it into the id the server knows. */
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  /** PKCS#8, base64. */
  privateKey: string;
  userHandle?: string;
  signCount: number;
  backupEligibility?: boolean;
  backupState?: boolean;
  userName?: string;
  userDisplayName?: string;
}

export interface VirtualAuthenticator {
  readonly id: string;
  readonly page: Page;
  /** Every credential it holds, resident or not. */
  credentials(): Promise<VirtualCredential[]>;
  /** Forgets one credential (by its standard-base64 id), as a person deleting it from the device. */
  removeCredential(credentialId: string): Promise<void>;
  /** Removes the authenticator: the page then has none, and WebAuthn calls wait for one. */
  remove(): Promise<void>;
}

export interface AuthenticatorOptions {
  /** Credentials flagged as synced to a cloud keychain (backup eligible and backed up): default false, a device-bound one. */
  synced?: boolean;
}

/** Adds a virtual platform authenticator to `page`; WebAuthn calls in the page then use it, and no other. */
export async function addVirtualAuthenticator(page: Page, { synced = false }: AuthenticatorOptions = {}): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  // enableUI false: no account chooser to click through; with two or more matching passkeys the
  // virtual authenticator answers with the first, which is what a test of one passkey wants.
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      defaultBackupEligibility: synced,
      defaultBackupState: synced,
    },
  });
  return wrap(cdp, authenticatorId, page);
}

function wrap(cdp: CDPSession, authenticatorId: string, page: Page): VirtualAuthenticator {
  return {
    id: authenticatorId,
    page,
    async credentials() {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials;
    },
    async removeCredential(credentialId) {
      await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId });
    },
    async remove() {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
      await cdp.detach();
    },
  };
}

/** The protocol's standard base64 as the base64url WebAuthn and the server use for a credential ID. */
export function credentialIdBase64url(credentialId: string): string {
  return Buffer.from(credentialId, 'base64').toString('base64url');
}
