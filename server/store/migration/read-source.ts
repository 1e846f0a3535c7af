/**
 * Reads every record of the store a migration copies from: a JSON file (a path), Redis
 * (`redis://…`) or PostgreSQL (`postgres://…`). Nothing is written to the source.
 */
import { access } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { openJsonStore } from '../json/json-store.ts';
import { createPool, quotedSchema } from '../postgres/connection.ts';
import { PASSKEY_COLUMNS } from '../postgres/sql.ts';
import { toPasskey, toSession, toUser, type PasskeyRow, type SessionRow, type UserRow } from '../postgres/rows.ts';
import { connectRedis, keysStartingWith } from '../redis/connection.ts';
import { MigrationError, type ClaimRecord, type StoreRecords } from './copy-records.ts';
import type { AuditRecord, DailyCounts, LoginState, PasskeyRecord, SessionRecord, UserRecord } from '../types.ts';
import { MEMBER_PREFIX } from '../redis/audit-scripts.ts';
import { toAuditRecord, type AuditRow } from '../postgres/audit-sql.ts';
import { withoutPassword } from '../../secrets/without-password.ts';

export type StoreKind = 'json' | 'redis' | 'postgres';

/** What a `--from` or `--to` names, by its scheme: a path is a JSON file. */
export function storeKindOf(location: string): StoreKind {
  if (/^rediss?:\/\//i.test(location)) return 'redis';
  if (/^postgres(ql)?:\/\//i.test(location)) return 'postgres';
  return 'json';
}

export interface SourceOptions {
  /** Redis key prefix: default `pl:`. */
  keyPrefix: string;
  /** PostgreSQL schema: default `passwordless`. */
  schema: string;
}

export async function readSource(from: string, options: SourceOptions): Promise<StoreRecords> {
  switch (storeKindOf(from)) {
    case 'json':
      return readJsonFile(from);
    case 'redis':
      return readRedis(from, options.keyPrefix);
    case 'postgres':
      return readPostgres(from, options.schema);
  }
}

async function readJsonFile(file: string): Promise<StoreRecords> {
  // openJsonStore would create a missing file: a typo in --from must not migrate an empty store.
  await access(file).catch(() => {
    throw new MigrationError(`There is no JSON store at ${file} (--from).`);
  });
  // Opening it first checks the file the way the backend would (a corrupt one stops here), and
  // replays its journal: the snapshot() is what a restart would see.
  const store = await openJsonStore(file);
  try {
    const audit: AuditRecord[] = [];
    for await (const day of store.auditTrail()) audit.push(...day);
    return { ...(await store.snapshot()), audit, dailyCounts: store.dailyCounts() };
  } finally {
    await store.close();
  }
}

async function readRedis(url: string, keyPrefix: string): Promise<StoreRecords> {
  const client = await connectRedis(url);
  try {
    return {
      users: await valuesUnder<UserRecord>(client, `${keyPrefix}user:`),
      logins: await valuesUnder<LoginState>(client, `${keyPrefix}login:`),
      sessions: await valuesUnder<SessionRecord>(client, `${keyPrefix}session:`),
      passkeys: await valuesUnder<PasskeyRecord>(client, `${keyPrefix}passkey:`),
      claims: await claimsUnder(client, `${keyPrefix}claim:`),
      audit: await auditUnder(client, keyPrefix),
      dailyCounts: await dailyCountsUnder(client, keyPrefix),
    };
  } finally {
    client.disconnect();
  }
}

/** Runs `batch` on the keys starting with `prefix`, a SCAN page at a time (never KEYS: it blocks Redis). */
async function scanKeys(client: Redis, prefix: string, batch: (keys: string[]) => Promise<void>): Promise<void> {
  const pattern = keysStartingWith(prefix);
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await batch(keys);
    cursor = next;
  } while (cursor !== '0');
}

/** The JSON values of every key starting with `prefix`. */
async function valuesUnder<T>(client: Redis, prefix: string): Promise<T[]> {
  const values: T[] = [];
  await scanKeys(client, prefix, async (keys) => {
    for (const raw of await client.mget(keys)) if (raw !== null) values.push(JSON.parse(raw) as T);
  });
  return values;
}

/**
 * The claim keys under `prefix` (the key without it) and their expiries. PTTL, not PEXPIRETIME:
 * the store's own commands (SET … PXAT) need Redis 6.2, PEXPIRETIME 7.0. A claim copied this way
 * may end the few milliseconds of the read late, never early.
 */
async function claimsUnder(client: Redis, prefix: string): Promise<ClaimRecord[]> {
  const claims: ClaimRecord[] = [];
  await scanKeys(client, prefix, async (keys) => {
    const left = await Promise.all(keys.map((key) => client.pttl(key)));
    // Read after the answers: the time left was counted before them, so the claim ends late, not early.
    const now = Date.now();
    // -2: gone since the SCAN; -1 (no expiry) is never written by the store.
    keys.forEach((key, i) => left[i]! > 0 && claims.push({ key: key.slice(prefix.length), expiresAt: now + left[i]! }));
  });
  return claims;
}

/** The `audit` set, oldest first, 10,000 members a round trip. */
async function auditUnder(client: Redis, keyPrefix: string): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for (let start = 0; ; start += 10_000) {
    const members = await client.zrange(`${keyPrefix}audit`, String(start), String(start + 9_999));
    records.push(...members.map((member) => JSON.parse(member.slice(MEMBER_PREFIX)) as AuditRecord));
    if (members.length < 10_000) return records;
  }
}

