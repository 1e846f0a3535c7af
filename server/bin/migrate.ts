/**
 * `passwordless-login migrate --from <store> --to <store> [--force] [--prefix pl:] [--schema
 * passwordless]` (`npm run migrate -- …` in this repository): copies every record of one store
 * into another (store/migration/) and prints what it copied. A store is a JSON file's path, a
 * `redis://` URL or a `postgres://` URL. `--to` defaults to DATABASE_URL, else REDIS_URL.
 * `migrate-to-redis` is the same command, kept for the command lines written before it (its `--to`
 * defaults to REDIS_URL). CODE_TTL_SECONDS and RESEND_SECONDS, if the backend sets them, decide
 * what still matters as they do for the backend.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { retentionFor } from '../login/retention.ts';
import { secretFileFor } from '../secrets/secret-file.ts';
import { describeLocation, migrateStore } from '../store/migration/migrate-store.ts';
import { storeKindOf } from '../store/migration/read-source.ts';
import { loadConfig } from './environment.ts';
import { MIGRATE_TO_REDIS_USAGE, MIGRATE_USAGE } from './usage.ts';


const NAMES = { json: 'a JSON store', redis: 'REDIS_URL', postgres: 'DATABASE_URL' } as const;

/** Runs the command; resolves with the exit code (2: wrong arguments). */
export async function migrate(argv: string[], { command = 'migrate' }: { command?: 'migrate' | 'migrate-to-redis' } = {}): Promise<number> {
  const usage = command === 'migrate' ? MIGRATE_USAGE : MIGRATE_TO_REDIS_USAGE;
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean', default: false }, prefix: { type: 'string' }, schema: { type: 'string' } },
    }));
  } catch (error) {
    // An unknown option or a missing value: the operator's mistake, not a bug.
    process.stderr.write(`${(error as Error).message}\nusage: ${usage}\n`);
    return 2;
  }
  const to = values.to ?? (command === 'migrate' ? process.env.DATABASE_URL ?? process.env.REDIS_URL : process.env.REDIS_URL);
  if (!values.from || !to || (command === 'migrate-to-redis' && storeKindOf(to) !== 'redis')) {
    process.stderr.write(`usage: ${usage}\n`);
    return 2;
  }
  // The same validation and defaults as the backend, for the rules that decide what still matters
  // and for the schema's name.
  const config = loadConfig({ CODE_TTL_SECONDS: process.env.CODE_TTL_SECONDS, RESEND_SECONDS: process.env.RESEND_SECONDS, DATABASE_SCHEMA: values.schema ?? process.env.DATABASE_SCHEMA });
  const from = storeKindOf(values.from) === 'json' ? resolve(values.from) : values.from;
  const target = storeKindOf(to) === 'json' ? resolve(to) : to;
  const counts = await migrateStore({
    from,
    to: target,
    force: values.force,
    ...(values.prefix ? { keyPrefix: values.prefix } : {}),
    schema: config.databaseSchema,
    retention: retentionFor(config),
  });
  const secretSource = storeKindOf(from) === 'json' && !process.env.SECRET ? ` (if SECRET was not set: the content of ${secretFileFor(from)})` : '';
  process.stdout.write(
    [
      `Copied from ${describeLocation(from)} to ${describeLocation(target)}:`,
      `  users: ${counts.users}`,
      `  passkeys: ${counts.passkeys}`,
      `  spent passkey challenges: ${counts.claims}`,
      `  sessions: ${counts.sessions} (${counts.expiredSessions} expired, left behind)`,
      `  login states: ${counts.logins} (${counts.expiredLogins} no longer needed, left behind)`,
      `  link tokens: ${counts.links}`,
      `  audit entries: ${counts.audit} (and ${counts.countedDays} days of counts)`,
      `Start every instance with ${NAMES[storeKindOf(target)]}${storeKindOf(target) === 'json' ? ` as DATA_FILE (${target})` : ''} and the SECRET the source used${secretSource}.`,
      '',
    ].join('\n'),
  );
  return 0;
}
