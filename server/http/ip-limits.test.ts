/**
 * Per-IP limits. rate-limiter-flexible keeps time with the global Date, so these tests move it
 * with node's mock timers (Date only) instead of sleeping.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { postJson } from '../testing/api-client.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

let s: TestServer;
beforeEach(() => {
  mock.timers.enable({ apis: ['Date'], now: Date.UTC(2026, 0, 1) });
});
afterEach(async () => {
  mock.timers.reset();
  await s.close();
});
const request = (email: string, headers: Record<string, string> = {}) => postJson(`${s.url}/auth/request`, { email }, headers);
const verify = (email: string, headers: Record<string, string> = {}) => postJson(`${s.url}/auth/verify`, { email, code: '123456' }, headers);

describe('per-IP limits', () => {
  it('allows REQUESTS_PER_IP code requests per 15 minutes, then answers 429 with Retry-After', async () => {
    s = await startTestServer({ env: { REQUESTS_PER_IP: '3' } });
    for (let i = 0; i < 3; i++) assert.equal((await request(`p${i}@example.com`)).status, 202);
    const refused = await request('p3@example.com');
    assert.deepEqual([refused.status, refused.body.error.code], [429, 'rate_limited']);
    assert.equal(refused.headers.get('retry-after'), '900');
    assert.equal(refused.body.error.retryAfter, 900);
    mock.timers.tick(900_000);
    assert.equal((await request('p4@example.com')).status, 202, 'the window has passed');
  });

  it('limits verifies apart from requests', async () => {
    s = await startTestServer({ env: { VERIFIES_PER_IP: '2' } });
    await verify('a@example.com');
    await verify('b@example.com');
    assert.equal((await verify('c@example.com')).body.error.code, 'rate_limited');
    assert.equal((await request('d@example.com')).status, 202);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says a proxy is in front', async () => {
    s = await startTestServer({ env: { REQUESTS_PER_IP: '1' } });
    await request('x@example.com', { 'X-Forwarded-For': '203.0.113.1' });
    assert.equal((await request('y@example.com', { 'X-Forwarded-For': '203.0.113.2' })).status, 429);
  });

  it('with TRUST_PROXY=1 limits each forwarded client apart, by the entry the proxy added', async () => {
    s = await startTestServer({ env: { REQUESTS_PER_IP: '1', TRUST_PROXY: '1' } });
    assert.equal((await request('x@example.com', { 'X-Forwarded-For': '203.0.113.1' })).status, 202);
    assert.equal((await request('y@example.com', { 'X-Forwarded-For': '203.0.113.2' })).status, 202);
    // A client that prepends its own entries is still the address the proxy appended.
    assert.equal((await request('z@example.com', { 'X-Forwarded-For': '198.51.100.7, 203.0.113.1' })).status, 429);
  });

  it('counts a whole IPv6 /64 as one client', async () => {
    s = await startTestServer({ env: { REQUESTS_PER_IP: '1', TRUST_PROXY: '1' } });
    assert.equal((await request('x@example.com', { 'X-Forwarded-For': '2001:db8:1:2::1' })).status, 202);
    assert.equal((await request('y@example.com', { 'X-Forwarded-For': '2001:db8:1:2:ffff::9' })).status, 429);
    assert.equal((await request('z@example.com', { 'X-Forwarded-For': '2001:db8:1:3::1' })).status, 202);
  });

  it('is lifted by RATE_LIMITS=off', async () => {
    s = await startTestServer({ env: { REQUESTS_PER_IP: '1', RATE_LIMITS: 'off' } });
    await request('x@example.com');
    assert.equal((await request('y@example.com')).status, 202);
  });
});
