/** Housekeeping: what the sweep deletes and what it must keep, on the real JSON file. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getJson } from '../testing/api-client.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { readStoreOnDisk } from '../testing/store-on-disk.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});
const onDisk = () => readStoreOnDisk(h.server.dataFile);
const DAY = 86_400_000;

describe('sweep', () => {
  it('deletes login states of addresses that only ever asked, once nothing in them matters', async () => {
    for (let i = 0; i < 5; i++) await h.request({ email: `visitor${i}@example.com` });
    assert.equal(Object.keys((await onDisk()).logins).length, 5);
    h.server.clock.advance(DAY);
    assert.deepEqual(await h.server.backend.service.sweep(), { logins: 5, sessions: 0 });
    const data = await onDisk();
    assert.deepEqual([Object.keys(data.logins).length, Object.keys(data.linkTokens).length], [0, 0]);
  });

  it('keeps a live code, and the wrong-code count for 30 days after the last wrong code', async () => {
    const live = await h.requestCode('live@example.com');
    await h.verify({ email: 'guessed@example.com', code: '123456' });
    h.server.clock.advance(5 * 60_000);
    await h.server.backend.service.sweep();
    assert.equal((await h.verify({ email: 'live@example.com', code: live.code })).status, 200);
    h.server.clock.advance(29 * DAY);
    await h.server.backend.service.sweep();
    assert.equal((await h.verify({ email: 'guessed@example.com', code: '123456' })).body.error.attemptsLeft, 3, 'kept for 29 days');
    h.server.clock.advance(31 * DAY);
    await h.server.backend.service.sweep();
    assert.equal((await h.verify({ email: 'guessed@example.com', code: '123456' })).body.error.attemptsLeft, 4, 'forgotten after 30 quiet days');
  });

  it('deletes expired sessions and keeps live ones', async () => {
    const old = await h.signIn('old@example.com');
    h.server.clock.advance(20 * DAY);
    const recent = await h.signIn('recent@example.com');
    h.server.clock.advance(11 * DAY);
    assert.equal((await h.server.backend.service.sweep()).sessions, 1);
    assert.equal(Object.keys((await onDisk()).sessions).length, 1);
    assert.equal((await getJson(h.api('/session'), { Authorization: `Bearer ${recent.token}` })).status, 200);
    assert.equal((await getJson(h.api('/session'), { Authorization: `Bearer ${old.token}` })).status, 401);
  });
});