async function dailyCountsUnder(client: Redis, keyPrefix: string): Promise<DailyCounts> {
  const counts: DailyCounts = {};
  for (const day of await client.zrange(`${keyPrefix}daily-days`, '0', '-1')) {
    const hash = await client.hgetall(`${keyPrefix}daily:${day}`);
    if (Object.keys(hash).length > 0) counts[day] = Object.fromEntries(Object.entries(hash).map(([key, n]) => [key, Number(n)]));
  }
  return counts;
}

async function readPostgres(url: string, schema: string): Promise<StoreRecords> {
  const pool = createPool(url, { poolSize: 1 });
  const s = quotedSchema(schema);
  try {
    const exists = await pool.query<{ table: string | null }>('SELECT to_regclass($1) AS table', [`${s}.schema_migrations`]);
    if (exists.rows[0]!.table === null) throw new MigrationError(`PostgreSQL at ${withoutPassword(url)} has no passwordless-login tables in schema "${schema}" (--from).`);
    // A schema an older version left at version 1 has no passkeys and no session methods yet.
    const { rows } = await pool.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${s}.schema_migrations`);
    const withPasskeys = (rows[0]!.version ?? 0) >= 2;
    const withAudit = (rows[0]!.version ?? 0) >= 4;
    const withBlocking = (rows[0]!.version ?? 0) >= 5;
    const withTotp = (rows[0]!.version ?? 0) >= 6;
    const dailyCounts: DailyCounts = {};
    if (withAudit) {
      const counted = await pool.query<{ day: string; key: string; count: number }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, key, count::float8 AS count FROM ${s}.daily_counts`);
      for (const { day, key, count } of counted.rows) (dailyCounts[day] ??= {})[key] = count;
    }
    return {
      // blocked_at came with version 5, totp with 6: a schema before has no blocked user, no second factor.
      users: (await pool.query<UserRow>(`SELECT id, email_key, email, email_verified, created_at, last_login_at, data, ${withBlocking ? 'blocked_at' : 'null AS blocked_at'}, ${withTotp ? 'totp' : 'null AS totp'} FROM ${s}.users`)).rows.map(toUser),
      logins: (await pool.query<{ state: LoginState }>(`SELECT state FROM ${s}.login_states`)).rows.map((r) => r.state),
      sessions: (await pool.query<SessionRow>(`SELECT token_hash, user_id, created_at, expires_at, ${withPasskeys ? 'method' : 'null AS method'} FROM ${s}.sessions`)).rows.map(toSession),
      passkeys: withPasskeys ? (await pool.query<PasskeyRow>(`SELECT ${PASSKEY_COLUMNS} FROM ${s}.passkeys`)).rows.map(toPasskey) : [],
      claims: withPasskeys ? (await pool.query<{ key: string; expires_at: Date }>(`SELECT key, expires_at FROM ${s}.one_time_claims`)).rows.map((r) => ({ key: r.key, expiresAt: r.expires_at.getTime() })) : [],
      audit: withAudit ? (await pool.query<AuditRow>(`SELECT at, event, user_id, method, action, actor, client_key FROM ${s}.audit ORDER BY at, id`)).rows.map(toAuditRecord) : [],
      dailyCounts,
    };
  } finally {
    await pool.end();
  }
}
