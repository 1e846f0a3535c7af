/**
 * Attack: a stolen Redis or PostgreSQL holds no usable second factor. A user turns
 * authenticator-app codes on over HTTP (real SMTP sink, the clock of the test server), then the
 * store is read raw, as a thief would: every Redis key's value, the PostgreSQL `users` rows. The
 * base32 secret the app was given is nowhere, nor any recovery code; the stored secret is sealed.
 * (The JSON file: server/attack/second-factor.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { SecondFactorPath } from '../../contract/second-factor.ts';
import { totpCodeAt } from '../second-factor/totp-codes.ts';
import { postJson } from '../testing/api-client.ts';
import { freshEmail, signIn } from '../testing/attack-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { startTestPostgres } from '../testing/postgres-server.ts';
import { startTestRedis } from '../testing/redis-server.ts';

/** Signs up and turns the second factor on; returns what the person was shown. */
async function turnOn(h: Harness): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { token } = await signIn(h, freshEmail('raw'));
  const auth = { Authorization: `Bearer ${token}` };
  const setup = await postJson(h.api(SecondFactorPath.setup), {}, auth);
  assert.equal(setup.status, 200, JSON.stringify(setup.body));
  const enabled = await postJson(h.api(SecondFactorPath.enable), { setupToken: setup.body.setupToken, code: totpCodeAt(setup.body.secret, h.server.clock.now()) }, auth);
  assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
  return { secret: setup.body.secret, recoveryCodes: enabled.body.recoveryCodes };
}

function assertNothingUsable(raw: string, shown: { secret: string; recoveryCodes: string[] }): void {
  assert.match(raw, /"totp":\{"secret":"v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"/, 'the sealed secret is there');
  assert.ok(!raw.includes(shown.secret), 'the base32 secret is not stored');
  for (const code of shown.recoveryCodes) assert.ok(!raw.includes(code) && !raw.includes(code.replace('-', '')), 'no recovery code is stored');
}

describe('attack: the second factor at rest', () => {
  it('Redis: no key holds the base32 secret or a recovery code', async () => {
    const redis = await startTestRedis();
    const h = await startHarness({ REDIS_URL: redis.url, SECRET: 'totp-at-rest-on-redis-secret-0123456789' });
    try {
      const shown = await turnOn(h);
      // The inline protocol's raw replies: one bulk string per key, one per value.
      const keys = (await redis.command('KEYS', '*')).split('\r\n').filter((line) => line !== '' && !/^[*$]/.test(line));
      const values = await Promise.all(keys.map((key) => redis.command('GET', key).catch(() => '')));
      assertNothingUsable(values.join('\n'), shown);
    } finally {
      await h.close();
      await redis.stop();
    }
  });

  it('PostgreSQL: no row of users holds the base32 secret or a recovery code', async () => {
    const postgres = await startTestPostgres();
    const url = await postgres.createDatabase();
    const h = await startHarness({ DATABASE_URL: url, SECRET: 'totp-at-rest-on-postgres-secret-012345678' });
    const client = new pg.Client({ connectionString: url });
    try {
      const shown = await turnOn(h);
      await client.connect();
      const { rows } = await client.query<{ row: string }>('SELECT row_to_json(u)::text AS row FROM passwordless.users u');
      // jsonb prints with spaces after its colons: read without them, as the JSON the other stores keep.
      assertNothingUsable(rows.map((r) => r.row.replace(/\s/g, '')).join('\n'), shown);
    } finally {
      await client.end();
      await h.close();
      await postgres.stop();
    }
  });
});
