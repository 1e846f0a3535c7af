/**
 * Attack: escaping the per-IP limits by spoofing forwarding headers or rotating IPv6 addresses.
 * The limiter (rate-limiter-flexible, in memory) reads the global Date.now(): its window is moved
 * with node:test's mock timers, never by sleeping.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it, mock } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';
import { assertError, assertStillSound, freshEmail, requestCode, settle } from '../testing/attack-kit.ts';

const WINDOW = 900_000;

afterEach(() => {
  mock.timers.reset();
});

describe('attack: X-Forwarded-For without TRUST_PROXY', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ REQUESTS_PER_IP: '3', VERIFIES_PER_IP: '3' });
  });
  after(async () => {
    await h.close();
  });

  it('ignores spoofed X-Forwarded-For, X-Real-IP and Forwarded: the 4th request is 429 with Retry-After, no mail', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const spoof = (i: number) => ({ 'X-Forwarded-For': `198.51.100.${i}`, 'X-Real-IP': `198.51.100.${i}`, Forwarded: `for=198.51.100.${i}`, 'True-Client-IP': `198.51.100.${i}` });
    for (let i = 1; i <= 3; i++) await requestCode(h, freshEmail('spoof'), {}, spoof(i));
    await settle(h);
    const mails = h.smtp.received.length;
    const answer = await h.request({ email: freshEmail('spoof') }, spoof(4));
    assertError(answer, 429, 'rate_limited');
    const retryAfter = Number(answer.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`);
    assert.equal(answer.body.error.retryAfter, retryAfter);
    await settle(h);
    assert.equal(h.smtp.received.length, mails, 'no mail for the refused request');
    mock.timers.tick(WINDOW + 1000);
    await assertStillSound(h, mails);
  });

  it('holds verifies to VERIFIES_PER_IP; a right code refused by the limit still works after the window', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const email = freshEmail('verify-limit');
    const { code } = await requestCode(h, email);
    for (let i = 0; i < 3; i++) await h.verify({ email: freshEmail('other'), code: '123456' }, { 'X-Forwarded-For': `203.0.113.${i}` });
    const limited = await h.verify({ email, code }, { 'X-Forwarded-For': '203.0.113.99' });
    assertError(limited, 429, 'rate_limited');
    mock.timers.tick(WINDOW + 1000);
    const login = await h.verify({ email, code });
    assert.equal(login.status, 200, 'the limit refused before the code was looked at');
  });
});

describe('attack: behind a trusted proxy (TRUST_PROXY=1)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ TRUST_PROXY: '1', REQUESTS_PER_IP: '3' });
  });
  after(async () => {
    await h.close();
  });

  it('uses the entry the proxy appended: entries a client prepends do not escape the limit', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    for (let i = 1; i <= 3; i++) await requestCode(h, freshEmail('prepend'), {}, { 'X-Forwarded-For': `10.0.0.${i}, 192.0.2.50` });
    assertError(await h.request({ email: freshEmail('prepend') }, { 'X-Forwarded-For': '10.0.0.4, 192.0.2.50' }), 429, 'rate_limited');
    await requestCode(h, freshEmail('prepend'), {}, { 'X-Forwarded-For': '192.0.2.51' });
  });

  it('limits IPv6 clients by /64: rotating the interface identifier does not escape', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2::abcd', '2001:db8:1:2:ffff:ffff:ffff:ffff']) {
      await requestCode(h, freshEmail('v6'), {}, { 'X-Forwarded-For': ip });
    }
    assertError(await h.request({ email: freshEmail('v6') }, { 'X-Forwarded-For': '2001:db8:1:2:1234::5' }), 429, 'rate_limited');
    await requestCode(h, freshEmail('v6'), {}, { 'X-Forwarded-For': '2001:db8:1:3::1' });
  });
});
