/**
 * `npm run bench:approval`: how long from the phone's approve to the asking browser signed in,
 * over real HTTP on this machine: each of N sign-ins asks with an approval key, starts the long
 * poll, waits until the server holds it asleep (so only a wake ends it), then approves and times
 * until the wait answers with the session. The JSON store (one instance, woken in process), and
 * with `--store redis` or `--store postgres` two instances on one shared store: the browser waits
 * on one, the phone approves on the other, woken through pub/sub or LISTEN/NOTIFY. Figures only.
 *
 *   npm run bench:approval -- --store json|redis|postgres --n 100
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { postJson, tokenOf } from '../server/testing/api-client.ts';
import { startTestPostgres } from '../server/testing/postgres-server.ts';
import { startTestRedis } from '../server/testing/redis-server.ts';
import { startTestServer, type TestServer } from '../server/testing/test-server.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({ options: { store: { type: 'string', default: 'json' }, n: { type: 'string', default: '100' } } });
const n = Number(values.n);
const store = values.store!;
const SECRET = 'approval-bench-secret-0123456789abcdef0123';

let stopShared = async () => {};
let env: Record<string, string> = { RATE_LIMITS: 'off' };
if (store === 'redis') {
  const redis = await startTestRedis();
  env = { ...env, REDIS_URL: redis.url, SECRET };
  stopShared = () => redis.stop();
} else if (store === 'postgres') {
  const postgres = await startTestPostgres();
  env = { ...env, DATABASE_URL: await postgres.createDatabase(), SECRET };
  stopShared = () => postgres.stop();
} else if (store !== 'json') {
  throw new Error(`--store json, redis or postgres, not ${store}`);
}

const asker = await startTestServer({ env });
const phone = store === 'json' ? asker : await startTestServer({ env });

async function asleep(server: TestServer): Promise<void> {
  while (server.backend.approvals.asleep < 1) await new Promise((resolve) => setTimeout(resolve, 1));
}

async function oneApproval(i: number): Promise<number> {
  const bytes = randomBytes(32);
  const email = `bench-${process.pid}-${i}@example.com`;
  const asked = await postJson(`${asker.url}/auth/request`, { email, approvalKey: createHash('sha256').update(bytes).digest('base64url') });
  if (asked.status !== 202) throw new Error(`request: ${asked.status} ${JSON.stringify(asked.body)}`);
  await asker.backend.service.idle();
  const token = tokenOf(asker.mailbox.messages().find((m) => m.to === email)!.link!);
  const waiting = postJson(`${asker.url}/auth/approval/wait`, { id: asked.body.approval.id, secret: bytes.toString('base64url') });
  await asleep(asker);
  const start = performance.now();
  const approved = await postJson(`${phone.url}/auth/approval/approve`, { token, number: asked.body.approval.number });
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
  const signedIn = await waiting;
  const ms = performance.now() - start;
  if (signedIn.body?.status !== 'approved') throw new Error(`wait: ${signedIn.status} ${JSON.stringify(signedIn.body)}`);
  return ms;
}

try {
  for (let i = 0; i < 10; i++) await oneApproval(-1 - i); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await oneApproval(i));
  times.sort((a, b) => a - b);
  const where = store === 'json' ? 'JSON store, one instance' : `${store === 'redis' ? 'Redis' : 'PostgreSQL'}, wait on one instance, approve on another`;
  console.log(`approval to signed in (${where}), ${n} approvals: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms`);
} finally {
  if (phone !== asker) await phone.close();
  await asker.close();
  await stopShared();
}
