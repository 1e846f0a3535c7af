/**
 * Copies a JSON store into Redis (the command: `passwordless-login migrate-to-redis`, bin/):
 * users (by id and by email key), live sessions (expiring at their expiresAt) with the index of
 * each user's sessions (what `revokeUserSessions` reads), login states that still matter
 * (expiring with their retention, login/retention.ts) and their link-token index. It writes
 * through the Redis store itself, so the keys, indexes and expiries are exactly the ones the
 * backend writes. Stop the backend first; start the instances with the same SECRET the JSON
 * store hashed with (the `.secret` file beside it if SECRET was not set), or every code, link
 * and session copied becomes unusable.
 *
 * It refuses to write into a Redis that already holds keys under the prefix unless `--force`
 * (then it writes over the keys it copies and leaves the others).
 */
import { access } from 'node:fs/promises';
import { openJsonStore, type JsonStoreContents } from '../json/json-store.ts';
import type { Retention } from '../types.ts';
import { redactRedisUrl } from './connection.ts';
import { DEFAULT_KEY_PREFIX, openRedisStore } from './redis-store.ts';

export interface MigrationOptions {
  from: string;
  to: string;
  force?: boolean;
  keyPrefix?: string;
  retention: Retention;
  /** Records that stopped mattering before `now` are left behind. Default: Date.now(). */
  now?: number;
}

export interface MigrationCounts {
  users: number;
  sessions: number;
  logins: number;
  links: number;
  /** Expired sessions and login states past their retention: nothing to copy. */
  expiredSessions: number;
  expiredLogins: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

async function readJsonStore(file: string): Promise<JsonStoreContents> {
  // openJsonStore would create a missing file: a typo in --from must not migrate an empty store.
  await access(file).catch(() => {
    throw new MigrationError(`There is no JSON store at ${file} (--from).`);
  });
  // Opening it first checks the file the way the backend would (a corrupt one stops here), and
  // replays its journal: the snapshot() is what a restart would see.
  const store = await openJsonStore(file);
  try {
    return await store.snapshot();
  } finally {
    await store.close();
  }
}

export async function migrateJsonToRedis(options: MigrationOptions): Promise<MigrationCounts> {
  const now = options.now ?? Date.now();
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const contents = await readJsonStore(options.from);
  const redis = await openRedisStore(options.to, { retention: options.retention, keyPrefix, clock: { now: () => now } });
  try {
    const existing = await firstKeyUnder(redis.client, keyPrefix);
    if (existing !== null && !options.force) {
      throw new MigrationError(`Redis at ${redactRedisUrl(options.to)} already holds keys under "${keyPrefix}" (e.g. ${existing}): nothing was written. Pass --force to write over them, or use another --prefix.`);
    }
    const counts: MigrationCounts = { users: 0, sessions: 0, logins: 0, links: 0, expiredSessions: 0, expiredLogins: 0 };
    await inBatches(contents.users, async (user) => {
      await redis.updateUser(user.emailKey, () => ({ next: user, result: null }));
      counts.users += 1;
    });
    await inBatches(contents.sessions, async (session) => {
      if (session.expiresAt <= now) return void (counts.expiredSessions += 1);
      await redis.createSession(session);
      counts.sessions += 1;
    });
    await inBatches(contents.logins, async (state) => {
      if (options.retention.loginState(state) <= now) return void (counts.expiredLogins += 1);
      await redis.updateLogin(state.emailKey, () => ({ next: state, result: null }));
      counts.logins += 1;
      counts.links += state.sequences.filter((s) => options.retention.link(s) > now).length;
    });
    return counts;
  } finally {
    await redis.close();
  }
}

async function firstKeyUnder(client: import('ioredis').Redis, prefix: string): Promise<string | null> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) return keys[0]!;
    cursor = next;
  } while (cursor !== '0');
  return null;
}

async function inBatches<T>(items: T[], task: (item: T) => Promise<void>, size = 100): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(task));
}
