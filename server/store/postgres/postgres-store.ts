/**
 * The PostgreSQL store (docs/storage.md, "PostgreSQL"): users, sessions and login states in
 * tables of one schema (default `passwordless`) beside the host application's, which can join
 * its own tables to `users`.
 *
 * Atomicity: `updateLogin` and `updateUser` are compare-and-set on a version column, each write
 * a single conditional statement. The row and its version are read, the synchronous change runs
 * in this process, and one statement writes the result only if the row still holds that version
 * (an UPDATE … WHERE version = $read, with the link rows that come or go in the same statement; an INSERT …
 * ON CONFLICT DO NOTHING for an address seen for the first time; a DELETE … WHERE version =
 * $read). A change committed in between, by another instance, makes it write nothing, and the
 * change runs again on the new row. Changes to one address within this process queue behind
 * each other (key-queue.ts), so only another instance can cause a retry. Two round trips and
 * one commit per change, where a transaction with SELECT … FOR UPDATE takes four; one when the
 * change follows a `findUserByEmailKey` of the same address (a sign-in request, the user written
 * at a verify), which reads the login state with the user and keeps both for it (last-reads.ts).
 * A kept read is a first guess only: it is written over only if its version still holds, and a
 * change that would write nothing on its word reads first. Inserted login states get a random
 * version (the column's default, migration 7 in migrations.ts), so a state deleted and inserted
 * again cannot pass for the one read.
 *
 * Passkeys are rows of `passkeys` (updatePasskey is compare-and-set like updateUser); a spent
 * challenge is a row of `one_time_claims`, claimed by one INSERT … ON CONFLICT (sql.ts).
 *
 * Expiry: each login state, link, session and claim carries the instant after which it no longer
 * matters (from the injected retention), indexed; lookups ignore what has passed it and the
 * sweep deletes it in batches. `sweep`'s `tidy` is not needed: it would keep exactly what the
 * retention keeps.
 *
 * Durability: a method resolves once PostgreSQL has committed (synchronous_commit on, the
 * default, means on disk). Failure: every query fails within seconds rather than hangs
 * (connection.ts); the HTTP edge answers 500, and the pool reconnects by itself.
 */
import type pg from 'pg';
import { systemClock, type Clock } from '../../time/clock.ts';
import { auditColumns, auditStatementsFor, toAuditRecord, type AuditRow, type AuditStatements } from './audit-sql.ts';
import { auditRecord, checkAuditQuery, checkCounts, dayOf, daysBetween } from '../audit-records.ts';
import { StoreError, type AuditQuery, type AuditRecord, type DailyCounts, type Change, type LoginState, type PasskeyRecord, type Retention, type SessionRecord, type Store, type UserRecord } from '../types.ts';
import { backOff, KeyQueue } from '../key-queue.ts';
import { createPool, inTransaction, quotedSchema } from './connection.ts';
import { checkUserListQuery, cursorAfter, type UserListQuery, type UserPage } from '../user-list.ts';
import { withoutPassword } from '../../secrets/without-password.ts';
import { LastReads } from './last-reads.ts';
import { migrate } from './migrations.ts';
import { passkeyValues, toPasskey, toSession, toUser, type PasskeyRow, type SessionRow, type UserRow } from './rows.ts';
import { statementsFor, type Statements } from './sql.ts';

export const DEFAULT_SCHEMA = 'passwordless';
export const DEFAULT_POOL_SIZE = 10;

export interface PostgresStoreOptions {
  retention: Retention;
  /** Default `passwordless`. */
  schema?: string;
  /** Connections at most: default 10. */
  poolSize?: number;
  /** The clock of the login rules: decides what has expired. Default: the system clock. */
  clock?: Clock;
  /** Called with errors of idle connections. */
  onError?: (error: Error) => void;
}

export interface PostgresStore extends Store {
  /** The pool, shared with the per-IP limiters; `close()` ends it. */
  readonly pool: pg.Pool;
  readonly schema: string;
}

/** A login state as read, with the version its compare-and-set names. */
interface LoginRow {
  state: LoginState;
  version: string;
}
type VersionedUserRow = UserRow & { version: string };
/** findUserAndLogin's row: the user's columns (all null without a user) and both versions. */
type UserAndLoginRow = UserRow & { user_version: string | null; login_state: LoginState | null; login_version: string | null };

