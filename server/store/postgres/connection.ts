/**
 * The pool of connections to PostgreSQL (node-postgres), shared by the store and the per-IP
 * limiters: settings that turn an outage into a failed query within seconds, never a hang.
 * A broken connection is dropped from the pool and the next query opens a new one, so the store
 * recovers by itself when the database comes back.
 */
import pg from 'pg';

export interface PoolOptions {
  /** Connections at most: default 10. */
  poolSize: number;
  /** Called with errors of idle connections (a restart of the server cuts them). */
  onError?: (error: Error) => void;
}

/**
 * 3 s to get a connection (from the pool or a new one), 5 s for a statement on the server, 6 s for
 * its answer on the client (a network that drops packets never answers at all), 10 s at most idle
 * inside a transaction (a client gone mid-transaction must not keep its row locks).
 */
export const CONNECT_TIMEOUT_MS = 3000;
export const STATEMENT_TIMEOUT_MS = 5000;
export const QUERY_TIMEOUT_MS = 6000;
const IDLE_IN_TRANSACTION_MS = 10_000;

export function createPool(url: string, { poolSize, onError = () => {} }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    application_name: 'passwordless-login',
    keepAlive: true,
  });
  // Without a listener an idle connection's error (the server restarting) would end the process.
  pool.on('error', onError);
  return pool;
}

/** A schema name as an SQL identifier, quoted (the configuration allows only `[a-z_][a-z0-9_]*`). */
export function quotedSchema(schema: string): string {
  return pg.escapeIdentifier(schema);
}

/** Runs `work` inside one transaction on one connection; rolls back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is broken: released with the error, the pool drops it.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
