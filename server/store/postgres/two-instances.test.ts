/**
 * Two real backends on two ports sharing one real PostgreSQL (a fresh database per test), each
 * with its own SMTP sink: what one instance starts the other finishes, and every limit counts
 * across both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startHarness } from '../../testing/harness.ts';
import { retentionFor } from '../../login/retention.ts';
import { openPostgresStore } from './postgres-store.ts';
import { startTestPostgres, type TestPostgres } from '../../testing/postgres-server.ts';
import { describeTwoInstances } from '../../testing/two-instance-contract.ts';

const SECRET = 'two-instances-test-secret-0123456789abcdef';

let postgres: TestPostgres;
before(async () => {
  postgres = await startTestPostgres();
});
after(async () => {
  await postgres?.stop();
});

let databaseUrl: string;

/** Rows of a query on the pair's database, through a connection of its own. */
async function query<T>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describeTwoInstances('PostgreSQL', {
  async startPair(env = {}) {
    databaseUrl = await postgres.createDatabase();
    return {
      a: await startHarness({ DATABASE_URL: databaseUrl, SECRET, ...env }),
      b: await startHarness({ DATABASE_URL: databaseUrl, SECRET, ...env }),
    };
  },
  openStore: () => openPostgresStore(databaseUrl, { retention: retentionFor({ codeTtlSeconds: 600, resendSeconds: 60 }) }),
  async afterRace() {
    const [{ n }] = await query<{ n: number }>('SELECT count(*)::int AS n FROM passwordless.sessions');
    assert.equal(n, 1, 'one session row');
  },
  together(pair) {
    it('counts wrong codes exactly when 4 arrive at once over both instances, and burns the code at the cap', async () => {
      const { a, b } = pair();
      const { code } = await a.requestCode('guess@example.com');
      const wrong = code === '000000' ? '111111' : '000000';
      const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => (i % 2 ? a : b).verify({ email: 'guess@example.com', code: wrong })));
      assert.deepEqual(answers.map((r) => r.status), [401, 401, 401, 401]);
      assert.deepEqual(answers.map((r) => r.body.error.attemptsLeft).sort(), [1, 2, 3, 4], 'each wrong code counted once');
      assert.equal((await b.verify({ email: 'guess@example.com', code: wrong })).status, 429);
      assert.equal((await a.verify({ email: 'guess@example.com', code })).status, 429, 'the right code is burnt too');
    });
  },
  perIp(pair) {
    it('counts verifies from one IP across both instances, in the rate_limits table', async () => {
      const { a, b } = pair();
      const statuses = [];
      for (const h of [a, b, a]) statuses.push((await h.verify({ email: 'v@example.com', code: '123456' })).status);
      assert.deepEqual(statuses, [401, 401, 429]);
      const rows = await query("SELECT key, points FROM passwordless.rate_limits WHERE key LIKE 'ip-verify:%'");
      assert.deepEqual(rows, [{ key: 'ip-verify:127.0.0.1', points: 3 }]);
    });
  },
});

describe('two instances, one PostgreSQL: configuration', () => {
  it('refuses to start without SECRET: each instance would hash with a key of its own', async () => {
    await assert.rejects(startHarness({ DATABASE_URL: postgres.url }), /SECRET is required with DATABASE_URL/);
  });
});
