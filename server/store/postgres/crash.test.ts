/**
 * What a request was told survives `kill -9` of the real CLI on PostgreSQL at a random moment
 * under load (docs/storage.md, "PostgreSQL": a method resolves once its transaction committed).
 *
 * Each iteration: concurrent code requests, verifies of the codes that arrived by mail and
 * sign-outs, 32 in flight, for a random 300–1,000 ms (a just-restarted server opens its pool's
 * connections under the load, so codes take longer to be mailed than on the JSON store); `kill -9` with requests in flight; a restart
 * on the same database; then the checks of server/testing/crash-under-load.ts, (b)–(f), and:
 *   (a) no transaction the killed process had open still holds a row: the restarted server's
 *       changes go through (PostgreSQL ends the dead connections' transactions with a rollback),
 *       and no connection of the killed process is left in pg_stat_activity.
 *
 * CRASH_SEED=n reproduces the random choices (not the timing); CRASH_ITERATIONS=n changes how
 * many kills the chained test makes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCli, type CliProcess } from '../../testing/cli-process.ts';
import { crashKit, type Ledger, type Sessions } from '../../testing/crash-under-load.ts';
import { startTestPostgres, type TestPostgres } from '../../testing/postgres-server.ts';
import { startSmtpSink, type SmtpSink } from '../../testing/smtp-sink.ts';

const CHAINED_ITERATIONS = Number(process.env.CRASH_ITERATIONS ?? 10);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const SECRET = 'crash-test-secret-0123456789abcdef0123456789';

let smtp: SmtpSink;
let postgres: TestPostgres;
let workDir: string;

before(async () => {
  [smtp, postgres, workDir] = await Promise.all([startSmtpSink(), startTestPostgres(), mkdtemp(join(tmpdir(), 'pl-crash-pg-'))]);
});
after(async () => {
  await smtp?.close();
  await postgres?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe(`kill -9 under load on PostgreSQL (seed ${SEED})`, () => {
  it(`keeps every acknowledged code and session, and no code works twice, over ${CHAINED_ITERATIONS} kills`, { timeout: 180_000 }, async (t) => {
    const databaseUrl = await postgres.createDatabase();
    const database = new URL(databaseUrl).pathname.slice(1);
    // DATA_FILE is unused by the PostgreSQL store; the CLI kit sets it for every start.
    const start = () => startCli({ dataFile: join(workDir, 'unused.json'), env: { RATE_LIMITS: 'off', SMTP_URL: smtp.url, DATABASE_URL: databaseUrl, SECRET } });
    let killedPid = 0;
    const kit = crashKit({
      smtp,
      seed: SEED,
      loadMs: [300, 1000],
      restart: start,
      async afterKill() {
        // (a) The server closes a dead client's connection when it notices (at once on loopback);
        // until then its transaction holds its locks. Counted here, waited for by the restart.
        const { rows } = await postgres.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'passwordless-login' AND state = 'idle in transaction'", [database]);
        t.diagnostic(`connections of pid ${killedPid} idle in a transaction after the kill: ${rows[0].n}`);
      },
    });
    const sessions: Sessions = { live: new Set(), ended: new Set() };
    const ledgers: Ledger[] = [];
    let server: CliProcess = await start();
    await kit.signInThroughMail(server, `warm-first-s${SEED}@example.com`, sessions);
    try {
      for (let i = 0; i < CHAINED_ITERATIONS; i++) {
        const ledger = kit.newLedger(i);
        ledgers.push(ledger);
        killedPid = server.pid;
        server = await kit.crashIteration(t, server, ledger, sessions);
      }
    } finally {
      const exit = await server.stop();
      t.diagnostic(`graceful stop after the last restart: code ${exit.code}`);
    }
    t.diagnostic(`sessions over all kills: ${sessions.live.size} live, ${sessions.ended.size} signed out`);
    kit.assertLedgers(ledgers);
    const { rows } = await postgres.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'passwordless-login'", [database]);
    assert.equal(rows[0].n, 0, 'no connection of a killed or stopped server is left');
  });
});
