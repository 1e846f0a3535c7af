/**
 * Attack: a foreign page using a visitor's browser. CORS never opens the API to other sites, and
 * the origin guard refuses their state-changing POSTs (mail bombing, login CSRF, logout CSRF).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';
import { assertError, assertRefusedSafely, assertStillSound, freshEmail, rawHttp, requestCode, settle, signIn } from '../testing/attack-kit.ts';

const GOOD = 'https://good.example';
let h: Harness;
before(async () => {
  h = await startHarness({ ALLOWED_ORIGINS: GOOD });
});
after(async () => {
  await h.close();
});

const FOREIGN = ['https://evil.example', 'https://good.example.evil.example', 'https://evilgood.example', 'http://good.example', 'https://good.example:444', 'HTTPS://GOOD.EXAMPLE'];

describe('attack: CORS', () => {
  it('gives a foreign origin no Access-Control-Allow-Origin, and never "*"', async () => {
    for (const origin of FOREIGN) {
      const answer = await fetch(h.api('/config'), { headers: { Origin: origin } });
      assert.equal(answer.headers.get('access-control-allow-origin'), null, origin);
      assert.equal(answer.headers.get('access-control-allow-credentials'), null, origin);
    }
  });

  it('refuses the "null" origin (sandboxed frames, data: pages)', async () => {
    const answer = await fetch(h.api('/config'), { headers: { Origin: 'null' } });
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
  });

  it('echoes an allowed origin exactly, with Vary: Origin and no credentials in bearer mode', async () => {
    const answer = await fetch(h.api('/config'), { headers: { Origin: GOOD } });
    assert.equal(answer.headers.get('access-control-allow-origin'), GOOD);
    assert.match(answer.headers.get('vary') ?? '', /\bOrigin\b/i);
    assert.equal(answer.headers.get('access-control-allow-credentials'), null);
  });

  it('sends Vary: Origin on answers to foreign origins too, so a cache cannot serve the allowed one to them', async () => {
    const answer = await fetch(h.api('/config'), { headers: { Origin: 'https://evil.example' } });
    assert.match(answer.headers.get('vary') ?? '', /\bOrigin\b/i);
  });

  it('answers a foreign preflight without any Access-Control-Allow-* grant', async () => {
    const answer = await rawHttp(h.api('/request'), {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.ok(answer.status < 500);
    assert.equal(answer.headers['access-control-allow-origin'], undefined);
    assert.equal(answer.headers['access-control-allow-credentials'], undefined);
    const allowed = await rawHttp(h.api('/request'), {
      method: 'OPTIONS',
      headers: { Origin: GOOD, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(allowed.headers['access-control-allow-origin'], GOOD);
  });
});

describe('attack: a refused page that asks GET /auth/origin why', () => {
  it('learns only that it is refused, and every other route still gives it no grant and no service', async () => {
    const evil = { Origin: 'https://evil.example' };
    const why = await fetch(h.api('/origin'), { headers: evil });
    assert.equal(why.headers.get('access-control-allow-origin'), '*');
    assert.equal((await why.json()).allowed, false);
    // Reading that answer opened nothing: each route, by GET and by its preflight, grants nothing.
    for (const path of ['/config', '/request', '/verify', '/session', '/logout', '/token', '/link-address']) {
      const get = await fetch(h.api(path), { headers: evil });
      assert.equal(get.headers.get('access-control-allow-origin'), null, `GET ${path}`);
      const preflight = await rawHttp(h.api(path), {
        method: 'OPTIONS',
        headers: { ...evil, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,authorization' },
      });
      assert.equal(preflight.headers['access-control-allow-origin'], undefined, `OPTIONS ${path}`);
      assert.equal(preflight.headers['access-control-allow-credentials'], undefined, `OPTIONS ${path}`);
    }
    await assertRefusedSafely(h, () => h.request({ email: freshEmail('after-origin') }, evil), 403, 'forbidden_origin');
  });

  it('never grants credentials on /auth/origin, whoever asks, even in cookie mode where the API does', async () => {
    const cookie = await startHarness({ ALLOWED_ORIGINS: GOOD, SESSION_COOKIE: 'on' });
    try {
      const api = await fetch(cookie.api('/session'), { headers: { Origin: GOOD } });
      assert.equal(api.headers.get('access-control-allow-credentials'), 'true', 'cookie mode grants credentials to the allowed origin elsewhere');
      for (const origin of [GOOD, 'https://evil.example']) {
        const answer = await fetch(cookie.api('/origin'), { headers: { Origin: origin } });
        assert.equal(answer.headers.get('access-control-allow-credentials'), null, origin);
        assert.equal(answer.headers.get('access-control-allow-origin'), '*', origin);
      }
    } finally {
      await cookie.close();
    }
  });
});

describe('attack: cross-site POSTs (CSRF)', () => {
  const crossSite: [string, Record<string, string>][] = [
    ['a foreign Origin', { Origin: 'https://evil.example' }],
    ['a look-alike Origin', { Origin: 'https://good.example.evil.example' }],
    ['Origin: null', { Origin: 'null' }],
    ['no Origin but Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
  ];

  for (const [name, headers] of crossSite) {
    it(`refuses /auth/request from ${name} with 403 forbidden_origin and mails nothing`, async () => {
      await assertRefusedSafely(h, () => h.request({ email: freshEmail('csrf') }, headers), 403, 'forbidden_origin');
    });

    it(`refuses /auth/verify with the right code from ${name}; the code is not spent or counted`, async () => {
      const email = freshEmail('csrf-verify');
      const { code } = await requestCode(h, email);
      await assertRefusedSafely(h, () => h.verify({ email, code }, headers), 403, 'forbidden_origin');
      const real = await h.verify({ email, code }, { Origin: GOOD });
      assert.equal(real.status, 200);
    });

    it(`refuses /auth/logout from ${name}; the session survives`, async () => {
      const { token } = await signIn(h, freshEmail('csrf-logout'));
      await settle(h);
      const mails = h.smtp.received.length;
      const answer = await fetch(h.api('/logout'), { method: 'POST', headers: { ...headers, Authorization: `Bearer ${token}` } });
      const body = await answer.json();
      assertError({ status: answer.status, headers: answer.headers, body }, 403, 'forbidden_origin');
      const session = await fetch(h.api('/session'), { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(session.status, 200);
      await assertStillSound(h, mails);
    });
  }

  it('lets the allowed origin through on /request, /verify and /logout', async () => {
    const email = freshEmail('allowed');
    const { code } = await requestCode(h, email, {}, { Origin: GOOD, 'Sec-Fetch-Site': 'cross-site' });
    const login = await h.verify({ email, code }, { Origin: GOOD });
    assert.equal(login.status, 200);
    const token = login.body.session.token;
    const logout = await fetch(h.api('/logout'), { method: 'POST', headers: { Origin: GOOD, Authorization: `Bearer ${token}` } });
    assert.equal(logout.status, 204);
    assert.equal((await fetch(h.api('/session'), { headers: { Authorization: `Bearer ${token}` } })).status, 401);
  });

  it('lets the backend\'s own origin (the /auth/link page) and same-site browsers without Origin through', async () => {
    await requestCode(h, freshEmail('self'), {}, { Origin: h.server.url });
    for (const site of ['same-origin', 'same-site', 'none']) await requestCode(h, freshEmail('site'), {}, { 'Sec-Fetch-Site': site });
  });
});
