/**
 * Picks the store from the configuration: Redis when REDIS_URL is set (several instances share
 * it, and the per-IP counters with it), else the JSON file (one process).
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../time/clock.ts';
import { ConfigError, type Config } from '../config.ts';
import { openJsonStore } from './json/json-store.ts';
import { DEFAULT_KEY_PREFIX, openRedisStore } from './redis/redis-store.ts';
import type { Store } from './types.ts';

export interface OpenedStore {
  store: Store;
  /** The Redis connection (for the per-IP limiters) when the store is Redis, else null. */
  redis: { client: Redis; keyPrefix: string } | null;
}

export async function openStore(config: Config, options: { clock: Clock; onRedisError?: (error: Error) => void }): Promise<OpenedStore> {
  if (!config.redisUrl) return { store: await openJsonStore(config.dataFile, { compactAfterBytes: config.jsonCompactBytes }), redis: null };
  // A key generated beside one instance's data file would differ on the next instance, and a
  // code mailed by one could never be verified by another.
  if (config.secret === null) throw new ConfigError('SECRET: required with REDIS_URL (every instance must hash codes, links and sessions with the same key)');
  const store = await openRedisStore(config.redisUrl, {
    retention: { codeTtlMs: config.codeTtlSeconds * 1000, resendMs: config.resendSeconds * 1000 },
    keyPrefix: DEFAULT_KEY_PREFIX,
    clock: options.clock,
    ...(options.onRedisError ? { onError: options.onRedisError } : {}),
  });
  return { store, redis: { client: store.client, keyPrefix: store.keyPrefix } };
}
