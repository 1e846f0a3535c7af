/**
 * What a request was told survives `kill -9` of the real CLI at a random moment under load
 * (docs/storage.md#durability: a request is answered only after its write is on disk).
 *
 * Each iteration: concurrent code requests (distinct addresses) and verifies of the codes that
 * arrived by mail, 32 in flight, for a random 100–600 ms; `kill -9` with requests in flight;
 * restart on the same DATA_FILE; then, against the restarted server:
 *   (a) the snapshot (DATA_FILE) parses as JSON and the CLI starts again without a store error;
 *   (b) every session whose verify answered 200 (in this or any earlier run of the file) is live;
 *   (c) every code that arrived by mail is usable exactly once (200, then 401), unless it was
 *       used by a verify that answered 200 before the kill (then 401 at once);
 *   (d) no code gives two sessions: at most one 200 per code, before and after the kill together;
 *   (e) every session whose sign-out answered 204 stays signed out;
 *   (f) a new address then signs in end to end (request, mail, verify), which also warms the
 *       restarted process's mail pool before the next load.
 * Load that waits for mail signs live sessions out (a write that deletes); the last 30 % of the
 * window is a burst of everything at once.
 * A verify that was in flight at the kill may or may not have been applied: its code may answer
 * 200 (once) or 401 after the restart. Mail leaves after the answer, so a code that arrived
 * proves its sequence was acknowledged as written.
 *
 * CRASH_SEED=n reproduces the random choices (not the timing); CRASH_ITERATIONS=n changes how
 * many kills the chained test makes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCli } from '../../testing/cli-process.ts';
import { crashKit, type Ledger, type Sessions } from '../../testing/crash-under-load.ts';
import { startSmtpSink, type SmtpSink } from '../../testing/smtp-sink.ts';

const CHAINED_ITERATIONS = Number(process.env.CRASH_ITERATIONS ?? 15);
const FRESH_ITERATIONS = 5;
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);

// A 4 KB compaction threshold makes the store write a new snapshot every few dozen requests, so
// kills also land in the middle of compactions (the default, 8 MB, is never reached here).
const ENV = { RATE_LIMITS: 'off', JSON_COMPACT_BYTES: '4096' };

let smtp: SmtpSink;
const workDirs: string[] = [];

before(async () => {
  smtp = await startSmtpSink();
});
after(async () => {
  await smtp.close();
  for (const dir of workDirs) await rm(dir, { recursive: true, force: true });
});

async function newDataFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pl-crash-'));
  workDirs.push(dir);
  return join(dir, 'data', 'passwordless.json');
}

/** The kit on the data file of the moment: the fresh-file test moves to a new one per kill. */
function jsonCrashKit() {
  const state = { dataFile: '' };
  const start = () => startCli({ dataFile: state.dataFile, env: { ...ENV, SMTP_URL: smtp.url } });
  const kit = crashKit({
    smtp,
    seed: SEED,
    restart: start,
    async afterKill() {
      // (a) The snapshot is whole JSON (it is replaced by rename, never written in place); the
      // restart then shows the store opens again: no store error, no stale lock.
      const text = await readFile(state.dataFile, 'utf8');
      assert.doesNotThrow(() => JSON.parse(text), `(a) ${state.dataFile} does not parse after kill -9 (${text.length} bytes)`);
    },
  });
  return { kit, state, start };
}

describe(`kill -9 under load (seed ${SEED})`, () => {
  // Longer than test:server's 60 s default on a busy machine; each kill and restart takes 2–4 s.
  it(`keeps every acknowledged code and session, and no code works twice, over ${CHAINED_ITERATIONS} kills of one data file`, { timeout: 180_000 }, async (t) => {
    const { kit, state, start } = jsonCrashKit();
    state.dataFile = await newDataFile();
    const sessions: Sessions = { live: new Set(), ended: new Set() };
    const ledgers: Ledger[] = [];
    let server = await start();
    await kit.signInThroughMail(server, `warm-first-s${SEED}@example.com`, sessions);
    try {
      for (let i = 0; i < CHAINED_ITERATIONS; i++) {
        const ledger = kit.newLedger(i);
        ledgers.push(ledger);
        server = await kit.crashIteration(t, server, ledger, sessions);
      }
    } finally {
      const exit = await server.stop();
      t.diagnostic(`graceful stop after the last restart: code ${exit.code}`);
    }
    t.diagnostic(`sessions over all kills: ${sessions.live.size} live, ${sessions.ended.size} signed out`);
    kit.assertLedgers(ledgers);
  });

  it(`survives a kill in the first moments of a new data file, ${FRESH_ITERATIONS} times`, { timeout: 90_000 }, async (t) => {
    const { kit, state, start } = jsonCrashKit();
    const ledgers: Ledger[] = [];
    for (let i = 0; i < FRESH_ITERATIONS; i++) {
      state.dataFile = await newDataFile();
      const ledger = kit.newLedger(100 + i);
      ledgers.push(ledger);
      const sessions: Sessions = { live: new Set(), ended: new Set() };
      const server = await start();
      await kit.signInThroughMail(server, `warm-fresh-${i}-s${SEED}@example.com`, sessions);
      const restarted = await kit.crashIteration(t, server, ledger, sessions);
      await restarted.kill();
    }
    kit.assertLedgers(ledgers);
  });
});
