/** `npm run migrate:redis` (`passwordless-login migrate-to-redis`): a real JSON store copied into a real redis-server. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { retentionFor } from '../login/retention.ts';
import { migrateStore } from '../store/migration/migrate-store.ts';
import { secretFileFor } from '../secrets/secret-file.ts';
import { getJson, postJson } from '../testing/api-client.ts';
import { ensureCompiledCli } from '../testing/cli-process.ts';
import { startTestRedis, type TestRedis } from '../testing/redis-server.ts';
import { requestCodeByMailbox, startTestServer } from '../testing/test-server.ts';
import { loginState, sequence, userRecord } from '../testing/store-contract.ts';
import type { SessionRecord } from '../store/types.ts';

const run = promisify(execFile);
const CODE_TTL_MS = 600_000;
const retention = retentionFor({ codeTtlSeconds: CODE_TTL_MS / 1000, resendSeconds: 60 });
const MINUTE = 60_000;
const DAY = 86_400_000;

let redis: TestRedis;
let client: Redis;
before(async () => {
  // The command runs the compiled bin (npm run migrate:redis): not a stale one.
  ensureCompiledCli();
  redis = await startTestRedis();
  client = new Redis(redis.url);
});
after(async () => {
  client?.disconnect();
  await redis?.stop();
});

let dir: string;
let file: string;
beforeEach(async () => {
  await redis.command('FLUSHALL');
  dir = await mkdtemp(join(tmpdir(), 'migrate-'));
  file = join(dir, 'passwordless.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A store file in format version 1 (the JSON store's format before its journal). */
async function writeVersion1File(now: number) {
  const ada = userRecord('ada@example.com', 'u-ada');
  const bob = { ...userRecord('bob@example.com', 'u-bob'), data: { plan: 'pro' } };
  const live = loginState('ada@example.com', now, [sequence('s-old', 'tok-old', now - 25 * MINUTE), sequence('s-new', 'tok-new', now - MINUTE)]);
  const stale = loginState('gone@example.com', now - 2 * DAY, [sequence('s1', 'tok-gone', now - 2 * DAY)]);
  const sessions: Record<string, SessionRecord> = {
    live: { tokenHash: 'live', userId: 'u-ada', createdAt: now - DAY, expiresAt: now + 29 * DAY },
    expired: { tokenHash: 'expired', userId: 'u-bob', createdAt: now - 31 * DAY, expiresAt: now - DAY },
  };
  await writeFile(
    file,
    JSON.stringify({
      version: 1,
      users: { 'u-ada': ada, 'u-bob': bob },
      userIdsByEmailKey: { 'ada@example.com': 'u-ada', 'bob@example.com': 'u-bob' },
      logins: { 'ada@example.com': live, 'gone@example.com': stale },
      linkTokens: { 'tok-old': 'ada@example.com', 'tok-new': 'ada@example.com', 'tok-gone': 'gone@example.com' },
      sessions,
    }),
  );
  return { ada, bob, live, sessions };
}

const migrateCli = (...args: string[]) => run('npm', ['run', '--silent', 'migrate:redis', '--', ...args], { cwd: process.cwd() });

