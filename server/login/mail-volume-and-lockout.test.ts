/** The per-email hourly cap and the lock after 100 wrong codes in a row, on the injected clock. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';

const MINUTE = 60_000;
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('codes per hour', () => {
  it('sends at most 5 codes an hour to one address, then says when the next may go', async () => {
    for (let i = 0; i < 5; i++) {
      await h.requestCode('ana@example.com');
      h.server.clock.advance(MINUTE);
    }
    const sixth = await h.request({ email: 'ana@example.com' });
    assert.equal(sixth.status, 429);
    assert.equal(sixth.body.error.retryAfter, 55 * 60, 'the first of the five leaves the hour in 55 minutes');
    assert.equal(sixth.headers.get('retry-after'), String(55 * 60));
    h.server.clock.advance(55 * MINUTE);
    assert.equal((await h.request({ email: 'ana@example.com' })).status, 202);
  });

  it('counts unknown addresses the same way', async () => {
    await h.close();
    h = await startHarness({ USER_CREATION: 'false' });
    for (let i = 0; i < 5; i++) {
      assert.equal((await h.request({ email: 'nobody@example.com' })).status, 202);
      h.server.clock.advance(MINUTE);
    }
    assert.equal((await h.request({ email: 'nobody@example.com' })).body.error.retryAfter, 55 * 60);
  });

  it('honours CODES_PER_HOUR', async () => {
    await h.close();
    h = await startHarness({ CODES_PER_HOUR: '2' });
    await h.requestCode('ana@example.com');
    h.server.clock.advance(MINUTE);
    await h.requestCode('ana@example.com');
    h.server.clock.advance(MINUTE);
    assert.equal((await h.request({ email: 'ana@example.com' })).status, 429);
  });
});

describe('100 wrong codes in a row', () => {
  async function fail(times: number) {
    for (let i = 0; i < times; i++) await h.verify({ email: 'ana@example.com', code: '000000' });
  }

  it('locks the address for 24 hours: no code is mailed to it, so none can be tried', async () => {
    await fail(100);
    h.server.clock.advance(MINUTE);
    const asked = await h.request({ email: 'ana@example.com' });
    assert.deepEqual([asked.status, asked.body], [202, { codeLength: 6, expiresIn: 600, retryAfter: 60 }], 'the answer does not change');
    await h.server.backend.service.idle();
    assert.equal(h.smtp.received.length, 0, 'no mail while locked');
    const tried = await h.verify({ email: 'ana@example.com', code: '000000' });
    assert.deepEqual([tried.status, tried.body.error.code], [429, 'too_many_attempts']);
  });

  it('lets a fresh code sign in once the lock is over, and the login resets the count', async () => {
    await fail(100);
    h.server.clock.advance(24 * 60 * MINUTE);
    const { code } = await h.requestCode('ana@example.com');
    assert.equal((await h.verify({ email: 'ana@example.com', code })).status, 200);
    h.server.clock.advance(MINUTE);
    const next = await h.requestCode('ana@example.com');
    const wrong = next.code === '000000' ? '111111' : '000000';
    assert.equal((await h.verify({ email: 'ana@example.com', code: wrong })).body.error.attemptsLeft, 4);
  });

  it('burns the code that was live when the 100th wrong one came', async () => {
    await fail(99);
    const { code } = await h.requestCode('ana@example.com');
    await fail(1);
    assert.equal((await h.verify({ email: 'ana@example.com', code })).status, 429);
  });
});
