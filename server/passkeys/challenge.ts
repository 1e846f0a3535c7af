/**
 * WebAuthn challenges that need no storage until they are answered: each carries its ceremony,
 * its expiry, for a registration the user it was issued to, and 128 random bits, MAC'd with a key
 * derived from SECRET. Asking for options therefore writes nothing (a page that offers passkey
 * autofill on every visit costs the store no write), and any instance sharing SECRET can check an
 * answer. A challenge is spent (`Store.claimOnce` of its random part, until its expiry) only once
 * an answer to it has been verified, so a replay of that answer is refused.
 *
 * The challenge the browser signs is the UTF-8 text `v1.<ceremony>.<expiresAt>.<userId>.<nonce>.<mac>`
 * (about 110 bytes; WebAuthn asks for at least 16 random ones, and the nonce alone has 16).
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { ApiError, type ApiErrorEntry } from '../../contract/index.ts';
import { LoginError } from '../login/login-error.ts';
import { sameHash } from '../secrets/hasher.ts';
import type { Clock } from '../time/clock.ts';

export type Ceremony = 'sign_in' | 'register';

/** What a verified challenge says. */
export interface OpenedChallenge {
  /** The key to spend it under (`Store.claimOnce`). */
  claimKey: string;
  expiresAt: number;
}

export interface Challenges {
  /** A fresh challenge for `ceremony` (and, for a registration, `userId`), as bytes for the options. */
  issue(ceremony: Ceremony, userId?: string): Uint8Array<ArrayBuffer>;
  /**
   * The challenge as a browser returned it (base64url, from clientDataJSON), checked: made here,
   * unchanged, for this ceremony and user, not expired. Throws `invalid_passkey` with the cause.
   */
  open(challenge: string, ceremony: Ceremony, userId?: string): OpenedChallenge;
}

const VERSION = 'v1';

export function createChallenges(secret: string, clock: Clock, ttlSeconds: number): Challenges {
  // Its own key, as the access-token keys have theirs: a MAC made for a challenge can never be
  // taken for a hash at rest or a signature elsewhere.
  const key = Buffer.from(hkdfSync('sha256', secret, 'passwordless-login/passkey-challenges/v1', 'mac', 32));
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  const refuse = (entry: ApiErrorEntry): never => {
    throw LoginError.of(entry);
  };
  return {
    issue(ceremony, userId = '') {
      const payload = [VERSION, ceremony, String(clock.now() + ttlSeconds * 1000), userId, randomBytes(16).toString('base64url')].join('.');
      return new Uint8Array(Buffer.from(`${payload}.${mac(payload)}`, 'utf8'));
    },
    open(challenge, ceremony, userId = '') {
      const text = /^[A-Za-z0-9_-]{1,400}$/.test(challenge) ? Buffer.from(challenge, 'base64url').toString('utf8') : '';
      const parts = text.split('.');
      if (parts.length !== 6 || parts[0] !== VERSION) return refuse(ApiError.passkeyChallengeUnknown);
      const [, kind, expiry, owner, nonce, tag] = parts as [string, string, string, string, string, string];
      if (!sameHash(tag, mac(parts.slice(0, 5).join('.')))) return refuse(ApiError.passkeyChallengeUnknown);
      if (kind !== ceremony) return refuse(ApiError.passkeyChallengeOtherCeremony);
      if (owner !== userId) return refuse(ApiError.passkeyChallengeOtherUser);
      const expiresAt = Number(expiry);
      if (!(expiresAt > clock.now())) return refuse(ApiError.passkeyChallengeExpired);
      return { claimKey: `passkey-challenge:${nonce}`, expiresAt };
    },
  };
}
