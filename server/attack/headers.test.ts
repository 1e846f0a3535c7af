/**
 * Attack surface in response headers: framing, inline script, caching of personal answers,
 * MIME sniffing, referrer leaks. Error answers must carry the same headers as successes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOCALES } from '../../contract/index.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { freshEmail, rawHttp, requestCode, signIn } from '../testing/attack-kit.ts';

let h: Harness;
before(async () => {
  h = await startHarness({ REQUESTS_PER_IP: '1000000', ALLOWED_ORIGINS: 'https://good.example' });
});
after(async () => {
  await h.close();
});

type Headers = Record<string, string | string[] | undefined>;

function assertApiHeaders(name: string, headers: Headers): void {
  assert.match(String(headers['cache-control']), /no-store/, `${name}: Cache-Control no-store`);
  assert.equal(headers['x-content-type-options'], 'nosniff', `${name}: nosniff`);
  assert.equal(headers['x-powered-by'], undefined, `${name}: no X-Powered-By`);
}

describe('attack: security headers', () => {
  it('/auth/link has a CSP without unsafe-inline or unsafe-eval, frame-ancestors none, no-store and no referrer', async () => {
    const page = await rawHttp(`${h.server.url}/auth/link?pl_token=x`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const csp = String(page.headers['content-security-policy'] ?? '');
    assert.ok(csp.length > 0, 'a CSP');
    assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(csp), csp);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /base-uri 'none'/);
    assert.match(String(page.headers['cache-control']), /no-store/);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.ok(!/<script>|<style>|\son[a-z]+=/i.test(page.text), 'the page itself has no inline script, style or handler');
  });

  it('/auth/link reflects nothing from the query string', async () => {
    const page = await rawHttp(`${h.server.url}/auth/link?x=%3Cscript%3Ealert(1)%3C/script%3E&api=https://evil.example`);
    assert.ok(!page.text.includes('alert(1)'));
    assert.ok(!page.text.includes('evil.example'));
  });

  it('/auth/link takes only one of the 12 locales from Accept-Language, English for anything else', async () => {
    for (const header of ['xx-YY', '"><script>alert(1)</script>', 'en;q=0, *;q=0', 'ar"dir="ltr', `${'a-'.repeat(2000)}ar`]) {
      const page = await rawHttp(`${h.server.url}/auth/link`, { headers: { 'Accept-Language': header } });
      assert.equal(page.status, 200, header);
      assert.match(page.text, /<html lang="en" dir="ltr">/, header);
      assert.ok(!page.text.includes('alert(1)') && !page.text.includes('dir="ltr"">'), header);
    }
    for (const locale of LOCALES) {
      const page = await rawHttp(`${h.server.url}/auth/link`, { headers: { 'Accept-Language': locale } });
      assert.match(page.text, new RegExp(`<html lang="${locale}" dir="(ltr|rtl)">`), locale);
    }
  });

  it('API successes carry no-store and nosniff (config, request, verify, session, logout)', async () => {
    assertApiHeaders('config', (await rawHttp(h.api('/config'))).headers);
    const email = freshEmail('headers');
    const requested = await requestCode(h, email);
    assertApiHeaders('request', Object.fromEntries(requested.answer.headers));
    const { token } = await signIn(h, freshEmail('headers'));
    assertApiHeaders('session', (await rawHttp(h.api('/session'), { headers: { Authorization: `Bearer ${token}` } })).headers);
    const verify = await h.verify({ email, code: requested.code });
    assert.equal(verify.status, 200);
    assertApiHeaders('verify', Object.fromEntries(verify.headers));
    assertApiHeaders('logout', (await rawHttp(h.api('/logout'), { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).headers);
  });

  it('API errors carry no-store and nosniff and a JSON type (400, 401, 403, 404, 405, 413, 415, 429)', async () => {
    const json = { 'Content-Type': 'application/json' };
    const email = freshEmail('errors');
    await requestCode(h, email);
    const cases: [number, Parameters<typeof rawHttp>][] = [
      [400, [h.api('/request'), { method: 'POST', headers: json, body: '{"email":"nope"}' }]],
      [401, [h.api('/session'), {}]],
      [403, [h.api('/request'), { method: 'POST', headers: { ...json, Origin: 'https://evil.example' }, body: '{"email":"a@example.com"}' }]],
      [404, [`${h.server.url}/auth/nothing-here`, {}]],
      [405, [h.api('/verify'), { method: 'GET' }]],
      [413, [h.api('/request'), { method: 'POST', headers: json, body: JSON.stringify({ email: 'a@example.com', userData: { x: 'y'.repeat(20_000) } }) }]],
      [415, [h.api('/request'), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' }]],
      [429, [h.api('/request'), { method: 'POST', headers: json, body: JSON.stringify({ email }) }]],
    ];
    for (const [status, args] of cases) {
      const answer = await rawHttp(...args);
      assert.equal(answer.status, status, answer.text);
      assertApiHeaders(String(status), answer.headers);
      assert.match(String(answer.headers['content-type']), /^application\/json/, String(status));
      const body = JSON.parse(answer.text);
      assert.equal(typeof body.error.code, 'string');
      assert.equal(typeof body.error.message, 'string');
      assert.ok(!/at .*\.ts:|node_modules|Error:/.test(answer.text), `${status}: no stack trace`);
      if (status === 429) assert.equal(answer.headers['retry-after'], String(body.error.retryAfter));
    }
  });

  it('the widget script is served as JavaScript with nosniff (or 503 JSON when not built)', async () => {
    const answer = await rawHttp(`${h.server.url}/passwordless-login.js`);
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    if (answer.status === 200) assert.match(String(answer.headers['content-type']), /^text\/javascript/);
    else assert.equal(answer.status, 503);
  });
});
