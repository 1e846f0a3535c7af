/**
 * Wakes across instances through PostgreSQL LISTEN/NOTIFY: one channel per schema,
 * `<schema>.approval` (a hash of the schema where that passes 63 bytes), whose payloads are sequence ids. LISTEN holds its connection for good, so
 * it is a client of its own (one per instance, outside the pool, whose connections are lent
 * query by query); NOTIFY goes through the pool. A listener cut by a restart of the database is
 * connected again after 1 s, and until then the waits' 5 s re-check carries them.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../observability/logger.ts';
import { CONNECT_TIMEOUT_MS } from '../store/postgres/connection.ts';
import { LocalWaiters, type WakeUp } from './wake-up.ts';

const RECONNECT_MS = 1000;

/** PostgreSQL cuts a channel name at 63 bytes (NAMEDATALEN − 1), and NOTIFY with a longer one fails. */
const CHANNEL_MAX_BYTES = 63;

/** `<schema>.approval`, or for a schema too long for that, a name made from its hash (same on every instance). */
export function approvalChannel(schema: string): string {
  const plain = `${schema}.approval`;
  if (Buffer.byteLength(plain) <= CHANNEL_MAX_BYTES) return plain;
  return `approval.${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
}

export async function postgresWakeUp(connectionString: string, pool: pg.Pool, schema: string, logger: Logger): Promise<WakeUp> {
  const channel = approvalChannel(schema);
  const waiters = new LocalWaiters();
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    // Keep-alive as the pool's: a listener on a half-open connection would lose every wake, silently.
    const next = new pg.Client({ connectionString, application_name: 'passwordless-login approvals', keepAlive: true, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // Only the current listener's events count: a client given up on may still report its end.
    const current = () => client === next;
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload) waiters.deliver(message.payload);
    });
    next.on('error', (error) => {
      if (!current()) return;
      logger.error({ msg: 'postgresql approval channel error', err: error.message });
      again();
    });
    next.on('end', () => {
      if (current()) again();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
  };
  function again(): void {
    if (closed || retry) return;
    client?.end().catch(() => {});
    client = null;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error: Error) => {
        logger.error({ msg: 'postgresql approval channel error', err: error.message });
        again();
      });
    }, RECONNECT_MS).unref();
  }

  // A first connection that fails stops the start (the caller's error), with nothing left retrying.
  await connect();
  return {
    async wake(key) {
      try {
        await pool.query('SELECT pg_notify($1, $2)', [channel, key]);
      } catch (error) {
        logger.error({ msg: 'postgresql approval wake failed', err: (error as Error).message });
      }
    },
    listen: (key, onWake) => waiters.listen(key, onWake),
    async close() {
      closed = true;
      clearTimeout(retry);
      retry = undefined;
      const last = client;
      client = null;
      await last?.end().catch(() => {});
    },
  };
}