/** Rows per statement of the sweep: each batch locks at most this many rows, for a few milliseconds. */
const SWEEP_BATCH = 1000;

/** Attempts of one compare-and-set before giving up (only other instances can cause a retry). */
const MAX_CAS_ATTEMPTS = 50;
/** What a compare-and-set's write answers when it needs the row read before it decides. */
const READ_AGAIN = Symbol('read again');

/** One compare-and-set (`#compareAndSet`). */
interface CompareAndSet<Row, T> {
  /** The key of the process's queue it waits in: `user:<email key>`. */
  queue: string;
  /** What it updates, for the error when it gives up: `the user of one address`. */
  what: string;
  /** Takes the row a read just kept (null: it saw none), tried before reading; undefined or absent: read first. */
  kept?: () => Row | null | undefined;
  read: () => Promise<Row | undefined>;
  /** Runs the change on `row` and writes it if its version still holds; `guessed`: `row` is a kept one. */
  changeAndWrite: (row: Row | undefined, guessed: boolean) => Promise<{ result: T; written: boolean } | typeof READ_AGAIN>;
}

/**
 * Connects, brings the schema up to date and returns the store. A database that cannot be
 * reached, or a schema that cannot be prepared, stops the start with a StoreError.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const pool = createPool(url, { poolSize: options.poolSize ?? DEFAULT_POOL_SIZE, ...(options.onError ? { onError: options.onError } : {}) });
  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof StoreError) throw error;
    throw new StoreError(`Cannot use PostgreSQL at ${withoutPassword(url)} (DATABASE_URL): ${describe(error)}`);
  }
  return new PostgresStoreImpl(pool, schema, options);
}

/** One line: node-postgres gives an empty message for a refused connection (an AggregateError). */
function describe(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  return message || code || String(error);
}

class PostgresStoreImpl implements PostgresStore {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly #sql: Statements;
  readonly #auditSql: AuditStatements;
  readonly #retention: Retention;
  readonly #clock: Clock;
  /** Changes to one address in this process run one after another. */
  readonly #queue = new KeyQueue();
  /** What findUserByEmailKey saw, per email key, for the write that usually follows it. */
  readonly #loginReads = new LastReads<LoginRow>();
  readonly #userReads = new LastReads<VersionedUserRow>();

  constructor(pool: pg.Pool, schema: string, options: PostgresStoreOptions) {
    this.pool = pool;
    this.schema = schema;
    this.#sql = statementsFor(quotedSchema(schema));
    this.#auditSql = auditStatementsFor(quotedSchema(schema));
    this.#retention = options.retention;
    this.#clock = options.clock ?? systemClock;
  }

