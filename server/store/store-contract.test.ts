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
import { describeAuditContract } from '../testing/audit-contract.ts';
import type { Store } from './types.ts';

const retention = retentionFor({ codeTtlSeconds: 600, resendSeconds: 60 });

/** The three suites on the same stores. */
function describeContracts(name: string, open: OpenStoreUnderTest): void {
  describeStoreContract(name, open);
  describeUserAccountsContract(name, open);
  describeAuditContract(name, open);
}

/**
 * A store under test that reopens by closing and calling `open` again; `removeAfter` runs once it
 * is closed. `shared`: the data can be opened twice at once (another connection).
 */
async function reopening(open: () => Promise<Store>, rawText: () => Promise<string>, removeAfter?: () => Promise<void>, shared = false): Promise<StoreUnderTest> {
  let store = await open();
  return {
    store,
    rawText,
    ...(shared ? { another: open } : {}),
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
    // Every file, the audit directory's too (its day files and daily counts).
    async () => {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true });
      const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
      return (await Promise.all(files.map((path) => readFile(path, 'utf8')))).join('\n');
    },
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
        const value = type === 'string' ? await client.get(key)
          : type === 'zset' ? (await client.zrange(key, '0', '-1', 'WITHSCORES')).join(' ')
          : type === 'hash' ? JSON.stringify(await client.hgetall(key))
          : `(${type})`;
        lines.push(`${key} ${value}`);
      }
      return lines.join('\n');
    };
    return reopening(open, rawText, undefined, true);
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
    return reopening(() => openPostgresStore(postgres.url, { retention, clock, schema }), rawText, undefined, true);
  });
});
