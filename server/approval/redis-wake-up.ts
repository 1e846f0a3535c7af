/**
 * Wakes across instances through Redis pub/sub: one channel, `<prefix>approval-wake`, whose
 * messages are sequence ids. A connection in subscriber mode can send nothing else, so it is a
 * second connection (a duplicate of the store's), made once per instance, whatever the number of
 * waits; ioredis subscribes again by itself after a reconnect. Publishing goes through the
 * store's connection.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.ts';
import { LocalWaiters, type WakeUp } from './wake-up.ts';

export async function redisWakeUp(client: Redis, keyPrefix: string, logger: Logger): Promise<WakeUp> {
  const channel = `${keyPrefix}approval-wake`;
  const waiters = new LocalWaiters();
  // Subscriber mode sends no other command, so none to pipeline.
  const subscriber = client.duplicate({ enableAutoPipelining: false });
  subscriber.on('error', (error: Error) => logger.error({ msg: 'redis approval channel error', err: error.message }));
  subscriber.on('message', (from: string, key: string) => {
    if (from === channel) waiters.deliver(key);
  });
  await subscriber.subscribe(channel);
  return {
    async wake(key) {
      try {
        await client.publish(channel, key);
      } catch (error) {
        logger.error({ msg: 'redis approval wake failed', err: (error as Error).message });
      }
    },
    listen: (key, onWake) => waiters.listen(key, onWake),
    async close() {
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
