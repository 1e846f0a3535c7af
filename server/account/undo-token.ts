/**
 * The token of the old address's "undo this change" link: self-authenticating, so the store keeps
 * nothing for it until it is used. Its body (the user id, the old address, when the change was
 * made, and the user's undo epoch then: undo-epoch.ts) is followed by an HMAC of it under a key
 * derived from SECRET (the keyed hasher, under its own prefix); any change to the body, or a token
 * made without SECRET, fails the comparison (constant time).
 *
 * It is bound to the user and the change, not to the address the account has now: after A→B→C,
 * A's link still brings A back (a thief who moved the account on cannot shake the owner off). It
 * stops working after an undo of that user since its change (the epoch moved on; that also makes
 * it single use, on every instance), or 7 days after the change (EMAIL_CHANGE_UNDO_SECONDS, long
 * enough for a holiday).
 *
 * Only what cannot be derived is in it: the old address's key is its normalised form, the expiry
 * the change's time + 7 days, and the new address is not needed at all. For an address of 254
 * characters (the most RFC 5321 allows) the JSON is at most 1 + 26 (a user id of up to 24,
 * quoted) + 1 + 2 + 254 × 6 (every character escaped as \uXXXX at worst: 1,524) + 1 + 16 (ms)
 * + 1 + 10 (the epoch) + 1 = 1,583 bytes, 2,111 characters of base64url: the schema bounds the
 * body at 2,200 (account-schemas.ts). A plain ASCII address of 254 characters: about 400.
 */
import { EMAIL_CHANGE_UNDO_SECONDS } from '../../contract/account.ts';
import { sameHash, type Hasher } from '../secrets/hasher.ts';

export interface UndoToken {
  userId: string;
  /** The address as the account had it before the change (the link goes there). */
  oldEmail: string;
  /** When the change was confirmed, ms since the epoch: the passkeys added since go with an undo. */
  changedAt: number;
  /** The user's undo epoch when the change was confirmed (undo-epoch.ts). */
  epoch: number;
}

const mac = (hash: Hasher, body: string) => hash(`email-change-undo/${body}`);

/** When the link stops working: 7 days after the change. */
export function undoExpiresAt(token: Pick<UndoToken, 'changedAt'>): number {
  return token.changedAt + EMAIL_CHANGE_UNDO_SECONDS * 1000;
}

export function sealUndoToken(hash: Hasher, token: UndoToken): string {
  const body = Buffer.from(JSON.stringify([token.userId, token.oldEmail, token.changedAt, token.epoch]), 'utf8').toString('base64url');
  return `${body}.${mac(hash, body)}`;
}

/** The token's content, or null when it was not made here or was changed (expiry not checked: the caller's clock decides). */
export function openUndoToken(hash: Hasher, token: string): UndoToken | null {
  const [body, tag, ...rest] = token.split('.');
  if (!body || !tag || rest.length > 0 || !sameHash(tag, mac(hash, body))) return null;
  try {
    const [userId, oldEmail, changedAt, epoch] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[];
    if (typeof userId !== 'string' || typeof oldEmail !== 'string' || !Number.isSafeInteger(changedAt) || !Number.isSafeInteger(epoch)) return null;
    return { userId, oldEmail, changedAt: changedAt as number, epoch: epoch as number };
  } catch {
    return null;
  }
}
