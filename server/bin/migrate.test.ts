/**
 * `npm run migrate` (`passwordless-login migrate`): a real JSON store and a real Redis moved into a
 * real PostgreSQL, and back out to a JSON file, through the compiled bin where it prints.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { retentionFor } from '../login/retention.ts';
import { secretFileFor } from '../secrets/secret-file.ts';
import { openJsonStore } from '../store/json/json-store.ts';
import { migrateStore } from '../store/migration/migrate-store.ts';
import { openPostgresStore } from '../store/postgres/postgres-store.ts';
import { openRedisStore } from '../store/redis/redis-store.ts';
import type { PasskeyRecord, SessionRecord, Store } from '../store/types.ts';
import { passkeyRecord } from '../testing/store-contract.ts';
import { dayOf } from '../store/audit-records.ts';
import { getJson, postJson } from '../testing/api-client.ts';
import { ensureCompiledCli } from '../testing/cli-process.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres-server.ts';
import { startTestRedis, type TestRedis } from '../testing/redis-server.ts';
import { requestCodeByMailbox, startTestServer } from '../testing/test-server.ts';

const run = promisify(execFile);
const retention = retentionFor({ codeTtlSeconds: 600, resendSeconds: 60 });
const SECRET = 'migrate-test-secret-0123456789abcdef0123456789';

let postgres: TestPostgres;
let redis: TestRedis;
before(async () => {
  // The command runs the compiled bin (npm run migrate): not a stale one.
  ensureCompiledCli();
  [postgres, redis] = await Promise.all([startTestPostgres(), startTestRedis()]);
});
after(async () => {
  await postgres?.stop();
  await redis?.stop();
});

let dir: string;
let file: string;
let databaseUrl: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-pg-'));
  file = join(dir, 'passwordless.json');
  databaseUrl = await postgres.createDatabase();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const migrateCli = (...args: string[]) => run('npm', ['run', '--silent', 'migrate', '--', ...args], { cwd: process.cwd(), env: { ...process.env, DATABASE_URL: '', REDIS_URL: '' } });

async function count(url: string, table: string, schema = 'passwordless'): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`SELECT count(*)::int AS n FROM ${schema}.${table}`)).rows[0].n;
  } finally {
    await client.end();
  }
}

/** Signs ada in and leaves a code pending for bob, on a backend started with `env`; returns what to check after the move. */
async function deploymentOn(env: Record<string, string>, options: { dataFile?: string } = {}) {
  const server = await startTestServer({ env, ...options });
  try {
    const code = await requestCodeByMailbox(server, 'ada@example.com');
    const signedIn = await postJson(`${server.url}/auth/verify`, { email: 'ada@example.com', code });
    assert.equal(signedIn.status, 200);
    return { token: signedIn.body.session.token as string, userId: signedIn.body.user.id as string, pending: await requestCodeByMailbox(server, 'bob@example.com') };
  } finally {
    await server.close();
  }
}

/** On a backend started with `env`: the session is live, the pending code signs bob in, and revoking ends ada's `sessions` sessions. */
async function assertMoved(env: Record<string, string>, moved: { token: string; userId: string; pending: string }, sessions = 1) {
  const server = await startTestServer({ env });
  try {
    const auth = { Authorization: `Bearer ${moved.token}` };
    const session = await getJson(`${server.url}/auth/session`, auth);
    assert.equal(session.status, 200);
    assert.equal(session.body.user.id, moved.userId);
    const verified = await postJson(`${server.url}/auth/verify`, { email: 'bob@example.com', code: moved.pending });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(await server.backend.service.revokeUserSessions(moved.userId), sessions);
    assert.equal((await getJson(`${server.url}/auth/session`, auth)).status, 401);
  } finally {
    await server.close();
  }
}

/**
 * Gives the user two passkeys and a session signed in with one, in the stopped deployment's store
 * (the passkey routes are the server's: the store is written as they would write it).
 */
async function addPasskeys(store: Store, userId: string): Promise<{ passkeys: PasskeyRecord[]; session: SessionRecord }> {
  const now = Date.now();
  const passkeys = [passkeyRecord('cred-phone', userId, now - 2_000, { counter: 3, lastUsedAt: now - 1_000 }), passkeyRecord('cred-key', userId, now - 1_000, { transports: ['usb'], backedUp: false, name: 'YubiKey' })];
  const session: SessionRecord = { tokenHash: 'passkey-session', userId, createdAt: now, expiresAt: now + 3_600_000, method: 'passkey' };
  try {
    for (const passkey of passkeys) assert.equal(await store.addPasskey(passkey), true);
    await store.createSession(session);
    assert.equal(await store.claimOnce('spent-challenge', now + 600_000), true);
  } finally {
    await store.close();
  }
  return { passkeys, session };
}

/** The target holds the passkeys, in order, and the session's method. */
async function assertPasskeysMoved(store: Store, userId: string, expected: { passkeys: PasskeyRecord[]; session: SessionRecord }) {
  try {
    assert.deepEqual(await store.listPasskeys(userId), expected.passkeys);
    assert.deepEqual(await store.findSession(expected.session.tokenHash), expected.session);
    assert.equal(await store.claimOnce('spent-challenge', Date.now() + 600_000), false, 'a challenge spent before the move stays spent');
  } finally {
    await store.close();
  }
}

/** The target holds the deployment's audit trail (ada created and signed in by code) and its day's counts (two codes mailed). */
async function assertAuditMoved(store: Store, userId: string) {
  try {
    const trail = await store.listAudit({ userId, limit: 10 });
    assert.deepEqual(trail.map((r) => [r.event, r.method]), [['sign_in', 'code'], ['user_created', undefined]]);
    const day = dayOf(trail[0]!.at);
    assert.deepEqual(await store.listDailyCounts(day, day), { [day]: { 'sign_in:code': 1, 'mail:sent': 2 } });
  } finally {
    await store.close();
  }
}

