/** Magic links: single use, expiry, landing page, and GETs that change nothing (mail scanners). */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { tokenOf } from '../testing/api-client.ts';
import { startHarness, type Harness } from '../testing/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ REDIRECT_URLS: 'https://app.example.com/welcome/' });
});
afterEach(async () => {
  await h.close();
});

describe('magic links', () => {
  it('signs in with the token from the link', async () => {
    const { link } = await h.requestCode('ana@example.com');
    const answer = await h.verify({ token: tokenOf(link) });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.user.email, 'ana@example.com');
  });

  it('lands on the backend page, built from PUBLIC_URL, by default', async () => {
    const { link } = await h.requestCode('ana@example.com', {});
    assert.ok(link.startsWith(`${h.server.url}/auth/link#pl_token=`), link);
  });

  it('lands on an allowed redirectTo, dropping its own fragment', async () => {
    const { link } = await h.requestCode('ana@example.com', { redirectTo: 'https://app.example.com/welcome/page?x=1#old' });
    assert.ok(link.startsWith('https://app.example.com/welcome/page?x=1#pl_token='), link);
  });

  it('refuses a redirectTo outside REDIRECT_URLS with invalid_redirect and sends nothing', async () => {
    for (const redirectTo of ['https://evil.example/', 'https://app.example.com/other', 'https://app.example.com@evil.example/welcome/', 'javascript:alert(1)']) {
      const answer = await h.request({ email: 'ana@example.com', redirectTo });
      assert.equal(answer.status, 400, redirectTo);
      assert.equal(answer.body.error.code, 'invalid_redirect');
    }
    await h.server.backend.service.idle();
    assert.equal(h.smtp.received.length, 0);
  });

  it('always accepts the backend’s own landing page as redirectTo', async () => {
    const { link } = await h.requestCode('ana@example.com', { redirectTo: `${h.server.url}/auth/link` });
    assert.ok(link.startsWith(`${h.server.url}/auth/link#pl_token=`), link);
  });

  it('echoes the clientHash in the fragment so the asking browser can finish at once', async () => {
    const clientHash = 'A'.repeat(43);
    const { link } = await h.requestCode('ana@example.com', { clientHash });
    assert.equal(new URLSearchParams(new URL(link).hash.slice(1)).get('pl_client'), clientHash);
  });

  it('works once, even for 20 simultaneous uses', async () => {
    const { link } = await h.requestCode('ana@example.com');
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.verify({ token: tokenOf(link) })));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    const again = await h.verify({ token: tokenOf(link) });
    assert.deepEqual([again.status, again.body.error.code], [401, 'invalid_link']);
  });

  it('expires with its code after 10 minutes', async () => {
    const { link } = await h.requestCode('ana@example.com');
    h.server.clock.advance(10 * 60_000);
    const answer = await h.verify({ token: tokenOf(link) });
    assert.deepEqual([answer.status, answer.body.error.code], [401, 'expired_code']);
  });

  it('is consumed by nothing but a POST: GETs of the link and the landing page change nothing', async () => {
    await h.close();
    h = await startHarness();
    const { link, code } = await h.requestCode('ana@example.com');
    for (let i = 0; i < 3; i++) {
      const page = await fetch(link);
      assert.equal(page.status, 200);
      await page.text();
    }
    await fetch(`${h.server.url}/auth/link?pl_token=${tokenOf(link)}`).then((r) => r.text());
    assert.equal((await h.verify({ token: tokenOf(link) })).status, 200, 'the link still works');
    assert.equal((await h.verify({ email: 'ana@example.com', code })).status, 401, 'and using it used the code');
  });

  it('refuses an unknown token', async () => {
    const answer = await h.verify({ token: 'x'.repeat(43) });
    assert.deepEqual([answer.status, answer.body.error.code], [401, 'invalid_link']);
  });
});
