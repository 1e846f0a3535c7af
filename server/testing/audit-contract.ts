/**
 * The audit trail, the daily counts and the count of live sessions (Store.appendAudit, listAudit,
 * sweepAudit, addDailyCounts, listDailyCounts, countSessions), the same in every store: run beside
 * `describeStoreContract` for each adapter, on the same stores. An erased user's entries stay,
 * and the raw storage (`StoreUnderTest.rawText`) still holds no address of theirs.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../time/clock.ts';
import { dayOf, InvalidAuditQuery } from '../store/audit-records.ts';
import type { AuditRecord, Store } from '../store/types.ts';
import { loginState, sequence, userRecord, type OpenStoreUnderTest, type StoreUnderTest } from './store-contract.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

export function describeAuditContract(name: string, open: OpenStoreUnderTest): void {
  describe(`Audit contract: ${name}`, () => {
    let clock: ManualClock;
    let subject: StoreUnderTest;
    let store: Store;
    let now: number;
    beforeEach(async () => {
      clock = new ManualClock(Date.now());
      now = clock.now();
      subject = await open(clock);
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    const signIn = (userId: string, at: number, method = 'code'): AuditRecord => ({ at, event: 'sign_in', userId, method, clientKey: '203.0.113.7' });

    describe('the trail', () => {
      it('lists what was appended newest first, every field as appended, and the same after a reopen', async () => {
        const records: AuditRecord[] = [
          signIn('user-a', now - 3 * MINUTE),
          { at: now - 2 * MINUTE, event: 'admin_action', userId: 'user-b', action: 'block', by: 'admin-1' },
          { at: now - MINUTE, event: 'user_deleted', userId: 'user-c', by: 'cli' },
        ];
        await store.appendAudit(records.slice(0, 2));
        await store.appendAudit(records.slice(2));
        const expected = [...records].reverse();
        assert.deepEqual(await store.listAudit({ limit: 10 }), expected);
        store = await subject.reopen();
        assert.deepEqual(await store.listAudit({ limit: 10 }), expected);
      });

      it('keeps two equal entries apart, and orders entries of one millisecond later appended first', async () => {
        await store.appendAudit([signIn('user-a', now), signIn('user-a', now)]);
        await store.appendAudit([{ at: now, event: 'sign_out', userId: 'user-a' }]);
        assert.deepEqual((await store.listAudit({ limit: 10 })).map((r) => r.event), ['sign_out', 'sign_in', 'sign_in']);
      });

      it('answers the newest few of a long day in order, ties of one millisecond later appended first', async () => {
        // 450 entries in one day, out of time order, several per millisecond: the JSON store keeps
        // only twice the limit while it reads the day, and must still answer exactly the newest.
        const records: AuditRecord[] = Array.from({ length: 450 }, (_, i) => ({ at: now - ((i * 37) % 150) * 1000, event: 'sign_in', userId: `user-${i}`, method: 'code' }));
        await store.appendAudit(records.slice(0, 200));
        await store.appendAudit(records.slice(200));
        const expected = records
          .map((record, index) => ({ record, index }))
          .sort((a, b) => b.record.at - a.record.at || b.index - a.index)
          .map(({ record }) => record.userId);
        assert.deepEqual((await store.listAudit({ limit: 7 })).map((r) => r.userId), expected.slice(0, 7));
        assert.deepEqual((await store.listAudit({ userId: 'user-449', limit: 3 })).map((r) => r.userId), ['user-449']);
      });

      it('stores only the known fields: nothing a caller added by mistake', async () => {
        await store.appendAudit([{ ...signIn('user-a', now), email: 'leak@example.com' } as AuditRecord]);
        assert.deepEqual(await store.listAudit({ limit: 1 }), [signIn('user-a', now)]);
        assert.ok(!(await subject.rawText()).includes('leak@example.com'));
      });

      it('lists one user’s entries only, and pages back with `before`', async () => {
        const batch: AuditRecord[] = [];
        for (let i = 0; i < 30; i++) batch.push(signIn(i % 3 === 0 ? 'user-a' : 'user-b', now - (30 - i) * MINUTE, ['code', 'link', 'passkey'][i % 3]));
        await store.appendAudit(batch);
        const ofA = batch.filter((r) => r.userId === 'user-a').reverse();
        const first = await store.listAudit({ userId: 'user-a', limit: 4 });
        assert.deepEqual(first, ofA.slice(0, 4));
        const second = await store.listAudit({ userId: 'user-a', before: first.at(-1)!.at, limit: 4 });
        assert.deepEqual(second, ofA.slice(4, 8));
        const last = await store.listAudit({ userId: 'user-a', before: second.at(-1)!.at, limit: 4 });
        assert.deepEqual(last, ofA.slice(8));
        assert.deepEqual(await store.listAudit({ userId: 'user-nobody', limit: 10 }), []);
        assert.equal((await store.listAudit({ limit: 200 })).length, 30);
      });

      it('finds entries across days, newest day first', async () => {
        await store.appendAudit([signIn('user-a', now - 3 * DAY), signIn('user-a', now - DAY), signIn('user-a', now - 2 * DAY)]);
        assert.deepEqual((await store.listAudit({ userId: 'user-a', limit: 10 })).map((r) => r.at), [now - DAY, now - 2 * DAY, now - 3 * DAY]);
        assert.deepEqual((await store.listAudit({ before: now - DAY, limit: 1 })).map((r) => r.at), [now - 2 * DAY]);
      });

      it('refuses a bad limit or `before` with an InvalidAuditQuery, never a crash', async () => {
        for (const query of [{ limit: 0 }, { limit: 201 }, { limit: 1.5 }, { limit: Number.NaN }, { limit: 10, before: Number.NaN }, { limit: 10, userId: '' }]) {
          await assert.rejects(store.listAudit(query), InvalidAuditQuery, JSON.stringify(query));
        }
        await store.appendAudit([]);
        assert.deepEqual(await store.listAudit({ limit: 1 }), [], 'an empty batch appends nothing');
      });

      it('sweeps the entries of the days before `before`, in everyone’s list and each user’s', async () => {
        await store.appendAudit([signIn('user-a', now - 10 * DAY), signIn('user-b', now - 9 * DAY), signIn('user-a', now - DAY), signIn('user-a', now)]);
        assert.equal(await store.sweepAudit(now - 5 * DAY), 2);
        assert.deepEqual((await store.listAudit({ limit: 10 })).map((r) => r.at), [now, now - DAY]);
        assert.deepEqual((await store.listAudit({ userId: 'user-b', limit: 10 })), []);
        assert.deepEqual((await store.listAudit({ userId: 'user-a', limit: 10 })).map((r) => r.at), [now, now - DAY]);
        assert.equal(await store.sweepAudit(now - 5 * DAY), 0, 'nothing left to sweep');
        store = await subject.reopen();
        assert.equal((await store.listAudit({ limit: 10 })).length, 2);
      });

      it('sweeps more entries than one batch', async () => {
        const old = Array.from({ length: 2_500 }, (_, i) => signIn(`user-${i % 7}`, now - 20 * DAY + i));
        await store.appendAudit(old);
        await store.appendAudit([signIn('user-0', now)]);
        assert.equal(await store.sweepAudit(now - 10 * DAY), 2_500);
        assert.deepEqual((await store.listAudit({ userId: 'user-0', limit: 200 })).map((r) => r.at), [now]);
      });

      it('keeps an erased user’s entries (their id only), and no address of theirs anywhere', async () => {
        const ann = { ...userRecord('audited.person@example.com', 'user-audited-42'), email: 'Audited.Person@example.com' };
        await store.updateUser(ann.emailKey, () => ({ next: ann, result: null }));
        await store.updateLogin(ann.emailKey, () => ({ next: loginState(ann.emailKey, now, [sequence('s1', 'audited-link', now)]), result: null }));
        await store.appendAudit([{ at: now - 1, event: 'user_created', userId: ann.id }, signIn(ann.id, now)]);
        await store.addDailyCounts(dayOf(now), { 'sign_in:code': 1 });
        await store.deleteUser(ann.id);
        await store.appendAudit([{ at: now + 1, event: 'user_deleted', userId: ann.id }]);
        assert.deepEqual((await store.listAudit({ userId: ann.id, limit: 10 })).map((r) => r.event), ['user_deleted', 'sign_in', 'user_created']);
        const raw = (await subject.rawText()).toLowerCase();
        assert.ok(raw.includes(ann.id), 'the raw text was read (the audit id is there)');
        assert.ok(!raw.includes('audited.person'), 'no address left');
        assert.ok(!raw.includes('audited-link'), 'no link hash left');
      });
    });

    describe('daily counts', () => {
      const today = () => dayOf(now);
      const daysAgo = (n: number) => dayOf(now - n * DAY);

      it('adds up, per day and counter, and lists the days of a range that have any', async () => {
        await store.addDailyCounts(daysAgo(2), { 'sign_in:code': 2, 'mail:sent': 3 });
        await store.addDailyCounts(today(), { 'sign_in:code': 1 });
        await store.addDailyCounts(today(), { 'sign_in:code': 4, 'sign_in:passkey': 1, 'mail:failed': 0 });
        const expected = { [daysAgo(2)]: { 'sign_in:code': 2, 'mail:sent': 3 }, [today()]: { 'sign_in:code': 5, 'sign_in:passkey': 1 } };
        assert.deepEqual(await store.listDailyCounts(daysAgo(29), today()), expected);
        assert.deepEqual(await store.listDailyCounts(daysAgo(1), today()), { [today()]: expected[today()] });
        store = await subject.reopen();
        assert.deepEqual(await store.listDailyCounts(daysAgo(29), today()), expected);
      });

      it('counts every one of 50 concurrent additions, from two connections where the store has them', async () => {
        const second = subject.another ? await subject.another() : store;
        try {
          await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? store : second).addDailyCounts(today(), { 'sign_in:link': 1, 'mail:sent': 2 })));
          assert.deepEqual(await store.listDailyCounts(today(), today()), { [today()]: { 'sign_in:link': 50, 'mail:sent': 100 } });
        } finally {
          if (second !== store) await second.close();
        }
      });

      it('sweeps the days before `before`’s day with the trail', async () => {
        await store.addDailyCounts(daysAgo(100), { 'sign_in:code': 1 });
        await store.addDailyCounts(daysAgo(91), { 'sign_in:code': 1 });
        await store.addDailyCounts(daysAgo(90), { 'sign_in:code': 1 });
        await store.sweepAudit(now - 90 * DAY);
        assert.deepEqual(Object.keys(await store.listDailyCounts(daysAgo(120), today())), [daysAgo(90)]);
      });

      it('refuses a bad day, range or count with an InvalidAuditQuery', async () => {
        await assert.rejects(store.addDailyCounts('2026-13-01', { 'sign_in:code': 1 }), InvalidAuditQuery);
        await assert.rejects(store.addDailyCounts('yesterday', { 'sign_in:code': 1 }), InvalidAuditQuery);
        await assert.rejects(store.addDailyCounts(today(), { 'sign_in:code': -1 }), InvalidAuditQuery);
        await assert.rejects(store.addDailyCounts(today(), { 'sign_in:code': 0.5 }), InvalidAuditQuery);
        await assert.rejects(store.addDailyCounts(today(), JSON.parse('{"__proto__": 1}') as Record<string, number>), InvalidAuditQuery, 'a name special to objects');
        await assert.rejects(store.addDailyCounts(today(), { 'Sign In': 1 }), InvalidAuditQuery);
        await assert.rejects(store.listDailyCounts(today(), daysAgo(1)), InvalidAuditQuery, 'backwards');
        await assert.rejects(store.listDailyCounts(daysAgo(400), today()), InvalidAuditQuery, 'over 400 days');
        assert.deepEqual(await store.listDailyCounts(daysAgo(399), today()), {});
      });
    });

    describe('counting sessions', () => {
      it('counts the sessions live at `now`: not the expired, not the deleted, not an erased user’s', async () => {
        assert.equal(await store.countSessions(now), 0);
        const session = (tokenHash: string, userId: string, minutes: number) => store.createSession({ tokenHash, userId, createdAt: now, expiresAt: now + minutes * MINUTE, method: 'code' });
        await session('count-1', 'user-a', 60);
        await session('count-2', 'user-a', 10);
        await session('count-3', 'user-b', 60);
        await session('count-4', 'user-c', 60);
        await session('count-5', 'user-c', 60);
        assert.equal(await store.countSessions(now), 5);
        assert.equal(await store.countSessions(now + 30 * MINUTE), 4, 'one expired by then');
        await store.deleteSession('count-3');
        assert.equal(await store.countSessions(now), 4);
        await store.deleteUserSessions('user-c');
        assert.equal(await store.countSessions(now), 2);
        await store.updateUser('a@example.com', () => ({ next: userRecord('a@example.com', 'user-a'), result: null }));
        await store.deleteUser('user-a');
        assert.equal(await store.countSessions(now), 0);
        store = await subject.reopen();
        await session('count-6', 'user-d', 60);
        assert.equal(await store.countSessions(now), 1);
      });
    });
  });
}
