import type { PasskeyErrorCode } from '../../../contract/passkeys.ts';

/**
 * The passkey module's sentences. Unlike the link's, they are not in the languages' catalogs
 * (i18n/locales/, each near its 1,600 B budget): English is in the module, and every other
 * language is a file of the module's own (locales/<tag>.ts, built beside it as
 * `features/passkey-<tag>.js`), fetched with it only where the element speaks that language. A
 * page without passkeys pays for none of them.
 */
export interface PasskeyMessages {
  /** The email step's button (a modal prompt). */
  signInWithPasskey: string;
  /** The offer on the signed-in step, right after a sign-in by email. */
  offer: string;
  addPasskey: string;
  notNow: string;
  /** Said (politely) once a passkey is added. */
  added: string;
  /** The disclosure over the list. */
  passkeys: string;
  none: string;
  /** `date` is already in the language's own format. */
  created: (date: string) => string;
  lastUsed: (date: string) => string;
  neverUsed: string;
  /** Backed up to the person's cloud keychain, so on their other devices too. */
  synced: string;
  /** Kept on one device (a security key, a device-bound passkey). */
  thisDevice: string;
  rename: string;
  /** The label of the rename field. */
  nameLabel: string;
  save: string;
  cancel: string;
  remove: string;
  /** The confirmation before a removal. */
  confirmRemove: (name: string) => string;
  removed: string;
  /** The prompt failed for another reason than the person closing it (no authenticator, a refused origin). */
  failed: string;
  /** This device already holds a passkey of this person here. */
  exists: string;
  errors: Record<PasskeyErrorCode, string>;
}
