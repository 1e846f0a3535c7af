/**
 * The audit trail's costs in each store (docs/storage.md, "The audit trail and daily counts"):
 * 100,000 entries of 1,000 users over 90 days and one user with a single entry 80 days back,
 * appended 100 a write as the trail writer does; then the newest page, a user's page, the rare
 * user's page, countSessions and a sweep of half. It prints figures; it never fails on timing.
 *
 *   node --import tsx bench/audit-trail.ts
 *
 * A real JSON store on temporary files, a throwaway redis-server and PostgreSQL cluster. The
 * machine is 2 shared cores: read the figures against each other within one run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonStore } from '../server/store/json/json-store.ts';
import { openRedisStore } from '../server/store/redis/redis-store.ts';
import { openPostgresStore } from '../server/store/postgres/postgres-store.ts';
import { startTestRedis } from '../server/testing/redis-server.ts';
import { startTestPostgres } from '../server/testing/postgres-server.ts';
import { retentionFor } from '../server/login/retention.ts';
import type { AuditRecord, Store } from '../server/store/types.ts';

const retention = retentionFor({ codeTtlSeconds: 600, resendSeconds: 60 });
const now = Date.now();
const DAY = 86_400_000;
const N = 100_000;
const records: AuditRecord[] = Array.from({ length: N }, (_, i) => ({ at: now - 90 * DAY + Math.floor((i * 90 * DAY) / N), event: 'sign_in', userId: `user-${i % 1000}`, method: 'code', clientKey: '203.0.113.7' }));
records.push({ at: now - 80 * DAY, event: 'sign_in', userId: 'rare-user', method: 'link' });

async function measure(name: string, store: Store) {
  let t = performance.now();
  for (let i = 0; i < records.length; i += 100) await store.appendAudit(records.slice(i, i + 100));
  const appendMs = (performance.now() - t) / (records.length / 100);
  const time = async (f: () => Promise<unknown>) => { const s = performance.now(); await f(); return (performance.now() - s).toFixed(1); };
  const all = await time(() => store.listAudit({ limit: 50 }));
  const user = await time(() => store.listAudit({ userId: 'user-7', limit: 50 }));
  const rare = await time(() => store.listAudit({ userId: 'rare-user', limit: 50 }));
  await store.createSession({ tokenHash: 'x', userId: 'u', createdAt: now, expiresAt: now + DAY });
  const sessions = await time(() => store.countSessions(now));
  const sweep = await time(() => store.sweepAudit(now - 45 * DAY));
  console.log(`${name}: appendAudit of 100 ${appendMs.toFixed(2)} ms; newest 50 ${all} ms; a user's 50 (100 entries) ${user} ms; a user with 1 entry 80 days back ${rare} ms; countSessions ${sessions} ms; sweep of ~50,000 ${sweep} ms`);
  await store.close();
}

const dir = await mkdtemp(join(tmpdir(), 'bench-audit-'));
await measure('JSON', await openJsonStore(join(dir, 'data.json')));
await rm(dir, { recursive: true, force: true });
const redis = await startTestRedis();
await measure('Redis', await openRedisStore(redis.url, { retention }));
await redis.stop();
const pg = await startTestPostgres();
await measure('PostgreSQL', await openPostgresStore(pg.url, { retention }));
await pg.stop();
process.exit(0);
