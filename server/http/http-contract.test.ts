/** The HTTP contract's shape: errors, content types, CORS, headers, routes that are not logins. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJson, postJson } from '../testing/api-client.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

let s: TestServer;
before(async () => {
  s = await startTestServer({ env: { ALLOWED_ORIGINS: 'https://shop.example.com' } });
});
after(async () => {
  await s.close();
});
const api = (path: string) => `${s.url}/auth${path}`;

describe('errors', () => {
  it('refuses a body that is not application/json with 415', async () => {
    for (const [type, body] of [['text/plain', '{"email":"a@b.co"}'], ['application/x-www-form-urlencoded', 'email=a%40b.co']] as const) {
      const response = await fetch(api('/request'), { method: 'POST', headers: { 'Content-Type': type }, body });
      assert.equal(response.status, 415);
      assert.equal((await response.json()).error.code, 'unsupported_media_type');
    }
  });

  it('refuses a POST with no body with 415', async () => {
    const response = await fetch(api('/verify'), { method: 'POST' });
    assert.equal(response.status, 415);
  });

  it('answers 400 invalid_request to JSON that does not parse or is not an object', async () => {
    for (const body of ['{"email":', '[1,2]', '"text"', 'null']) {
      const answer = await postJson(api('/request'), body);
      assert.equal(answer.status, 400, body);
      assert.equal(answer.body.error.code, 'invalid_request');
      assert.equal(typeof answer.body.error.message, 'string');
    }
  });

  it('answers 413 to a body over the limit', async () => {
    const answer = await postJson(api('/request'), { email: 'a@b.co', userData: { blob: 'x'.repeat(20_000) } });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'payload_too_large');
  });

  it('names unknown and wrong fields', async () => {
    const answer = await postJson(api('/request'), { email: 'a@b.co', redirect_to: 'x' });
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.body.error.fields, { redirect_to: 'is not a known field' });
    const code = await postJson(api('/verify'), { email: 'a@b.co', code: 'abcdef' });
    assert.equal(code.status, 400);
    assert.ok(code.body.error.fields.code);
  });

  it('answers invalid_email for an address outside the policy', async () => {
    for (const email of ['not-an-email', 'Ana <ana@example.com>', 'a@b.co,c@d.co', 'ana@example.com\r\nBcc: x@y.z', '"q"@example.com']) {
      const answer = await postJson(api('/request'), { email });
      assert.equal(answer.status, 400, email);
      assert.equal(answer.body.error.code, 'invalid_email');
    }
  });

  it('answers invalid_request, not invalid_email, for a missing, mistyped or extra field', async () => {
    for (const body of [{}, { email: 42 }, { token: 'x'.repeat(43), email: 'a@b.co' }]) {
      const answer = await postJson(api('/verify'), body);
      assert.deepEqual([answer.status, answer.body.error.code], [400, 'invalid_request'], JSON.stringify(body));
    }
  });

  it('refuses userData nested deeper than 4 levels or over 2 KB, and stores nothing', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 5; i++) deep = [deep];
    for (const userData of [{ a: deep }, { a: 'x'.repeat(2100) }]) {
      const answer = await postJson(api('/request'), { email: 'deep@example.com', userData });
      assert.deepEqual([answer.status, answer.body.error.code], [400, 'invalid_request']);
      assert.ok(answer.body.error.fields.userData);
    }
    assert.equal((await postJson(api('/request'), { email: 'deep@example.com', userData: { a: { b: { c: [1] } } } })).status, 202);
  });

  it('answers a known path with the wrong method with a JSON 405, and an unheard-of method too', async () => {
    for (const method of ['GET', 'PUT', 'PROPFIND']) {
      const response = await fetch(api('/request'), { method });
      assert.equal(response.status, 405, method);
      assert.equal((await response.json()).error.code, 'method_not_allowed');
    }
  });

  it('refuses a logout body that is not JSON with 415', async () => {
    const response = await fetch(api('/logout'), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    assert.equal(response.status, 415);
  });

  it('sends nosniff on error answers too', async () => {
    const answer = await postJson(api('/request'), { email: 'nope' });
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
  });

  it('answers unknown paths with a JSON 404', async () => {
    const answer = await getJson(`${s.url}/auth/nothing-here`);
    assert.deepEqual([answer.status, answer.body.error.code], [404, 'not_found']);
  });

  it('never caches API answers', async () => {
    const answer = await postJson(api('/request'), { email: 'a@b.co' });
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });
});

describe('routes', () => {
  it('GET /auth/config tells the widget what it needs', async () => {
    const answer = await getJson(api('/config'));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      codeLength: 6,
      locales: ['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'es', 'fr', 'de', 'pt', 'it', 'ru', 'ar'],
      defaultLocale: 'en',
      expiresIn: 600,
      resendSeconds: 60,
      sessionCookie: false,
      passkeys: true,
      approvals: true,
      account: { emailChange: true, deletion: true },
      totp: true,
    });
  });

  it('GET /health answers 200', async () => {
    assert.equal((await getJson(`${s.url}/health`)).status, 200);
  });

  it('GET /auth/link is a page hosting the widget under a strict CSP and no referrer', async () => {
    const response = await fetch(api('/link'));
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.match(html, /<script src="\/passwordless-login\.js" defer><\/script>/);
    assert.match(html, /<passwordless-login api="\/auth">/);
    assert.doesNotMatch(html, /<script>|style=/, 'nothing inline');
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  });

  it('POST /auth/logout without a session answers 204: logging out twice is fine', async () => {
    const response = await fetch(api('/logout'), { method: 'POST' });
    assert.equal(response.status, 204);
  });
});

describe('CORS', () => {
  it('allows exactly the configured origins, with Vary: Origin', async () => {
    const response = await fetch(api('/config'), { headers: { Origin: 'https://shop.example.com' } });
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://shop.example.com');
    assert.match(response.headers.get('vary') ?? '', /Origin/);
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
  });

  it('gives no CORS header to other origins, nor to the null origin', async () => {
    for (const origin of ['https://evil.example', 'https://shop.example.com.evil.example', 'null']) {
      const response = await fetch(api('/config'), { headers: { Origin: origin } });
      assert.equal(response.headers.get('access-control-allow-origin'), null, origin);
    }
  });

  it('answers the preflight for a JSON POST from an allowed origin', async () => {
    const response = await fetch(api('/request'), {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.ok(response.status === 204 || response.status === 200);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Content-Type/i);
  });
});

describe('links are built from PUBLIC_URL only', () => {
  it('ignores Host, X-Forwarded-Host and Forwarded', async () => {
    await postJson(api('/request'), { email: 'host@example.com' }, { 'X-Forwarded-Host': 'evil.example', Forwarded: 'host=evil.example', 'X-Forwarded-Proto': 'https' });
    await s.backend.service.idle();
    const mail = s.mailbox.messages()[0]!;
    assert.ok(mail.link!.startsWith(`${s.url}/auth/link#`), mail.link!);
  });
});
