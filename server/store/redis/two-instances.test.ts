/**
 * Two real backends on two ports sharing one real Redis, each with its own SMTP sink: what one
 * instance starts the other finishes, and every limit counts across both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJson } from '../../testing/api-client.ts';
import { startHarness } from '../../testing/harness.ts';
import { retentionFor } from '../../login/retention.ts';
import { openRedisStore } from './redis-store.ts';
import { startTestRedis, type TestRedis } from '../../testing/redis-server.ts';
import { describeTwoInstances } from '../../testing/two-instance-contract.ts';

const SECRET = 'two-instances-test-secret-0123456789abcdef';

let redis: TestRedis;
before(async () => {
  redis = await startTestRedis();
});
after(async () => {
  await redis?.stop();
});

describeTwoInstances('Redis', {
  async startPair(env = {}) {
    await redis.command('FLUSHALL');
    return {
      a: await startHarness({ REDIS_URL: redis.url, SECRET, ...env }),
      b: await startHarness({ REDIS_URL: redis.url, SECRET, ...env }),
    };
  },
  openStore: () => openRedisStore(redis.url, { retention: retentionFor({ codeTtlSeconds: 600, resendSeconds: 60 }) }),
  together(pair) {
    it('counts wrong codes across both instances, and burns the code at the cap', async () => {
      const { a, b } = pair();
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
  },
  perIp(pair) {
    it('counts verifies from one IP across both instances', async () => {
      const { a, b } = pair();
      const statuses = [];
      for (const h of [a, b, a]) statuses.push((await h.verify({ email: 'v@example.com', code: '123456' })).status);
      assert.deepEqual(statuses, [401, 401, 429]);
      assert.deepEqual((await redis.command('EXISTS', 'pl:ip-verify:127.0.0.1')).trim(), ':1', 'the counter lives in Redis under the prefix');
    });
  },
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
