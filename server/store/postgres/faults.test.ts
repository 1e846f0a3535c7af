/**
 * The backend on a PostgreSQL that fails, each case on a real cluster stopped and started by the
 * test: down at start (the compiled CLI stops in one line), down mid-flight (500 within seconds,
 * never a hang, and the same process recovers by itself when the database is back), and a
 * statement that times out (500, and nothing acknowledged is lost).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { getJson } from '../../testing/api-client.ts';
import { runCliExpectingExit } from '../../testing/cli-process.ts';
import { freePort } from '../../testing/free-port.ts';
import { startHarness } from '../../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../../testing/postgres-server.ts';
import { STATEMENT_TIMEOUT_MS } from './connection.ts';

const SECRET = 'faults-test-secret-0123456789abcdef0123456789';

let postgres: TestPostgres;
let dir: string;
before(async () => {
  [postgres, dir] = await Promise.all([startTestPostgres(), mkdtemp(join(tmpdir(), 'pl-pg-faults-'))]);
});
after(async () => {
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('PostgreSQL down at start', () => {
  it('stops `passwordless-login serve` with exit 1 and one line naming the URL without its password', async () => {
    const port = await freePort();
    const started = Date.now();
    const outcome = await runCliExpectingExit({ dataFile: join(dir, 'unused.json'), env: { DATABASE_URL: `postgres://app:hunter2@127.0.0.1:${port}/app`, SECRET } });
    assert.equal(outcome.started, false, outcome.stderr);
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, new RegExp(`^Store error: Cannot use PostgreSQL at postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/app \\(DATABASE_URL\\): connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\n$`));
    assert.ok(!outcome.stderr.includes('hunter2'));
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  });
});

describe('PostgreSQL down mid-flight', () => {
  it('answers 500 within seconds while it is down, for requests, verifies and sessions, and recovers by itself', async () => {
    const doomed = await startTestPostgres();
    const h = await startHarness({ DATABASE_URL: doomed.url, SECRET });
    try {
      const { token } = await h.signIn('up@example.com');
      const { code } = await h.requestCode('pending@example.com');
      await doomed.kill();
      const started = Date.now();
      const answers = await Promise.all([
        h.request({ email: 'down@example.com' }),
        h.verify({ email: 'down@example.com', code: '123456' }),
        getJson(h.api('/session'), { Authorization: `Bearer ${token}` }),
      ]);
      assert.deepEqual(answers.map((r) => r.status), [500, 500, 500], JSON.stringify(answers.map((r) => r.body)));
      assert.deepEqual(answers.map((r) => r.body.error.code), ['internal_error', 'internal_error', 'internal_error']);
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);

      await doomed.restart();
      // The same process, not restarted: the pool drops its dead connections and opens new ones.
      const session = await getJson(h.api('/session'), { Authorization: `Bearer ${token}` });
      assert.equal(session.status, 200, 'the session acknowledged before the outage is there');
      const verified = await h.verify({ email: 'pending@example.com', code });
      assert.equal(verified.status, 200, `the code mailed before the outage works: ${JSON.stringify(verified.body)}`);
      await h.signIn('after@example.com');
    } finally {
      await h.close();
      await doomed.stop();
    }
  });
});

describe('a statement that times out', () => {
  it(`answers 500 after at most ${STATEMENT_TIMEOUT_MS / 1000} s of waiting for a row, and the code acknowledged before still works once`, async () => {
    const databaseUrl = await postgres.createDatabase();
    const h = await startHarness({ DATABASE_URL: databaseUrl, SECRET });
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      const { code } = await h.requestCode('held@example.com');
      // A transaction elsewhere holds the address's row (a stuck job, a long migration).
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM passwordless.login_states WHERE email_key = 'held@example.com' FOR UPDATE");
      const started = Date.now();
      const answer = await h.verify({ email: 'held@example.com', code });
      const took = Date.now() - started;
      assert.equal(answer.status, 500, JSON.stringify(answer.body));
      assert.ok(took >= STATEMENT_TIMEOUT_MS - 500 && took < STATEMENT_TIMEOUT_MS + 3000, `took ${took} ms`);
      await holder.query('ROLLBACK');
      const verified = await h.verify({ email: 'held@example.com', code });
      assert.equal(verified.status, 200, `nothing of the timed-out verify was stored: ${JSON.stringify(verified.body)}`);
      assert.equal((await h.verify({ email: 'held@example.com', code })).status, 401, 'and the code is single use');
    } finally {
      await holder.end();
      await h.close();
    }
  });
});
