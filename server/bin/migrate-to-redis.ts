/**
 * `passwordless-login migrate-to-redis --from ./data/passwordless.json --to redis://host:6379
 * [--force] [--prefix pl:]` (`npm run migrate:redis -- …` in this repository): copies a JSON
 * store into Redis (store/redis/migrate-from-json.ts) and prints what it copied. CODE_TTL_SECONDS
 * and RESEND_SECONDS, if the backend sets them, decide the expiries as they do for the backend.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { retentionFor } from '../login/retention.ts';
import { secretFileFor } from '../secrets/secret-file.ts';
import { redactRedisUrl } from '../store/redis/connection.ts';
import { migrateJsonToRedis } from '../store/redis/migrate-from-json.ts';
import { DEFAULT_KEY_PREFIX } from '../store/redis/redis-store.ts';
import { loadConfig } from './environment.ts';

export const MIGRATE_USAGE = 'passwordless-login migrate-to-redis --from ./data/passwordless.json --to redis://host:6379 [--force] [--prefix pl:]';

/** Runs the command; resolves with the exit code (2: wrong arguments). */
export async function migrateToRedis(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean', default: false }, prefix: { type: 'string' } },
    }));
  } catch (error) {
    // An unknown option or a missing value: the operator's mistake, not a bug.
    process.stderr.write(`${(error as Error).message}\nusage: ${MIGRATE_USAGE}\n`);
    return 2;
  }
  const to = values.to ?? process.env.REDIS_URL;
  if (!values.from || !to) {
    process.stderr.write(`usage: ${MIGRATE_USAGE}\n`);
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
