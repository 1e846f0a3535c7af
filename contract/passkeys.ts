/**
 * The passkey part of the HTTP contract (issue: passkeys). Kept out of `ApiPath`, whose object the
 * core bundle carries byte for byte: only the passkey feature module imports these paths.
 *
 * Challenges are self-authenticating (random bytes, an expiry and the ceremony, MAC'd with a key
 * derived from SECRET), so asking for options writes nothing: a page that shows the email step
 * with passkey autofill costs the store no write. A challenge is spent (recorded once, until its
 * expiry, `Store.claimOnce`) only when an answer to it is verified.
 */

/** Paths relative to the base path (default `/auth`). */
export const PasskeyPath = {
  /** `POST {}`, no session: options for a sign-in with a discoverable passkey (`PasskeyOptionsResponse`). */
  signInOptions: '/passkey/sign-in/options',
  /** `POST PasskeySignInBody`: answers like `POST /verify` (`VerifyResponse`), `method: 'passkey'`. */
  signIn: '/passkey/sign-in',
  /** `POST {}`, fresh session (signed in by email code or link within 10 minutes): options to create one. */
  registerOptions: '/passkey/register/options',
  /** `POST PasskeyRegisterBody`, fresh session: stores the passkey, answers `201 PasskeyInfo`. */
  register: '/passkey/register',
  /** `GET`, session: `PasskeyListResponse`. */
  list: '/passkeys',
  /** `PATCH {name}` (rename, answers `PasskeyInfo`) or `DELETE` (204), session; `:id` is the credential ID. */
  item: '/passkeys/:id',
} as const;

/** WebAuthn Related Origin Requests: the embedding origins allowed to use the RP ID, at the root of the RP ID's host. */
export const PASSKEY_WELL_KNOWN_PATH = '/.well-known/webauthn';

/** `GET /.well-known/webauthn`. */
export interface RelatedOriginsResponse {
  origins: string[];
}

/** `200` from the two options routes: WebAuthn options in their JSON form (base64url for bytes). */
export interface PasskeyOptionsResponse {
  options: Record<string, unknown> & { challenge: string };
}

/** A credential's answer in its JSON form (`PublicKeyCredential.toJSON()`), bytes as base64url. */
export interface PasskeyCredentialJSON {
  id: string;
  rawId: string;
  type: 'public-key';
  response: Record<string, unknown>;
  authenticatorAttachment?: string | null;
  clientExtensionResults: Record<string, unknown>;
}

export interface PasskeySignInBody {
  credential: PasskeyCredentialJSON;
}

export interface PasskeyRegisterBody {
  credential: PasskeyCredentialJSON;
  /** What the person calls it; default: from the User-Agent ("Chrome on macOS"). At most 64 characters. */
  name?: string;
}

/** One passkey as its owner sees it. */
export interface PasskeyInfo {
  /** The credential ID, base64url. */
  id: string;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601, or null when never used to sign in. */
  lastUsedAt: string | null;
  /** Backed up to a cloud keychain (a multi-device, synced passkey). */
  synced: boolean;
}

export interface PasskeyListResponse {
  passkeys: PasskeyInfo[];
}

/** `PATCH /passkeys/:id`. */
export interface PasskeyRenameBody {
  name: string;
}

/**
 * The error codes only passkey calls answer with. The core's catalogs need no sentence for them:
 * the passkey module brings its own (in every language).
 */
export type PasskeyErrorCode = 'invalid_passkey' | 'unknown_passkey' | 'stale_session' | 'too_many_passkeys';
