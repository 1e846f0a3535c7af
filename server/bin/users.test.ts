/**
 * `passwordless-login users …` through the compiled bin, over stores a real backend wrote: two
 * users signed in by code through a test server, which is then stopped. The JSON store fully
 * (list, paging, search, show, export, delete, errors, a running server's lock); Redis and
 * PostgreSQL for list and delete.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, afterEach, describe, it } from 'node:test';
import { openJsonStore } from '../store/json/json-store.ts';
import { passkeyRecord, userRecord } from '../testing/store-contract.ts';
import { postJson } from '../testing/api-client.ts';
import { CLI_FILE, ensureCompiledCli } from '../testing/cli-process.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres-server.ts';
import { startTestRedis, type TestRedis } from '../testing/redis-server.ts';
import { requestCodeByMailbox, startTestServer, type TestServer } from '../testing/test-server.ts';

const SECRET = 'users-cli-test-secret-0123456789abcdef0123456789';

/** The compiled bin with a clean environment and no terminal on stdin (as in a script). */
function usersCli(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI_FILE, 'users', ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', SECRET, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * The same on a terminal (util-linux `script` gives it a pseudo-terminal), typing `answer` at the
 * question; stdin stays open until it exits, as a person's would. The output is stdout and stderr together.
 */
function usersOnTerminal(env: Record<string, string>, answer: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, CLI_FILE, 'users', ...args].map((word) => `'${word}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', SECRET, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let answered = false;
  // The terminal may be gone by the time a write lands (the command answered and exited): not a failure of the test.
  child.stdin.on('error', () => {});
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (!answered && output.includes('Type yes:')) {
      answered = true;
      child.stdin.write(`${answer}\n`);
    }
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

async function signIn(server: TestServer, email: string): Promise<{ id: string; token: string }> {
  const code = await requestCodeByMailbox(server, email);
  const verified = await postJson(`${server.url}/auth/verify`, { email, code });
  assert.equal(verified.status, 200);
  return { id: verified.body.user.id, token: verified.body.session.token };
}

/** Signs ada in, then bob (bob is the newer), on a backend of `options`, stopped afterwards. */
async function twoUsers(options: { env?: Record<string, string>; dataFile?: string }) {
  const server = await startTestServer({ ...options, env: { SECRET, ...options.env } });
  try {
    const ada = await signIn(server, 'ada@example.com');
    server.clock.advance(1_000);
    const bob = await signIn(server, 'bob@example.com');
    return { ada, bob };
  } finally {
    await server.close();
  }
}

before(() => ensureCompiledCli());

describe('users on a JSON store', () => {
  let dir: string;
  let file: string;
  let env: Record<string, string>;
  let ada: { id: string; token: string };
  let bob: { id: string; token: string };
  let adaTokenHash: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'users-cli-'));
    file = join(dir, 'passwordless.json');
    env = { DATA_FILE: file };
    ({ ada, bob } = await twoUsers({ dataFile: file }));
    // A passkey as the passkey routes store it.
    const store = await openJsonStore(file);
    assert.equal(await store.addPasskey(passkeyRecord('cred-ada', ada.id, Date.now(), { name: 'YubiKey', counter: 7 })), true);
    adaTokenHash = (await store.listUserSessions(ada.id))[0]!.tokenHash;
    await store.close();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('takes a user id that begins with a dash (1 id in 64 does) as the user, not as options', async () => {
    const store = await openJsonStore(file);
    const dashed = { ...userRecord('dash@example.com', '-Sdash-id'), email: 'dash@example.com' };
    await store.updateUser(dashed.emailKey, () => ({ next: dashed, result: null }));
    await store.close();
    const shown = await usersCli(env, 'show', dashed.id);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^address +dash@example\.com$/m);
    const blocked = await usersCli(env, 'block', dashed.id);
    assert.equal(blocked.code, 0, blocked.stderr);
    assert.equal((await usersCli(env, 'show', '--bogus', dashed.id)).code, 2, 'a double-dash word is still an option');
  });

  it('lists a page at a time, newest first, with the count and the next cursor', async () => {
    const first = await usersCli(env, 'list', '--limit', '1', '--json');
    assert.equal(first.code, 0, first.stderr);
    const page1 = JSON.parse(first.stdout);
    assert.equal(page1.count, 2);
    assert.deepEqual(page1.users.map((u: { email: string }) => u.email), ['bob@example.com']);
    assert.equal(typeof page1.next, 'string');
    const page2 = JSON.parse((await usersCli(env, 'list', '--limit', '1', '--json', '--after', page1.next)).stdout);
    assert.deepEqual(page2.users.map((u: { id: string }) => u.id), [ada.id]);
    assert.equal(page2.next, null);

    const table = await usersCli(env, 'list');
    assert.equal(table.code, 0);
    const lines = table.stdout.trim().split('\n');
    assert.equal(lines[0], '2 users in the store');
    assert.match(lines[1]!, /^ID +ADDRESS +CREATED +LAST SIGN-IN$/);
    assert.match(lines[2]!, new RegExp(`^${bob.id} +bob@example\\.com +\\d{4}-`));
    assert.match(lines[3]!, new RegExp(`^${ada.id} +ada@example\\.com +\\d{4}-`));
    assert.equal(lines.at(-1), 'last page');

    const searched = JSON.parse((await usersCli(env, 'list', '--search', 'ADA', '--sort', 'last-sign-in', '--json')).stdout);
    assert.deepEqual(searched.users.map((u: { id: string }) => u.id), [ada.id]);
  });

  it('shows and exports a user by address or id, with no token, hash, public key or counter', async () => {
    const shown = await usersCli(env, 'show', 'ADA@example.com');
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`^id +${ada.id}$`, 'm'));
    assert.match(shown.stdout, /^sessions +1 \(the newest expires \d{4}-.*\)$/m);
    assert.match(shown.stdout, /^ {2}YubiKey: created \d{4}-.*, last used never$/m);

    const exported = await usersCli(env, 'export', ada.id);
    assert.equal(exported.code, 0, exported.stderr);
    const data = JSON.parse(exported.stdout);
    assert.equal(data.user.email, 'ada@example.com');
    assert.equal(data.sessions.length, 1);
    assert.deepEqual(Object.keys(data.sessions[0]).sort(), ['createdAt', 'expiresAt', 'method']);
    assert.deepEqual(data.passkeys.map((p: { name: string }) => p.name), ['YubiKey']);
    for (const secret of [ada.token, adaTokenHash, 'pQECAyYgASFYI-cred-ada', 'emailKey', 'counter', 'publicKey']) assert.ok(!exported.stdout.includes(secret), `export leaks ${secret}`);
  });

  it('deletes only with --yes when no one can confirm, audited without the address', async () => {
    const refused = await usersCli(env, 'delete', 'ada@example.com');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /pass --yes/);
    assert.equal((await usersCli(env, 'show', ada.id)).code, 0, 'still there');

    const deleted = await usersCli(env, 'delete', 'ada@example.com', '--yes');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, `Deleted user ${ada.id}: 1 session ended, 1 passkey removed.\n`);
    const audit = deleted.stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((entry) => entry.event === 'user_deleted');
    assert.deepEqual({ userId: audit.userId, by: audit.by }, { userId: ada.id, by: 'cli' });
    assert.ok(!deleted.stderr.includes('ada@'), 'no address in the audit');

    const gone = await usersCli(env, 'show', ada.id);
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr, `No such user: ${ada.id}\n`);
    assert.equal((await usersCli(env, 'delete', 'ada@example.com', '--yes')).code, 1);
    assert.ok(!(await readFile(file, 'utf8')).includes('ada@example.com'), 'the file keeps no address');
    assert.equal(JSON.parse((await usersCli(env, 'list', '--json')).stdout).count, 1);
  });

  it('turns off two-step verification (after a SECRET rotation nothing else can), audited by cli without the address, and says when it was not on', async () => {
    const store = await openJsonStore(file);
    // Sealed under another SECRET: this server could not open it.
    await store.updateUser('ada@example.com', (current) => ({ next: { ...current!, totp: { secret: 'v1.sealed-under-an-old-secret', enabledAt: Date.now(), recoveryCodes: ['a', 'b'] } }, result: null }));
    await store.close();
    const off = await usersCli(env, 'totp-off', 'ada@example.com');
    assert.equal(off.code, 0, off.stderr);
    assert.equal(off.stdout, `Turned off two-step verification for user ${ada.id}: they sign in by email alone until they turn it on again.\n`);
    const audit = off.stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    assert.ok(audit.some((entry) => entry.event === 'totp_disabled' && entry.userId === ada.id && entry.by === 'cli'), off.stderr);
    assert.ok(!off.stderr.includes('ada@'), 'no address in the audit');
    const after = await openJsonStore(file);
    assert.equal((await after.findUserById(ada.id))?.totp ?? null, null);
    await after.close();
    const again = await usersCli(env, 'totp-off', ada.id);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, `Two-step verification was not on for user ${ada.id}.\n`);
    assert.equal((await usersCli(env, 'totp-off', 'nobody@example.com')).code, 1);
  });

  it('blocks and unblocks: every session ended, show says since when, list marks them, audited by cli without the address', async () => {
    const blocked = await usersCli(env, 'block', 'ada@example.com');
    assert.equal(blocked.code, 0, blocked.stderr);
    assert.match(blocked.stdout, new RegExp(`^Blocked user ${ada.id} since \\d{4}-\\d\\d-\\d\\dT[^:]+:\\d\\d:\\d\\d\\.\\d{3}Z: every session ended;`));
    const audit = blocked.stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    assert.ok(audit.some((entry) => entry.event === 'user_blocked' && entry.userId === ada.id && entry.by === 'cli'));
    assert.ok(audit.some((entry) => entry.event === 'sign_out' && entry.userId === ada.id), 'her session ended');
    assert.ok(!blocked.stderr.includes('ada@'), 'no address in the audit');
    const shown = await usersCli(env, 'show', ada.id);
    assert.match(shown.stdout, /^sessions +0$/m);
    assert.match(shown.stdout, /^blocked since \d{4}-/m);
    const lines = (await usersCli(env, 'list')).stdout.trim().split('\n');
    assert.match(lines.find((line) => line.startsWith(ada.id))!, / blocked$/);
    assert.doesNotMatch(lines.find((line) => line.startsWith(bob.id))!, /blocked/);
    const exported = JSON.parse((await usersCli(env, 'export', ada.id)).stdout);
    assert.match(exported.user.blockedAt, /^\d{4}-\d\d-\d\dT/, 'blocked since, in ISO 8601 as every time of the export');
    // The block went into the store's audit trail too, written before the command exited.
    assert.ok(exported.audit.some((entry: { event: string; by?: string }) => entry.event === 'user_blocked' && entry.by === 'cli'), JSON.stringify(exported.audit));

    const unblocked = await usersCli(env, 'unblock', ada.id);
    assert.equal(unblocked.code, 0, unblocked.stderr);
    assert.equal(unblocked.stdout, `Unblocked user ${ada.id}.\n`);
    assert.doesNotMatch((await usersCli(env, 'show', ada.id)).stdout, /blocked/);
    assert.equal((await usersCli(env, 'unblock', ada.id)).stdout, `Unblocked user ${ada.id} (was not blocked).\n`);
    assert.equal((await usersCli(env, 'block', 'nobody@example.com')).code, 1);
    assert.equal((await usersCli(env, 'block')).code, 2);
  });

  it('asks on a terminal: anything but yes keeps the user, yes erases them', async () => {
    const kept = await usersOnTerminal(env, 'no', 'delete', ada.id);
    assert.equal(kept.code, 1, kept.output);
    assert.match(kept.output, new RegExp(`Delete user ${ada.id} \\(ada@example\\.com\\), their sessions and passkeys, for good\\? Type yes: `));
    assert.match(kept.output, /Not deleted\./);
    assert.equal((await usersCli(env, 'show', ada.id)).code, 0, 'still there');
    const erased = await usersOnTerminal(env, 'yes', 'delete', ada.id);
    assert.equal(erased.code, 0, erased.output);
    assert.match(erased.output, new RegExp(`Deleted user ${ada.id}: 1 session ended, 1 passkey removed\\.`));
    assert.equal((await usersCli(env, 'show', ada.id)).code, 1);
  });

  it('says where it looked when DATA_FILE names no store, and creates none', async () => {
    const missing = join(dir, 'typo.json');
    const result = await usersCli({ DATA_FILE: missing }, 'list');
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `Store error: There is no JSON store at ${missing} (DATA_FILE): set DATA_FILE to the file serve uses, or REDIS_URL or DATABASE_URL (nothing was created).\n`);
    assert.equal(existsSync(missing), false);
  });

  it('refuses bad command lines with exit 2 and the usage line', async () => {
    for (const args of [['list', '--limit', '0'], ['list', '--sort', 'name'], ['list', '--bogus'], ['list', '--after', 'not-a-cursor'], ['show'], ['show', ada.id, '--json'], ['export', ada.id, '--yes'], ['rename', ada.id], []]) {
      const result = await usersCli(env, ...args);
      assert.equal(result.code, 2, `users ${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /\nusage: passwordless-login users list/);
      assert.equal(result.stdout, '');
    }
  });

  it('says a running server holds the JSON store, and changes nothing', async () => {
    const server = await startTestServer({ dataFile: file, env: { SECRET } });
    try {
      const result = await usersCli(env, 'delete', ada.id, '--yes');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^Store error: The data file .* is in use by another process .* stop the server first \(nothing was read or changed\)\.\n$/);
    } finally {
      await server.close();
    }
    assert.equal((await usersCli(env, 'show', ada.id)).code, 0);
  });
});

