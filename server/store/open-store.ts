/**
 * Picks the store: PostgreSQL or Redis when a URL is given (several instances share it, and the
 * per-IP counters with it), else the JSON file (one process).
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Clock } from '../time/clock.ts';
import { openJsonStore } from './json/json-store.ts';
import type { Retention, Store } from './types.ts';

export interface StoreOptions {
  /** The JSON store's file, used when neither `redisUrl` nor `databaseUrl` is set. */
  dataFile: string;
  /** The JSON store writes a new snapshot once its journal outgrows this and twice the snapshot. */
  jsonCompactBytes: number;
  redisUrl: string | null;
  /** PostgreSQL, its schema and its pool's size. */
  databaseUrl?: string | null;
  databaseSchema?: string;
  databasePoolSize?: number;
  /** How long records matter (login/retention.ts): Redis keys expire by it, PostgreSQL rows are swept by it. */
  retention: Retention;
  clock: Clock;
  /** How long the audit trail and daily counts are kept (ms; 0: none): Redis sets their keys' expiries from it. */
  auditRetentionMs?: number;
  /** Told what the JSON store noticed and went on from: a torn journal tail cut off at start, a snapshot that failed. */
  onJsonWarning?: (message: string) => void;
  onRedisError?: (error: Error) => void;
  onDatabaseError?: (error: Error) => void;
}

export interface OpenedStore {
  store: Store;
  /** The Redis connection (for the per-IP limiters) when the store is Redis, else null. */
  redis: { client: Redis; keyPrefix: string } | null;
  /** The PostgreSQL pool and schema (for the per-IP limiters) when the store is PostgreSQL, else null. */
  postgres: { pool: pg.Pool; schema: string } | null;
}

export async function openStore(options: StoreOptions): Promise<OpenedStore> {
  if (options.databaseUrl) {
    // Loaded only when used, as Redis below: a JSON-store process never imports pg.
    const { openPostgresStore } = await import('./postgres/postgres-store.ts');
    const store = await openPostgresStore(options.databaseUrl, {
      retention: options.retention,
      clock: options.clock,
      ...(options.databaseSchema ? { schema: options.databaseSchema } : {}),
      ...(options.databasePoolSize ? { poolSize: options.databasePoolSize } : {}),
      ...(options.onDatabaseError ? { onError: options.onDatabaseError } : {}),
    });
    return { store, redis: null, postgres: { pool: store.pool, schema: store.schema } };
  }
  if (!options.redisUrl) {
    const store = await openJsonStore(options.dataFile, { compactAfterBytes: options.jsonCompactBytes, clock: options.clock, ...(options.onJsonWarning ? { onWarning: options.onJsonWarning } : {}) });
    return { store, redis: null, postgres: null };
  }
  // Loaded only when used: importing the Redis store (ioredis) adds about 14 MB to a process that
  // imports the backend (87 MB against 73 MB, measured on the compiled files).
  const { DEFAULT_KEY_PREFIX, openRedisStore } = await import('./redis/redis-store.ts');
  const store = await openRedisStore(options.redisUrl, {
    retention: options.retention,
    keyPrefix: DEFAULT_KEY_PREFIX,
    clock: options.clock,
    ...(options.auditRetentionMs ? { auditRetentionMs: options.auditRetentionMs } : {}),
    ...(options.onRedisError ? { onError: options.onRedisError } : {}),
  });
  return { store, redis: { client: store.client, keyPrefix: store.keyPrefix }, postgres: null };
}