describe('migrate:redis', () => {
  it('copies users, live sessions, login states that matter and their link index, with their expiries, and prints the counts', async () => {
    const now = Date.now();
    const { ada, bob, live, sessions } = await writeVersion1File(now);
    const { stdout } = await migrateCli('--from', file, '--to', redis.url);
    assert.match(stdout, /users: 2\n/);
    assert.match(stdout, /sessions: 1 \(1 expired, left behind\)/);
    assert.match(stdout, /login states: 1 \(1 no longer needed, left behind\)/);
    assert.match(stdout, /link tokens: 1\n/);
    assert.match(stdout, /SECRET/);

    assert.deepEqual(JSON.parse((await client.get('pl:user:u-ada'))!), ada);
    assert.deepEqual(JSON.parse((await client.get('pl:user:u-bob'))!), bob);
    assert.equal(await client.get('pl:user-email:bob@example.com'), 'u-bob');
    assert.deepEqual(JSON.parse((await client.get('pl:session:live'))!), sessions.live);
    assert.equal(await client.pexpiretime('pl:session:live'), sessions.live!.expiresAt);
    assert.equal(await client.exists('pl:session:expired'), 0);
    // The index of each user's sessions, which revokeUserSessions reads, comes along.
    assert.deepEqual(await client.zrange('pl:user-sessions:u-ada', '0', '-1'), ['live']);
    assert.equal(await client.pexpiretime('pl:user-sessions:u-ada'), sessions.live!.expiresAt);
    assert.equal(await client.exists('pl:user-sessions:u-bob'), 0);
    assert.deepEqual(JSON.parse((await client.get('pl:login:ada@example.com'))!), live);
    assert.equal(await client.pexpiretime('pl:login:ada@example.com'), retention.loginState(live));
    // The older sequence is past its extra lifetime: its link is not indexed; the newer one is.
    assert.equal(await client.exists('pl:link:tok-old'), 0);
    assert.equal(await client.get('pl:link:tok-new'), 'ada@example.com');
    assert.equal(await client.pexpiretime('pl:link:tok-new'), live.sequences[1]!.expiresAt + CODE_TTL_MS);
    assert.deepEqual([await client.exists('pl:login:gone@example.com'), await client.exists('pl:link:tok-gone')], [0, 0]);
  });

  it('refuses to write into a non-empty keyspace under the prefix unless --force, and leaves it as it was', async () => {
    await writeVersion1File(Date.now());
    await client.set('pl:user:someone', '{"id":"someone"}');
    await assert.rejects(migrateCli('--from', file, '--to', redis.url), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /already holds keys under "pl:".*--force/);
      return true;
    });
    assert.deepEqual(await client.keys('*'), ['pl:user:someone']);
    // Another prefix is another keyspace.
    await migrateCli('--from', file, '--to', redis.url, '--prefix', 'other:');
    assert.equal(await client.get('other:user-email:ada@example.com'), 'u-ada');
    const { stdout } = await migrateCli('--from', file, '--to', redis.url, '--force');
    assert.match(stdout, /users: 2\n/);
    assert.equal(await client.get('pl:user:someone'), '{"id":"someone"}', '--force leaves keys it does not copy');
    assert.equal(await client.get('pl:user-email:ada@example.com'), 'u-ada');
  });

  it('fails with a clear message, writing nothing, when --from names no file', async () => {
    await assert.rejects(migrateCli('--from', join(dir, 'missing.json'), '--to', redis.url), /There is no JSON store at/);
    assert.deepEqual(await client.keys('*'), []);
    await assert.rejects(readFile(join(dir, 'missing.json')), 'and does not create one');
  });

  it('moves a running deployment: a session and a pending code from the JSON backend work on the Redis backend, and the session can be revoked with all of its user’s', async () => {
    const json = await startTestServer({ dataFile: file });
    let token: string;
    let userId: string;
    let pending: string;
    try {
      const code = await requestCodeByMailbox(json, 'ada@example.com');
      const signedIn = await postJson(`${json.url}/auth/verify`, { email: 'ada@example.com', code });
      assert.equal(signedIn.status, 200);
      token = signedIn.body.session.token;
      userId = signedIn.body.user.id;
      pending = await requestCodeByMailbox(json, 'bob@example.com');
    } finally {
      await json.close();
    }

    const counts = await migrateStore({ from: file, to: redis.url, retention });
    assert.deepEqual([counts.users, counts.sessions, counts.logins, counts.links], [1, 1, 2, 2]);

    const secret = (await readFile(secretFileFor(file), 'utf8')).trim();
    const onRedis = await startTestServer({ env: { REDIS_URL: redis.url, SECRET: secret } });
    try {
      const session = await getJson(`${onRedis.url}/auth/session`, { Authorization: `Bearer ${token}` });
      assert.equal(session.status, 200);
      assert.equal(session.body.user.id, userId);
      const verified = await postJson(`${onRedis.url}/auth/verify`, { email: 'bob@example.com', code: pending });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.equal(verified.body.user.email, 'bob@example.com');
      assert.equal(await onRedis.backend.service.revokeUserSessions(userId), 1);
      assert.equal((await getJson(`${onRedis.url}/auth/session`, { Authorization: `Bearer ${token}` })).status, 401);
    } finally {
      await onRedis.close();
    }
  });
});
