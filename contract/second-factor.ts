/**
 * A second factor for the accounts that turn it on (issue: authenticator-app codes, TOTP, as
 * Meteor's accounts-2fa offers). Kept out of `ApiPath`, whose object the core bundle carries byte
 * for byte: only the `totp` feature module imports these paths.
 *
 * RFC 6238: SHA-1, 30-second steps, 6 digits, one step either side accepted; each code used at
 * most once. Ten recovery codes, shown once, kept only as hashes, each used once.
 *
 * **Sign-in of an account with it on.** The first factor (an email code, a link, an approval
 * collected) does not answer with a session but with a `SecondFactorChallenge`: a ticket for 5
 * minutes that grants nothing but `POST /second-factor`, where the app's code (or a recovery code)
 * turns it into the session. The ticket is bound to the browser that did the first factor: its
 * first-factor body carried `secondFactorKey`, the SHA-256 of 32 random bytes it keeps, and only
 * those bytes (`secret`) complete it. A client that sends no key gets `403 second_factor_required`
 * and no ticket (an old client cannot be half signed in). A passkey sign-in (user verification: a
 * possession and a biometric or PIN) is strong enough on its own and answers with the session.
 * Wrong app codes count with wrong email codes against the same cap.
 */
import type { VerifyResponse } from './bodies.ts';

/** Paths relative to the base path (default `/auth`). */
export const SecondFactorPath = {
  /** `GET`, session → `TotpStatus`. */
  status: '/totp',
  /** `POST {}`, fresh session (10 minutes, as for a passkey) → `TotpSetup`: a new secret, not on until confirmed; writes nothing. */
  setup: '/totp/setup',
  /** `POST TotpEnableBody`, fresh session → `TotpRecoveryCodes`: on; a notice mail goes to the user. */
  enable: '/totp/enable',
  /** `POST TotpProofBody`, session → `204`: off; a notice mail goes to the user. */
  disable: '/totp/disable',
  /** `POST TotpProofBody`, session → `TotpRecoveryCodes`: ten new codes; the old ones stop working. */
  recoveryCodes: '/totp/recovery-codes',
  /** `POST SecondFactorBody`, no session → `VerifyResponse` (the session, `method` of the first factor). */
  complete: '/second-factor',
} as const;

/** Added to a first-factor body (`POST /verify`, `POST /approval/wait`). */
export interface SecondFactorKeyed {
  /** base64url SHA-256 (43 characters) of 32 random bytes the browser keeps until it completes. */
  secondFactorKey?: string;
}

/** `200` from a first factor of an account with a second factor: no session yet. */
export interface SecondFactorChallenge {
  secondFactor: {
    /** Opaque (sealed by the server), at most 1,024 characters; single use. */
    ticket: string;
    /** Seconds it stays valid: 300. */
    expiresIn: number;
  };
}

/** What a first factor answers: the session, or the second step. */
export type FirstFactorResponse = VerifyResponse | SecondFactorChallenge;

/** `POST /second-factor`: exactly one of `code` and `recoveryCode`. */
export interface SecondFactorBody {
  ticket: string;
  /** The 32 bytes whose SHA-256 was `secondFactorKey`, base64url (43 characters). */
  secret: string;
  code?: string;
  recoveryCode?: string;
}

/** `GET /totp`. */
export interface TotpStatus {
  enabled: boolean;
  /** ISO 8601, when it was turned on; null when off. */
  enabledAt: string | null;
  /** Recovery codes not yet used (0 when off). */
  recoveryCodesLeft: number;
}

/** `200` from `POST /totp/setup`. */
export interface TotpSetup {
  /** The secret in base32 (RFC 4648, no padding), for people who type it in. */
  secret: string;
  /** `otpauth://totp/<issuer>:<address>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`. */
  uri: string;
  /** The URI as a QR code: an SVG document (no script, no style attribute), drawn by the server. */
  qrSvg: string;
  /** Seals the secret until it is confirmed (10 minutes): sent back with the first code. */
  setupToken: string;
}

/** `POST /totp/enable`. */
export interface TotpEnableBody {
  setupToken: string;
  /** The app's current code. */
  code: string;
}

/** `POST /totp/disable` and `/totp/recovery-codes`: exactly one of them. */
export interface TotpProofBody {
  code?: string;
  recoveryCode?: string;
}

/** `200` from `POST /totp/enable` and `/totp/recovery-codes`: shown once, never again. */
export interface TotpRecoveryCodes {
  /** Ten codes, `xxxxx-xxxxx` (base32 lower case). */
  recoveryCodes: string[];
}

/**
 * The error codes only the second factor's calls (and a first factor of an account with one)
 * answer with. The core's catalogs need no sentence for them: the `totp` module brings its own.
 */
export type SecondFactorErrorCode = 'second_factor_required' | 'second_factor_setup_required' | 'invalid_second_factor' | 'totp_already_enabled' | 'totp_not_enabled' | 'invalid_totp_setup';
