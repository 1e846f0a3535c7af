/**
 * The store contract against every adapter: the JSON store on real temporary files, Redis on a
 * real redis-server, PostgreSQL on a real cluster (a fresh schema per test).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { retentionFor } from '../login/retention.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres-server.ts';
import { startTestRedis, type TestRedis } from '../testing/redis-server.ts';
import { openJsonStore } from './json/json-store.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { openRedisStore } from './redis/redis-store.ts';
import { describeStoreContract, type StoreUnderTest } from '../testing/store-contract.ts';
import type { Store } from './types.ts';

const retention = retentionFor({ codeTtlSeconds: 600, resendSeconds: 60 });

/** A store under test that reopens by closing and calling `open` again; `removeAfter` runs once it is closed. */
async function reopening(open: () => Promise<Store>, removeAfter?: () => Promise<void>): Promise<StoreUnderTest> {
  let store = await open();
  return {
    store,
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

describeStoreContract('JSON file', async (clock) => {
  const dir = await mkdtemp(join(tmpdir(), 'store-contract-'));
  const file = join(dir, 'data.json');
  return reopening(
    () => openJsonStore(file, { clock }),
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

  describeStoreContract('Redis', async (clock) => {
    await redis.command('FLUSHALL');
    return reopening(() => openRedisStore(redis.url, { retention, clock, keyPrefix: 'contract:' }));
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

  describeStoreContract('PostgreSQL', async (clock) => {
    const schema = `contract_${++schemas}`;
    return reopening(() => openPostgresStore(postgres.url, { retention, clock, schema }));
  });
});
