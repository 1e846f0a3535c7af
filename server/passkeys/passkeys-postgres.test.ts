/** The passkey cases every store passes (testing/passkey-contract.ts), on a real PostgreSQL. */
import { startHarness } from '../testing/harness.ts';
import { passkeyContract } from '../testing/passkey-contract.ts';
import { startTestPostgres } from '../testing/postgres-server.ts';

passkeyContract('PostgreSQL', async () => {
  const postgres = await startTestPostgres();
  const h = await startHarness({ DATABASE_URL: await postgres.createDatabase(), SECRET: 'passkeys-on-postgres-test-secret-0123456789' });
  return { ...h, close: async () => (await h.close(), await postgres.stop()) };
});
