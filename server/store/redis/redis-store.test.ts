/** What only the Redis store does: key layout, expiries, connections, failures; and atomicity across connections, by the tests it shares with PostgreSQL (testing/atomic-across-instances.ts). */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../time/clock.ts';
import { retentionFor } from '../../login/retention.ts';
import { startTestRedis, type TestRedis } from '../../testing/redis-server.ts';
import { withoutPassword } from '../../secrets/without-password.ts';
import { openRedisStore, type RedisStore } from './redis-store.ts';
import { describeAtomicAcrossInstances } from '../../testing/atomic-across-instances.ts';
import { loginState, passkeyRecord, sequence, userRecord } from '../../testing/store-contract.ts';
import { StoreError } from '../types.ts';

const CODE_TTL_MS = 600_000;
const retention = retentionFor({ codeTtlSeconds: CODE_TTL_MS / 1000, resendSeconds: 60 });
const MINUTE = 60_000;
const DAY = 86_400_000;

let redis: TestRedis;
before(async () => {
  redis = await startTestRedis();
});
after(async () => {
  await redis?.stop();
});

let clock: ManualClock;
let store: RedisStore;
let now: number;
const opened: RedisStore[] = [];
const open = async (keyPrefix = 'pl:') => {
  const s = await openRedisStore(redis.url, { retention, clock, keyPrefix });
  opened.push(s);
  return s;
};
beforeEach(async () => {
  await redis.command('FLUSHALL');
  clock = new ManualClock(Date.now());
  now = clock.now();
  store = await open();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

const expireTime = (key: string) => store.client.pexpiretime(key);

describe('Redis store: key layout and expiries', () => {
  it('keeps one JSON value per email key, expiring at its retention, and a link key per sequence expiring with it', async () => {
    // No hourly window in it: the latest sequence decides (it expires, then one more lifetime).
    const state = { ...loginState('a@example.com', now, [sequence('s1', 't1', now), sequence('s2', 't2', now + MINUTE)]), requestTimes: [] };
    await store.updateLogin('a@example.com', () => ({ next: structuredClone(state), result: null }));
    assert.deepEqual((await store.client.keys('*')).sort(), ['pl:link:t1', 'pl:link:t2', 'pl:login:a@example.com']);
    assert.deepEqual(JSON.parse((await store.client.get('pl:login:a@example.com'))!), state);
    assert.equal(await expireTime('pl:login:a@example.com'), retention.loginState(state));
    assert.equal(await expireTime('pl:login:a@example.com'), now + MINUTE + 10 * MINUTE + CODE_TTL_MS);
    assert.equal(await expireTime('pl:link:t1'), now + 10 * MINUTE + CODE_TTL_MS);
    assert.equal(await expireTime('pl:link:t2'), now + MINUTE + 10 * MINUTE + CODE_TTL_MS);
    assert.equal(await store.client.get('pl:link:t1'), 'a@example.com');
  });

  it('moves the expiry with every change: 30 days after the last wrong code', async () => {
    await store.updateLogin('a@example.com', () => ({ next: loginState('a@example.com', now, [sequence('s1', 't1', now)]), result: null }));
    const before = await expireTime('pl:login:a@example.com');
    await store.updateLogin('a@example.com', (current) => ({ next: { ...current!, attempts: 1, lastFailureAt: now + 1000 }, result: null }));
    const afterFailure = await expireTime('pl:login:a@example.com');
    assert.ok(afterFailure > before);
    assert.equal(afterFailure, now + 1000 + 30 * DAY);
  });

  it('deletes a state that no longer matters instead of writing it, with its link keys', async () => {
    await store.updateLogin('a@example.com', () => ({ next: loginState('a@example.com', now, [sequence('s1', 't1', now)]), result: null }));
    clock.advance(DAY);
    // Nothing in this state matters a day later: its retention is past.
    await store.updateLogin('a@example.com', (current) => ({ next: current, result: null }));
    assert.deepEqual(await store.client.keys('*'), []);
  });

  it('stores sessions with PEXPIREAT expiresAt, and answers null past expiresAt before Redis evicts', async () => {
    await store.createSession({ tokenHash: 'h', userId: 'u', createdAt: now, expiresAt: now + 30 * DAY });
    assert.equal(await expireTime('pl:session:h'), now + 30 * DAY);
    clock.advance(30 * DAY);
    assert.equal(await store.findSession('h'), null);
    assert.equal(await store.client.exists('pl:session:h'), 1, 'the key is still there: the answer came from the clock');
  });

  it('indexes a user’s sessions in a sorted set that expires with the last of them and drops the expired ones', async () => {
    const session = (tokenHash: string, expiresAt: number) => ({ tokenHash, userId: 'u', createdAt: clock.now(), expiresAt });
    await store.createSession(session('long', now + 30 * DAY));
    await store.createSession(session('short', now + DAY));
    assert.deepEqual(await store.client.zrange('pl:user-sessions:u', '0', '-1', 'WITHSCORES'), ['short', String(now + DAY), 'long', String(now + 30 * DAY)]);
    assert.equal(await expireTime('pl:user-sessions:u'), now + 30 * DAY, 'the set lives as long as its longest session, not one day');
    // Two days on, `short` is over: the next sign-in drops it, so the set holds live sessions only.
    clock.advance(2 * DAY);
    await store.createSession(session('later', clock.now() + 30 * DAY));
    assert.deepEqual(await store.client.zrange('pl:user-sessions:u', '0', '-1'), ['long', 'later']);
    assert.equal(await expireTime('pl:user-sessions:u'), clock.now() + 30 * DAY);
  });

  it('removes a deleted session from its user’s set, and the set with its last member', async () => {
    await store.createSession({ tokenHash: 'h1', userId: 'u', createdAt: now, expiresAt: now + DAY });
    await store.createSession({ tokenHash: 'h2', userId: 'u', createdAt: now, expiresAt: now + DAY });
    await store.deleteSession('h1');
    assert.deepEqual(await store.client.zrange('pl:user-sessions:u', '0', '-1'), ['h2']);
    await store.deleteSession('h2');
    assert.deepEqual(await store.client.keys('*'), []);
    await store.createSession({ tokenHash: 'h3', userId: 'u', createdAt: now, expiresAt: now + DAY });
    assert.equal(await store.deleteUserSessions('u'), 1);
    assert.deepEqual(await store.client.keys('*'), [], 'a revoke leaves neither sessions nor the set');
  });

  it('keeps users by id and by email key without expiry', async () => {
    await store.updateUser('u@example.com', () => ({ next: userRecord('u@example.com', 'uid'), result: null }));
    assert.deepEqual((await store.client.keys('*')).sort(), ['pl:user-email:u@example.com', 'pl:user:uid', 'pl:users-by-created', 'pl:users-by-sign-in']);
    assert.equal(await store.client.pttl('pl:users-by-created'), -1);
    assert.equal(await store.client.get('pl:user-email:u@example.com'), 'uid');
    assert.equal(await store.client.pttl('pl:user:uid'), -1);
    assert.equal(await store.client.pttl('pl:user-email:u@example.com'), -1);
  });

  it('keeps a passkey per credential and a per-user set scored by creation, without expiry, and drops the set with its last passkey', async () => {
    await store.addPasskey(passkeyRecord('cred-2', 'u', now + 1));
    await store.addPasskey(passkeyRecord('cred-1', 'u', now));
    assert.deepEqual((await store.client.keys('*')).sort(), ['pl:passkey:cred-1', 'pl:passkey:cred-2', 'pl:user-passkeys:u']);
    assert.deepEqual(await store.client.zrange('pl:user-passkeys:u', '0', '-1', 'WITHSCORES'), ['cred-1', String(now), 'cred-2', String(now + 1)]);
    for (const key of ['pl:passkey:cred-1', 'pl:user-passkeys:u']) assert.equal(await store.client.pttl(key), -1, key);
    clock.advance(400 * DAY);
    assert.deepEqual((await store.listPasskeys('u')).map((p) => p.id), ['cred-1', 'cred-2'], 'no clock ends a passkey');
    for (const id of ['cred-1', 'cred-2']) await store.updatePasskey(id, () => ({ next: null, result: null }));
    assert.deepEqual(await store.client.keys('*'), []);
  });

  it('claims a key with SET NX PXAT: the key expires at the claim’s expiry', async () => {
    assert.equal(await store.claimOnce('challenge', now + 10 * MINUTE), true);
    assert.equal(await store.client.get('pl:claim:challenge'), '1');
    assert.equal(await expireTime('pl:claim:challenge'), now + 10 * MINUTE);
    assert.equal(await store.claimOnce('challenge', now + 20 * MINUTE), false);
    assert.equal(await expireTime('pl:claim:challenge'), now + 10 * MINUTE, 'a refused claim moves nothing');
  });

  it('sweeps nothing (the TTLs do it) and says so with zeros', async () => {
    await store.createSession({ tokenHash: 'h', userId: 'u', createdAt: now, expiresAt: now + MINUTE });
    let tidied = 0;
    assert.deepEqual(await store.sweep(now + DAY, () => (tidied++, null)), { logins: 0, sessions: 0 });
    assert.equal(tidied, 0);
  });

  it('keeps two prefixes apart on one Redis', async () => {
    const other = await open('other:');
    await store.updateLogin('a@example.com', () => ({ next: loginState('a@example.com', now, [sequence('s1', 't1', now)]), result: null }));
    assert.equal(await other.findLoginKeyByTokenHash('t1'), null);
    assert.equal(await other.updateLogin('a@example.com', (current) => ({ next: current, result: current })), null);
  });

  it('stores and finds records under __proto__-like names like any other key', async () => {
    for (const name of ['__proto__', 'constructor', 'toString']) {
      await store.updateLogin(name, () => ({ next: loginState(name, now, [sequence('s1', `${name}-t`, now)]), result: null }));
      await store.updateUser(name, () => ({ next: userRecord(name, name), result: null }));
      assert.equal((await store.updateLogin(name, (c) => ({ next: c, result: c })))?.emailKey, name);
      assert.equal(await store.findLoginKeyByTokenHash(`${name}-t`), name);
      assert.equal((await store.findUserByEmailKey(name))?.id, name);
      assert.equal((await store.findUserById(name))?.emailKey, name);
    }
  });
});

describeAtomicAcrossInstances('Redis', async () => ({ first: store, second: await open(), now }));

describe('Redis store: connections', () => {
  it('refuses to open when Redis cannot be reached, naming the URL without its password', async () => {
    const dead = await startTestRedis();
    await dead.stop();
    const url = `redis://user:hunter2@127.0.0.1:${dead.port}`;
    await assert.rejects(openRedisStore(url, { retention }), (error: Error) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${dead.port}`));
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
    assert.equal(withoutPassword(url), `redis://user:***@127.0.0.1:${dead.port}`);
  });

  it('rejects every call within seconds once Redis goes away: no hang', async () => {
    const doomed = await startTestRedis();
    const s = await openRedisStore(doomed.url, { retention, clock });
    await s.createSession({ tokenHash: 'h', userId: 'u', createdAt: now, expiresAt: now + MINUTE });
    await doomed.stop();
    const started = Date.now();
    const calls = [
      s.updateLogin('a@example.com', (c) => ({ next: c, result: null })),
      s.findLoginKeyByTokenHash('t'),
      s.findUserByEmailKey('a@example.com'),
      s.updateUser('a@example.com', (c) => ({ next: c, result: null })),
      s.findSession('h'),
      s.createSession({ tokenHash: 'h2', userId: 'u', createdAt: now, expiresAt: now + MINUTE }),
      s.deleteSession('h'),
    ];
    const outcomes = await Promise.allSettled(calls);
    assert.deepEqual(outcomes.map((o) => o.status), calls.map(() => 'rejected'));
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    await s.close();
  });

  it('fails (never skips) when redis-server is missing, saying how to install it', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await assert.rejects(startTestRedis(), /redis-server is not installed.*apt-get install -y redis-server/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('quits its connection on close', async () => {
    const s = await open();
    await s.close();
    await assert.rejects(s.client.ping(), /closed/);
    await s.close();
  });
});

describe('Redis store: the user list sets', () => {
  const member = (at: string | null, id: string) => `${at ?? ''} ${id}`;

  it('keeps one member per user in each set, "<time> <id>", changed with the record and gone with the erasure', async () => {
    const ann = { ...userRecord('ann@example.com', 'u-ann'), createdAt: '2026-01-01T00:00:00.000Z' };
    await store.updateUser(ann.emailKey, () => ({ next: ann, result: null }));
    assert.deepEqual(await store.client.zrange('pl:users-by-created', '0', '-1'), [member(ann.createdAt, 'u-ann')]);
    assert.deepEqual(await store.client.zrange('pl:users-by-sign-in', '0', '-1'), [member(null, 'u-ann')]);
    await store.updateUser(ann.emailKey, (current) => ({ next: { ...current!, lastLoginAt: '2026-02-01T00:00:00.000Z' }, result: null }));
    assert.deepEqual(await store.client.zrange('pl:users-by-sign-in', '0', '-1'), [member('2026-02-01T00:00:00.000Z', 'u-ann')]);
    await store.deleteUser('u-ann');
    assert.deepEqual(await store.client.keys('*'), [], 'nothing left: the empty sets are gone too');
  });

  it('fills the sets at the start for users an older version stored without them, and skips none', async () => {
    // As a version before the list sets wrote them: the record and the email index only.
    for (let i = 0; i < 25; i++) {
      const user = { ...userRecord(`old${i}@example.com`, `u-old-${String(i).padStart(2, '0')}`), createdAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString() };
      await store.client.set(`pl:user:${user.id}`, JSON.stringify(user));
      await store.client.set(`pl:user-email:${user.emailKey}`, user.id);
    }
    assert.equal(await store.countUsers(), 0, 'not listed before a start fills the sets');
    const restarted = await open();
    assert.equal(await restarted.countUsers(), 25);
    const page = await restarted.listUsers({ limit: 30, sort: 'created' });
    assert.deepEqual(page.users.map((u) => u.id), Array.from({ length: 25 }, (_, i) => `u-old-${String(24 - i).padStart(2, '0')}`));
    assert.equal((await restarted.listUsers({ limit: 30, sort: 'last_sign_in' })).users.length, 25);
  });

  it('never lists a stale time: a member its record no longer matches (changed by an older version) is skipped, until the sets are filled again', async () => {
    const ann = { ...userRecord('ann@example.com', 'u-ann'), lastLoginAt: '2026-01-01T00:00:00.000Z' };
    await store.updateUser(ann.emailKey, () => ({ next: ann, result: null }));
    // An older version signs Ann in during a rolling upgrade: the record changes, the sets do not.
    await store.client.set('pl:user:u-ann', JSON.stringify({ ...ann, lastLoginAt: '2026-03-01T00:00:00.000Z' }));
    assert.deepEqual((await store.listUsers({ limit: 10, sort: 'last_sign_in' })).users, []);
    // The repair docs/storage.md gives: delete the two sets, and a start fills them again.
    await store.client.del('pl:users-by-created', 'pl:users-by-sign-in');
    const restarted = await open();
    assert.deepEqual((await restarted.listUsers({ limit: 10, sort: 'last_sign_in' })).users.map((u) => u.lastLoginAt), ['2026-03-01T00:00:00.000Z']);
  });
});

describe('Redis store: the audit trail, daily counts and live sessions', () => {
  const withRetention = async (days: number) => {
    const s = await openRedisStore(redis.url, { retention, clock, keyPrefix: 'pl:', auditRetentionMs: days * DAY });
    opened.push(s);
    return s;
  };

  it('expires a user’s audit set with the retention after their newest entry (never earlier for an older one), and a day’s counts after the day', async () => {
    const kept = await withRetention(90);
    await kept.appendAudit([{ at: now, event: 'sign_in', userId: 'u', method: 'code' }, { at: now - DAY, event: 'user_created', userId: 'u' }]);
    assert.equal(await expireTime('pl:audit-user:u'), now + 90 * DAY);
    await kept.appendAudit([{ at: now - 5 * DAY, event: 'sign_out', userId: 'u' }]);
    assert.equal(await expireTime('pl:audit-user:u'), now + 90 * DAY, 'an older entry copied in later does not cut it short');
    assert.equal(await expireTime('pl:audit'), -1, 'everyone’s set is swept, not expired');
    const day = new Date(now).toISOString().slice(0, 10);
    await kept.addDailyCounts(day, { 'sign_in:code': 1 });
    assert.equal(await expireTime(`pl:daily:${day}`), Date.parse(`${day}T00:00:00.000Z`) + DAY + 90 * DAY);
    assert.deepEqual(await store.client.hgetall(`pl:daily:${day}`), { 'sign_in:code': '1' });
  });

  it('counts live sessions from one sorted set, and fills it at the start with sessions stored before it', async () => {
    await store.createSession({ tokenHash: 'h1', userId: 'u', createdAt: now, expiresAt: now + DAY });
    await store.createSession({ tokenHash: 'h2', userId: 'v', createdAt: now, expiresAt: now + 2 * DAY });
    assert.deepEqual(await store.client.zrange('pl:sessions-by-expiry', '0', '-1', 'WITHSCORES'), ['h1', String(now + DAY), 'h2', String(now + 2 * DAY)]);
    // As an older version left them: sessions, and no set.
    await store.client.del('pl:sessions-by-expiry');
    assert.equal(await store.countSessions(now), 0);
    const restarted = await open();
    assert.equal(await restarted.countSessions(now), 2);
    assert.equal(await restarted.countSessions(now + DAY), 1);
  });
});
