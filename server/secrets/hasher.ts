/**
 * Keyed hashes for everything secret at rest: only HMAC-SHA256(key, value) of codes, link tokens
 * and session tokens is stored, so a stolen data file yields neither a live code nor a session:
 * without the server secret the 10^6 code space cannot even be brute-forced offline.
 * Comparisons of hashes are constant-time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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
