/** What only the PostgreSQL store does: tables and expiries, the sweep, migrations, faults; and atomicity across instances, by the tests it shares with Redis (testing/atomic-across-instances.ts). */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { retentionFor } from '../../login/retention.ts';
import { startTestPostgres, type TestPostgres } from '../../testing/postgres-server.ts';
import { describeAtomicAcrossInstances } from '../../testing/atomic-across-instances.ts';
import { loginState, passkeyRecord, sequence, userRecord } from '../../testing/store-contract.ts';
import { ManualClock } from '../../time/clock.ts';
import { StoreError } from '../types.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';
import { statementsFor } from './sql.ts';
import { auditStatementsFor } from './audit-sql.ts';
import { quotedSchema } from './connection.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';

const CODE_TTL_MS = 600_000;
const retention = retentionFor({ codeTtlSeconds: CODE_TTL_MS / 1000, resendSeconds: 60 });
const MINUTE = 60_000;
const DAY = 86_400_000;

let postgres: TestPostgres;
before(async () => {
  postgres = await startTestPostgres();
});
after(async () => {
  await postgres?.stop();
});

let clock: ManualClock;
let store: PostgresStore;
let now: number;
let url: string;
const opened: PostgresStore[] = [];
const open = async (schema = 'passwordless') => {
  const s = await openPostgresStore(url, { retention, clock, schema });
  opened.push(s);
  return s;
};
beforeEach(async () => {
  url = await postgres.createDatabase();
  clock = new ManualClock(Date.now());
  now = clock.now();
  store = await open();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

const rows = async (sql: string, values: unknown[] = []) => (await store.pool.query(sql, values)).rows;
const ms = (value: Date) => value.getTime();

describe('PostgreSQL store: tables and expiries', () => {
  it('keeps one row per email key expiring at its retention, and a link row per sequence expiring with it', async () => {
    const state = { ...loginState('a@example.com', now, [sequence('s1', 't1', now), sequence('s2', 't2', now + MINUTE)]), requestTimes: [] };
    await store.updateLogin('a@example.com', () => ({ next: structuredClone(state), result: null }));
    const [login] = await rows('SELECT email_key, state, expires_at FROM passwordless.login_states');
    assert.deepEqual(login.state, state);
    assert.equal(ms(login.expires_at), retention.loginState(state));
    assert.equal(ms(login.expires_at), now + MINUTE + 10 * MINUTE + CODE_TTL_MS);
    const links = await rows('SELECT token_hash, email_key, expires_at FROM passwordless.login_links ORDER BY token_hash');
    assert.deepEqual(
      links.map((l) => [l.token_hash, l.email_key, ms(l.expires_at)]),
      [
        ['t1', 'a@example.com', now + 10 * MINUTE + CODE_TTL_MS],
        ['t2', 'a@example.com', now + MINUTE + 10 * MINUTE + CODE_TTL_MS],
      ],
    );
  });

  it('moves the expiry with every change: 30 days after the last wrong code', async () => {
    await store.updateLogin('a@example.com', () => ({ next: loginState('a@example.com', now, [sequence('s1', 't1', now)]), result: null }));
    await store.updateLogin('a@example.com', (current) => ({ next: { ...current!, attempts: 1, lastFailureAt: now + 1000 }, result: null }));
    const [login] = await rows('SELECT expires_at FROM passwordless.login_states');
    assert.equal(ms(login.expires_at), now + 1000 + 30 * DAY);
  });

  it('deletes a state that no longer matters instead of writing it, with its links', async () => {
    await store.updateLogin('a@example.com', () => ({ next: loginState('a@example.com', now, [sequence('s1', 't1', now)]), result: null }));
    clock.advance(DAY);
    await store.updateLogin('a@example.com', (current) => ({ next: current, result: null }));
    assert.deepEqual(await rows('SELECT * FROM passwordless.login_states'), []);
    assert.deepEqual(await rows('SELECT * FROM passwordless.login_links'), []);
  });

  it('answers null for a session or link past its instant before the sweep deletes the row', async () => {
    await store.createSession({ tokenHash: 'h', userId: 'u', createdAt: now, expiresAt: now + MINUTE });
    await store.updateLogin('a@example.com', () => ({ next: loginState('a@example.com', now, [sequence('s1', 't1', now)]), result: null }));
    clock.advance(30 * MINUTE);
    assert.equal(await store.findSession('h'), null);
    assert.equal(await store.findLoginKeyByTokenHash('t1'), null, 'the link is past expiry plus one lifetime');
    assert.equal((await rows('SELECT count(*)::int AS n FROM passwordless.sessions'))[0].n, 1, 'the answer came from the clock');
  });

  it('keeps a user as columns a host can join to, with its data as JSON', async () => {
    await store.updateUser('u@example.com', () => ({ next: { ...userRecord('u@example.com', 'uid'), data: { plan: 'pro' } }, result: null }));
    const [user] = await rows("SELECT id, email, email_key, email_verified, created_at, last_login_at, data->>'plan' AS plan FROM passwordless.users");
    assert.deepEqual({ ...user, created_at: user.created_at.toISOString() }, {
      id: 'uid',
      email: 'u@example.com',
      email_key: 'u@example.com',
      email_verified: true,
      created_at: '2026-01-01T00:00:00.000Z',
      last_login_at: null,
      plan: 'pro',
    });
  });

  it('keeps two schemas apart in one database', async () => {
    const other = await open('other_app');
    await store.updateLogin('a@example.com', () => ({ next: loginState('a@example.com', now, [sequence('s1', 't1', now)]), result: null }));
    assert.equal(await other.findLoginKeyByTokenHash('t1'), null);
    assert.equal(await other.updateLogin('a@example.com', (current) => ({ next: current, result: current })), null);
  });
});

describe('PostgreSQL store: the sweep', () => {
  it('deletes, in batches of 1,000, every expired session, login state and link, and keeps the live ones', async () => {
    // 2,500 of each: three batches, so a sweep that stopped after one would leave 1,500.
    await store.pool.query(
      `INSERT INTO passwordless.sessions SELECT 'old-' || i, 'u', $1, $1 FROM generate_series(1, 2500) AS i`,
      [new Date(now - MINUTE)],
    );
    await store.pool.query(
      `INSERT INTO passwordless.login_states SELECT 'old-' || i || '@example.com', '{}', $1 FROM generate_series(1, 2500) AS i`,
      [new Date(now - MINUTE)],
    );
    await store.createSession({ tokenHash: 'live', userId: 'u', createdAt: now, expiresAt: now + DAY });
    await store.updateLogin('live@example.com', () => ({ next: loginState('live@example.com', now, [sequence('s1', 't1', now)]), result: null }));
    // Links whose sequences are over while their login states still matter (the hourly window, a wrong code on record).
    await store.updateLogin('kept@example.com', () => ({ next: { ...loginState('kept@example.com', now, [sequence('s1', 'gone', now)]), attempts: 1, lastFailureAt: now }, result: null }));
    clock.advance(CODE_TTL_MS + 10 * MINUTE + MINUTE);
    assert.deepEqual(await store.sweep(clock.now(), () => null), { logins: 2500, sessions: 2500 });
    assert.deepEqual((await rows('SELECT email_key FROM passwordless.login_states ORDER BY email_key')).map((r) => r.email_key), ['kept@example.com', 'live@example.com']);
    assert.deepEqual(await rows('SELECT token_hash FROM passwordless.login_links'), [], 'the links of the kept states went with their expiry');
    assert.deepEqual((await rows('SELECT token_hash FROM passwordless.sessions')).map((r) => r.token_hash), ['live']);
  });

  it('finds its expired rows through the expiry indexes', async () => {
    const indexes = (await rows("SELECT indexname FROM pg_indexes WHERE schemaname = 'passwordless' AND indexdef LIKE '%(expires_at)%' ORDER BY indexname")).map((r) => r.indexname);
    assert.deepEqual(indexes, ['login_links_expires_at', 'login_states_expires_at', 'one_time_claims_expires_at', 'sessions_expires_at']);
  });

  it('deletes expired claims in the same batched sweep, and keeps the live ones', async () => {
    await store.pool.query(`INSERT INTO passwordless.one_time_claims SELECT 'old-' || i, $1 FROM generate_series(1, 2500) AS i`, [new Date(now - MINUTE)]);
    assert.equal(await store.claimOnce('live', now + 10 * MINUTE), true);
    await store.sweep(now, () => null);
    assert.deepEqual(await rows('SELECT key FROM passwordless.one_time_claims'), [{ key: 'live' }]);
  });
});

describe('PostgreSQL store: passkeys and claims', () => {
  it('keeps passkeys as rows of their user, indexed by user, and deletes them with the user', async () => {
    await store.updateUser('u@example.com', () => ({ next: userRecord('u@example.com', 'uid'), result: null }));
    await store.addPasskey(passkeyRecord('cred-1', 'uid', now, { counter: 4_294_967_295 }));
    const [row] = await rows('SELECT id, user_id, counter, transports, backed_up, created_at, last_used_at FROM passwordless.passkeys');
    assert.deepEqual({ ...row, created_at: ms(row.created_at) }, { id: 'cred-1', user_id: 'uid', counter: '4294967295', transports: ['internal', 'hybrid'], backed_up: true, created_at: now, last_used_at: null });
    const indexes = (await rows("SELECT indexname FROM pg_indexes WHERE tablename = 'passkeys' AND schemaname = 'passwordless' ORDER BY indexname")).map((r) => r.indexname);
    assert.deepEqual(indexes, ['passkeys_pkey', 'passkeys_user_id']);
    await assert.rejects(store.addPasskey(passkeyRecord('cred-2', 'nobody', now)), /foreign key/, 'a passkey needs its user');
    await store.updateUser('u@example.com', () => ({ next: null, result: null }));
    assert.deepEqual(await rows('SELECT id FROM passwordless.passkeys'), [], 'the user’s passkeys went with it');
  });

  it('lets a claim past its expiry be taken again before the sweep, in the one statement', async () => {
    assert.equal(await store.claimOnce('challenge', now + MINUTE), true);
    clock.advance(MINUTE - 1);
    assert.equal(await store.claimOnce('challenge', clock.now() + MINUTE), false, 'a millisecond before its expiry it still counts');
    clock.advance(1);
    assert.equal(await store.claimOnce('challenge', clock.now() + MINUTE), true, 'at its expiry it no longer does');
    assert.deepEqual((await rows('SELECT expires_at FROM passwordless.one_time_claims')).map((r) => ms(r.expires_at)), [clock.now() + MINUTE]);
    const other = await open();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).claimOnce('challenge', clock.now() + 2 * MINUTE)));
    assert.deepEqual(answers.filter(Boolean), [], 'the new claim counts, on every pool');
  });

  it('takes over an expired claim for exactly one of 20 concurrent claims on two pools', async () => {
    assert.equal(await store.claimOnce('challenge', now + MINUTE), true);
    clock.advance(2 * MINUTE);
    const other = await open();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).claimOnce('challenge', clock.now() + MINUTE)));
    assert.equal(answers.filter(Boolean).length, 1);
  });

  it('keeps the sessions of a schema at version 1 through migration 2, which gives them no method', async () => {
    const s = '"upgraded"';
    await store.pool.query(`CREATE SCHEMA ${s}; CREATE TABLE ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    await store.pool.query(MIGRATIONS[0]!.sql(s));
    await store.pool.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES (1, $1)`, [MIGRATIONS[0]!.name]);
    await store.pool.query(`INSERT INTO ${s}.sessions VALUES ('old', 'u', $1, $2)`, [new Date(now), new Date(now + DAY)]);
    const upgraded = await open('upgraded');
    assert.deepEqual(await upgraded.findSession('old'), { tokenHash: 'old', userId: 'u', createdAt: now, expiresAt: now + DAY });
    assert.deepEqual((await rows(`SELECT version FROM ${s}.schema_migrations ORDER BY version`)).map((r) => r.version), MIGRATIONS.map((m) => m.version));
    await upgraded.createSession({ tokenHash: 'new', userId: 'u', createdAt: now, expiresAt: now + DAY, method: 'link' });
    assert.equal((await upgraded.findSession('new'))?.method, 'link');
  });
});

