/**
 * A host's Koa app mounts the login service and protects a route of its own with access tokens
 * (demo/host-app/koa-host.ts, the README's example), over real HTTP and real SMTP, with time moved
 * on a manual clock: sign in, exchange the session, call the route; and the refusals.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Koa from 'koa';
import { startKoaHost, type KoaHost } from '../../demo/host-app/koa-host.ts';
import { requireAccessToken } from '../../demo/host-app/require-access-token.ts';
import { AccessTokens } from '../access/access-tokens.ts';
import { ManualClock } from '../time/clock.ts';
import { silentLogger } from '../observability/logger.ts';
import { getJson, postJson } from '../testing/api-client.ts';
import { codeIn, startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';

let dir: string;
let smtp: SmtpSink;
let host: KoaHost;
const clock = new ManualClock(Date.UTC(2026, 10, 21, 12));

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passwordless-koa-host-'));
  smtp = await startSmtpSink();
  host = await startKoaHost({ port: 0, dataFile: join(dir, 'data.json'), smtpUrl: smtp.url, logger: silentLogger, clock, secret: 'k'.repeat(40) });
});
after(async () => {
  await stop(host.server);
  await host.passwordless.close();
  await smtp.close();
  await rm(dir, { recursive: true, force: true });
});

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function signIn(email: string): Promise<string> {
  assert.equal((await postJson(`${host.url}/auth/request`, { email })).status, 202);
  const code = codeIn(await smtp.nextMail());
  const verified = await postJson(`${host.url}/auth/verify`, { email, code });
  assert.equal(verified.status, 200);
  return verified.body.session.token;
}

async function accessTokenFor(session: string): Promise<string> {
  const answer = await postJson(`${host.url}/auth/token`, {}, bearer(session));
  assert.equal(answer.status, 200);
  return answer.body.accessToken;
}

describe('a host route behind access tokens', () => {
  it('lets a signed-in visitor in with the token their session was exchanged for', async () => {
    const session = await signIn('ana@example.com');
    const profile = await getJson(`${host.url}/api/profile`, bearer(await accessTokenFor(session)));
    assert.equal(profile.status, 200);
    assert.equal(profile.body.email, 'ana@example.com');
    assert.equal(profile.body.id, (await host.passwordless.service.findSession(session))!.user.id);
  });

  it('refuses no token, a session token, a forged token and an expired one, with RFC 6750 headers', async () => {
    const session = await signIn('bo@example.com');
    const token = await accessTokenFor(session);
    const none = await getJson(`${host.url}/api/profile`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    assert.equal(none.body.error.code, 'unauthenticated');
    assert.equal((await getJson(`${host.url}/api/profile`, bearer(session))).status, 401, 'the session token is not an access token');
    const [head, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = [head, Buffer.from(JSON.stringify({ ...claims, email: 'admin@example.com' })).toString('base64url'), signature].join('.');
    assert.equal((await getJson(`${host.url}/api/profile`, bearer(forged))).status, 401);
    clock.advance(301_000);
    const expired = await getJson(`${host.url}/api/profile`, bearer(token));
    assert.equal(expired.status, 401);
    assert.match(expired.body.error.message, /expired/);
  });

  it('keeps accepting a token signed before a key rotation until it expires, and the new key after', async () => {
    const rotation = host.passwordless.config.signingKeyRotationSeconds * 1000;
    clock.set((Math.floor(clock.now() / rotation) + 1) * rotation - 30_000);
    const session = await signIn('cy@example.com');
    const before = await accessTokenFor(session);
    clock.advance(60_000);
    const after = await accessTokenFor(session);
    assert.notEqual(JSON.parse(Buffer.from(before.split('.')[0]!, 'base64url').toString()).kid, JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid);
    for (const token of [before, after]) assert.equal((await getJson(`${host.url}/api/profile`, bearer(token))).status, 200);
  });

  it('verifies offline: an API in another server goes on accepting tokens with the login service down', async () => {
    const session = await signIn('di@example.com');
    const token = await accessTokenFor(session);
    const other = new Koa();
    other.use(requireAccessToken({ jwksUrl: `${host.url}/.well-known/jwks.json`, issuer: host.url, audience: host.url, now: () => clock.now() }));
    other.use((ctx) => {
      ctx.body = ctx.state.user;
    });
    const server = createServer(other.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const otherUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      assert.equal((await getJson(otherUrl, bearer(token))).body.email, 'di@example.com');
      // Take the login service off the network: the key set is already held.
      host.server.close();
      host.server.closeAllConnections();
      assert.equal((await getJson(otherUrl, bearer(token))).status, 200);
    } finally {
      await stop(server);
    }
  });

  it('answers 503, not 401, when the key set cannot be fetched: nobody listening, or a proxy error', async () => {
    // A "proxy" that answers 502 to everything.
    const proxy = createServer((_req, res) => res.writeHead(502).end('Bad Gateway'));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/.well-known/jwks.json`;
    const forSomeone = (await signerOf().issue({ id: 'u', email: 'ana@example.com', emailVerified: true })).accessToken;
    try {
      for (const jwksUrl of ['http://127.0.0.1:9/.well-known/jwks.json', proxyUrl]) {
        const app = new Koa();
        app.use(requireAccessToken({ jwksUrl, issuer: host.url, audience: host.url, now: () => clock.now() }));
        const server = createServer(app.callback());
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        try {
          const answer = await getJson(`http://127.0.0.1:${(server.address() as { port: number }).port}`, bearer(forSomeone));
          assert.equal(answer.status, 503, jwksUrl);
        } finally {
          await stop(server);
        }
      }
    } finally {
      await stop(proxy);
    }
  });
});

/** A signer with the host's settings, to mint a token without HTTP (the login service is closed by then). */
function signerOf(): AccessTokens {
  const { config } = host.passwordless;
  return new AccessTokens({ secret: 'k'.repeat(40), clock, issuer: config.publicUrl, audience: config.accessTokenAudience, ttlSeconds: 300, rotationSeconds: config.signingKeyRotationSeconds });
}
