/** Attack: hostile bodies, content types and methods. Each must be a 4xx that changes nothing. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';
import { assertError, assertRefusedSafely, assertStillSound, freshEmail, rawHttp, rawPost, requestCode, settle, signIn } from '../testing/attack-kit.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});
const json = { 'Content-Type': 'application/json' };

describe('attack: malformed and hostile bodies', () => {
  for (const [name, body] of [
    ['truncated JSON', '{"email":"a@example.com"'],
    ['a trailing comma', '{"email":"a@example.com",}'],
    ['single quotes', "{'email':'a@example.com'}"],
    ['NaN and comments', '{"email": NaN /* x */}'],
    ['an empty body', ''],
  ] as const) {
    it(`refuses malformed JSON (${name}) with 400 invalid_request`, async () => {
      await assertRefusedSafely(h, () => rawPost(h.api('/request'), body, json), 400, ['invalid_request', 'unsupported_media_type']);
    });
  }

  for (const [name, body] of [
    ['an array', '[{"email":"a@example.com"}]'],
    ['null', 'null'],
    ['a string', '"a@example.com"'],
    ['a number', '42'],
    ['true', 'true'],
  ] as const) {
    it(`refuses ${name} as the body on /request and /verify`, async () => {
      await assertRefusedSafely(h, () => rawPost(h.api('/request'), body, json), 400, 'invalid_request');
      await assertRefusedSafely(h, () => rawPost(h.api('/verify'), body, json), 400, 'invalid_request');
    });
  }

  it('refuses a body over 8 KB with 413 payload_too_large', async () => {
    const body = JSON.stringify({ email: freshEmail(), userData: { blob: 'x'.repeat(64 * 1024) } });
    await assertRefusedSafely(h, () => rawPost(h.api('/request'), body, json), 413, 'payload_too_large');
  });

  it('refuses a 1 MB body of nested brackets with 413, never a 5xx', async () => {
    const body = `{"email":"a@example.com","userData":{"a":${'['.repeat(500_000)}${']'.repeat(500_000)}}}`;
    await assertRefusedSafely(h, () => rawPost(h.api('/request'), body, json), 413, 'payload_too_large');
  });

  it('refuses deeply nested userData that fits in 8 KB (3000 levels of arrays) with 400, not a 500 stack overflow', async () => {
    const body = `{"email":"${freshEmail()}","userData":{"a":${'['.repeat(3000)}${']'.repeat(3000)}}}`;
    assert.ok(body.length < 8192);
    await assertRefusedSafely(h, () => rawPost(h.api('/request'), body, json), 400, 'invalid_request');
  });

  it('refuses userData wider than 2 KB of JSON but under the body limit', async () => {
    const userData = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v'.repeat(40)]));
    await assertRefusedSafely(h, () => h.request({ email: freshEmail(), userData }), 400, 'invalid_request');
  });

  it('refuses unknown keys on /request and /verify, naming them', async () => {
    const a = await assertRefusedSafely(h, () => h.request({ email: freshEmail(), redirect_to: 'https://evil.example/', isAdmin: true }), 400, 'invalid_request');
    assert.deepEqual(Object.keys(a.body.error.fields).sort(), ['isAdmin', 'redirect_to']);
    await assertRefusedSafely(h, () => h.verify({ email: freshEmail(), code: '123456', admin: true }), 400, 'invalid_request');
  });

  it('refuses a verify body carrying both a token and an email/code', async () => {
    await assertRefusedSafely(h, () => h.verify({ token: 'A'.repeat(43), email: freshEmail(), code: '123456' }), 400, 'invalid_request');
  });

  for (const [name, email] of [
    ['a number', 12345],
    ['a boolean', true],
    ['an object', { $gt: '' }],
    ['an array', ['a@example.com', 'b@example.com']],
    ['null', null],
  ] as const) {
    it(`refuses ${name} as the email on /request and /verify`, async () => {
      await assertRefusedSafely(h, () => h.request({ email }), 400, ['invalid_request', 'invalid_email']);
      await assertRefusedSafely(h, () => h.verify({ email, code: '123456' }), 400, ['invalid_request', 'invalid_email']);
    });
  }

  it('refuses codes that are not digits, numbers, objects and over-long codes', async () => {
    const email = freshEmail();
    for (const code of [123456, { $ne: '' }, ['123456'], 'abcdef', '1'.repeat(40), '١٢٣٤٥٦']) {
      await assertRefusedSafely(h, () => h.verify({ email, code }), 400, 'invalid_request');
    }
  });

  it('refuses malformed link tokens with 400 and an unknown well-formed one with 401 invalid_link', async () => {
    for (const token of ['short', 'x'.repeat(200), '../../etc/passwd', 'a b c d e f g h i j k l m n', 123, null]) {
      await assertRefusedSafely(h, () => h.verify({ token }), 400, 'invalid_request');
    }
    await assertRefusedSafely(h, () => h.verify({ token: 'A'.repeat(43) }), 401, 'invalid_link');
  });
});

