/**
 * Access tokens over real HTTP, checked the way a host's backend would: the key set fetched from
 * `/.well-known/jwks.json`, the signature verified with `jsonwebtoken` (a JWT library other than
 * the jose that signs), time moved on the server's manual clock.
 */
import assert from 'node:assert/strict';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { getJson, postJson } from '../testing/api-client.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { AccessTokens } from './access-tokens.ts';
import { ManualClock } from '../time/clock.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ SECRET: 'a-test-secret-that-is-at-least-32-chars-long' });
});
afterEach(async () => {
  await h.close();
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const exchange = (session: string) => postJson(h.api('/token'), {}, bearer(session));
const nowSeconds = () => Math.floor(h.server.clock.now() / 1000);

type Jwk = JsonWebKey & { kid: string };

async function keySet(): Promise<Jwk[]> {
  const answer = await getJson(`${h.server.url}/.well-known/jwks.json`);
  assert.equal(answer.status, 200);
  return answer.body.keys;
}

/** What a host backend does: pick the key by `kid` from the published set, verify with jsonwebtoken. */
async function verifyAsHost(token: string, at = nowSeconds()): Promise<jwt.JwtPayload> {
  const { header } = jwt.decode(token, { complete: true })!;
  const jwk = (await keySet()).find((key) => key.kid === header.kid);
  if (!jwk) throw new Error(`kid ${header.kid} is not published`);
  const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  return jwt.verify(token, pem, { algorithms: ['ES256'], issuer: h.server.config.publicUrl, audience: h.server.config.publicUrl, clockTimestamp: at }) as jwt.JwtPayload;
}

describe('POST /auth/token', () => {
  it('exchanges a session for an ES256 JWT a host verifies with another JWT library and the published keys', async () => {
    const { token, user } = await h.signIn('ana@example.com');
    const answer = await exchange(token);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    const { accessToken, tokenType, expiresIn, expiresAt } = answer.body;
    assert.equal(tokenType, 'Bearer');
    assert.equal(expiresIn, 300);
    assert.equal(expiresAt, new Date((nowSeconds() + 300) * 1000).toISOString());
    const { header } = jwt.decode(accessToken, { complete: true })!;
    assert.equal(header.alg, 'ES256');
    assert.equal(header.typ, 'at+jwt');
    const claims = await verifyAsHost(accessToken);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.email, 'ana@example.com');
    assert.equal(claims.email_verified, true);
    assert.equal(claims.iat, nowSeconds());
    assert.equal(claims.exp, nowSeconds() + 300);
    assert.equal(typeof claims.jti, 'string');
    // Nothing secret rides along: no session token, no stored hashes.
    assert.doesNotMatch(Buffer.from(accessToken.split('.')[1], 'base64url').toString(), new RegExp(token));
  });

  it('answers 401 without a session, with an unknown one, and once the session is signed out', async () => {
    assert.equal((await postJson(h.api('/token'), {})).status, 401);
    assert.equal((await exchange('x'.repeat(43))).body.error.code, 'unauthenticated');
    const { token } = await h.signIn('ana@example.com');
    assert.equal((await exchange(token)).status, 200);
    assert.equal((await postJson(h.api('/logout'), {}, bearer(token))).status, 204);
    assert.equal((await exchange(token)).status, 401);
  });

  it('refuses a foreign page (403) and a body that is not JSON (415)', async () => {
    const { token } = await h.signIn('ana@example.com');
    const foreign = await postJson(h.api('/token'), {}, { ...bearer(token), Origin: 'https://evil.example' });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.error.code, 'forbidden_origin');
    const form = await fetch(h.api('/token'), { method: 'POST', headers: { ...bearer(token), 'Content-Type': 'text/plain' }, body: 'x' });
    assert.equal(form.status, 415);
  });

  it('gives no token for an expired session', async () => {
    const { token } = await h.signIn('ana@example.com');
    h.server.clock.advance(h.server.config.sessionTtlSeconds * 1000 + 1);
    assert.equal((await exchange(token)).status, 401);
  });

  it('never outlives its session: a session ending sooner than the lifetime ends the token with it', async () => {
    const { token } = await h.signIn('ana@example.com');
    const sessionEnd = Date.parse((await getJson(h.api('/session'), bearer(token))).body.session.expiresAt);
    h.server.clock.set(sessionEnd - 100_000);
    const { body } = await exchange(token);
    assert.equal(body.expiresIn, 100);
    // JWT times are whole seconds: the token ends at the session's last whole second, not after it.
    const endSecond = Math.floor(sessionEnd / 1000);
    assert.equal(body.expiresAt, new Date(endSecond * 1000).toISOString());
    assert.equal((await verifyAsHost(body.accessToken)).exp, endSecond);
  });

  it('issues tokens that expire: a host refuses one past its exp', async () => {
    const { token } = await h.signIn('ana@example.com');
    const { accessToken } = (await exchange(token)).body;
    await verifyAsHost(accessToken, nowSeconds() + 299);
    await assert.rejects(verifyAsHost(accessToken, nowSeconds() + 301), /jwt expired/);
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const { token } = await h.signIn('ana@example.com');
    const { accessToken } = (await exchange(token)).body;
    const [head, payload, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = [head, Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url'), signature].join('.');
    await assert.rejects(verifyAsHost(forged), /invalid signature/);
    await assert.rejects(h.server.backend.accessTokens.verify(forged));
  });
});

describe('key set and rotation', () => {
  it('publishes the previous, current and next key, public parts only, cacheable and readable from any origin', async () => {
    const answer = await getJson(`${h.server.url}/.well-known/jwks.json`);
    assert.match(answer.headers.get('content-type')!, /^application\/jwk-set\+json/);
    assert.equal(answer.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    assert.equal(answer.body.keys.length, 3);
    for (const key of answer.body.keys) {
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      assert.equal(key.alg, 'ES256');
    }
    assert.equal(new Set(answer.body.keys.map((k: Jwk) => k.kid)).size, 3);
    // The same set under the API's base path, for hosts that mount only the router.
    assert.deepEqual((await getJson(h.api('/jwks.json'))).body, answer.body);
  });

  it('rotates the signing key each period and keeps a token signed before the switch valid until it expires', async () => {
    const rotation = h.server.config.signingKeyRotationSeconds * 1000;
    // One minute before a switch.
    h.server.clock.set((Math.floor(h.server.clock.now() / rotation) + 1) * rotation - 60_000);
    const { token } = await h.signIn('ana@example.com');
    const before = (await exchange(token)).body.accessToken;
    const beforeKid = jwt.decode(before, { complete: true })!.header.kid;
    const setBefore = (await keySet()).map((k) => k.kid);
    assert.equal(setBefore[1], beforeKid, 'the current key is the middle one');

    h.server.clock.advance(120_000); // past the switch, within the old token's 5 minutes
    const after = (await exchange(token)).body.accessToken;
    const afterKid = jwt.decode(after, { complete: true })!.header.kid;
    assert.notEqual(afterKid, beforeKid, 'a new key signs after the switch');
    assert.equal(afterKid, setBefore[2], 'the new key was published a period ahead');
    assert.deepEqual((await keySet()).map((k) => k.kid).slice(0, 2), [beforeKid, afterKid]);
    assert.equal((await verifyAsHost(before)).email, 'ana@example.com', 'the old token still verifies');
    assert.equal((await h.server.backend.accessTokens.verify(before)).email, 'ana@example.com');
    await verifyAsHost(after);

    // Once a full period has passed, the old key is gone from the set (its tokens expired long ago).
    h.server.clock.advance(rotation);
    assert.ok(!(await keySet()).some((k) => k.kid === beforeKid));
    await assert.rejects(verifyAsHost(before, Math.floor(h.server.clock.now() / 1000) - rotation / 1000), /not published/);
  });
});

describe('signing keys', () => {
  const options = { issuer: 'https://login.example', audience: 'https://api.example', ttlSeconds: 300, rotationSeconds: 86_400 };

  it('are the same on every instance with the same secret, and differ with another secret', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 21));
    const a = new AccessTokens({ ...options, clock, secret: 's'.repeat(32) });
    const b = new AccessTokens({ ...options, clock, secret: 's'.repeat(32) });
    const other = new AccessTokens({ ...options, clock, secret: 't'.repeat(32) });
    assert.deepEqual(a.jwks(), b.jwks());
    const token = (await a.issue({ id: 'u1', email: 'ana@example.com', emailVerified: true })).accessToken;
    assert.equal((await b.verify(token)).sub, 'u1', 'one instance verifies what another signed');
    await assert.rejects(other.verify(token), /no applicable key|signature/i);
    assert.equal(other.jwks().keys.filter((k) => a.jwks().keys.some((o) => o.kid === k.kid)).length, 0);
  });

  it('refuses an unsigned token, another audience, another issuer, another typ and no exp', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 21));
    const tokens = new AccessTokens({ ...options, clock, secret: 's'.repeat(32) });
    const good = (await tokens.issue({ id: 'u1', email: 'ana@example.com', emailVerified: true })).accessToken;
    const [, payload] = good.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    await assert.rejects(tokens.verify(none));
    await assert.rejects(new AccessTokens({ ...options, clock, secret: 's'.repeat(32), audience: 'https://other.example' }).verify(good), /aud/);
    await assert.rejects(new AccessTokens({ ...options, clock, secret: 's'.repeat(32), issuer: 'https://other.example' }).verify(good), /iss/);
    const key = createPublicKey({ key: { ...tokens.jwks().keys[1]! }, format: 'jwk' });
    assert.ok(key, 'the published key imports');
    // Same key, but an ID-token-like typ: not an access token.
    const { SignJWT } = await import('jose');
    const { SigningKeys } = await import('./signing-keys.ts');
    const signing = new SigningKeys('s'.repeat(32), 86_400).signingKey(clock.now());
    const idToken = await new SignJWT({ email: 'ana@example.com' })
      .setProtectedHeader({ alg: 'ES256', kid: signing.kid, typ: 'JWT' })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject('u1')
      .setIssuedAt(Math.floor(clock.now() / 1000))
      .setExpirationTime(Math.floor(clock.now() / 1000) + 60)
      .sign(signing.privateKey);
    await assert.rejects(tokens.verify(idToken), /typ/);
    // Signed by our key, typed right, but without `exp`: a token that would never expire.
    const forever = await new SignJWT({ email: 'ana@example.com' })
      .setProtectedHeader({ alg: 'ES256', kid: signing.kid, typ: 'at+jwt' })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject('u1')
      .setIssuedAt(Math.floor(clock.now() / 1000))
      .sign(signing.privateKey);
    await assert.rejects(tokens.verify(forever), /exp/);
  });
});
