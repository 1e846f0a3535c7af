/**
 * What one address keeps does not grow with how often it asks: the data held steady (one address
 * asked for again and again, RATE_LIMITS=off as the benchmark's steady-load run has it) must not
 * make each request slower than the last.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';
import { readStoreOnDisk } from '../testing/store-on-disk.ts';
import { MAX_SEQUENCES } from './login-state.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ RATE_LIMITS: 'off' });
});
afterEach(async () => {
  await h.close();
});

describe('an address asked for again and again', () => {
  it('keeps at most MAX_SEQUENCES codes and codesPerHour request times, and the newest code still signs in', async () => {
    // Each code read from its mail, so the last one read is the newest.
    const first = await h.requestCode('steady@example.com');
    for (let i = 0; i < 39; i++) {
      h.server.clock.advance(1_000);
      await h.requestCode('steady@example.com');
    }
    const newest = await h.requestCode('steady@example.com');
    const state = (await readStoreOnDisk(h.server.dataFile)).logins['steady@example.com'];
    assert.ok(state.sequences.length <= MAX_SEQUENCES + 1, `${state.sequences.length} sequences kept after 41 requests`);
    assert.ok(state.requestTimes.length <= 5 + 1, `${state.requestTimes.length} request times kept after 41 requests`);
    assert.equal((await h.verify({ email: 'steady@example.com', code: first.code })).status, 401, 'the first code went with its sequence');
    assert.equal((await h.verify({ email: 'steady@example.com', code: newest.code })).status, 200);
  });
});
