/**
 * RFC 6238 codes with `otpauth`: SHA-1, 30-second steps, 6 digits (what every authenticator app
 * reads from a QR code), one step either side accepted for a phone's clock that is 30 s off.
 * The time is the injected clock's, so the tests move it instead of sleeping.
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
/** Steps accepted either side of now: ±1 (RFC 6238 5.2 recommends at most one). */
const WINDOW = 1;

/** 160 random bits (RFC 4226 4: at least 128, 160 recommended), as base32 without padding. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpOf(base32: string, label = 'user', issuer = ''): TOTP {
  return new TOTP({ issuer, label, secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS });
}

/** The step a code belongs to when it is right at `now` (±1 step), or null. Six digits only. */
export function matchingStep(base32: string, code: string, now: number): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const delta = totpOf(base32).validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** The `otpauth://totp/<issuer>:<address>?…` URI an app reads from the QR code. */
export function totpUri(base32: string, issuer: string, address: string): string {
  return totpOf(base32, address, issuer).toString();
}

/** The code of `base32` at `timestamp` (tests and the library's own checks). */
export function totpCodeAt(base32: string, timestamp: number): string {
  return totpOf(base32).generate({ timestamp });
}
