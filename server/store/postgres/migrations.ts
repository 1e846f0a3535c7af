/**
 * The PostgreSQL schema as versioned migrations, applied at start: all of them inside one
 * transaction that first takes a transaction-level advisory lock named after the schema, so
 * instances starting together queue behind the first one, and the others find the work done.
 * A migration is never edited once released: a change is a new version. The tables, columns
 * and indexes are documented in docs/storage.md ("PostgreSQL").
 */
import type pg from 'pg';
import { StoreError } from '../types.ts';
import { inTransaction, quotedSchema } from './connection.ts';

interface Migration {
  version: number;
  name: string;
  /** The statements, for the quoted schema name; no values: those only ever travel as parameters. */
  sql(schema: string): string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, sessions, login states, link index, per-IP limits',
    // `json`, not `jsonb`: jsonb refuses the character U+0000, which JSON (and a user's data) may hold.
    // Sessions have no foreign key to users: a session outlives nothing, and the store writes a
    // user and a session in separate steps of a sign-in.
    sql: (s) => `
      CREATE TABLE ${s}.users (
        id             text PRIMARY KEY,
        email_key      text NOT NULL UNIQUE,
        email          text NOT NULL,
        email_verified boolean NOT NULL,
        created_at     timestamptz NOT NULL,
        last_login_at  timestamptz,
        data           json NOT NULL,
        version        bigint NOT NULL DEFAULT 0
      );
      CREATE TABLE ${s}.sessions (
        token_hash text PRIMARY KEY,
        user_id    text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX sessions_user_id ON ${s}.sessions (user_id);
      CREATE INDEX sessions_expires_at ON ${s}.sessions (expires_at);
      CREATE TABLE ${s}.login_states (
        email_key  text PRIMARY KEY,
        state      json NOT NULL,
        expires_at timestamptz NOT NULL,
        version    bigint NOT NULL DEFAULT 0
      );
      CREATE INDEX login_states_expires_at ON ${s}.login_states (expires_at);
      CREATE TABLE ${s}.login_links (
        token_hash text PRIMARY KEY,
        email_key  text NOT NULL REFERENCES ${s}.login_states (email_key) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX login_links_email_key ON ${s}.login_links (email_key);
      CREATE INDEX login_links_expires_at ON ${s}.login_links (expires_at);
      CREATE TABLE ${s}.rate_limits (
        key    varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      );
    `,
  },
  {
    version: 2,
    name: 'passkeys, one-time claims, how a session was signed in',
    // A passkey goes with its user (ON DELETE CASCADE) and follows a change of the user's id (ON
    // UPDATE CASCADE: updateUser writes the id). `counter` is bigint: WebAuthn's signature counter
    // is an unsigned 32-bit number, past integer's 2^31. `method` is null on sessions made before.
    sql: (s) => `
      ALTER TABLE ${s}.sessions ADD COLUMN method text;
      CREATE TABLE ${s}.passkeys (
        id           text PRIMARY KEY,
        user_id      text NOT NULL REFERENCES ${s}.users (id) ON DELETE CASCADE ON UPDATE CASCADE,
        public_key   text NOT NULL,
        counter      bigint NOT NULL,
        transports   text[] NOT NULL,
        backed_up    boolean NOT NULL,
        name         text NOT NULL,
        created_at   timestamptz NOT NULL,
        last_used_at timestamptz,
        version      bigint NOT NULL DEFAULT 0
      );
      CREATE INDEX passkeys_user_id ON ${s}.passkeys (user_id);
      CREATE TABLE ${s}.one_time_claims (
        key        text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX one_time_claims_expires_at ON ${s}.one_time_claims (expires_at);
    `,
  },
  {
    version: 3,
    name: 'users listed by creation and by last sign-in',
    // A page of users (listUsers) is a backward range scan of one of these, newest first, the id
    // settling a tie. Never signed in sorts as -infinity: last, in the same index.
    sql: (s) => `
      CREATE INDEX users_created_at ON ${s}.users (created_at, id);
      CREATE INDEX users_last_login_at ON ${s}.users ((coalesce(last_login_at, '-infinity'::timestamptz)), id);
    `,
  },
  {
    version: 4,
    name: 'the audit trail and the daily counts of the overview',
    // No foreign key to users: an entry outlives its user (user_deleted keeps the id, and only it).
    // (user_id, at, id) serves one user's page, (at, id) everyone's and the sweep: the id settles a
    // tie of `at`, so a page is a backward index scan that stops at LIMIT, with no sort. `actor` is
    // the record's `by` (a keyword in SQL). A counter is bigint: a busy site's day never overflows it.
    sql: (s) => `
      CREATE TABLE ${s}.audit (
        id         bigserial PRIMARY KEY,
        at         timestamptz NOT NULL,
        event      text NOT NULL,
        user_id    text,
        method     text,
        action     text,
        actor      text,
        client_key text
      );
      CREATE INDEX audit_user_id_at ON ${s}.audit (user_id, at, id);
      CREATE INDEX audit_at ON ${s}.audit (at, id);
      CREATE TABLE ${s}.daily_counts (
        day   date NOT NULL,
        key   text NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (day, key)
      );
    `,
  },
  {
    version: 5,
    name: 'blocked users',
    // Null for every user not blocked. No index: it is read with the row, never searched by.
    sql: (s) => `
      ALTER TABLE ${s}.users ADD COLUMN blocked_at timestamptz;
    `,
  },
  {
    version: 6,
    name: 'authenticator-app codes',
    // The user's TotpRecord as JSON (sealed secret, hashed recovery codes), null when off: read
    // with the row, never searched by, so no index.
    sql: (s) => `
      ALTER TABLE ${s}.users ADD COLUMN totp jsonb;
    `,
  },
  {
    version: 7,
    name: 'random versions of new login states',
    // A login state inserted for an address starts at a random version, not 0: a state deleted
    // and inserted again by another instance between a read and a write would otherwise be back
    // at the version that read saw, and the compare-and-set would pass over a state it never read
    // (the store keeps reads for the next write: postgres-store.ts, last-reads.ts). A default,
    // not a value in the INSERT, so an instance of the previous version inserts the same way
    // during a rolling upgrade. 62 random bits: random() has 52, so about one chance in 2^52 that
    // two insertions of one address meet. Changes only the default: instant, rewrites no row.
    sql: (s) => `
      ALTER TABLE ${s}.login_states ALTER COLUMN version SET DEFAULT floor(random() * 4611686018427387904)::bigint;
    `,
  },
];

/** The newest version this code knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/**
 * Brings `schema` up to SCHEMA_VERSION; returns the versions it applied (none when another
 * instance got there first). A schema newer than this code stops the start: running old code on
 * it could undo what the new code relies on.
 */
export async function migrate(pool: pg.Pool, schema: string): Promise<number[]> {
  const s = quotedSchema(schema);
  return inTransaction(pool, async (client) => {
    // Held until COMMIT or ROLLBACK: a second instance waits here, then sees every version applied.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`passwordless-login migrations ${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
    const done = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...done);
    if (newest > SCHEMA_VERSION) {
      throw new StoreError(`the PostgreSQL schema "${schema}" is at version ${newest}, newer than this version of passwordless-login knows (${SCHEMA_VERSION}): upgrade passwordless-login`);
    }
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql(s));
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return applied;
  });
}
