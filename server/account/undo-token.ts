/**
 * The token of the old address's "undo this change" link: self-authenticating, so the store keeps
 * nothing for it until it is used. Its body (the user id, the old address, the new address's
 * key, the expiry and a random id) is followed by an HMAC of it under a key derived from SECRET
 * (the keyed hasher, under its own prefix); any change to the body, or a token made without
 * SECRET, fails the comparison (constant time). Single use comes from the store: the undo claims
 * `email-change-undo:<id>` (Store.claimOnce) until the expiry, so a second use is refused on every
 * instance. It lives 7 days (EMAIL_CHANGE_UNDO_SECONDS), long enough for a holiday.
 */
import { sameHash, type Hasher } from '../secrets/hasher.ts';
import { randomId } from '../secrets/random.ts';

export interface UndoToken {
  userId: string;
  /** The address as the account had it before the change (the link goes there). */
  oldEmail: string;
  oldEmailKey: string;
  /** The key of the address it was changed to: an undo only undoes that change. */
  newEmailKey: string;
  /** Ms since the epoch. */
  expiresAt: number;
  /** Random: the key its single use is claimed under. */
  id: string;
}

const mac = (hash: Hasher, body: string) => hash(`email-change-undo/${body}`);

export function sealUndoToken(hash: Hasher, token: Omit<UndoToken, 'id'>): string {
  const body = Buffer.from(JSON.stringify([token.userId, token.oldEmail, token.oldEmailKey, token.newEmailKey, token.expiresAt, randomId()]), 'utf8').toString('base64url');
  return `${body}.${mac(hash, body)}`;
}

/** The token's content, or null when it was not made here or was changed (expiry not checked: the caller's clock decides). */
export function openUndoToken(hash: Hasher, token: string): UndoToken | null {
  const [body, tag, ...rest] = token.split('.');
  if (!body || !tag || rest.length > 0 || !sameHash(tag, mac(hash, body))) return null;
  try {
    const [userId, oldEmail, oldEmailKey, newEmailKey, expiresAt, id] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[];
    if (![userId, oldEmail, oldEmailKey, newEmailKey, id].every((value) => typeof value === 'string') || typeof expiresAt !== 'number') return null;
    return { userId, oldEmail, oldEmailKey, newEmailKey, expiresAt, id } as UndoToken;
  } catch {
    return null;
  }
}
