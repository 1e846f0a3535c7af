/**
 * The store contract and the user accounts contract against every adapter: the JSON store on real
 * temporary files, Redis on a real redis-server, PostgreSQL on a real cluster (a fresh schema per
 * test). Each store's raw text is read as it is stored: every file of the JSON store's directory,
 * every Redis key under the test's prefix with its value, every row of the PostgreSQL schema.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { retentionFor } from '../login/retention.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres-server.ts';
import { startTestRedis, type TestRedis } from '../testing/redis-server.ts';
import { openJsonStore } from './json/json-store.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { openRedisStore, type RedisStore } from './redis/redis-store.ts';
import { describeStoreContract, type OpenStoreUnderTest, type StoreUnderTest } from '../testing/store-contract.ts';
import { describeUserAccountsContract } from '../testing/user-accounts-contract.ts';
import type { Store } from './types.ts';

const retention = retentionFor({ codeTtlSeconds: 600, resendSeconds: 60 });

/** Both suites on the same stores. */
function describeContracts(name: string, open: OpenStoreUnderTest): void {
  describeStoreContract(name, open);
  describeUserAccountsContract(name, open);
}

/** A store under test that reopens by closing and calling `open` again; `removeAfter` runs once it is closed. */
async function reopening(open: () => Promise<Store>, rawText: () => Promise<string>, removeAfter?: () => Promise<void>): Promise<StoreUnderTest> {
  let store = await open();
  return {
    store,
    rawText,
    async reopen() {
      await store.close();
      store = await open();
      return store;
    },
    async cleanup() {
      await store.close();
      await removeAfter?.();
    },
  };
}

describeContracts('JSON file', async (clock) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-contract-'));
  const file = join(dir, 'data.json');
  return reopening(
    () => openJsonStore(file, { clock }),
    async () => (await Promise.all((await readdir(dir)).map((name) => readFile(join(dir, name), 'utf8')))).join('\n'),
    () => rm(dir, { recursive: true, force: true }),
  );
});

describe('on a real redis-server', () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  describeContracts('Redis', async (clock) => {
    await redis.command('FLUSHALL');
    const opened: RedisStore[] = [];
    const open = async () => {
      const store = await openRedisStore(redis.url, { retention, clock, keyPrefix: 'contract:' });
      opened.push(store);
      return store;
    };
    // Every key and what it holds, through the store's own connection (the last one opened).
    const rawText = async () => {
      const client = opened.at(-1)!.client;
      const lines: string[] = [];
      for (const key of await client.keys('contract:*')) {
        const type = await client.type(key);
        const value = type === 'string' ? await client.get(key) : type === 'zset' ? (await client.zrange(key, '0', '-1', 'WITHSCORES')).join(' ') : `(${type})`;
        lines.push(`${key} ${value}`);
      }
      return lines.join('\n');
    };
    return reopening(open, rawText);
  });
});

describe('on a real PostgreSQL', () => {
  let postgres: TestPostgres;
  let schemas = 0;
  before(async () => {
    postgres = await startTestPostgres();
  });
  after(async () => {
    await postgres?.stop();
  });

  describeContracts('PostgreSQL', async (clock) => {
    const schema = `contract_${++schemas}`;
    // Every row of every table of the schema, as JSON text.
    const rawText = async () => {
      const { rows: tables } = await postgres.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
      const lines: string[] = [];
      for (const { table_name: table } of tables as { table_name: string }[]) {
        const { rows } = await postgres.query(`SELECT row_to_json(t)::text AS row FROM "${schema}"."${table}" t`);
        lines.push(...rows.map((r: { row: string }) => `${table} ${r.row}`));
      }
      return lines.join('\n');
    };
    return reopening(() => openPostgresStore(postgres.url, { retention, clock, schema }), rawText);
  });
});
