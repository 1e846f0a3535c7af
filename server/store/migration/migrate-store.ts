/**
 * A migration between stores (the command: `passwordless-login migrate`, bin/): reads every record
 * of the source, opens the target as its backend would (PostgreSQL: the schema migrated), refuses
 * a target that already holds records unless `force` (then it writes over the records it copies
 * and leaves the others), and copies through the target's own methods (copy-records.ts). Stop
 * the backend first; start it on the target with the same SECRET the source hashed with, or every
 * code, link and session copied becomes unusable.
 */
import { stat } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { openJsonStore } from '../json/json-store.ts';
import { quotedSchema } from '../postgres/connection.ts';
import { withoutPassword } from '../../secrets/without-password.ts';
import { DEFAULT_SCHEMA, openPostgresStore } from '../postgres/postgres-store.ts';
import { DEFAULT_KEY_PREFIX, openRedisStore } from '../redis/redis-store.ts';
import type { Retention, Store } from '../types.ts';
import { copyRecords, MigrationError, type MigrationCounts } from './copy-records.ts';
import { readSource, storeKindOf } from './read-source.ts';
import { keysStartingWith } from '../redis/connection.ts';

export interface MigrationOptions {
  /** A JSON file's path, `redis://…` or `postgres://…`. */
  from: string;
  /** The same kinds; not the same store as `from`. */
  to: string;
  force?: boolean;
  /** Redis key prefix, of the source and the target alike: default `pl:`. */
  keyPrefix?: string;
  /** PostgreSQL schema, of the source and the target alike: default `passwordless`. */
  schema?: string;
  retention: Retention;
  /** Records that stopped mattering before `now` are left behind. Default: Date.now(). */
  now?: number;
}

/** An open target, and what it already holds (null: nothing). */
interface Target {
  store: Store;
  /** Something it already holds, for the message that refuses it; null when empty. */
  firstRecord(): Promise<string | null>;
  /** How a message names it, without a password. */
  label: string;
  /** What the refusal suggests besides --force. */
  elsewhere: string;
  /** Runs after the copy: Redis adds to its user list sets the users it held before (with --force). */
  afterCopy?: () => Promise<void>;
}

export async function migrateStore(options: MigrationOptions): Promise<MigrationCounts> {
  const now = options.now ?? Date.now();
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const schema = options.schema ?? DEFAULT_SCHEMA;
  if (options.from === options.to) throw new MigrationError(`--from and --to name the same store (${describeLocation(options.to)}).`);
  const records = await readSource(options.from, { keyPrefix, schema });
  const target = await openTarget(options.to, { keyPrefix, schema, retention: options.retention, now });
  try {
    const existing = await target.firstRecord();
    if (existing !== null && !options.force) {
      throw new MigrationError(`${target.label} already holds ${existing}: nothing was written. Pass --force to write over the records it copies, or ${target.elsewhere}.`);
    }
    const counts = await copyRecords(records, target.store, options.retention, now);
    await target.afterCopy?.();
    return counts;
  } finally {
    await target.store.close();
  }
}

/** A location as messages show it: a URL without its password, a path as given. */
export function describeLocation(location: string): string {
  const kind = storeKindOf(location);
  return kind === 'redis' ? withoutPassword(location) : kind === 'postgres' ? withoutPassword(location) : location;
}

async function openTarget(to: string, { keyPrefix, schema, retention, now }: { keyPrefix: string; schema: string; retention: Retention; now: number }): Promise<Target> {
  const clock = { now: () => now };
  switch (storeKindOf(to)) {
    case 'redis': {
      // The list sets are filled after the copy (below), not at this open: a target refused for
      // holding keys must be left exactly as it was.
      const store = await openRedisStore(to, { retention, keyPrefix, clock, fillUserLists: false });
      return {
        store,
        label: `Redis at ${withoutPassword(to)}`,
        elsewhere: 'use another --prefix',
        afterCopy: () => store.fillUserLists({ always: true }),
        firstRecord: async () => {
          const key = await firstKeyUnder(store.client, keyPrefix);
          return key === null ? null : `keys under "${keyPrefix}" (e.g. ${key})`;
        },
      };
    }
    case 'postgres': {
      const store = await openPostgresStore(to, { retention, schema, clock, poolSize: 10 });
      return {
        store,
        label: `PostgreSQL at ${withoutPassword(to)}`,
        elsewhere: 'use another --schema',
        firstRecord: async () => {
          const s = quotedSchema(schema);
          const { rows } = await store.pool.query<{ users: number; sessions: number; logins: number }>(
            `SELECT (SELECT count(*) FROM ${s}.users)::int AS users, (SELECT count(*) FROM ${s}.sessions)::int AS sessions, (SELECT count(*) FROM ${s}.login_states)::int AS logins`,
          );
          const { users, sessions, logins } = rows[0]!;
          return users + sessions + logins === 0 ? null : `records in schema "${schema}" (${users} users, ${sessions} sessions, ${logins} login states)`;
        },
      };
    }
    case 'json': {
      // A file that exists is not empty until proven so; a missing one is created by the store.
      const existed = await stat(to).then(() => true, () => false);
      const store = await openJsonStore(to);
      return {
        store,
        label: `The JSON store ${to}`,
        elsewhere: 'name another file',
        firstRecord: async () => {
          if (!existed) return null;
          const { users, sessions, logins } = await store.snapshot();
          return users.length + sessions.length + logins.length === 0 ? null : `records (${users.length} users, ${sessions.length} sessions, ${logins.length} login states)`;
        },
      };
    }
  }
}

async function firstKeyUnder(client: Redis, prefix: string): Promise<string | null> {
  const pattern = keysStartingWith(prefix);
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) return keys[0]!;
    cursor = next;
  } while (cursor !== '0');
  return null;
}
