/**
 * Random values for codes, tokens and ids.
 *
 * - Codes: `crypto.randomInt` draws each digit uniformly (no modulo bias); 6 digits by default
 *   (NIST 800-63B 5.1.1.2: at least 6 digits).
 * - Link and session tokens: 32 random bytes (256 bits, OWASP asks ≥ 128), base64url.
 */
import { randomBytes, randomInt } from 'node:crypto';

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
