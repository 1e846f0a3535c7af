/**
 * Picks the store: Redis when a URL is given (several instances share it, and the per-IP counters
 * with it), else the JSON file (one process).
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../time/clock.ts';
import { openJsonStore } from './json/json-store.ts';
import type { Retention, Store } from './types.ts';

export interface StoreOptions {
  /** The JSON store's file, used when `redisUrl` is null. */
  dataFile: string;
  /** The JSON store writes a new snapshot once its journal outgrows this and twice the snapshot. */
  jsonCompactBytes: number;
  redisUrl: string | null;
  /** How long records matter (login/retention.ts): Redis keys expire by it. */
  retention: Retention;
  clock: Clock;
  onRedisError?: (error: Error) => void;
}

export interface OpenedStore {
  store: Store;
  /** The Redis connection (for the per-IP limiters) when the store is Redis, else null. */
  redis: { client: Redis; keyPrefix: string } | null;
}

export async function openStore(options: StoreOptions): Promise<OpenedStore> {
  if (!options.redisUrl) return { store: await openJsonStore(options.dataFile, { compactAfterBytes: options.jsonCompactBytes }), redis: null };
  // Loaded only when used: importing the Redis store (ioredis) adds about 14 MB to a process that
  // imports the backend (87 MB against 73 MB, measured on the compiled files).
  const { DEFAULT_KEY_PREFIX, openRedisStore } = await import('./redis/redis-store.ts');
  const store = await openRedisStore(options.redisUrl, {
    retention: options.retention,
    keyPrefix: DEFAULT_KEY_PREFIX,
    clock: options.clock,
    ...(options.onRedisError ? { onError: options.onRedisError } : {}),
  });
  return { store, redis: { client: store.client, keyPrefix: store.keyPrefix } };
}