describe('migrate into PostgreSQL', () => {
  it('moves a running JSON deployment: prints the counts, and a session and a pending code work on the PostgreSQL backend', async () => {
    const moved = await deploymentOn({}, { dataFile: file });
    const withPasskeys = await addPasskeys(await openJsonStore(file), moved.userId);
    const { stdout } = await migrateCli('--from', file, '--to', databaseUrl);
    assert.match(stdout, /^Copied from .*passwordless\.json to postgres:\/\/app@127\.0\.0\.1:\d+\/test_\d+_\d+:\n/);
    assert.match(stdout, /users: 1\n  passkeys: 2\n  spent passkey challenges: 1\n/);
    assert.match(stdout, /sessions: 2 \(0 expired, left behind\)/);
    assert.match(stdout, /login states: 2 \(0 no longer needed, left behind\)/);
    assert.match(stdout, /link tokens: 2\n  audit entries: 2 \(and 1 days of counts\)\n/);
    assert.match(stdout, /Start every instance with DATABASE_URL and the SECRET the source used \(if SECRET was not set: the content of .*passwordless\.secret\)/);
    assert.deepEqual([await count(databaseUrl, 'users'), await count(databaseUrl, 'passkeys'), await count(databaseUrl, 'sessions'), await count(databaseUrl, 'login_states'), await count(databaseUrl, 'login_links')], [1, 2, 2, 2, 2]);
    await assertPasskeysMoved(await openPostgresStore(databaseUrl, { retention }), moved.userId, withPasskeys);
    await assertAuditMoved(await openPostgresStore(databaseUrl, { retention }), moved.userId);
    const secret = (await readFile(secretFileFor(file), 'utf8')).trim();
    await assertMoved({ DATABASE_URL: databaseUrl, SECRET: secret }, moved, 2);
  });

  it('moves a Redis deployment the same way', async () => {
    await redis.command('FLUSHALL');
    const moved = await deploymentOn({ REDIS_URL: redis.url, SECRET });
    const withPasskeys = await addPasskeys(await openRedisStore(redis.url, { retention }), moved.userId);
    const { stdout } = await migrateCli('--from', redis.url, '--to', databaseUrl);
    assert.match(stdout, /users: 1\n  passkeys: 2\n  spent passkey challenges: 1\n.*sessions: 2 .*login states: 2 /s);
    await assertPasskeysMoved(await openPostgresStore(databaseUrl, { retention }), moved.userId, withPasskeys);
    await assertAuditMoved(await openPostgresStore(databaseUrl, { retention }), moved.userId);
    await assertMoved({ DATABASE_URL: databaseUrl, SECRET }, moved, 2);
  });

  it('refuses a target that holds records unless --force, writing nothing; another --schema is another target', async () => {
    await deploymentOn({}, { dataFile: file });
    await migrateCli('--from', file, '--to', databaseUrl);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query("INSERT INTO passwordless.users VALUES ('someone', 'someone@example.com', 'someone@example.com', true, now(), null, '{}')");
    await client.end();
    await assert.rejects(migrateCli('--from', file, '--to', databaseUrl), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /^Migration failed: PostgreSQL at postgres:\/\/app@127\.0\.0\.1:\d+\/test_\d+_\d+ already holds records in schema "passwordless" \(2 users, 1 sessions, 2 login states\): nothing was written\. Pass --force .*--schema\.\n$/);
      return true;
    });
    assert.equal(await count(databaseUrl, 'users'), 2);
    const { stdout } = await migrateCli('--from', file, '--to', databaseUrl, '--schema', 'elsewhere');
    assert.match(stdout, /users: 1\n/);
    assert.equal(await count(databaseUrl, 'users', 'elsewhere'), 1);
    await migrateCli('--from', file, '--to', databaseUrl, '--force');
    assert.equal(await count(databaseUrl, 'users'), 2, '--force writes over what it copies and leaves the rest');
  });

  it('fails in one line, writing nothing, when the source is missing or the database cannot be reached', async () => {
    await assert.rejects(migrateCli('--from', join(dir, 'missing.json'), '--to', databaseUrl), /Migration failed: There is no JSON store at/);
    assert.equal(await count(databaseUrl, 'users').catch(() => 'no table'), 'no table');
    await deploymentOn({}, { dataFile: file });
    await assert.rejects(migrateCli('--from', file, '--to', `postgres://app:hunter2@127.0.0.1:${postgres.port + 1}/x`), (error: { stderr: string }) => {
      assert.match(error.stderr, /^Store error: Cannot use PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/x \(DATABASE_URL\): connect ECONNREFUSED .*\n$/);
      return true;
    });
  });
});

describe('migrate out of PostgreSQL', () => {
  it('copies every record into a new JSON file, and a backend on that file serves them', async () => {
    const moved = await deploymentOn({ DATABASE_URL: databaseUrl, SECRET });
    const withPasskeys = await addPasskeys(await openPostgresStore(databaseUrl, { retention }), moved.userId);
    const out = join(dir, 'out', 'passwordless.json');
    const counts = await migrateStore({ from: databaseUrl, to: out, retention });
    assert.deepEqual([counts.users, counts.passkeys, counts.claims, counts.sessions, counts.logins, counts.links], [1, 2, 1, 2, 2, 2]);
    assert.deepEqual([counts.audit, counts.countedDays], [2, 1]);
    await assertPasskeysMoved(await openJsonStore(out), moved.userId, withPasskeys);
    await assertAuditMoved(await openJsonStore(out), moved.userId);
    await assertMoved({ DATA_FILE: out, SECRET }, moved, 2);
  });
});