describe('attack: prototype pollution', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`refuses "${key}" as a top-level key`, async () => {
      const body = `{"email":"${freshEmail()}","${key}":{"polluted":"yes","prototype":{"polluted":"yes"}}}`;
      await assertRefusedSafely(h, () => rawPost(h.api('/request'), body, json), 400, 'invalid_request');
      const verify = `{"email":"${freshEmail()}","code":"123456","${key}":{"polluted":"yes"}}`;
      await assertRefusedSafely(h, () => rawPost(h.api('/verify'), verify, json), 400, 'invalid_request');
    });

    it(`refuses "${key}" inside userData, at the top and nested`, async () => {
      for (const data of [`{"${key}":{"polluted":"yes"}}`, `{"a":{"b":{"${key}":{"polluted":"yes"}}}}`, `{"a":[{"${key}":{"polluted":"yes"}}]}`]) {
        const body = `{"email":"${freshEmail()}","userData":${data}}`;
        await assertRefusedSafely(h, () => rawPost(h.api('/request'), body, json), 400, 'invalid_request');
      }
    });
  }

  it('stores harmless userData as data, and the created user has no polluted prototype', async () => {
    const email = freshEmail();
    const { code } = await requestCode(h, email, { userData: { name: 'Ana', nested: { polluted: 'only here' } } });
    const answer = await h.verify({ email, code });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.user.data, { name: 'Ana', nested: { polluted: 'only here' } });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('attack: content types and methods', () => {
  for (const [name, type, body] of [
    ['text/plain (a CORS "simple" request)', 'text/plain', '{"email":"a@example.com"}'],
    ['a form', 'application/x-www-form-urlencoded', 'email=a%40example.com'],
    ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.com\r\n--x--'],
    ['application/jsonx', 'application/jsonx', '{"email":"a@example.com"}'],
    ['text/json-looking xml', 'application/xml', '<email>a@example.com</email>'],
  ] as const) {
    it(`refuses ${name} with 415 on /request and /verify`, async () => {
      await assertRefusedSafely(h, () => rawPost(h.api('/request'), body, { 'Content-Type': type }), 415, 'unsupported_media_type');
      await assertRefusedSafely(h, () => rawPost(h.api('/verify'), body, { 'Content-Type': type }), 415, 'unsupported_media_type');
    });
  }

  it('refuses a POST with no Content-Type and no body with 415', async () => {
    await assertRefusedSafely(h, () => rawPost(h.api('/request'), undefined), 415, 'unsupported_media_type');
    await assertRefusedSafely(h, () => rawPost(h.api('/verify'), undefined), 415, 'unsupported_media_type');
  });

  it('refuses a logout with a non-JSON body with 415, and the session survives', async () => {
    const { token } = await signIn(h, freshEmail());
    await settle(h);
    const before = h.smtp.received.length;
    const answer = await rawPost(h.api('/logout'), 'token=x', { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Bearer ${token}` });
    assertError(answer, 415, 'unsupported_media_type');
    const session = await fetch(h.api('/session'), { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(session.status, 200, 'the refused logout revoked nothing');
    await assertStillSound(h, before);
  });

  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'PROPFIND']) {
    it(`answers ${method} /auth/request with 405 method_not_allowed, never 5xx`, async () => {
      const before = h.smtp.received.length;
      const answer = await rawHttp(h.api('/request'), { method, headers: { 'Content-Type': 'application/json' }, body: method === 'GET' ? undefined : '{"email":"a@example.com"}' });
      assert.equal(answer.status, 405, answer.text);
      assert.equal(JSON.parse(answer.text).error.code, 'method_not_allowed');
      await assertStillSound(h, before);
    });
  }
});
