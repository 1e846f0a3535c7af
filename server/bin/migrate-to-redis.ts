/**
 * `npm run migrate:redis -- --from ./data/passwordless.json --to redis://host:6379 [--force] [--prefix pl:]`
 *
 * Copies a JSON store into Redis: users (by id and by email key), live sessions (expiring at
 * their expiresAt) with the index of each user's sessions (what `revokeUserSessions` reads),
 * login states that still matter (expiring with their retention, login/retention.ts) and their link-token index. It writes
 * through the Redis store itself, so the keys, indexes and expiries are exactly the ones the
 * backend writes. Stop the backend first; start the instances with the same SECRET the JSON
 * store hashed with (the `.secret` file beside it if SECRET was not set), or every code, link
 * and session copied becomes unusable.
 *
 * It refuses to write into a Redis that already holds keys under the prefix unless `--force`
 * (then it writes over the keys it copies and leaves the others).
 */
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { retentionFor } from '../login/retention.ts';
import { secretFileFor } from '../secrets/secret-file.ts';
import { openJsonStore, type JsonStoreContents } from '../store/json/json-store.ts';
import { redactRedisUrl } from '../store/redis/connection.ts';
import { DEFAULT_KEY_PREFIX, openRedisStore } from '../store/redis/redis-store.ts';
import { StoreError, type Retention } from '../store/types.ts';

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

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean', default: false }, prefix: { type: 'string' } },
  });
  const to = values.to ?? process.env.REDIS_URL;
  if (!values.from || !to) {
    process.stderr.write('usage: npm run migrate:redis -- --from ./data/passwordless.json --to redis://host:6379 [--force] [--prefix pl:]\n');
    return 2;
  }
  // The same validation and defaults as the backend, for the two rules that decide expiries.
  const config = loadConfig({ CODE_TTL_SECONDS: process.env.CODE_TTL_SECONDS, RESEND_SECONDS: process.env.RESEND_SECONDS });
  const from = resolve(values.from);
  const counts = await migrateJsonToRedis({
    from,
    to,
    force: values.force,
    keyPrefix: values.prefix ?? DEFAULT_KEY_PREFIX,
    retention: retentionFor(config),
  });
  process.stdout.write(
    [
      `Copied from ${from} to ${redactRedisUrl(to)}:`,
      `  users: ${counts.users}`,
      `  sessions: ${counts.sessions} (${counts.expiredSessions} expired, left behind)`,
      `  login states: ${counts.logins} (${counts.expiredLogins} no longer needed, left behind)`,
      `  link tokens: ${counts.links}`,
      `Start every instance with REDIS_URL and the SECRET the JSON store used${process.env.SECRET ? '' : ` (if SECRET was not set: the content of ${secretFileFor(from)})`}.`,
      '',
    ].join('\n'),
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      const known = error instanceof MigrationError || error instanceof StoreError || error instanceof ConfigError;
      process.stderr.write(`migrate:redis: ${known ? error.message : (error.stack ?? String(error))}\n`);
      process.exit(1);
    },
  );
}
