/**
 * Access tokens: short-lived JWTs (ES256, jose) a signed-in visitor's session is exchanged for,
 * so the host's own backend can tell who is calling without asking this service: it verifies the
 * signature against the published key set (`/.well-known/jwks.json`) offline.
 *
 * The claims follow RFC 9068 (JWT access tokens) where it fits: header `typ: at+jwt` (a token of
 * another kind signed with the same key cannot pass for one), `iss`, `aud`, `sub` (the user id),
 * `iat`, `exp`, `jti`, plus `email` and `email_verified`. They are bearer tokens: they stay valid
 * until `exp` even after the session is revoked, which is why they live minutes, not days.
 */
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Clock } from '../time/clock.ts';
import type { AccessTokenResponse, User } from '../../contract/index.ts';
import { SigningKeys, type PublicJwk } from './signing-keys.ts';

export const ACCESS_TOKEN_TYPE = 'at+jwt';

export interface AccessTokenOptions {
  /** The server secret (SECRET, or the generated one): the signing keys are derived from it. */
  secret: string;
  clock: Clock;
  /** The `iss` claim: the backend's public URL. */
  issuer: string;
  /** The `aud` claim: the host API the tokens are for. */
  audience: string;
  ttlSeconds: number;
  rotationSeconds: number;
}

/** What a verified access token says. */
export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  email: string;
  email_verified: boolean;
}

export class AccessTokens {
  readonly #keys: SigningKeys;
  readonly #options: AccessTokenOptions;

  constructor(options: AccessTokenOptions) {
    this.#options = options;
    this.#keys = new SigningKeys(options.secret, options.rotationSeconds);
  }

  /**
   * A signed token for `user`, valid for the configured lifetime from now, and never past
   * `sessionExpiresAt` (ms since the epoch), the end of the session it was exchanged for.
   */
  async issue(user: Pick<User, 'id' | 'email' | 'emailVerified'>, sessionExpiresAt = Infinity): Promise<AccessTokenResponse> {
    const { clock, issuer, audience, ttlSeconds } = this.#options;
    const now = clock.now();
    const key = this.#keys.signingKey(now);
    const issuedAt = Math.floor(now / 1000);
    const expiresAt = Math.min(issuedAt + ttlSeconds, Math.floor(sessionExpiresAt / 1000));
    const accessToken = await new SignJWT({ email: user.email, email_verified: user.emailVerified })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(user.id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { accessToken, tokenType: 'Bearer', expiresIn: expiresAt - issuedAt, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }

  /** The JSON Web Key Set to publish now: previous, current and next signing keys. */
  jwks(): { keys: PublicJwk[] } {
    return { keys: this.#keys.published(this.#options.clock.now()).map((key) => key.publicJwk) };
  }

  /**
   * Verifies a token in process (hosts that run this library): signature against the published
   * keys, `typ`, `iss`, `aud` and `exp` on the injected clock. Throws a jose error otherwise.
   */
  async verify(token: string): Promise<AccessTokenClaims> {
    const { clock, issuer, audience } = this.#options;
    // The published keys, by `kid`, as KeyObjects already: no JWK import per token.
    const published = this.#keys.published(clock.now());
    const keyFor = ({ kid }: { kid?: string }) => {
      const key = published.find((k) => k.kid === kid);
      if (!key) throw new errors.JWKSNoMatchingKey();
      return key.publicKey;
    };
    const { payload } = await jwtVerify(token, keyFor, {
      issuer,
      audience,
      typ: ACCESS_TOKEN_TYPE,
      algorithms: ['ES256'],
      requiredClaims: ['exp', 'iat', 'sub'],
      currentDate: new Date(clock.now()),
    });
    if (typeof payload.sub !== 'string' || typeof payload.email !== 'string') throw new TypeError('access token without sub or email');
    return payload as AccessTokenClaims;
  }
}