describe('PostgreSQL store: listing users', () => {
  it('lists users a schema at version 2 stored, after migration 3 adds the indexes', async () => {
    const s = '"before_lists"';
    await store.pool.query(`CREATE SCHEMA ${s}; CREATE TABLE ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    for (const migration of MIGRATIONS.slice(0, 2)) {
      await store.pool.query(migration.sql(s));
      await store.pool.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    }
    await store.pool.query(`INSERT INTO ${s}.users (id, email_key, email, email_verified, created_at, last_login_at, data) VALUES ('u1', 'a@example.com', 'a@example.com', true, '2026-01-01T00:00:00Z', NULL, '{}'), ('u2', 'b@example.com', 'b@example.com', true, '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '{}')`);
    const upgraded = await open('before_lists');
    assert.deepEqual((await upgraded.listUsers({ limit: 10, sort: 'created' })).users.map((u) => u.id), ['u2', 'u1']);
    assert.deepEqual((await upgraded.listUsers({ limit: 10, sort: 'last_sign_in' })).users.map((u) => u.id), ['u2', 'u1']);
    assert.equal(await upgraded.countUsers(), 2);
  });

  it('reads a page by a backward scan of the migration-3 index for each sort, never a sort of the table', async () => {
    const sql = statementsFor(quotedSchema('passwordless'));
    const client = await store.pool.connect();
    try {
      // The table is tiny, so the planner would rather scan it: forbid that, and see the index fits the query.
      await client.query('SET enable_seqscan = off; SET enable_sort = off');
      for (const [statement, index] of [[sql.listUsersByCreated, 'users_created_at'], [sql.listUsersBySignIn, 'users_last_login_at']] as const) {
        const { rows: plan } = await client.query(`EXPLAIN ${statement.text}`, ['infinity', '', 'example', 11]);
        const text = plan.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
        assert.match(text, new RegExp(`Index Scan Backward using ${index}`), text);
        assert.doesNotMatch(text, /Sort/, text);
      }
    } finally {
      await client.query('RESET ALL');
      client.release();
    }
  });
});

describe('PostgreSQL store: the audit trail', () => {
  it('reads a page of everyone’s entries or one user’s by a backward scan of a migration-4 index, never a sort or a scan of everyone’s', async () => {
    const sql = auditStatementsFor(quotedSchema('passwordless'));
    const client = await store.pool.connect();
    try {
      await client.query('SET enable_seqscan = off; SET enable_sort = off; SET enable_incremental_sort = off');
      for (const [statement, values, index] of [[sql.listAudit, ['infinity', 50], 'audit_at'], [sql.listUserAudit, ['user-a', 'infinity', 50], 'audit_user_id_at']] as const) {
        const { rows: plan } = await client.query(`EXPLAIN ${statement.text}`, [...values]);
        const text = plan.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
        assert.match(text, new RegExp(`Index Scan Backward using ${index}`), text);
        assert.doesNotMatch(text, /Sort/, text);
      }
    } finally {
      await client.query('RESET ALL');
      client.release();
    }
  });

  it('keeps entries as rows with the user id and no address, and daily counts as one row per day and counter', async () => {
    await store.appendAudit([{ at: now, event: 'admin_action', userId: 'user-a', action: 'block', by: 'admin-1' }]);
    await store.addDailyCounts('2026-12-07', { 'sign_in:code': 2 });
    await store.addDailyCounts('2026-12-07', { 'sign_in:code': 3, 'mail:sent': 1 });
    assert.deepEqual(await rows('SELECT at, event, user_id, method, action, actor, client_key FROM passwordless.audit'), [{ at: new Date(now), event: 'admin_action', user_id: 'user-a', method: null, action: 'block', actor: 'admin-1', client_key: null }]);
    assert.deepEqual(await rows("SELECT to_char(day, 'YYYY-MM-DD') AS day, key, count::int AS count FROM passwordless.daily_counts ORDER BY key"), [
      { day: '2026-12-07', key: 'mail:sent', count: 1 },
      { day: '2026-12-07', key: 'sign_in:code', count: 5 },
    ]);
  });
});

describeAtomicAcrossInstances('PostgreSQL', async () => ({ first: store, second: await open(), now }));

describe('PostgreSQL store: the read kept for the next write', () => {
  /** The names of the statements `s` sends from now on. */
  const statementsOf = (s: PostgresStore): string[] => {
    const names: string[] = [];
    const query = s.pool.query.bind(s.pool) as (...args: unknown[]) => unknown;
    (s.pool as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
      names.push((config as { name?: string }).name ?? String(config));
      return query(config, ...rest);
    };
    return names;
  };
  const attemptsOf = async (emailKey: string) => (await rows('SELECT state FROM passwordless.login_states WHERE email_key = $1', [emailKey]))[0].state.attempts;

  it('writes a login state or a user read just before in one statement, not a read and a write', async () => {
    const sent = statementsOf(store);
    assert.equal(await store.findUserByEmailKey('a@example.com'), null);
    await store.updateLogin('a@example.com', () => ({ next: loginState('a@example.com', now), result: null }));
    assert.deepEqual(sent.splice(0), ['pl-user-and-login-by-email', 'pl-insert-login'], 'a first request');
    await store.findUserByEmailKey('a@example.com');
    await store.updateLogin('a@example.com', (current) => ({ next: { ...current!, attempts: current!.attempts + 1 }, result: null }));
    assert.deepEqual(sent.splice(0), ['pl-user-and-login-by-email', 'pl-update-login'], 'a second request');
    await store.updateUser('u@example.com', () => ({ next: userRecord('u@example.com'), result: null }));
    await store.findUserByEmailKey('u@example.com');
    await store.updateUser('u@example.com', (user) => ({ next: { ...user!, data: { seen: 2 } }, result: null }));
    assert.deepEqual(sent.splice(0), ['pl-read-user', 'pl-insert-user', 'pl-user-and-login-by-email', 'pl-update-user'], 'a write without a read before it reads first');
    assert.equal(await attemptsOf('a@example.com'), 1);
    assert.deepEqual((await store.findUserByEmailKey('u@example.com'))?.data, { seen: 2 });
  });

  it('runs the change again on a fresh read when another instance changed the row after the read kept', async () => {
    const second = await open();
    await store.updateLogin('a@example.com', () => ({ next: loginState('a@example.com', now), result: null }));
    await store.updateUser('a@example.com', () => ({ next: userRecord('a@example.com'), result: null }));
    await store.findUserByEmailKey('a@example.com');
    await second.updateLogin('a@example.com', (current) => ({ next: { ...current!, attempts: 5 }, result: null }));
    await second.updateUser('a@example.com', (user) => ({ next: { ...user!, data: { by: 'second' } }, result: null }));
    const seen: number[] = [];
    await store.updateLogin('a@example.com', (current) => {
      seen.push(current!.attempts);
      return { next: { ...current!, attempts: current!.attempts + 1 }, result: null };
    });
    assert.deepEqual(seen, [0, 5], 'tried on the kept read, then on the row as it is');
    assert.equal(await attemptsOf('a@example.com'), 6);
    await store.updateUser('a@example.com', (user) => ({ next: { ...user!, data: { ...user!.data, and: 'first' } }, result: null }));
    assert.deepEqual((await second.findUserByEmailKey('a@example.com'))?.data, { by: 'second', and: 'first' });
  });

  it('never answers from a kept read that found no row: a change that would write nothing reads first', async () => {
    const second = await open();
    assert.equal(await store.findUserByEmailKey('b@example.com'), null);
    await second.updateLogin('b@example.com', () => ({ next: loginState('b@example.com', now), result: null }));
    await second.updateUser('b@example.com', () => ({ next: userRecord('b@example.com', 'id-second'), result: null }));
    assert.equal(await store.updateLogin('b@example.com', (current) => ({ next: current, result: current?.address ?? 'none' })), 'b@example.com');
    assert.equal(await store.updateUser('b@example.com', (user) => ({ next: user, result: user?.id ?? 'none' })), 'id-second');
  });

  it('does not take a login state deleted and inserted again for the one it read', async () => {
    const second = await open();
    await store.updateLogin('c@example.com', () => ({ next: loginState('c@example.com', now), result: null }));
    await store.findUserByEmailKey('c@example.com');
    await second.updateLogin('c@example.com', () => ({ next: null, result: null }));
    await second.updateLogin('c@example.com', () => ({ next: { ...loginState('c@example.com', now), attempts: 7 }, result: null }));
    const before = await store.updateLogin('c@example.com', (current) => ({ next: { ...current!, attempts: current!.attempts + 1 }, result: current!.attempts }));
    assert.equal(before, 7, 'the change ran on the state inserted again, not on the one deleted');
    assert.equal(await attemptsOf('c@example.com'), 8);
  });

  it('writes the user now at an address, not the one read there before it moved away', async () => {
    const second = await open();
    await store.updateUser('k@example.com', () => ({ next: userRecord('k@example.com', 'id-first'), result: null }));
    await store.findUserByEmailKey('k@example.com');
    assert.notEqual(await second.changeUserEmail('id-first', { email: 'moved@example.com', emailKey: 'moved@example.com' }), 'taken');
    await second.updateUser('k@example.com', () => ({ next: userRecord('k@example.com', 'id-second'), result: null }));
    const written = await store.updateUser('k@example.com', (user) => ({ next: { ...user!, data: { touched: true } }, result: user!.id }));
    assert.equal(written, 'id-second');
    assert.deepEqual((await store.findUserById('id-first'))?.data, {}, 'the user who moved is untouched');
    assert.equal((await store.findUserById('id-first'))?.emailKey, 'moved@example.com');
  });

  it('keeps its own copy of a user read: a change the caller makes in place is never written', async () => {
    await store.updateUser('m@example.com', () => ({ next: userRecord('m@example.com'), result: null }));
    const user = (await store.findUserByEmailKey('m@example.com'))!;
    user.data.changedInPlace = true;
    await store.updateUser('m@example.com', (current) => ({ next: { ...current!, lastLoginAt: '2026-12-07T00:00:00.000Z' }, result: null }));
    const stored = (await store.findUserByEmailKey('m@example.com'))!;
    assert.deepEqual(stored.data, {});
    assert.equal(stored.lastLoginAt, '2026-12-07T00:00:00.000Z');
  });

  it('loses none of 200 concurrent read-then-change pairs on one address through two pools', async () => {
    const second = await open();
    const bump = async (s: PostgresStore) => {
      await s.findUserByEmailKey('race@example.com');
      await s.updateLogin('race@example.com', (current) => {
        const next = current ?? loginState('race@example.com', now);
        next.attempts += 1;
        return { next, result: null };
      });
    };
    await Promise.all(Array.from({ length: 200 }, (_, i) => bump(i % 2 ? store : second)));
    assert.equal(await attemptsOf('race@example.com'), 200);
  });
});

describe('PostgreSQL store: migrations', () => {
  it('migrates once when ten instances start at the same moment on a fresh database', async () => {
    const fresh = await postgres.createDatabase();
    const stores = await Promise.all(Array.from({ length: 10 }, () => openPostgresStore(fresh, { retention, clock })));
    try {
      const { rows: applied } = await stores[0]!.pool.query('SELECT version, name FROM passwordless.schema_migrations ORDER BY version');
      assert.deepEqual(applied, MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      // Every one of them works on the same tables.
      await Promise.all(stores.map((s, i) => s.createSession({ tokenHash: `h${i}`, userId: 'u', createdAt: now, expiresAt: now + MINUTE })));
      assert.equal((await stores[9]!.findSession('h0'))?.userId, 'u');
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('applies nothing again at the next start, and keeps what is stored', async () => {
    await store.createSession({ tokenHash: 'h', userId: 'u', createdAt: now, expiresAt: now + MINUTE });
    const again = await open();
    assert.equal((await again.findSession('h'))?.userId, 'u');
    assert.equal((await rows('SELECT count(*)::int AS n FROM passwordless.schema_migrations'))[0].n, MIGRATIONS.length);
  });

  it('refuses to start on a schema newer than it knows, and changes nothing', async () => {
    await store.pool.query("INSERT INTO passwordless.schema_migrations (version, name) VALUES ($1, 'from the future')", [SCHEMA_VERSION + 1]);
    await assert.rejects(openPostgresStore(url, { retention, clock }), (error: Error) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, new RegExp(`schema "passwordless" is at version ${SCHEMA_VERSION + 1}, newer than this version of passwordless-login knows \\(${SCHEMA_VERSION}\\)`));
      return true;
    });
  });
});

describe('PostgreSQL store: faults', () => {
  it('refuses to open when PostgreSQL cannot be reached, in one line naming the URL without its password', async () => {
    const dead = `postgres://app:hunter2@127.0.0.1:${postgres.port + 1}/nowhere`;
    const started = Date.now();
    await assert.rejects(openPostgresStore(dead, { retention }), (error: Error) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, new RegExp(`^Cannot use PostgreSQL at postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${postgres.port + 1}/nowhere \\(DATABASE_URL\\): .+`));
      assert.doesNotMatch(error.message, /hunter2|\n/);
      return true;
    });
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  it('answers a row held too long with a statement timeout, and writes nothing of that change', async () => {
    await store.updateLogin('held@example.com', () => ({ next: loginState('held@example.com', now), result: null }));
    // Another session holds the row (a stuck transaction elsewhere): the change waits, then fails.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM passwordless.login_states WHERE email_key = 'held@example.com' FOR UPDATE");
      const started = Date.now();
      await assert.rejects(
        store.updateLogin('held@example.com', (current) => ({ next: { ...current!, attempts: 9 }, result: null })),
        /statement timeout/,
      );
      assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    assert.equal(await store.updateLogin('held@example.com', (current) => ({ next: current, result: current!.attempts })), 0, 'nothing of the timed-out change was stored');
  });

  it('fails every call within seconds while the database is down, and works again by itself once it is back', async () => {
    const doomed = await startTestPostgres();
    try {
      const s = await openPostgresStore(doomed.url, { retention, clock, onError: () => {} });
      await s.createSession({ tokenHash: 'kept', userId: 'u', createdAt: now, expiresAt: now + DAY });
      await doomed.kill();
      const started = Date.now();
      const calls = [
        s.updateLogin('a@example.com', (c) => ({ next: c, result: null })),
        s.findLoginKeyByTokenHash('t'),
        s.findUserByEmailKey('a@example.com'),
        s.updateUser('a@example.com', (c) => ({ next: c, result: null })),
        s.findSession('kept'),
        s.createSession({ tokenHash: 'h2', userId: 'u', createdAt: now, expiresAt: now + MINUTE }),
        s.deleteSession('kept'),
      ];
      const outcomes = await Promise.allSettled(calls);
      assert.deepEqual(outcomes.map((o) => o.status), calls.map(() => 'rejected'));
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      await doomed.restart();
      assert.equal((await s.findSession('kept'))?.userId, 'u', 'the same store answers again, and what was committed is there');
      await s.close();
    } finally {
      await doomed.stop();
    }
  });

  it('fails (never skips) when PostgreSQL is missing, saying how to install it', async () => {
    const bin = process.env.PG_BIN;
    process.env.PG_BIN = '/nonexistent';
    try {
      await assert.rejects(startTestPostgres(), /PostgreSQL is not installed.*apt-get install -y postgresql/);
    } finally {
      if (bin === undefined) delete process.env.PG_BIN;
      else process.env.PG_BIN = bin;
    }
  });
});
