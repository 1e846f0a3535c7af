/** SESSION_COOKIE=on: the session lives in an HttpOnly __Host- cookie, never in the answer body. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getJson } from '../testing/api-client.ts';
import { startHarness, type Harness } from '../testing/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ SESSION_COOKIE: 'on', ALLOWED_ORIGINS: 'http://localhost:5173' });
});
afterEach(async () => {
  await h.close();
});

async function signInWithCookie(email: string) {
  const { code } = await h.requestCode(email);
  const answer = await h.verify({ email, code });
  const cookie = answer.headers.getSetCookie()[0] ?? '';
  return { answer, cookie, value: /^__Host-pl_session=([^;]+)/.exec(cookie)?.[1] ?? '' };
}

describe('cookie mode', () => {
  it('sets a __Host- cookie that is HttpOnly, Secure, SameSite=Strict, Path=/, with no Domain, and no token in the body', async () => {
    const { answer, cookie, value } = await signInWithCookie('ana@example.com');
    assert.equal(answer.status, 200);
    assert.match(value, /^[A-Za-z0-9_-]{43}$/);
    for (const attribute of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Strict', 'Max-Age=2592000']) assert.ok(cookie.includes(attribute), attribute);
    assert.doesNotMatch(cookie, /Domain=/i);
    assert.equal(answer.body.session.token, undefined);
    assert.match(answer.body.session.expiresAt, /^\d{4}-/);
  });

  it('reads the session from the cookie, and logout revokes it and clears the cookie', async () => {
    const { value } = await signInWithCookie('ana@example.com');
    const cookie = { Cookie: `other=1; __Host-pl_session=${value}` };
    assert.equal((await getJson(h.api('/session'), cookie)).status, 200);
    const out = await fetch(h.api('/logout'), { method: 'POST', headers: cookie });
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie()[0] ?? '', /^__Host-pl_session=; .*Max-Age=0/);
    assert.equal((await getJson(h.api('/session'), cookie)).status, 401);
  });

  it('tells the widget in GET /auth/config', async () => {
    assert.equal((await getJson(h.api('/config'))).body.sessionCookie, true);
  });

  it('allows credentials for allowed origins only', async () => {
    const allowed = await fetch(h.api('/config'), { headers: { Origin: 'http://localhost:5173' } });
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    const foreign = await fetch(h.api('/config'), { headers: { Origin: 'https://evil.example' } });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
  });

  it('sets no cookie when a foreign page posts the verify (login CSRF)', async () => {
    const { code } = await h.requestCode('ana@example.com');
    const answer = await h.verify({ email: 'ana@example.com', code }, { Origin: 'https://evil.example' });
    assert.deepEqual([answer.status, answer.body.error.code], [403, 'forbidden_origin']);
    assert.deepEqual(answer.headers.getSetCookie(), []);
    assert.equal((await h.verify({ email: 'ana@example.com', code })).status, 200, 'the code was not used up');
  });

  it('exchanges the cookie for an access token from an allowed page, never for a foreign one', async () => {
    const { value } = await signInWithCookie('ana@example.com');
    const cookie = { Cookie: `__Host-pl_session=${value}`, 'Content-Type': 'application/json' };
    const own = await fetch(h.api('/token'), { method: 'POST', headers: { ...cookie, Origin: 'http://localhost:5173' }, body: '{}' });
    assert.equal(own.status, 200);
    assert.equal(typeof (await own.json()).accessToken, 'string');
    const foreignHeaders: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'cross-site' }];
    for (const headers of foreignHeaders) {
      const foreign = await fetch(h.api('/token'), { method: 'POST', headers: { ...cookie, ...headers }, body: '{}' });
      assert.equal(foreign.status, 403, JSON.stringify(headers));
      assert.equal((await foreign.json()).error.code, 'forbidden_origin');
    }
  });

  it('publishes the key set to any origin without credentials, which browsers refuse with `*`', async () => {
    const answer = await fetch(h.api('/jwks.json'), { headers: { Origin: 'http://localhost:5173' } });
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    assert.equal(answer.headers.get('access-control-allow-credentials'), null);
  });
});
