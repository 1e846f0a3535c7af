/**
 * Wakes across instances through PostgreSQL LISTEN/NOTIFY: one channel per schema,
 * `<schema>.approval`, whose payloads are sequence ids. LISTEN holds its connection for good, so
 * it is a client of its own (one per instance, outside the pool, whose connections are lent
 * query by query); NOTIFY goes through the pool. A listener cut by a restart of the database is
 * connected again after 1 s, and until then the waits' 5 s re-check carries them.
 */
import pg from 'pg';
import type { Logger } from '../observability/logger.ts';
import { LocalWaiters, type WakeUp } from './wake-up.ts';

const RECONNECT_MS = 1000;

export async function postgresWakeUp(connectionString: string, pool: pg.Pool, schema: string, logger: Logger): Promise<WakeUp> {
  const channel = `${schema}.approval`;
  const waiters = new LocalWaiters();
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString, application_name: 'passwordless-login approvals' });
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload) waiters.deliver(message.payload);
    });
    next.on('error', (error) => {
      logger.error({ msg: 'postgresql approval channel error', err: error.message });
      again();
    });
    next.on('end', again);
    await next.connect();
    await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
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
      await client?.end().catch(() => {});
    },
  };
}
