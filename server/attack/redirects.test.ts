/**
 * Attack: turning the magic link into an open redirect (the token rides in the fragment, which
 * follows redirects), and poisoning the link's host through request headers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';
import { assertRefusedSafely, freshEmail, rawHttp, requestCode, settle } from '../testing/attack-kit.ts';
import { linkIn } from '../testing/smtp-sink.ts';

const GOOD = 'https://good.example';
let h: Harness;
before(async () => {
  h = await startHarness({ ALLOWED_ORIGINS: GOOD, REDIRECT_URLS: `${GOOD}/app/` });
});
after(async () => {
  await h.close();
});

function refuse(redirectTo: string) {
  return assertRefusedSafely(h, () => h.request({ email: freshEmail('redirect'), redirectTo }), 400, 'invalid_redirect');
}

describe('attack: redirect bypasses (each 400 invalid_redirect, no mail)', () => {
  const cases: [string, string][] = [
    ['a protocol-relative URL', '//evil.example/app/'],
    ['a slash-backslash URL', '/\\evil.example/app/'],
    ['a double backslash', '\\\\evil.example/app/'],
    ['the allowed host as userinfo', `https://good.example@evil.example/app/`],
    ['userinfo with a password', `https://good.example:x@evil.example/app/`],
    ['userinfo on the allowed host', `https://eve@good.example/app/`],
    ['the allowed host as a subdomain', 'https://good.example.evil.example/app/'],
    ['the allowed host plus a suffix', 'https://good.example.com.evil.com/app/'],
    ['a look-alike host ending the same', 'https://evilgood.example/app/'],
    ['"#@" confusion', 'https://good.example#@evil.example/app/'],
    ['"?@" confusion', 'https://good.example?@evil.example/app/'],
    ['a backslash before "@"', 'https://evil.example\\@good.example/app/'],
    ['an ideographic full stop (\u3002)', 'https://good.example\u3002evil.example/app/'],
    ['a fullwidth full stop (\uff0e)', 'https://good.example\uff0eevil.example/app/'],
    ['a percent-encoded dot in the host', 'https://good.example%2eevil.example/app/'],
    ['a Cyrillic look-alike host', 'https://g\u043e\u043ed.example/app/'],
    ['a trailing-dot host', 'https://good.example./app/'],
    ['a javascript: URL', 'javascript:alert(document.cookie)//https://good.example/app/'],
    ['a javascript: URL split by a tab', 'java\tscript:alert(1)//good.example/app/'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['an ftp: URL', 'ftp://good.example/app/'],
    ['a file: URL', 'file:///etc/passwd'],
    ['another port', 'https://good.example:8443/app/'],
    ['http instead of https', 'http://good.example/app/'],
    ['a path outside the prefix', 'https://good.example/admin/'],
    ['a path that only starts like the prefix', 'https://good.example/application/'],
    ['".." out of the prefix', 'https://good.example/app/../admin/'],
    ['"%2e%2e" out of the prefix', 'https://good.example/app/%2e%2e/admin/'],
    ['"%2E%2E" and ".%2e" out of the prefix', 'https://good.example/app/.%2E/admin/'],
    ['a relative path', '/app/page'],
    ['a relative path without a slash', 'app/page'],
    ['a query only', '?next=https://evil.example'],
    ['an empty string', ''],
    ['a bare host', 'good.example/app/'],
    ['a plain foreign URL', 'https://evil.example/app/'],
  ];
  for (const [name, url] of cases) {
    it(`refuses ${name}: ${JSON.stringify(url)}`, async () => {
      await refuse(url);
    });
  }

  // A fragment follows an HTTP redirect, so a link landing on a path that the site's server
  // decodes and normalises (`/app/..%2fadmin` → `/admin`, as nginx's location matching does)
  // escapes the prefix and carries the token to whatever `/admin` does.
  it('refuses traversal out of the prefix with an encoded slash or backslash (..%2f, ..%5c)', async () => {
    for (const url of ['https://good.example/app/..%2fadmin/', 'https://good.example/app/..%2Fadmin/', 'https://good.example/app/..%5cadmin/', 'https://good.example/app/%2e%2e%2fadmin/']) {
      await refuse(url);
    }
  });

  // The WHATWG parser silently strips tabs and newlines anywhere and C0 controls or spaces at
  // the ends, so these are not the strings the allow-list was written for.
  it('refuses whitespace and control characters in the URL instead of letting the parser strip them', async () => {
    for (const url of [
      ' https://good.example/app/',
      '\thttps://good.example/app/',
      'https://good.exa\nmple/app/',
      'https://good.example/a\tpp/',
      'https://good.example/app/\r\n',
      'https://good.example/app/\u0000',
      '\u001fhttps://good.example/app/',
    ]) {
      await refuse(url);
    }
  });

  it('refuses whitespace that would change the host (a space, a NUL or a tab before a foreign host)', async () => {
    for (const url of ['https://evil.example\t/app/', 'https://good.example evil.example/app/', 'https://good.example\u0000.evil.example/app/']) await refuse(url);
  });

  it('lands an allowed URL as given, with the query kept and any fragment replaced by the token', async () => {
    const { link } = await requestCode(h, freshEmail('allowed'), { redirectTo: 'https://GOOD.example:443/app/page?x=1#steal' });
    assert.match(link, /^https:\/\/good\.example\/app\/page\?x=1#pl_token=[A-Za-z0-9_-]{43}$/);
  });

  it('lands on the backend\'s own /auth/link without a redirectTo', async () => {
    const { link } = await requestCode(h, freshEmail('default'));
    assert.ok(link.startsWith(`${h.server.url}/auth/link#pl_token=`), link);
  });
});

describe('attack: Host and forwarding headers cannot move the link', () => {
  const poison = {
    Host: 'evil.example',
    'X-Forwarded-Host': 'evil.example',
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-Port': '443',
    Forwarded: 'for=203.0.113.9;host=evil.example;proto=https',
    'X-Original-URL': 'https://evil.example/auth/link',
    'X-Rewrite-URL': 'https://evil.example/auth/link',
  };

  async function linkWithPoison(target: Harness): Promise<string> {
    await settle(target);
    const before = target.smtp.received.length;
    const answer = await rawHttp(`${target.server.url}/auth/request`, {
      method: 'POST',
      headers: { ...poison, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: freshEmail('poison') }),
    });
    assert.equal(answer.status, 202, answer.text);
    await settle(target);
    assert.equal(target.smtp.received.length, before + 1);
    return linkIn(target.smtp.received[before]!);
  }

  it('builds links from PUBLIC_URL, whatever Host, X-Forwarded-Host and Forwarded say', async () => {
    const link = await linkWithPoison(h);
    assert.ok(link.startsWith(`${h.server.url}/auth/link#pl_token=`), link);
    assert.ok(!link.includes('evil'));
  });

  it('builds links from PUBLIC_URL behind a trusted proxy too (TRUST_PROXY=1)', async () => {
    const proxied = await startHarness({ TRUST_PROXY: '1' });
    try {
      const link = await linkWithPoison(proxied);
      assert.ok(link.startsWith(`${proxied.server.url}/auth/link#pl_token=`), link);
      assert.ok(!link.includes('evil'));
    } finally {
      await proxied.close();
    }
  });

  it('does not reflect a poisoned Host into the /auth/link page', async () => {
    const page = await rawHttp(`${h.server.url}/auth/link`, { headers: poison });
    assert.equal(page.status, 200);
    assert.ok(!page.text.includes('evil'), 'nothing from the request headers is echoed');
  });
});
