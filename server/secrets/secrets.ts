/**
 * Random values and keyed hashes for everything secret at rest.
 *
 * - Codes: `crypto.randomInt` draws each digit uniformly (no modulo bias); 6 digits by default
 *   (NIST 800-63B 5.1.1.2: at least 6 digits).
 * - Link and session tokens: 32 random bytes (256 bits, OWASP asks ≥ 128), base64url.
 * - At rest only HMAC-SHA256(secret, value) is stored, so a stolen data file yields neither a live
 *   code nor a session: without the server secret the 10^6 code space cannot even be brute-forced
 *   offline. Comparisons of hashes are constant-time.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export function randomCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += String(randomInt(10));
  return code;
}

/** 256 random bits as base64url (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** An id for records that is not a secret (users, sequences). */
export function randomId(): string {
  return randomBytes(12).toString('base64url');
}

export type Hasher = (value: string) => string;

/** Keyed hash used for codes, link tokens and session tokens at rest. */
export function createHasher(secret: string): Hasher {
  // Derive one key from the configured secret so the raw secret is never used as the HMAC key
  // for user-influenced input elsewhere.
  const key = createHash('sha256').update(`passwordless-login/at-rest/${secret}`).digest();
  return (value) => createHmac('sha256', key).update(value).digest('base64url');
}

/** Constant-time equality of two base64url hashes. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
