/**
 * Known and unknown emails must be indistinguishable from outside: same status, body and
 * headers on request and on verify (timing is measured by a benchmark, not a test).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { JsonAnswer } from '../testing/api-client.ts';
import { startHarness, type Harness } from '../testing/harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** Headers that differ between any two answers by nature. */
const VARYING = new Set(['date', 'content-length']);
function visible(answer: JsonAnswer) {
  const headers = [...answer.headers].filter(([name]) => !VARYING.has(name));
  return { status: answer.status, body: answer.body, headers };
}

for (const userCreation of ['true', 'false']) {
  describe(`known and unknown emails, USER_CREATION=${userCreation}`, () => {
    beforeEach(async () => {
      h = await startHarness({ USER_CREATION: userCreation });
      // A stored user, as a past login would have left it (seeded so it exists in both modes).
      const created = new Date(h.server.clock.now()).toISOString();
      await h.server.backend.store.updateUser('known@example.com', () => ({
        next: { id: 'u1', email: 'known@example.com', emailKey: 'known@example.com', emailVerified: true, createdAt: created, lastLoginAt: created, data: {} },
        result: null,
      }));
    });

    it('answer a request identically', async () => {
      const known = await h.request({ email: 'known@example.com' });
      const unknown = await h.request({ email: 'unknown@example.com' });
      assert.deepEqual(visible(unknown), visible(known));
    });

    it('answer a resend too soon identically', async () => {
      await h.request({ email: 'known@example.com' });
      await h.request({ email: 'unknown@example.com' });
      assert.deepEqual(visible(await h.request({ email: 'unknown@example.com' })), visible(await h.request({ email: 'known@example.com' })));
    });

    it('answer identically past the wrong-code cap, after a new code is requested', async () => {
      const both = ['known@example.com', 'unknown@example.com'];
      for (const email of both) for (let i = 0; i < 5; i++) await h.verify({ email, code: '000000' });
      h.server.clock.advance(61_000);
      for (const email of both) await h.request({ email });
      const [known, unknown] = await Promise.all(both.map((email) => h.verify({ email, code: '000000' })));
      assert.deepEqual(visible(unknown!), visible(known!));
    });

    it('answer a wrong code identically', async () => {
      await h.request({ email: 'known@example.com' });
      await h.request({ email: 'unknown@example.com' });
      const known = await h.verify({ email: 'known@example.com', code: '000000' });
      const unknown = await h.verify({ email: 'unknown@example.com', code: '000000' });
      assert.deepEqual(visible(unknown), visible(known));
    });
  });
}
