/**
 * Attack: forged, stolen, expired and revoked sessions; login and logout CSRF in cookie mode;
 * and what a stolen data file yields (nothing live).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJson, tokenOf } from '../testing/api-client.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { assertError, assertRefusedSafely, assertStillSound, dataFileText, freshEmail, rawHttp, requestCode, settle, signIn, storeOnDisk } from '../testing/attack-kit.ts';

const DAY = 86_400_000;

async function session(h: Harness, headers: Record<string, string>) {
  return getJson(h.api('/session'), headers);
}

describe('attack: bearer sessions', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('refuses a made-up, well-formed bearer token with 401 unauthenticated', async () => {
    for (const token of ['A'.repeat(43), 'x'.repeat(20), 'abcdefghijklmnopqrstuvwxyz0123456789_-ABCDEFG']) {
      const answer = await session(h, { Authorization: `Bearer ${token}` });
      assertError(answer, 401, 'unauthenticated');
    }
  });

  it('refuses malformed Authorization headers with 401, never a 5xx', async () => {
    const { token } = await signIn(h, freshEmail('malformed'));
    for (const value of ['Bearer', 'Bearer ', `bearer ${token}`, `Basic ${token}`, `Bearer ${token} ${token}`, `Bearer  ${token}`, `Bearer ${token}%00`, `Bearer ${'x'.repeat(5000)}`, 'Bearer ../../etc/passwd', `Bearer ${token.slice(0, -1)}`, `Token ${token}`]) {
      const answer = await session(h, { Authorization: value });
      assertError(answer, 401, 'unauthenticated');
    }
    const raw = await rawHttp(h.api('/session'), { headers: { Authorization: `Bearer ${token}\u00e9` } });
    assert.equal(raw.status, 401);
  });

  it('does not take the token from a query string or a cookie in bearer mode', async () => {
    const { token } = await signIn(h, freshEmail('query'));
    assertError(await getJson(`${h.api('/session')}?token=${token}&access_token=${token}`), 401, 'unauthenticated');
    assertError(await session(h, { Cookie: `__Host-pl_session=${token}` }), 401, 'unauthenticated');
  });

  it('revokes the session on logout, on the server; a second logout is harmless', async () => {
    const email = freshEmail('logout');
    const { token } = await signIn(h, email);
    h.server.clock.advance(61_000);
    const other = await signIn(h, email);
    const logout = await fetch(h.api('/logout'), { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    assert.equal(logout.status, 204);
    assertError(await session(h, { Authorization: `Bearer ${token}` }), 401, 'unauthenticated');
    assert.equal((await fetch(h.api('/logout'), { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).status, 204);
    assert.equal((await session(h, { Authorization: `Bearer ${other.token}` })).status, 200, 'only that session ended');
  });

  it('ends a session after 30 days', async () => {
    const { token } = await signIn(h, freshEmail('expiry'));
    h.server.clock.advance(30 * DAY - 60_000);
    assert.equal((await session(h, { Authorization: `Bearer ${token}` })).status, 200);
    h.server.clock.advance(120_000);
    assertError(await session(h, { Authorization: `Bearer ${token}` }), 401, 'unauthenticated');
  });

  it('keeps no code, link token or session token at rest: none appears in the data file', async () => {
    const email = freshEmail('at-rest');
    const first = await requestCode(h, email);
    const byCode = await h.verify({ email, code: first.code });
    assert.equal(byCode.status, 200);
    h.server.clock.advance(61_000);
    const second = await requestCode(h, email);
    const byLink = await h.verify({ token: tokenOf(second.link) });
    assert.equal(byLink.status, 200);
    h.server.clock.advance(61_000);
    const live = await requestCode(h, email); // a live, unused code and link
    const text = await dataFileText(h);
    for (const [name, secret] of [
      ['used code', first.code],
      ['live code', live.code],
      ['used link token', tokenOf(second.link)],
      ['live link token', tokenOf(live.link)],
      ['session token (code)', byCode.body.session.token],
      ['session token (link)', byLink.body.session.token],
    ] as const) {
      assert.ok(!new RegExp(`(?<![0-9A-Za-z_-])${secret}(?![0-9A-Za-z_-])`).test(text), `${name} is not in the data file`);
    }
  });

  it('a stolen data file yields nothing live: its session and link hashes are not tokens', async () => {
    const email = freshEmail('stolen');
    await signIn(h, email);
    h.server.clock.advance(61_000);
    await requestCode(h, email);
    const data = await storeOnDisk(h);
    const sessionHashes = Object.keys(data.sessions);
    const linkHashes = Object.keys(data.linkTokens);
    assert.ok(sessionHashes.length > 0 && linkHashes.length > 0);
    for (const hash of sessionHashes.slice(0, 5)) assertError(await session(h, { Authorization: `Bearer ${hash}` }), 401, 'unauthenticated');
    for (const hash of linkHashes.slice(0, 5)) await assertRefusedSafely(h, () => h.verify({ token: hash }), 401, 'invalid_link');
  });
});

const CROSS_SITE: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }];

describe('attack: cookie mode (SESSION_COOKIE=on): login and logout CSRF', () => {
  const GOOD = 'https://good.example';
  let h: Harness;
  before(async () => {
    h = await startHarness({ SESSION_COOKIE: 'on', ALLOWED_ORIGINS: GOOD });
  });
  after(async () => {
    await h.close();
  });

  async function cookieLogin(email: string): Promise<string> {
    const { code } = await requestCode(h, email, {}, { Origin: GOOD });
    const answer = await h.verify({ email, code }, { Origin: GOOD });
    assert.equal(answer.status, 200);
    const setCookie = answer.headers.get('set-cookie') ?? '';
    return /^__Host-pl_session=([^;]+)/.exec(setCookie)![1]!;
  }

  it('sets __Host-pl_session HttpOnly, Secure, SameSite=Strict, Path=/, no Domain, and no token in the body', async () => {
    const email = freshEmail('cookie');
    const { code } = await requestCode(h, email);
    const answer = await h.verify({ email, code }, { Origin: GOOD });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.session.token, undefined, 'scripts never see the token');
    const cookies = answer.headers.getSetCookie();
    assert.equal(cookies.length, 1);
    const [pair, ...attributes] = cookies[0]!.split(';').map((p) => p.trim());
    assert.match(pair!, /^__Host-pl_session=[A-Za-z0-9_-]{43}$/);
    const names = attributes.map((a) => a.split('=')[0]!.toLowerCase());
    for (const needed of ['httponly', 'secure', 'path', 'samesite']) assert.ok(names.includes(needed), needed);
    assert.ok(attributes.includes('Path=/'));
    assert.ok(attributes.includes('SameSite=Strict'));
    assert.ok(!names.includes('domain'), 'no Domain attribute');
    assert.equal(answer.headers.get('access-control-allow-origin'), GOOD);
    assert.equal(answer.headers.get('access-control-allow-credentials'), 'true');
  });

  it('login CSRF: a verify from a foreign origin sets no cookie and spends nothing', async () => {
    const email = freshEmail('login-csrf');
    const { code } = await requestCode(h, email);
    for (const headers of CROSS_SITE) {
      const answer = await assertRefusedSafely(h, () => h.verify({ email, code }, headers), 403, 'forbidden_origin');
      assert.equal(answer.headers.get('set-cookie'), null);
    }
    assert.equal((await h.verify({ email, code }, { Origin: GOOD })).status, 200, 'the code was not spent by the refused tries');
  });

  it('logout CSRF: a foreign origin carrying the cookie revokes nothing', async () => {
    const token = await cookieLogin(freshEmail('logout-csrf'));
    await settle(h);
    const mails = h.smtp.received.length;
    for (const headers of CROSS_SITE) {
      const answer = await fetch(h.api('/logout'), { method: 'POST', headers: { ...headers, Cookie: `__Host-pl_session=${token}` } });
      assert.equal(answer.status, 403);
      assert.equal(answer.headers.get('set-cookie'), null, 'the cookie is not cleared either');
      assert.equal((await session(h, { Cookie: `__Host-pl_session=${token}` })).status, 200);
    }
    await assertStillSound(h, mails);
  });

  it('a foreign origin gets no CORS grant with credentials', async () => {
    const answer = await fetch(h.api('/session'), { headers: { Origin: 'https://evil.example' } });
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    assert.equal(answer.headers.get('access-control-allow-credentials'), null);
  });

  it('logout from the allowed origin clears the cookie and revokes the session on the server', async () => {
    const token = await cookieLogin(freshEmail('cookie-logout'));
    const answer = await fetch(h.api('/logout'), { method: 'POST', headers: { Origin: GOOD, Cookie: `__Host-pl_session=${token}` } });
    assert.equal(answer.status, 204);
    assert.match(answer.headers.get('set-cookie') ?? '', /^__Host-pl_session=;.*Max-Age=0/);
    assertError(await session(h, { Cookie: `__Host-pl_session=${token}` }), 401, 'unauthenticated');
  });

  it('refuses a session cookie under another name or a forged value', async () => {
    const token = await cookieLogin(freshEmail('cookie-name'));
    for (const cookie of [`pl_session=${token}`, `__Secure-pl_session=${token}`, `__host-pl_session=${token}`, `__Host-pl_session=${'A'.repeat(43)}`, `__Host-pl_session=${token}x`]) {
      assertError(await session(h, { Cookie: cookie }), 401, 'unauthenticated');
    }
  });
});
