/**
 * The ES256 keys that sign access tokens, one per rotation period, derived from the server secret.
 *
 * Why derived and not stored: every instance behind a load balancer (JSON or Redis store alike)
 * computes the same key for the same period from SECRET, so there is no key store to share, no
 * rotation job to run and no race between instances at the switch. Rotation is the clock: period
 * `p = floor(now / rotation)` signs with key `p`. The key set publishes `p - 1` (tokens signed just
 * before the switch stay verifiable until they expire: a token lives at most an hour, a period at
 * least a day), `p` and `p + 1` (verifiers that cache the set already hold the next key when it
 * starts signing). Leaking SECRET leaks these keys too, as it already leaks every hash at rest;
 * replacing SECRET replaces the keys (and ends every session, which is what a leak calls for).
 *
 * The private scalar comes from HKDF-SHA256 (48 bytes, reduced mod n − 1, plus 1: in range with a
 * bias below 2^-128, FIPS 186-5 A.2.1's "extra random bits" method).
 */
import { createECDH, createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';

/** The order of the P-256 group. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export interface SigningKey {
  /** The RFC 7638 thumbprint of the public key: the `kid` in token headers and in the key set. */
  kid: string;
  /** The rotation period this key signs in. */
  period: number;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as published: `{kty, crv, x, y, kid, use, alg}`. */
  publicJwk: PublicJwk;
}

export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  use: 'sig';
  alg: 'ES256';
}

export class SigningKeys {
  readonly #secret: string;
  readonly #rotationMs: number;
  /** The few periods in use (previous, current, next): derivation costs a key generation each. */
  readonly #cache = new Map<number, SigningKey>();

  constructor(secret: string, rotationSeconds: number) {
    this.#secret = secret;
    this.#rotationMs = rotationSeconds * 1000;
  }

  periodAt(nowMs: number): number {
    return Math.floor(nowMs / this.#rotationMs);
  }

  /** The key that signs at `nowMs`. */
  signingKey(nowMs: number): SigningKey {
    return this.#key(this.periodAt(nowMs));
  }

  /** The keys a verifier should accept at `nowMs`: previous, current and next period. */
  published(nowMs: number): SigningKey[] {
    const period = this.periodAt(nowMs);
    return [period - 1, period, period + 1].map((p) => this.#key(p));
  }

  #key(period: number): SigningKey {
    let key = this.#cache.get(period);
    if (!key) {
      key = deriveKey(this.#secret, period);
      if (this.#cache.size >= 8) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(period, key);
    }
    return key;
  }
}

function deriveKey(secret: string, period: number): SigningKey {
  const okm = Buffer.from(hkdfSync('sha256', secret, 'passwordless-login/access-token-keys/v1', `period:${period}`, 48));
  const scalar = (BigInt(`0x${okm.toString('hex')}`) % (P256_ORDER - 1n)) + 1n;
  const d = Buffer.from(scalar.toString(16).padStart(64, '0'), 'hex');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey(); // 0x04 ‖ x ‖ y
  const x = point.subarray(1, 33).toString('base64url');
  const y = point.subarray(33, 65).toString('base64url');
  const privateKey = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', x, y, d: d.toString('base64url') }, format: 'jwk' });
  // RFC 7638: the SHA-256 of the required members in lexicographic order, no whitespace.
  const kid = createHash('sha256').update(JSON.stringify({ crv: 'P-256', kty: 'EC', x, y })).digest('base64url');
  return {
    kid,
    period,
    privateKey,
    publicKey: createPublicKey(privateKey),
    publicJwk: { kty: 'EC', crv: 'P-256', x, y, kid, use: 'sig', alg: 'ES256' },
  };
}
