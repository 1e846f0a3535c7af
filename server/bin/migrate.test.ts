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
import { migrateStore } from '../store/migration/migrate-store.ts';
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

/** On a backend started with `env`: the session is live, the pending code signs bob in, and revoking ends the session. */
async function assertMoved(env: Record<string, string>, moved: { token: string; userId: string; pending: string }) {
  const server = await startTestServer({ env });
  try {
    const auth = { Authorization: `Bearer ${moved.token}` };
    const session = await getJson(`${server.url}/auth/session`, auth);
    assert.equal(session.status, 200);
    assert.equal(session.body.user.id, moved.userId);
    const verified = await postJson(`${server.url}/auth/verify`, { email: 'bob@example.com', code: moved.pending });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(await server.backend.service.revokeUserSessions(moved.userId), 1);
    assert.equal((await getJson(`${server.url}/auth/session`, auth)).status, 401);
  } finally {
    await server.close();
  }
}

describe('migrate into PostgreSQL', () => {
  it('moves a running JSON deployment: prints the counts, and a session and a pending code work on the PostgreSQL backend', async () => {
    const moved = await deploymentOn({}, { dataFile: file });
    const { stdout } = await migrateCli('--from', file, '--to', databaseUrl);
    assert.match(stdout, /^Copied from .*passwordless\.json to postgres:\/\/app@127\.0\.0\.1:\d+\/test_\d+_\d+:\n/);
    assert.match(stdout, /users: 1\n/);
    assert.match(stdout, /sessions: 1 \(0 expired, left behind\)/);
    assert.match(stdout, /login states: 2 \(0 no longer needed, left behind\)/);
    assert.match(stdout, /link tokens: 2\n/);
    assert.match(stdout, /Start every instance with DATABASE_URL and the SECRET the source used \(if SECRET was not set: the content of .*passwordless\.secret\)/);
    assert.deepEqual([await count(databaseUrl, 'users'), await count(databaseUrl, 'sessions'), await count(databaseUrl, 'login_states'), await count(databaseUrl, 'login_links')], [1, 1, 2, 2]);
    const secret = (await readFile(secretFileFor(file), 'utf8')).trim();
    await assertMoved({ DATABASE_URL: databaseUrl, SECRET: secret }, moved);
  });

  it('moves a Redis deployment the same way', async () => {
    await redis.command('FLUSHALL');
    const moved = await deploymentOn({ REDIS_URL: redis.url, SECRET });
    const { stdout } = await migrateCli('--from', redis.url, '--to', databaseUrl);
    assert.match(stdout, /users: 1\n.*sessions: 1 .*login states: 2 /s);
    await assertMoved({ DATABASE_URL: databaseUrl, SECRET }, moved);
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
    const out = join(dir, 'out', 'passwordless.json');
    const counts = await migrateStore({ from: databaseUrl, to: out, retention });
    assert.deepEqual([counts.users, counts.sessions, counts.logins, counts.links], [1, 1, 2, 2]);
    await assertMoved({ DATA_FILE: out, SECRET }, moved);
  });
});
