/**
 * The approval ticket's `id`: what the asking browser waits on, sealed (AES-256-GCM) with a key
 * derived from SECRET, so it needs no index in the store and tells its holder nothing. It holds
 * the address's key, the sequence, the expiry and the `approvalKey`; with the key inside, a wait
 * with a wrong secret is refused the same way whether or not anything was stored for the address
 * (an unknown address gets a ticket for a sequence that was never written, which simply waits
 * until its expiry), so the wait reveals no more than the request does.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { sameHash, type Hasher } from '../secrets/hasher.ts';

export interface SealedTicket {
  emailKey: string;
  sequenceId: string;
  /** The sequence's expiry, ms since the epoch: a ticket whose sequence was never stored waits until then. */
  expiresAt: number;
  /** base64url SHA-256 of the asking browser's secret. */
  keyHash: string;
}

// 12-byte nonce (GCM's own size; random, so 2^32 tickets per key stay far from a collision) and 16-byte tag.
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The sealing key, derived through the keyed hasher: every instance sharing SECRET opens every ticket. */
function sealingKey(hash: Hasher): Buffer {
  return Buffer.from(hash('approval-ticket/sealing-key'), 'base64url');
}

export function sealTicket(hash: Hasher, ticket: SealedTicket): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(hash), nonce);
  const body = Buffer.concat([cipher.update(JSON.stringify([ticket.emailKey, ticket.sequenceId, ticket.expiresAt, ticket.keyHash]), 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url');
}

/** The ticket, or null when `id` was not sealed here (or was changed). */
export function openTicket(hash: Hasher, id: string): SealedTicket | null {
  const bytes = Buffer.from(id, 'base64url');
  if (bytes.length <= NONCE_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(hash), bytes.subarray(0, NONCE_BYTES));
    decipher.setAuthTag(bytes.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    const text = Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    const [emailKey, sequenceId, expiresAt, keyHash] = JSON.parse(text) as [string, string, number, string];
    return { emailKey, sequenceId, expiresAt, keyHash };
  } catch {
    return null;
  }
}

/** Whether `secret` (base64url) is the one whose SHA-256 is `keyHash`, compared in constant time. */
export function secretMatches(secret: string, keyHash: string): boolean {
  return sameHash(createHash('sha256').update(Buffer.from(secret, 'base64url')).digest('base64url'), keyHash);
}
