/**
 * The audit trail's batched writer (audit-trail.ts) over a real JSON store on temporary files,
 * with the clock moved by hand (the timer is off: each test calls `tick()` where the timer would):
 * batches by age and by size, one `addDailyCounts` per day, a flush at close, a failed write
 * tried once more then dropped, and at most 10,000 entries waiting. And `createAuditLog` handing
 * each entry to it with only the fields a store keeps.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../time/clock.ts';
import { openJsonStore, type JsonStoreHandle } from '../store/json/json-store.ts';
import { dayOf } from '../store/audit-records.ts';
import type { AuditRecord, Store } from '../store/types.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { createAuditLog } from './audit.ts';
import { createAuditTrail, type AuditTrail } from './audit-trail.ts';

const DAY = 86_400_000;

describe('the audit trail writer', () => {
  let dir: string;
  let store: JsonStoreHandle;
  let clock: ManualClock;
  let calls: { append: number[]; counts: string[] };
  /** While true, every write of the wrapped store throws. */
  let failing: boolean;
  let wrapped: Pick<Store, 'appendAudit' | 'addDailyCounts'>;
  let log: ReturnType<typeof recordingLogger>;
  let trail: AuditTrail;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audit-trail-'));
    store = await openJsonStore(join(dir, 'data.json'));
    clock = new ManualClock(Date.UTC(2026, 11, 7, 12));
    calls = { append: [], counts: [] };
    failing = false;
    wrapped = {
      appendAudit: async (records) => {
        calls.append.push(records.length);
        if (failing) throw new Error('store down');
        await store.appendAudit(records);
      },
      addDailyCounts: async (day, counts) => {
        calls.counts.push(day);
        if (failing) throw new Error('store down');
        await store.addDailyCounts(day, counts);
      },
    };
    log = recordingLogger();
    trail = createAuditTrail({ store: wrapped, clock, logger: log.logger, timer: false });
  });
  afterEach(async () => {
    await trail.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const signIn = (userId: string, method = 'code'): AuditRecord => ({ at: clock.now(), event: 'sign_in', userId, method, clientKey: '198.51.100.4' });
  const stored = async () => (await store.listAudit({ limit: 200 })).length;

  it('writes nothing before the oldest entry is 1 s old, then all of them in one appendAudit', async () => {
    trail.add(signIn('user-a'));
    clock.advance(400);
    trail.add(signIn('user-b'));
    trail.add({ at: clock.now(), event: 'sign_out', userId: 'user-a' });
    clock.advance(599);
    await trail.tick();
    assert.equal(await stored(), 0, '999 ms: not yet');
    assert.deepEqual(calls.append, []);
    clock.advance(1);
    await trail.tick();
    assert.deepEqual(calls.append, [3], 'one write of three');
    assert.deepEqual((await store.listAudit({ limit: 10 })).map((r) => r.event), ['sign_out', 'sign_in', 'sign_in']);
    await trail.tick();
    assert.deepEqual(calls.append, [3], 'nothing written twice');
  });

  it('writes at 100 entries without waiting for the clock, 100 per appendAudit', async () => {
    for (let i = 0; i < 99; i++) trail.add(signIn(`user-${i}`));
    await trail.tick();
    assert.deepEqual(calls.append, [], '99: not yet');
    trail.add(signIn('user-99'));
    await trail.tick();
    assert.deepEqual(calls.append, [100]);
    assert.equal(await stored(), 100);
  });

  it('counts sign-ins by method on the day of each, with one addDailyCounts per day, and mail by today', async () => {
    const yesterday = clock.now() - DAY;
    trail.add({ ...signIn('user-a'), at: yesterday });
    trail.add(signIn('user-a', 'link'));
    trail.add(signIn('user-b', 'link'));
    trail.add(signIn('user-c', 'passkey'));
    trail.add({ at: clock.now(), event: 'user_created', userId: 'user-c' });
    trail.count('mail:sent', 3);
    trail.count('mail:failed');
    clock.advance(1000);
    await trail.tick();
    assert.deepEqual(calls.counts.sort(), [dayOf(yesterday), dayOf(clock.now())].sort(), 'one call per day');
    assert.deepEqual(await store.listDailyCounts(dayOf(yesterday), dayOf(clock.now())), {
      [dayOf(yesterday)]: { 'sign_in:code': 1 },
      [dayOf(clock.now())]: { 'sign_in:link': 2, 'sign_in:passkey': 1, 'mail:sent': 3, 'mail:failed': 1 },
    });
  });

  it('writes what waits at close, at once', async () => {
    trail.add(signIn('user-a'));
    trail.count('mail:sent');
    await trail.close();
    assert.equal(await stored(), 1);
    assert.deepEqual(await store.listDailyCounts(dayOf(clock.now()), dayOf(clock.now())), { [dayOf(clock.now())]: { 'sign_in:code': 1, 'mail:sent': 1 } });
    trail.add(signIn('user-b'));
    await trail.close();
    assert.equal(await stored(), 1, 'nothing is taken after close');
  });

  it('at close, tries a failed write once more at once, then drops it with an error log (close never hangs on a store that is down)', async () => {
    failing = true;
    trail.add(signIn('user-a'));
    await trail.close();
    assert.deepEqual(calls.append, [1, 1], 'two tries, no wait between');
    assert.deepEqual(log.entries.filter((e) => e.level !== 'info').map((e) => e.level), ['warn', 'error']);
  });

  it('tries a failed write again 1 s later, new entries waiting behind it, and loses nothing', async () => {
    failing = true;
    trail.add(signIn('user-a'));
    clock.advance(1000);
    await trail.tick();
    assert.equal(log.entries.filter((e) => e.level === 'warn' && String(e.msg).startsWith('audit trail write failed')).length, 1);
    failing = false;
    clock.advance(500);
    trail.add(signIn('user-b'));
    await trail.tick();
    assert.equal(await stored(), 0, 'the retry waits its second');
    clock.advance(500);
    await trail.tick();
    assert.deepEqual((await store.listAudit({ limit: 10 })).map((r) => r.userId), ['user-a'], 'the retried batch; the next is 500 ms old');
    clock.advance(500);
    await trail.tick();
    assert.equal(await stored(), 2, 'then the one behind it');
    assert.deepEqual(await store.listDailyCounts(dayOf(clock.now()), dayOf(clock.now())), { [dayOf(clock.now())]: { 'sign_in:code': 2 } }, 'counted once each');
    assert.equal(log.entries.filter((e) => e.level === 'error').length, 0);
  });

  it('retries only the slices of a batch that were not stored: no entry twice', async () => {
    // 250 entries waiting make one batch of three appendAudit calls (100, 100, 50); the second fails once.
    let call = 0;
    const written: string[] = [];
    const flaky = createAuditTrail({
      store: {
        ...wrapped,
        appendAudit: async (records) => {
          if (++call === 2) throw new Error('store down');
          await wrapped.appendAudit(records);
          written.push(...records.map((r) => r.userId!));
        },
      },
      clock,
      logger: log.logger,
      timer: false,
      maxPending: 1_000,
    });
    for (let i = 0; i < 250; i++) flaky.add(signIn(`user-${i}`));
    await flaky.tick();
    assert.equal(written.length, 100, 'the first slice stored, the second failed');
    clock.advance(1000);
    await flaky.tick();
    await flaky.close();
    assert.equal(written.length, 250, 'every entry stored');
    assert.equal(new Set(written).size, 250, 'none twice');
  });

  it('drops a batch that failed twice with an error log, and goes on with the next', async () => {
    failing = true;
    trail.add(signIn('user-a'));
    clock.advance(1000);
    await trail.tick();
    clock.advance(1000);
    await trail.tick();
    const errors = log.entries.filter((e) => e.level === 'error');
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]!.msg), /failed twice: entries dropped/);
    assert.equal(errors[0]!.entries, 1);
    failing = false;
    trail.add(signIn('user-b'));
    clock.advance(1000);
    await trail.tick();
    assert.deepEqual((await store.listAudit({ limit: 10 })).map((r) => r.userId), ['user-b']);
  });

  it('keeps at most 10,000 entries waiting: past that they are dropped from the store, counted in one error log', async () => {
    failing = true;
    for (let i = 0; i < 100; i++) trail.add(signIn(`first-${i}`));
    await trail.tick();
    assert.deepEqual(calls.append, [100], 'the first 100 went, and failed');
    for (let i = 0; i < 10_050; i++) trail.add(signIn(`later-${i}`));
    await trail.tick();
    failing = false;
    clock.advance(1000);
    await trail.tick();
    const errors = log.entries.filter((e) => e.level === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0]!.dropped, 50);
    let lines = 0;
    for await (const day of store.auditTrail()) lines += day.length;
    assert.equal(lines, 10_100, 'the retried 100 and the 10,000 that waited');
  });

  it('gets every entry of createAuditLog, with only the fields a store keeps', async () => {
    const audit = createAuditLog(log.logger, clock, trail);
    audit.signIn({ userId: 'user-a', method: 'link', clientKey: '2001:db8:1::/64', approved: true });
    audit.passkeyAdded({ userId: 'user-a', credentialId: 'cred-1' });
    audit.adminAction({ action: 'block', userId: 'user-b', by: 'admin-1' });
    audit.userDeleted({ userId: 'user-c', by: 'cli' });
    await trail.close();
    const at = clock.now();
    assert.deepEqual(await store.listAudit({ limit: 10 }), [
      { at, event: 'user_deleted', userId: 'user-c', by: 'cli' },
      { at, event: 'admin_action', userId: 'user-b', action: 'block', by: 'admin-1' },
      { at, event: 'passkey_added', userId: 'user-a' },
      { at, event: 'sign_in', userId: 'user-a', method: 'link', clientKey: '2001:db8:1::/64' },
    ]);
    assert.equal(log.entries.filter((e) => e.audit === true).length, 4, 'each is still logged');
  });
});
