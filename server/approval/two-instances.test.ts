/**
 * Cross-device approval across two real instances sharing one store: the browser asks and waits
 * on one, the phone approves on the other, and the waiter is woken through the store's channel
 * (Redis pub/sub, PostgreSQL LISTEN/NOTIFY) within a moment, not found by the 5 s re-check. A
 * wake that never comes (an approve made without one) still arrives by the re-check.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJson } from '../testing/api-client.ts';
import { approve, askWithApproval, waitFor, waitsInProgress } from '../testing/approval-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres-server.ts';
import { startTestRedis, type TestRedis } from '../testing/redis-server.ts';
import { WAIT_RECHECK_MS } from './approval-waits.ts';

const SECRET = 'approval-two-instances-secret-0123456789abcdef';

function describePair(name: string, env: () => Promise<Record<string, string>>): void {
  describe(`approval across two instances, one ${name}`, () => {
    let a: Harness;
    let b: Harness;
    before(async () => {
      const shared = await env();
      a = await startHarness({ ...shared, SECRET });
      b = await startHarness({ ...shared, SECRET });
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });

    it('wakes the wait on one instance when the phone approves on the other', async () => {
      const asked = await askWithApproval(a, `wake-${name.toLowerCase()}@example.com`);
      const waiting = waitFor(a, asked.id, asked.secret);
      await waitsInProgress(a, 1);
      const describedOnB = await b.server.backend.service.describeApproval(asked.token);
      assert.ok(describedOnB.choices.includes(asked.number));
      const approvedAt = Date.now();
      assert.equal((await approve(b, asked.token, asked.number)).status, 200);
      const answer = await waiting;
      const latency = Date.now() - approvedAt;
      assert.equal(answer.body.status, 'approved', JSON.stringify(answer.body));
      assert.ok(latency < WAIT_RECHECK_MS / 2, `woken by the channel in ${latency} ms, not by the re-check`);
      for (const h of [a, b]) assert.equal((await getJson(h.api('/session'), { Authorization: `Bearer ${answer.body.session.token}` })).status, 200);
    });

    it('still signs in by the re-check when no wake arrives', async () => {
      const asked = await askWithApproval(a, `recheck-${name.toLowerCase()}@example.com`);
      const waiting = waitFor(a, asked.id, asked.secret);
      await waitsInProgress(a, 1);
      // The service's approve alone: the store changes, no wake is sent.
      await b.server.backend.service.approveLogin(asked.token, asked.number);
      const answer = await waiting;
      assert.equal(answer.body.status, 'approved', JSON.stringify(answer.body));
    });
  });
}

let redis: TestRedis;
let postgres: TestPostgres;
before(async () => {
  [redis, postgres] = await Promise.all([startTestRedis(), startTestPostgres()]);
});
after(async () => {
  await redis?.stop();
  await postgres?.stop();
});

describePair('Redis', async () => ({ REDIS_URL: redis.url }));
describePair('PostgreSQL', async () => ({ DATABASE_URL: await postgres.createDatabase() }));
