/** The passkey cases every store passes (testing/passkey-contract.ts), on a real Redis. */
import { startHarness } from '../testing/harness.ts';
import { passkeyContract } from '../testing/passkey-contract.ts';
import { startTestRedis } from '../testing/redis-server.ts';

passkeyContract('Redis', async () => {
  const redis = await startTestRedis();
  const h = await startHarness({ REDIS_URL: redis.url, SECRET: 'passkeys-on-redis-test-secret-0123456789' });
  return { ...h, close: async () => (await h.close(), await redis.stop()) };
});
