/**
 * Attack: SQL in every value that reaches the PostgreSQL store. Addresses may hold a quote
 * (`o'brien@…` is valid), user data holds any string, and a session token or a link token is any
 * header or body text: each must be stored and compared as the value it is, never run. The store
 * sends values only as parameters; these are the cases that would show it did not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { getJson } from '../testing/api-client.ts';
import { assertError, requestCode } from '../testing/attack-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres-server.ts';

const SECRET = 'sql-injection-test-secret-0123456789abcdef0123';
const DROP = "'); DROP TABLE passwordless.users; --";

let postgres: TestPostgres;
let h: Harness;
let databaseUrl: string;
before(async () => {
  postgres = await startTestPostgres();
  databaseUrl = await postgres.createDatabase();
  h = await startHarness({ DATABASE_URL: databaseUrl, SECRET });
});
after(async () => {
  await h?.close();
  await postgres?.stop();
});

async function rows(sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe('attack: SQL through the PostgreSQL store', () => {
  it('signs in an address with quotes and dashes, storing it and its SQL-looking data as they are', async () => {
    const email = "o'brien'--@example.com";
    const userData = { note: DROP, other: "' OR '1'='1", nested: { list: ['"; SELECT pg_sleep(10); --'] } };
    const { code } = await requestCode(h, email, { userData });
    const started = Date.now();
    const verified = await h.verify({ email, code });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.ok(Date.now() - started < 5000, 'no pg_sleep ran');
    assert.deepEqual(verified.body.user.data, userData);
    const stored = await rows('SELECT email, email_key, data FROM passwordless.users WHERE id = $1', [verified.body.user.id]);
    assert.deepEqual(stored, [{ email, email_key: email, data: userData }]);
    assert.equal((await rows("SELECT to_regclass('passwordless.users') IS NOT NULL AS there"))[0].there, true, 'the users table is still there');
  });

  it('keeps the wrong-code count of a quoted address to that address only', async () => {
    await requestCode(h, "a'b@example.com");
    await requestCode(h, 'ab@example.com');
    assertError(await h.verify({ email: "a'b@example.com", code: '000000' }), 401, 'invalid_code');
    const counts = await rows("SELECT email_key, state->>'attempts' AS attempts FROM passwordless.login_states WHERE email_key IN ($1, $2) ORDER BY email_key", ["a'b@example.com", 'ab@example.com']);
    assert.deepEqual(counts, [
      { email_key: "a'b@example.com", attempts: '1' },
      { email_key: 'ab@example.com', attempts: '0' },
    ]);
  });

  it('answers 401 to a session token made of SQL, and changes nothing', async () => {
    const before = await rows('SELECT count(*)::int AS n FROM passwordless.sessions');
    for (const token of [DROP, "x' OR '1'='1", '\\x00\\\\']) {
      const answer = await getJson(h.api('/session'), { Authorization: `Bearer ${token}` });
      assert.equal(answer.status, 401, token);
    }
    assert.deepEqual(await rows('SELECT count(*)::int AS n FROM passwordless.sessions'), before);
  });
});
