/**
 * Recovery codes: ten, `xxxxx-xxxxx` in lower-case base32 (50 random bits each: at the shared cap
 * of 5 wrong codes per address, a guess succeeds with odds of 10 in 2^50). Kept only as keyed
 * hashes bound to the user (`recovery:<userId>:<code>`), so a stolen data file holds none, and one
 * user's code hashes to nothing another user has. Typed with or without the dash, in any case.
 */
import { randomInt } from 'node:crypto';
import type { Hasher } from '../secrets/hasher.ts';
import { sameHash } from '../secrets/hasher.ts';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function newRecoveryCodes(): string[] {
  const half = () => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => `${half()}-${half()}`);
}

/** The form hashed: lower case, no dash or spaces. */
function normalised(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

export function recoveryCodeHash(hash: Hasher, userId: string, code: string): string {
  return hash(`recovery:${userId}:${normalised(code)}`);
}

/** The hashes left once `code` is used, or null when it is none of them. */
export function withoutRecoveryCode(hash: Hasher, userId: string, hashes: readonly string[], code: string): string[] | null {
  const typed = recoveryCodeHash(hash, userId, code);
  const index = hashes.findIndex((stored) => sameHash(stored, typed));
  return index === -1 ? null : hashes.filter((_, i) => i !== index);
}
