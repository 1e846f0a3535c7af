/**
 * The connection to Redis, shared by the store and the per-IP limiters: settings that turn an
 * outage into a failed command within seconds, never a hang, and a start that stops with one
 * line when Redis cannot be reached.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { StoreError } from '../types.ts';
import { withoutPassword } from '../../secrets/without-password.ts';

/** At most one reconnection attempt per command, a 3 s connect timeout and a 5 s command timeout. */
export const REDIS_CLIENT_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 1,
  connectTimeout: 3000,
  commandTimeout: 5000,
  retryStrategy: (times) => Math.min(times * 100, 2000),
  lazyConnect: true,
  // Commands issued in the same event-loop turn (by any request) leave in one write and their
  // replies come back in one read: fewer syscalls and round trips per verify. Each command and
  // each Lua script still runs alone and in order on the server, so the compare-and-set holds.
  enableAutoPipelining: true,
};

/** Connects and checks with PING; a Redis that cannot be reached stops the start with a StoreError. */
export async function connectRedis(url: string, onError: (error: Error) => void = () => {}): Promise<Redis> {
  const client = new Redis(url, REDIS_CLIENT_OPTIONS);
  // Without a listener ioredis prints every reconnection error; commands still reject on their own.
  client.on('error', onError);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new StoreError(`Cannot reach Redis at ${withoutPassword(url)} (REDIS_URL): ${(error as Error).message}`);
  }
  return client;
}

/** A SCAN pattern for the keys that start with `prefix`, its glob characters escaped. */
export function keysStartingWith(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
}
