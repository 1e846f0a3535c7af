/**
 * A passkey authenticator for the end-to-end tests: Chromium's virtual authenticator, driven over
 * the DevTools protocol's WebAuthn domain (playwright has no API of its own for it). It behaves
 * like a phone's or a laptop's built-in one: CTAP 2.1, "internal" (a platform authenticator, as
 * `authenticatorAttachment: 'platform'` asks), resident keys (discoverable credentials, which the
 * email step's autofill and the "Sign in with a passkey" button need), and a user verification
 * that always succeeds, with no prompt: `navigator.credentials.create/get` answer at once.
 *
 * An authenticator belongs to the page (the tab) it was added to, and stays with it across
 * navigations, to other origins too. Another page gets the same passkeys with `copyTo`.
 */
import type { CDPSession, Page } from 'playwright-core';

/** One credential as the authenticator holds it (the protocol's `WebAuthn.Credential`, bytes as base64). */
export interface VirtualCredential {
  /** Standard base64, as the protocol sends bytes; `credentialIdBase64url` turns it into the id the server knows. */
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  /** PKCS#8, base64: what `copyTo` hands to the other authenticator. */
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
  /** Holds `credential` from now on (one read from another authenticator). */
  addCredential(credential: VirtualCredential): Promise<void>;
  /** Adds the same credentials to a new authenticator of `page`: the same device, seen from another tab. */
  copyTo(page: Page): Promise<VirtualAuthenticator>;
  /** Whether user verification succeeds from now on (a failed fingerprint when false). */
  setUserVerified(verified: boolean): Promise<void>;
  /**
   * Whether it answers at once (the default). The virtual authenticator answers even an autofill
   * (conditional) request at once, where a person would first pick the passkey; with `false` such
   * a request stays pending, as on a real device until the person chooses, and a test can look at
   * the email step or click its passkey button first.
   */
  setAnswersAtOnce(answers: boolean): Promise<void>;
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
    async copyTo(other) {
      const copy = await addVirtualAuthenticator(other);
      for (const credential of await this.credentials()) await copy.addCredential(credential);
      return copy;
    },
    async addCredential(credential) {
      await cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
    },
    async setUserVerified(isUserVerified) {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified });
    },
    async setAnswersAtOnce(enabled) {
      await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled });
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
