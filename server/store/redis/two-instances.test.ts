/**
 * Two real backends on two ports sharing one real Redis, each with its own SMTP sink: what one
 * instance starts the other finishes, and every limit counts across both.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { getJson, postJson, tokenOf } from '../../testing/api-client.ts';
import { startHarness, type Harness } from '../../testing/harness.ts';
import { startTestRedis, type TestRedis } from '../../testing/redis-server.ts';

const SECRET = 'two-instances-test-secret-0123456789abcdef';

let redis: TestRedis;
before(async () => {
  redis = await startTestRedis();
});
after(async () => {
  await redis?.stop();
});

let a: Harness;
let b: Harness;
const startPair = async (env: Record<string, string> = {}) => {
  await redis.command('FLUSHALL');
  a = await startHarness({ REDIS_URL: redis.url, SECRET, ...env });
  b = await startHarness({ REDIS_URL: redis.url, SECRET, ...env });
};
afterEach(async () => {
  await a?.close();
  await b?.close();
});

describe('two instances, one Redis', () => {
  beforeEach(() => startPair());

  it('verifies on one instance a code requested on the other, and the session works on both', async () => {
    const { code } = await a.requestCode('ada@example.com');
    const verified = await b.verify({ email: 'ada@example.com', code });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    const auth = { Authorization: `Bearer ${verified.body.session.token}` };
    for (const h of [a, b]) {
      const session = await getJson(h.api('/session'), auth);
      assert.equal(session.status, 200);
      assert.equal(session.body.user.email, 'ada@example.com');
    }
    assert.equal((await postJson(a.api('/logout'), {}, auth)).status, 204);
    assert.equal((await getJson(b.api('/session'), auth)).status, 401, 'a logout on one ends the session on the other');
  });

  it('completes on one instance a magic link mailed by the other', async () => {
    const { link } = await b.requestCode('link@example.com');
    const verified = await a.verify({ token: tokenOf(link) });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.user.email, 'link@example.com');
    assert.equal((await b.verify({ token: tokenOf(link) })).status, 401, 'and only once');
  });

  it('signs in exactly once under 20 simultaneous verifies of one code spread over both', async () => {
    const { code } = await a.requestCode('race@example.com');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).verify({ email: 'race@example.com', code })));
    assert.deepEqual(
      answers.map((r) => r.status).sort(),
      [200, ...Array(19).fill(401)],
      JSON.stringify(answers.map((r) => r.body)),
    );
  });

  it('counts wrong codes across both instances, and burns the code at the cap', async () => {
    const { code } = await a.requestCode('guess@example.com');
    const wrong = code === '000000' ? '111111' : '000000';
    const left: unknown[] = [];
    for (const h of [a, b, a, b]) {
      const answer = await h.verify({ email: 'guess@example.com', code: wrong });
      assert.equal(answer.status, 401);
      left.push(answer.body.error.attemptsLeft);
    }
    assert.deepEqual(left, [4, 3, 2, 1]);
    assert.equal((await b.verify({ email: 'guess@example.com', code: wrong })).status, 429);
    assert.equal((await a.verify({ email: 'guess@example.com', code })).status, 429, 'the right code is burnt too');
  });

  it('holds the resend wait across both instances', async () => {
    await a.requestCode('resend@example.com');
    const again = await b.request({ email: 'resend@example.com' });
    assert.equal(again.status, 429);
    assert.ok(again.body.error.retryAfter > 0);
  });
});

describe('two instances, one Redis: per-IP limits', () => {
  beforeEach(() => startPair({ REQUESTS_PER_IP: '3', VERIFIES_PER_IP: '2' }));

  it('counts code requests from one IP across both instances', async () => {
    const statuses = [];
    for (const [h, i] of [[a, 1], [b, 2], [a, 3], [b, 4], [a, 5]] as const) statuses.push((await h.request({ email: `ip${i}@example.com` })).status);
    assert.deepEqual(statuses, [202, 202, 202, 429, 429]);
  });

  it('counts verifies from one IP across both instances', async () => {
    const statuses = [];
    for (const h of [a, b, a]) statuses.push((await h.verify({ email: 'v@example.com', code: '123456' })).status);
    assert.deepEqual(statuses, [401, 401, 429]);
    assert.deepEqual((await redis.command('EXISTS', 'pl:ip-verify:127.0.0.1')).trim(), ':1', 'the counter lives in Redis under the prefix');
  });
});

describe('an instance whose Redis goes away', () => {
  it('answers 500 (not a hang) while Redis is down, for requests, verifies and sessions', async () => {
    const doomed = await startTestRedis();
    const h = await startHarness({ REDIS_URL: doomed.url, SECRET, REQUESTS_PER_IP: '100' });
    try {
      const { token } = await h.signIn('up@example.com');
      await doomed.stop();
      const started = Date.now();
      const answers = await Promise.all([
        h.request({ email: 'down@example.com' }),
        h.verify({ email: 'down@example.com', code: '123456' }),
        getJson(h.api('/session'), { Authorization: `Bearer ${token}` }),
      ]);
      assert.deepEqual(answers.map((r) => r.status), [500, 500, 500], JSON.stringify(answers.map((r) => r.body)));
      assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    } finally {
      await h.close();
      await doomed.stop();
    }
  });

  it('refuses to start without SECRET: each instance would hash with a key of its own', async () => {
    await assert.rejects(startHarness({ REDIS_URL: redis.url }), /SECRET is required with REDIS_URL/);
  });
});