describe('users on Redis and PostgreSQL: list and delete', () => {
  let redis: TestRedis;
  let postgres: TestPostgres;
  before(async () => {
    [redis, postgres] = await Promise.all([startTestRedis(), startTestPostgres()]);
  });
  after(async () => {
    await redis?.stop();
    await postgres?.stop();
  });

  it('says a store it cannot reach in the sentences serve uses, exit 1', async () => {
    // Port 1: nothing listens there, so the connection is refused at once.
    const redisDown = await usersCli({ REDIS_URL: 'redis://127.0.0.1:1' }, 'list');
    assert.equal(redisDown.code, 1);
    assert.match(redisDown.stderr, /^Store error: Cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(REDIS_URL\): .*\n$/);
    const postgresDown = await usersCli({ DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:1/app' }, 'show', 'ada@example.com');
    assert.equal(postgresDown.code, 1);
    assert.match(postgresDown.stderr, /^Store error: Cannot use PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/app \(DATABASE_URL\): .*ECONNREFUSED.*\n$/);
  });

  for (const kind of ['Redis', 'PostgreSQL'] as const) {
    it(`on ${kind}`, async () => {
      const env: Record<string, string> = kind === 'Redis' ? { REDIS_URL: redis.url } : { DATABASE_URL: await postgres.createDatabase() };
      const { ada, bob } = await twoUsers({ env });
      const listed = JSON.parse((await usersCli(env, 'list', '--json')).stdout);
      assert.equal(listed.count, 2);
      assert.deepEqual(listed.users.map((u: { id: string }) => u.id), [bob.id, ada.id]);
      const deleted = await usersCli(env, 'delete', bob.id, '--yes');
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.equal(deleted.stdout, `Deleted user ${bob.id}: 1 session ended, 0 passkeys removed.\n`);
      const after = JSON.parse((await usersCli(env, 'list', '--json')).stdout);
      assert.deepEqual([after.count, after.users.map((u: { id: string }) => u.id)], [1, [ada.id]]);
      assert.equal((await usersCli(env, 'show', 'bob@example.com')).code, 1);
    });
  }
});
