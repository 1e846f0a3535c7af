/**
 * Can the store be used, checked without opening it (a running server holds the JSON store's
 * lock): the JSON file's directory exists or can be made and is writable, the file is readable
 * and writable; Redis answers PING; PostgreSQL answers, and its schema is one this version can use.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createPool, quotedSchema } from '../store/postgres/connection.ts';
import { withoutPassword } from '../secrets/without-password.ts';
import { SCHEMA_VERSION } from '../store/postgres/migrations.ts';
import { connectRedis } from '../store/redis/connection.ts';
import { fail, ok, type CheckLine } from './report.ts';

export async function checkJsonStore(dataFile: string): Promise<CheckLine> {
  const dir = dirname(dataFile);
  const dirStat = await stat(dir).catch((error: NodeJS.ErrnoException) => error);
  if (dirStat instanceof Error) {
    if (dirStat.code !== 'ENOENT') return fail(`JSON store ${dataFile}: its directory cannot be used (${dirStat.code}): set DATA_FILE to a path in a directory the server may write`);
    // serve makes the directory at start (mkdir -p): the nearest existing ancestor must let it.
    const ancestor = await nearestExisting(dir);
    const writable = await access(ancestor, constants.W_OK | constants.X_OK).then(() => true, () => false);
    return writable
      ? ok(`JSON store ${dataFile}: the directory does not exist yet; serve will create it`)
      : fail(`JSON store ${dataFile}: the directory does not exist and ${ancestor} is not writable: create ${dir} for the server's user, or set DATA_FILE elsewhere`);
  }
  if (!dirStat.isDirectory()) return fail(`JSON store ${dataFile}: ${dir} is not a directory: set DATA_FILE to a path in a directory`);
  if (!(await access(dir, constants.W_OK | constants.X_OK).then(() => true, () => false))) {
    return fail(`JSON store ${dataFile}: ${dir} is not writable: give the server's user write access to it (the store writes a journal and a lock beside the file)`);
  }
  const fileStat = await stat(dataFile).catch(() => null);
  if (!fileStat) return ok(`JSON store ${dataFile}: the directory is writable; the file will be created at the first start`);
  if (!fileStat.isFile()) return fail(`JSON store ${dataFile}: not a regular file: set DATA_FILE to a file path`);
  if (!(await access(dataFile, constants.R_OK | constants.W_OK).then(() => true, () => false))) {
    return fail(`JSON store ${dataFile}: the file is not readable and writable: give the server's user read and write access to it`);
  }
  return ok(`JSON store ${dataFile}: readable and writable`);
}

async function nearestExisting(dir: string): Promise<string> {
  for (let current = dir; ; current = dirname(current)) {
    if (await stat(current).then(() => true, () => false)) return current;
    if (dirname(current) === current) return current;
  }
}

/** `SET … PXAT` (a passkey challenge's claim) came in Redis 6.2; an older server refuses it at the first passkey sign-in. */
const REDIS_MIN_VERSION = [6, 2] as const;

/** True when `version` ("7.0.15") is at least `REDIS_MIN_VERSION`. */
export function redisVersionIsEnough(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > REDIS_MIN_VERSION[0] || (major === REDIS_MIN_VERSION[0] && minor >= REDIS_MIN_VERSION[1]);
}

export async function checkRedisStore(redisUrl: string): Promise<CheckLine> {
  try {
    const client = await connectRedis(redisUrl);
    const info = await client.info('server').finally(() => client.disconnect());
    const version = /^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown';
    if (!redisVersionIsEnough(version)) return fail(`Redis ${withoutPassword(redisUrl)} answers PING but is version ${version}: passwordless-login needs Redis 6.2 or newer (SET … PXAT)`);
    return ok(`Redis ${withoutPassword(redisUrl)} answers PING (version ${version})`);
  } catch (error) {
    return fail(`${(error as Error).message}: check that redis-server runs there, and the host, port and password in REDIS_URL`);
  }
}

/** Connects and reads the schema's version, without migrating: serve applies the migrations. */
export async function checkPostgresStore(databaseUrl: string, schema: string): Promise<CheckLine> {
  const where = `PostgreSQL ${withoutPassword(databaseUrl)}`;
  const pool = createPool(databaseUrl, { poolSize: 1 });
  try {
    const { rows } = await pool.query<{ table: string | null }>('SELECT to_regclass($1) AS table', [`${quotedSchema(schema)}.schema_migrations`]);
    if (rows[0]!.table === null) return ok(`${where} answers; schema "${schema}" has no tables yet: serve will create them (the user needs CREATE on the database, or the schema made for it)`);
    const { rows: versions } = await pool.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${quotedSchema(schema)}.schema_migrations`);
    const version = versions[0]!.version ?? 0;
    if (version > SCHEMA_VERSION) return fail(`${where}: schema "${schema}" is at version ${version}, newer than this version of passwordless-login knows (${SCHEMA_VERSION}): upgrade passwordless-login`);
    return ok(`${where} answers; schema "${schema}" at version ${version}${version < SCHEMA_VERSION ? ` (serve will bring it to ${SCHEMA_VERSION})` : ''}`);
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    return fail(`${where} cannot be used: ${message || code}: check that PostgreSQL runs there, and the host, port, user, password and database in DATABASE_URL`);
  } finally {
    await pool.end().catch(() => {});
  }
}
