/**
 * Two real backends on two ports sharing one real PostgreSQL (a fresh database per test), each
 * with its own SMTP sink: what one instance starts the other finishes, and every limit counts
 * across both.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { getJson, postJson, tokenOf } from '../../testing/api-client.ts';
import { startHarness, type Harness } from '../../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../../testing/postgres-server.ts';

const SECRET = 'two-instances-test-secret-0123456789abcdef';

let postgres: TestPostgres;
before(async () => {
  postgres = await startTestPostgres();
});
after(async () => {
  await postgres?.stop();
});

let a: Harness;
let b: Harness;
let databaseUrl: string;
const startPair = async (env: Record<string, string> = {}) => {
  databaseUrl = await postgres.createDatabase();
  a = await startHarness({ DATABASE_URL: databaseUrl, SECRET, ...env });
  b = await startHarness({ DATABASE_URL: databaseUrl, SECRET, ...env });
};
afterEach(async () => {
  await a?.close();
  await b?.close();
});

describe('two instances, one PostgreSQL', () => {
  beforeEach(() => startPair());

  it('verifies on one instance a code requested on the other, and the session works on both', async () => {
    const { code } = await a.requestCode('ada@example.com');
    const verified = await b.verify({ email: 'ada@example.com', code });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    const auth = { Authorization: `Bearer ${verified.body.session.token}` };
    for (const h of [a, b]) {
      const session = await getJson(h.api('/session'), auth);
      assert.equal(session.status, 200);
      assert.equal(session.body.user.email, 'ada@example.com');
    }
    assert.equal((await postJson(a.api('/logout'), {}, auth)).status, 204);
    assert.equal((await getJson(b.api('/session'), auth)).status, 401, 'a logout on one ends the session on the other');
  });

  it('completes on one instance a magic link mailed by the other', async () => {
    const { link } = await b.requestCode('link@example.com');
    const verified = await a.verify({ token: tokenOf(link) });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.user.email, 'link@example.com');
    assert.equal((await b.verify({ token: tokenOf(link) })).status, 401, 'and only once');
  });

  it('signs in exactly once under 20 simultaneous verifies of one code spread over both', async () => {
    const { code } = await a.requestCode('race@example.com');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).verify({ email: 'race@example.com', code })));
    assert.deepEqual(
      answers.map((r) => r.status).sort(),
      [200, ...Array(19).fill(401)],
      JSON.stringify(answers.map((r) => r.body)),
    );
    const sessions = new pg.Client({ connectionString: databaseUrl });
    await sessions.connect();
    try {
      assert.equal((await sessions.query('SELECT count(*)::int AS n FROM passwordless.sessions')).rows[0].n, 1, 'one session row');
    } finally {
      await sessions.end();
    }
  });

  it('counts wrong codes exactly when 4 arrive at once over both instances, and burns the code at the cap', async () => {
    const { code } = await a.requestCode('guess@example.com');
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => (i % 2 ? a : b).verify({ email: 'guess@example.com', code: wrong })));
    assert.deepEqual(answers.map((r) => r.status), [401, 401, 401, 401]);
    assert.deepEqual(answers.map((r) => r.body.error.attemptsLeft).sort(), [1, 2, 3, 4], 'each wrong code counted once');
    assert.equal((await b.verify({ email: 'guess@example.com', code: wrong })).status, 429);
    assert.equal((await a.verify({ email: 'guess@example.com', code })).status, 429, 'the right code is burnt too');
  });

  it('holds the resend wait across both instances', async () => {
    await a.requestCode('resend@example.com');
    const again = await b.request({ email: 'resend@example.com' });
    assert.equal(again.status, 429);
    assert.ok(again.body.error.retryAfter > 0);
  });
});

describe('two instances, one PostgreSQL: per-IP limits', () => {
  beforeEach(() => startPair({ REQUESTS_PER_IP: '3', VERIFIES_PER_IP: '2' }));

  it('counts code requests from one IP across both instances', async () => {
    const statuses = [];
    for (const [h, i] of [[a, 1], [b, 2], [a, 3], [b, 4], [a, 5]] as const) statuses.push((await h.request({ email: `ip${i}@example.com` })).status);
    assert.deepEqual(statuses, [202, 202, 202, 429, 429]);
  });

  it('counts verifies from one IP across both instances, in the rate_limits table', async () => {
    const statuses = [];
    for (const h of [a, b, a]) statuses.push((await h.verify({ email: 'v@example.com', code: '123456' })).status);
    assert.deepEqual(statuses, [401, 401, 429]);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT key, points FROM passwordless.rate_limits WHERE key LIKE 'ip-verify:%'");
      assert.deepEqual(rows, [{ key: 'ip-verify:127.0.0.1', points: 3 }]);
    } finally {
      await client.end();
    }
  });
});

describe('two instances, one PostgreSQL: configuration', () => {
  it('refuses to start without SECRET: each instance would hash with a key of its own', async () => {
    await assert.rejects(startHarness({ DATABASE_URL: postgres.url }), /SECRET is required with DATABASE_URL/);
  });
});