  updateLogin<T>(emailKey: string, change: Change<LoginState, T>): Promise<T> {
    return this.#compareAndSet({
      queue: `login:${emailKey}`,
      what: 'the login state of one address',
      // The state the read of the user just saw (findUserByEmailKey) is tried first: no read of its own.
      kept: () => this.#loginReads.take(emailKey),
      read: async () => (await this.pool.query<LoginRow>({ ...this.#sql.readLogin, values: [emailKey] })).rows[0],
      changeAndWrite: async (row, guessed) => {
        const current = row?.state ?? null;
        // Read before the change runs: it may change `current` in place.
        const linkedBefore = new Set(current?.sequences.map((s) => s.tokenHash));
        const { next, result } = change(current);
        const now = this.#clock.now();
        const until = next ? this.#retention.loginState(next) : 0;
        // A state already past its retention is deleted at once rather than written.
        if (next === null || until <= now) {
          // Nothing to delete, by a kept read: not trusted without a statement that checks it, so read.
          if (!row && guessed) return READ_AGAIN;
          return { result, written: !row || (await this.pool.query({ ...this.#sql.deleteLogin, values: [emailKey, row.version] })).rowCount === 1 };
        }
        // Only the links that come or go are written: a link's expiry never changes (its
        // sequence's), so most changes (a wrong code, a sign-in) touch no link row at all.
        const linkedAfter = new Set(next.sequences.map((s) => s.tokenHash));
        const added = next.sequences.filter((s) => !linkedBefore.has(s.tokenHash)).map((s) => ({ hash: s.tokenHash, at: this.#retention.link(s) })).filter((l) => l.at > now);
        const dropped = [...linkedBefore].filter((hash) => !linkedAfter.has(hash));
        const values = [emailKey, JSON.stringify(next), new Date(until), added.map((l) => l.hash), added.map((l) => new Date(l.at))];
        const { rows } = row
          ? await this.pool.query<{ n: number }>({ ...this.#sql.updateLogin, values: [...values, row.version, dropped] })
          : await this.pool.query<{ n: number }>({ ...this.#sql.insertLogin, values });
        return { result, written: rows[0]!.n === 1 };
      },
    });
  }

  /**
   * The loop of every update, in this process's queue for its key (one change to a row at a time
   * here; the version check handles other instances): read the row (or take the one a read kept:
   * a first guess), let `changeAndWrite` change it and write it against the version read, and
   * start again from a fresh read when the row had changed since: at once after a guess that went
   * stale, after a back-off when another writer won (key-queue.ts). `changeAndWrite` answers
   * READ_AGAIN for a change it does not trust to a kept row.
   */
  #compareAndSet<Row, T>({ queue, what, kept, read, changeAndWrite }: CompareAndSet<Row, T>): Promise<T> {
    return this.#queue.run(queue, async () => {
      // Taken when this change's turn comes, not when it was queued: a read kept meanwhile is newer.
      let guess = kept?.();
      for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
        const guessed = guess !== undefined;
        const row = guessed ? (guess ?? undefined) : await read();
        guess = undefined;
        const outcome = await changeAndWrite(row, guessed);
        if (outcome === READ_AGAIN) continue;
        if (outcome.written) return outcome.result;
        if (!guessed) await backOff(attempt);
      }
      throw new Error(`PostgreSQL store: ${what} kept changing under ${MAX_CAS_ATTEMPTS} attempts to update it`);
    });
  }

  async findLoginKeyByTokenHash(tokenHash: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ email_key: string }>({ ...this.#sql.findLink, values: [tokenHash, new Date(this.#clock.now())] });
    return rows[0]?.email_key ?? null;
  }

  /** Reads the address's login state in the same statement, and keeps both reads for the next write (last-reads.ts). */
  async findUserByEmailKey(emailKey: string): Promise<UserRecord | null> {
    const { rows } = await this.pool.query<UserAndLoginRow>({ ...this.#sql.findUserAndLogin, values: [emailKey] });
    const { user_version, login_state, login_version, ...found } = rows[0]!;
    if (user_version === null) this.#userReads.keep(emailKey, null);
    // A copy of what can be changed in place: the user handed out is the caller's to change.
    else this.#userReads.keep(emailKey, { ...found, data: structuredClone(found.data), totp: structuredClone(found.totp), version: user_version });
    this.#loginReads.keep(emailKey, login_version === null ? null : { state: login_state!, version: login_version });
    return user_version === null ? null : toUser(found);
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const { rows } = await this.pool.query<UserRow>({ ...this.#sql.findUserById, values: [id] });
    return rows[0] ? toUser(rows[0]) : null;
  }

  updateUser<T>(emailKey: string, change: Change<UserRecord, T>): Promise<T> {
    return this.#compareAndSet({
      queue: `user:${emailKey}`,
      what: 'the user of one address',
      // The user the last findUserByEmailKey saw is tried first: no read of its own.
      kept: () => this.#userReads.take(emailKey),
      read: async () => (await this.pool.query<VersionedUserRow>({ ...this.#sql.readUser, values: [emailKey] })).rows[0],
      changeAndWrite: async (row, guessed) => {
        const { next, result } = change(row ? toUser(row) : null);
        if (next === null) {
          // Nothing to delete, by a kept read: not trusted without a statement that checks it, so read.
          if (!row && guessed) return READ_AGAIN;
          return { result, written: !row || (await this.pool.query({ ...this.#sql.deleteUser, values: [row.id, row.version] })).rowCount === 1 };
        }
        const columns = [next.id, emailKey, next.email, next.emailVerified, next.createdAt, next.lastLoginAt, JSON.stringify(next.data), next.blockedAt == null ? null : new Date(next.blockedAt), next.totp == null ? null : JSON.stringify(next.totp)];
        const outcome = row
          ? await this.pool.query({ ...this.#sql.updateUser, values: [row.id, row.version, ...columns] })
          : await this.pool.query({ ...this.#sql.insertUser, values: columns });
        return { result, written: outcome.rowCount === 1 };
      },
    });
  }

  async createSession(session: SessionRecord): Promise<void> {
    const { tokenHash, userId, createdAt, expiresAt, method } = session;
    await this.pool.query({ ...this.#sql.createSession, values: [tokenHash, userId, new Date(createdAt), new Date(expiresAt), method ?? null] });
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const { rows } = await this.pool.query<SessionRow>({ ...this.#sql.findSession, values: [tokenHash, new Date(this.#clock.now())] });
    return rows[0] ? toSession(rows[0]) : null;
  }

  async deleteSession(tokenHash: string): Promise<boolean> {
    return ((await this.pool.query({ ...this.#sql.deleteSession, values: [tokenHash] })).rowCount ?? 0) > 0;
  }

  async listUserSessions(userId: string): Promise<SessionRecord[]> {
    const { rows } = await this.pool.query<SessionRow>({ ...this.#sql.listUserSessions, values: [userId, new Date(this.#clock.now())] });
    return rows.map(toSession);
  }

  async deleteUserSessions(userId: string): Promise<number> {
    return (await this.pool.query({ ...this.#sql.deleteUserSessions, values: [userId] })).rowCount ?? 0;
  }

  /**
   * One transaction: the user's row locked, then their sessions, passkeys, login state (its link
   * rows by cascade) and the row itself deleted. A crash or an error rolls all of it back.
   */
  async deleteUser(userId: string): Promise<{ sessions: number; passkeys: number } | null> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ email_key: string }>({ ...this.#sql.lockUser, values: [userId] });
      if (!rows[0]) return null;
      // Nothing read of an erased address stays in memory.
      this.#userReads.take(rows[0].email_key);
      this.#loginReads.take(rows[0].email_key);
      const sessions = (await client.query({ ...this.#sql.deleteUserSessions, values: [userId] })).rowCount ?? 0;
      const passkeys = (await client.query({ ...this.#sql.erasePasskeys, values: [userId] })).rowCount ?? 0;
      await client.query({ ...this.#sql.eraseLogin, values: [rows[0].email_key] });
      await client.query({ ...this.#sql.eraseUser, values: [userId] });
      return { sessions, passkeys };
    });
  }

  /** One indexed query of `limit + 1` rows (the one more tells whether there is a next page). */
  /**
   * One UPDATE: atomic by itself, and the unique `email_key` refuses an address another user
   * holds, even one taken a moment before (unique_violation, 23505: `'taken'`).
   */
  async changeUserEmail(userId: string, to: { email: string; emailKey: string }): Promise<UserRecord | 'taken' | null> {
    try {
      const { rows } = await this.pool.query<UserRow>({ ...this.#sql.moveUser, values: [userId, to.email, to.emailKey] });
      return rows[0] ? toUser(rows[0]) : null;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return 'taken';
      throw error;
    }
  }

  async listUsers(query: UserListQuery): Promise<UserPage> {
    const { limit, search, sort, after } = checkUserListQuery(query);
    const statement = sort === 'created' ? this.#sql.listUsersByCreated : this.#sql.listUsersBySignIn;
    const at = after ? (after.at ?? '-infinity') : 'infinity';
    const { rows } = await this.pool.query<UserRow>({ ...statement, values: [at, after?.id ?? '', search, limit + 1] });
    const users = rows.slice(0, limit).map(toUser);
    return { users, next: rows.length > limit ? cursorAfter(users.at(-1)!, sort) : null };
  }

  /** A count of the table: PostgreSQL keeps no row count, so O(users) (an index-only scan once vacuumed). */
  async countUsers(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(this.#sql.countUsers);
    return rows[0]!.n;
  }

  /** A passkey of a user that is not in `users` is refused by the foreign key (an error, not `false`). */
  async addPasskey(passkey: PasskeyRecord): Promise<boolean> {
    return (await this.pool.query({ ...this.#sql.insertPasskey, values: passkeyValues(passkey) })).rowCount === 1;
  }

  async findPasskey(id: string): Promise<PasskeyRecord | null> {
    const { rows } = await this.pool.query<PasskeyRow>({ ...this.#sql.findPasskey, values: [id] });
    return rows[0] ? toPasskey(rows[0]) : null;
  }

  async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    const { rows } = await this.pool.query<PasskeyRow>({ ...this.#sql.listPasskeys, values: [userId] });
    return rows.map(toPasskey);
  }

  /** Compare-and-set on the row's version, as `updateUser`; no read is kept for it. */
  updatePasskey<T>(id: string, change: Change<PasskeyRecord, T>): Promise<T> {
    return this.#compareAndSet({
      queue: `passkey:${id}`,
      what: 'one passkey',
      read: async () => (await this.pool.query<PasskeyRow & { version: string }>({ ...this.#sql.readPasskey, values: [id] })).rows[0],
      changeAndWrite: async (row) => {
        const { next, result } = change(row ? toPasskey(row) : null);
        if (next === null) return { result, written: !row || (await this.pool.query({ ...this.#sql.deletePasskey, values: [id, row.version] })).rowCount === 1 };
        // Kept under the ID it was asked for: a change cannot move it to another.
        const columns = passkeyValues({ ...next, id });
        const outcome = row
          ? await this.pool.query({ ...this.#sql.updatePasskey, values: [id, row.version, ...columns] })
          : await this.pool.query({ ...this.#sql.insertPasskey, values: columns });
        return { result, written: outcome.rowCount === 1 };
      },
    });
  }

  async claimOnce(key: string, expiresAt: number): Promise<boolean> {
    const { rows } = await this.pool.query({ ...this.#sql.claimOnce, values: [key, new Date(expiresAt), new Date(this.#clock.now())] });
    return rows.length === 1;
  }

  /** Deletes, batch by batch, what has passed its instant (see the file comment for `tidy`). */
  async sweep(now: number): Promise<{ logins: number; sessions: number }> {
    const at = new Date(now);
    const drain = async (statement: Statements['sweepLogins']) => {
      let total = 0;
      for (;;) {
        const deleted = (await this.pool.query({ ...statement, values: [at, SWEEP_BATCH] })).rowCount ?? 0;
        total += deleted;
        if (deleted < SWEEP_BATCH) return total;
      }
    };
    const logins = await drain(this.#sql.sweepLogins);
    await drain(this.#sql.sweepLinks);
    const sessions = await drain(this.#sql.sweepSessions);
    await drain(this.#sql.sweepClaims);
    return { logins, sessions };
  }

  // --- The audit trail and daily counts: tables of migration 4 (audit-sql.ts) ---

  async appendAudit(records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.pool.query({ ...this.#auditSql.appendAudit, values: auditColumns(records.map(auditRecord)) });
  }

  async listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const { userId, before, limit } = checkAuditQuery(query);
    const at = Number.isFinite(before) ? new Date(before) : 'infinity';
    const { rows } = userId === null
      ? await this.pool.query<AuditRow>({ ...this.#auditSql.listAudit, values: [at, limit] })
      : await this.pool.query<AuditRow>({ ...this.#auditSql.listUserAudit, values: [userId, at, limit] });
    return rows.map(toAuditRecord);
  }

  async sweepAudit(before: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const deleted = (await this.pool.query({ ...this.#auditSql.sweepAudit, values: [new Date(before), SWEEP_BATCH] })).rowCount ?? 0;
      removed += deleted;
      if (deleted < SWEEP_BATCH) break;
    }
    let days: number;
    do days = (await this.pool.query({ ...this.#auditSql.sweepDailyCounts, values: [dayOf(before), SWEEP_BATCH] })).rowCount ?? 0;
    while (days === SWEEP_BATCH);
    return removed;
  }

  async addDailyCounts(day: string, counts: Record<string, number>): Promise<void> {
    const added = checkCounts(day, counts);
    if (added.length === 0) return;
    await this.pool.query({ ...this.#auditSql.addDailyCounts, values: [day, added.map(([key]) => key), added.map(([, amount]) => amount)] });
  }

  async listDailyCounts(fromDay: string, toDay: string): Promise<DailyCounts> {
    daysBetween(fromDay, toDay);
    const { rows } = await this.pool.query<{ day: string; key: string; count: number }>({ ...this.#auditSql.listDailyCounts, values: [fromDay, toDay] });
    const result: DailyCounts = {};
    for (const { day, key, count } of rows) (result[day] ??= {})[key] = count;
    return result;
  }

  async countSessions(now: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>({ ...this.#auditSql.countSessions, values: [new Date(now)] });
    return rows[0]!.n;
  }

  async close(): Promise<void> {
    if (this.pool.ended) return;
    await this.pool.end();
  }
}
