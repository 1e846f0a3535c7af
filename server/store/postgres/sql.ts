/**
 * The PostgreSQL store's statements for one schema. Built once per store from the quoted schema
 * name; every value travels as a parameter ($1…), never inside the text. Each has a name, so
 * node-postgres prepares it once per connection and later runs send only the parameters.
 */
import type { QueryConfig } from 'pg';

/** A statement with a name (prepared once per connection) and its text. */
type Statement = Pick<QueryConfig, 'name' | 'text'>;

export type Statements = ReturnType<typeof statementsFor>;

const USER_COLUMNS = 'id, email_key, email, email_verified, created_at, last_login_at, data, blocked_at, totp';
const USER_COLUMNS_OF_U = USER_COLUMNS.split(', ').map((column) => `u.${column}`).join(', ');
export const PASSKEY_COLUMNS = 'id, user_id, public_key, counter, transports, backed_up, name, created_at, last_used_at';

/** `s` is the quoted schema. Names are per connection, and a pool serves one store: one schema. */
export function statementsFor(s: string) {
  const statement = (name: string, text: string): Statement => ({ name: `pl-${name}`, text });
  return {
    /** $1 email key: the state and the version a conditional write compares. */
    readLogin: statement('read-login', `SELECT state, version FROM ${s}.login_states WHERE email_key = $1`),
    /** $1 email key, $2 the version read; no row when another change came first. Its links go with it (ON DELETE CASCADE). */
    deleteLogin: statement('delete-login', `DELETE FROM ${s}.login_states WHERE email_key = $1 AND version = $2`),
    /**
     * $1 email key, $2 state, $3 until when it matters, $4 link token hashes, $5 their expiries.
     * Inserts a new login state and its links in one statement; n = 0 when another change
     * inserted the same address first.
     */
    insertLogin: statement(
      'insert-login',
      `WITH login AS (
         INSERT INTO ${s}.login_states (email_key, state, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (email_key) DO NOTHING RETURNING email_key
       ), linked AS (
         INSERT INTO ${s}.login_links (token_hash, email_key, expires_at)
         SELECT l.token_hash, login.email_key, l.expires_at FROM unnest($4::text[], $5::timestamptz[]) AS l (token_hash, expires_at), login
         ON CONFLICT (token_hash) DO UPDATE SET email_key = EXCLUDED.email_key, expires_at = EXCLUDED.expires_at
       )
       SELECT count(*)::int AS n FROM login`,
    ),
    /**
     * The same parameters ($4, $5: the links that come), $6 the version read and $7 the token
     * hashes of the links that go: the compare-and-set. The UPDATE takes the row's lock and
     * writes only if the version is still the one read (a change committed in between fails it:
     * n = 0), and only then do the links change, in the same statement.
     */
    updateLogin: statement(
      'update-login',
      `WITH login AS (
         UPDATE ${s}.login_states SET state = $2, expires_at = $3, version = version + 1 WHERE email_key = $1 AND version = $6 RETURNING email_key
       ), dropped AS (
         DELETE FROM ${s}.login_links WHERE token_hash = ANY ($7::text[]) AND email_key IN (SELECT email_key FROM login)
       ), linked AS (
         INSERT INTO ${s}.login_links (token_hash, email_key, expires_at)
         SELECT l.token_hash, login.email_key, l.expires_at FROM unnest($4::text[], $5::timestamptz[]) AS l (token_hash, expires_at), login
         ON CONFLICT (token_hash) DO UPDATE SET email_key = EXCLUDED.email_key, expires_at = EXCLUDED.expires_at
       )
       SELECT count(*)::int AS n FROM login`,
    ),
    /** $1 token hash, $2 now. */
    findLink: statement('find-link', `SELECT email_key FROM ${s}.login_links WHERE token_hash = $1 AND expires_at > $2`),

    /**
     * $1 email key: the user (all columns null when there is none) with its version, and the
     * address's login state with its version (null when none), in one round trip. The store keeps
     * both versions for the compare-and-set that usually follows (last-reads.ts).
     */
    findUserAndLogin: statement(
      'user-and-login-by-email',
      `SELECT ${USER_COLUMNS_OF_U}, u.version AS user_version, l.state AS login_state, l.version AS login_version
       FROM (SELECT $1::text AS email_key) AS k
       LEFT JOIN ${s}.users AS u ON u.email_key = k.email_key
       LEFT JOIN ${s}.login_states AS l ON l.email_key = k.email_key`,
    ),
    findUserById: statement('user-by-id', `SELECT ${USER_COLUMNS} FROM ${s}.users WHERE id = $1`),
    /** $1 email key: the user and the version a conditional write compares. */
    readUser: statement('read-user', `SELECT ${USER_COLUMNS}, version FROM ${s}.users WHERE email_key = $1`),
    /** $1 id, $2 email key, $3 email, $4 verified, $5 created, $6 last login, $7 data, $8 blocked, $9 totp; no row when the address was taken first. */
    insertUser: statement(
      'insert-user',
      `INSERT INTO ${s}.users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (email_key) DO NOTHING`,
    ),
    /** $1 the id read, $2 the version read, then the columns as insertUser's $1…$9 shifted by two; no row when another change came first. */
    updateUser: statement(
      'update-user',
      `UPDATE ${s}.users SET id = $3, email_key = $4, email = $5, email_verified = $6, created_at = $7, last_login_at = $8, data = $9, blocked_at = $10, totp = $11, version = version + 1 WHERE id = $1 AND version = $2`,
    ),
    /** $1 id, $2 new email, $3 new email key: the user moved (changeUserEmail); the unique email key refuses a taken one. */
    moveUser: statement(
      'move-user',
      `UPDATE ${s}.users SET email = $2, email_key = $3, version = version + 1 WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    ),
    /** $1 id, $2 the version read. */
    deleteUser: statement('delete-user', `DELETE FROM ${s}.users WHERE id = $1 AND version = $2`),

    /**
     * A page of users, newest first ($1 the time after which, 'infinity' for the first page; $2
     * the id settling a tie; $3 the lower-cased search or null; $4 how many): a backward scan of
     * the migration-3 index from the cursor. A search is a filter on the rows scanned, so one that
     * matches few users reads on through the index: no trigram index, O(users) at worst.
     */
    listUsersByCreated: statement(
      'list-users-by-created',
      `SELECT ${USER_COLUMNS} FROM ${s}.users
       WHERE (created_at, id) < ($1::timestamptz, $2::text) AND ($3::text IS NULL OR strpos(lower(email), $3) > 0)
       ORDER BY created_at DESC, id DESC LIMIT $4`,
    ),
    /** The same by last sign-in; $1 '-infinity' stands for "never signed in". */
    listUsersBySignIn: statement(
      'list-users-by-sign-in',
      `SELECT ${USER_COLUMNS} FROM ${s}.users
       WHERE (coalesce(last_login_at, '-infinity'::timestamptz), id) < ($1::timestamptz, $2::text) AND ($3::text IS NULL OR strpos(lower(email), $3) > 0)
       ORDER BY coalesce(last_login_at, '-infinity'::timestamptz) DESC, id DESC LIMIT $4`,
    ),
    countUsers: statement('count-users', `SELECT count(*)::int AS n FROM ${s}.users`),
    /** The erasure, in one transaction (deleteUser): $1 id. Locks the user's row first, so two erasures queue. */
    lockUser: statement('lock-user', `SELECT email_key FROM ${s}.users WHERE id = $1 FOR UPDATE`),
    erasePasskeys: statement('erase-passkeys', `DELETE FROM ${s}.passkeys WHERE user_id = $1`),
    /** $1 email key; its link rows go with it (ON DELETE CASCADE). */
    eraseLogin: statement('erase-login', `DELETE FROM ${s}.login_states WHERE email_key = $1`),
    eraseUser: statement('erase-user', `DELETE FROM ${s}.users WHERE id = $1`),

    /** $1 token hash, $2 user id, $3 created, $4 expires, $5 method (null: not said). */
    createSession: statement(
      'create-session',
      `INSERT INTO ${s}.sessions (token_hash, user_id, created_at, expires_at, method) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (token_hash) DO UPDATE SET user_id = EXCLUDED.user_id, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, method = EXCLUDED.method`,
    ),
    /** $1 token hash, $2 now. */
    findSession: statement('find-session', `SELECT token_hash, user_id, created_at, expires_at, method FROM ${s}.sessions WHERE token_hash = $1 AND expires_at > $2`),
    deleteSession: statement('delete-session', `DELETE FROM ${s}.sessions WHERE token_hash = $1`),
    listUserSessions: statement('list-user-sessions', `SELECT token_hash, user_id, created_at, expires_at, method FROM ${s}.sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at, token_hash`),
    deleteUserSessions: statement('delete-user-sessions', `DELETE FROM ${s}.sessions WHERE user_id = $1`),

    /** The PASSKEY_COLUMNS as $1…$9; no row when the credential ID exists, whoever owns it. */
    insertPasskey: statement('insert-passkey', `INSERT INTO ${s}.passkeys (${PASSKEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`),
    findPasskey: statement('find-passkey', `SELECT ${PASSKEY_COLUMNS} FROM ${s}.passkeys WHERE id = $1`),
    /** Oldest first; the id settles a tie, so the order is the same on every call. */
    listPasskeys: statement('list-passkeys', `SELECT ${PASSKEY_COLUMNS} FROM ${s}.passkeys WHERE user_id = $1 ORDER BY created_at, id`),
    /** $1 id: the passkey and the version a conditional write compares. */
    readPasskey: statement('read-passkey', `SELECT ${PASSKEY_COLUMNS}, version FROM ${s}.passkeys WHERE id = $1`),
    /** $1 the id read, $2 the version read, then the PASSKEY_COLUMNS as $3…$11 (the id stays); no row when another change came first. */
    updatePasskey: statement(
      'update-passkey',
      `UPDATE ${s}.passkeys SET user_id = $4, public_key = $5, counter = $6, transports = $7, backed_up = $8, name = $9, created_at = $10, last_used_at = $11, version = version + 1
       WHERE id = $1 AND version = $2 AND id = $3`,
    ),
    /** $1 id, $2 the version read. */
    deletePasskey: statement('delete-passkey', `DELETE FROM ${s}.passkeys WHERE id = $1 AND version = $2`),

    /**
     * $1 key, $2 until when the claim counts, $3 now. One statement: a new key is inserted; a key
     * claimed before is taken over only if that claim has expired (not yet swept). Two claims at
     * once: the second waits on the first's row lock, then sees its unexpired claim and returns
     * no row. Row returned: claimed.
     */
    claimOnce: statement(
      'claim-once',
      `INSERT INTO ${s}.one_time_claims AS c (key, expires_at) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE c.expires_at <= $3
       RETURNING 1 AS claimed`,
    ),

    /**
     * The sweep, one batch each ($1 now, $2 batch size): short statements that each lock a few
     * rows, never a long one that holds the table. SKIP LOCKED leaves a row a sign-in holds to the
     * next sweep.
     */
    sweepLogins: statement(
      'sweep-logins',
      `DELETE FROM ${s}.login_states WHERE email_key IN (SELECT email_key FROM ${s}.login_states WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    ),
    sweepLinks: statement(
      'sweep-links',
      `DELETE FROM ${s}.login_links WHERE token_hash IN (SELECT token_hash FROM ${s}.login_links WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    ),
    sweepSessions: statement(
      'sweep-sessions',
      `DELETE FROM ${s}.sessions WHERE token_hash IN (SELECT token_hash FROM ${s}.sessions WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    ),
    sweepClaims: statement(
      'sweep-claims',
      `DELETE FROM ${s}.one_time_claims WHERE key IN (SELECT key FROM ${s}.one_time_claims WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    ),
  };
}
