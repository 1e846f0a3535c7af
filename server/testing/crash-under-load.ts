/**
 * The load-and-kill machinery of the kill -9 tests, for any store: concurrent code requests,
 * verifies of the codes that arrived by mail and sign-outs against the real CLI, `kill -9` with
 * requests in flight, a restart, then the checks (b)–(f) below against the restarted server. The
 * store's own test supplies how to start the server again and what to check of what it left
 * after a kill (a). The JSON store's and PostgreSQL's crash tests both run on it.
 *
 *   (b) every session whose verify answered 200 (in this or any earlier run) is live;
 *   (c) every code that arrived by mail is usable exactly once (200, then 401), unless it was
 *       used by a verify that answered 200 before the kill (then 401 at once);
 *   (d) no code gives two sessions: at most one 200 per code, before and after the kill together;
 *   (e) every session whose sign-out answered 204 stays signed out;
 *   (f) a new address then signs in end to end (request, mail, verify).
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { getJson, postJson } from './api-client.ts';
import type { CliProcess } from './cli-process.ts';
import { codeIn, type SmtpSink } from './smtp-sink.ts';
import { seededRandom } from './seeded-random.ts';

const IN_FLIGHT = 32;
/** How long the load runs before each kill, by default: 100–600 ms. */
const LOAD_MS: readonly [number, number] = [100, 600];
/** Share of steps that verify a received code rather than request a new one. */
const VERIFY_SHARE = 0.55;
/**
 * Requests answered whose mail has not arrived yet, at most: mail leaves after the answer through
 * a pool of 8 SMTP connections, so unbounded requests would leave nearly every code unmailed at
 * the kill and the verifies, (c) and (d) would have little to check.
 */
const MAX_AWAITING_MAIL = 12;
/**
 * The last part of the load lifts that bound: every worker sends, the server saturates, and the
 * kill finds most of the IN_FLIGHT requests in flight. Codes held back until then are verified in
 * the burst, so sessions are acknowledged in the last milliseconds before the kill: a store that
 * answers before its write is on its way loses exactly those.
 */
const BURST_SHARE = 0.3;
const BURST_RESERVE = 8;
/** Share of idle steps (bound reached, no code to verify) that pause instead of signing a session out. */
const IDLE_SHARE = 0.7;
/** Share of verifies that leave the code available for a second, concurrent verify. */
const DOUBLE_VERIFY_SHARE = 0.25;
/** Sessions signed out under earlier kills that are checked again after each later one. */
const ENDED_SAMPLE = 16;
export type Outcome = number | 'no answer';

export interface CodeEntry {
  email: string;
  code: string;
  /** Outcomes of the verifies sent during the load, in the order they were sent. */
  verifies: Outcome[];
}

export interface Ledger {
  iteration: number;
  loadMs: number;
  requests: Outcome[];
  /** email → the code that arrived for it. */
  codes: Map<string, CodeEntry>;
  /** Session tokens from verifies that answered 200 during the load. */
  sessions: string[];
  /** Sign-outs sent during the load: a deleted session is a write as well. */
  logouts: { token: string; outcome: Outcome }[];
  inFlightAtKill: number;
  writesInFlightAtKill: number;
  violations: string[];
}

/** Sessions known live (verify answered 200) and known ended (logout answered 204), across kills. */
export interface Sessions {
  live: Set<string>;
  ended: Set<string>;
}

export interface CrashKitOptions {
  smtp: SmtpSink;
  seed: number;
  /** Starts the server again on the same store after a kill. */
  restart(): Promise<CliProcess>;
  /** (a) What the store left behind is whole, checked before the restart. */
  afterKill?(): Promise<void>;
  /** The load's window before each kill, [min, max] ms: long enough for codes to be mailed and used. */
  loadMs?: readonly [number, number];
}

export function crashKit(options: CrashKitOptions) {
  const { smtp } = options;
  const SEED = options.seed;
  const random = seededRandom(SEED);
  let mailCursor = 0;
  const [MIN_LOAD_MS, MAX_LOAD_MS] = options.loadMs ?? LOAD_MS;

  /** Codes from mail that arrived since the last call, for addresses of this ledger. */
  function takeNewMail(ledger: Ledger): CodeEntry[] {
    const fresh: CodeEntry[] = [];
    for (; mailCursor < smtp.received.length; mailCursor++) {
      const mail = smtp.received[mailCursor]!;
      const email = mail.envelopeTo[0]!;
      if (!email.startsWith(`i${ledger.iteration}-`) || ledger.codes.has(email)) continue;
      const entry: CodeEntry = { email, code: codeIn(mail), verifies: [] };
      ledger.codes.set(email, entry);
      fresh.push(entry);
    }
    return fresh;
  }

  interface Answer {
    outcome: Outcome;
    body: any;
  }

  /** One HTTP call; a connection that dies with the server is 'no answer' (maybe applied, maybe not). */
  async function call(url: string, init: RequestInit): Promise<Answer> {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
      const text = await response.text();
      return { outcome: response.status, body: response.status === 200 ? JSON.parse(text) : text };
    } catch {
      return { outcome: 'no answer', body: null };
    }
  }
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** Runs the load on `server` for `ledger.loadMs`, then kills it with requests in flight. */
  async function loadThenKill(server: CliProcess, ledger: Ledger, sessions: Sessions): Promise<void> {
    const api = `${server.url}/auth`;
    const queue: CodeEntry[] = [];
    let killed = false;
    let inFlight = 0;
    let writesInFlight = 0;
    let sent = 0;

    const send = async (write: boolean, url: string, init: RequestInit): Promise<Answer> => {
      inFlight++;
      if (write) writesInFlight++;
      try {
        return await call(url, init);
      } finally {
        inFlight--;
        if (write) writesInFlight--;
      }
    };

    const verify = async (entry: CodeEntry) => {
      if (entry.verifies.length === 0 && random() < DOUBLE_VERIFY_SHARE) queue.push(entry);
      const index = entry.verifies.push('no answer') - 1;
      const { outcome, body } = await send(true, `${api}/verify`, postInit({ email: entry.email, code: entry.code }));
      entry.verifies[index] = outcome;
      if (outcome === 200) {
        ledger.sessions.push(body.session.token);
        sessions.live.add(body.session.token);
      } else if (outcome !== 401 && outcome !== 'no answer') ledger.violations.push(`load: verify of ${entry.email} answered ${outcome}: ${body}`);
    };

    const request = async () => {
      const email = `i${ledger.iteration}-${sent++}-s${SEED}@example.com`;
      const index = ledger.requests.push('no answer') - 1;
      const { outcome, body } = await send(true, `${api}/request`, postInit({ email }));
      ledger.requests[index] = outcome;
      if (outcome !== 202 && outcome !== 'no answer') ledger.violations.push(`load: request for ${email} answered ${outcome}: ${body}`);
    };

    /** Signs a random live session out. */
    const logout = async () => {
      const token = [...sessions.live][Math.floor(random() * sessions.live.size)]!;
      sessions.live.delete(token);
      const entry = { token, outcome: 'no answer' as Outcome };
      ledger.logouts.push(entry);
      const { outcome, body } = await send(true, `${api}/logout`, { method: 'POST', headers: bearer(token) });
      entry.outcome = outcome;
      if (outcome === 204) sessions.ended.add(token);
      else if (outcome !== 'no answer') ledger.violations.push(`load: logout answered ${outcome}: ${body}`);
    };

    const step = async () => {
      queue.push(...takeNewMail(ledger));
      if (Date.now() >= burstAt) {
        // The burst: the codes held back and sign-outs first, so writes are acknowledged up to the kill.
        if (queue.length > 0) await verify(queue.shift()!);
        else if (sessions.live.size > 0 && random() < 0.5) await logout();
        else await request();
        return;
      }
      const awaitingMail = ledger.requests.length - ledger.codes.size;
      if (queue.length > BURST_RESERVE && random() < VERIFY_SHARE) await verify(queue.shift()!);
      else if (awaitingMail < MAX_AWAITING_MAIL) await request();
      else if (sessions.live.size > 0 && random() > IDLE_SHARE) await logout();
      // A poll interval, not a wait for readiness: reads in a tight loop would starve the mail.
      else await new Promise((resolve) => setTimeout(resolve, 2));
    };
    const burstAt = Date.now() + ledger.loadMs * (1 - BURST_SHARE);
    const workers = Array.from({ length: IN_FLIGHT }, async () => {
      while (!killed) await step();
    });
    // The one intended delay: how long the load runs before the crash.
    await new Promise((resolve) => setTimeout(resolve, ledger.loadMs));
    killed = true;
    ledger.inFlightAtKill = inFlight;
    ledger.writesInFlightAtKill = writesInFlight;
    await server.kill();
    await Promise.all(workers);
    // Mail the server handed over before dying may still be parsed by the sink: it counts too.
    takeNewMail(ledger);
  }

  const postInit = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  /** In groups of IN_FLIGHT, so the checks do not open hundreds of connections at once. */
  async function inGroups<T>(items: readonly T[], check: (item: T) => Promise<void>): Promise<void> {
    for (let i = 0; i < items.length; i += IN_FLIGHT) await Promise.all(items.slice(i, i + IN_FLIGHT).map(check));
  }

  interface CheckCounts {
    survived: number;
    usedBefore: number;
    inFlightApplied: number;
    inFlightLost: number;
    /**
     * A verify answered 401 (its twin used the code) while the twin got no answer, and the code
     * still worked after the restart: the refusal was told from a use not yet on disk. No code
     * gave two sessions, so this is counted, not failed.
     */
    refusedThenUsable: number;
    sessionsLive: number;
    sessionsEnded: number;
  }

  /** (b)–(e) against the restarted server; the sessions its own verifies create join `sessions.live`. */
  async function checkAfterRestart(server: CliProcess, ledger: Ledger, sessions: Sessions): Promise<CheckCounts> {
    const api = `${server.url}/auth`;
    const counts: CheckCounts = { survived: 0, usedBefore: 0, inFlightApplied: 0, inFlightLost: 0, refusedThenUsable: 0, sessionsLive: 0, sessionsEnded: 0 };

    // (b) Every acknowledged session, of this run and every earlier one on this file, is live;
    // (e) every acknowledged sign-out stays done.
    await inGroups([...sessions.live], async (token) => {
      const answer = await getJson(`${api}/session`, bearer(token));
      counts.sessionsLive++;
      if (answer.status !== 200) ledger.violations.push(`(b) session ${token.slice(0, 8)}… acknowledged before a kill answers ${answer.status} after the restart`);
    });
    // Sign-outs of this load, and a sample of earlier ones (they were checked after their own kill).
    const endedNow = new Set(ledger.logouts.filter((l) => l.outcome === 204).map((l) => l.token));
    const endedBefore = [...sessions.ended].filter((token) => !endedNow.has(token));
    const sample = Array.from({ length: Math.min(ENDED_SAMPLE, endedBefore.length) }, () => endedBefore[Math.floor(random() * endedBefore.length)]!);
    await inGroups([...endedNow, ...sample], async (token) => {
      const answer = await getJson(`${api}/session`, bearer(token));
      counts.sessionsEnded++;
      if (answer.status !== 401) ledger.violations.push(`(e) session ${token.slice(0, 8)}… signed out (204) before a kill answers ${answer.status} after the restart`);
    });

    // (c), (d) Every code that arrived by mail.
    await inGroups([...ledger.codes.values()], async (entry) => {
      const acknowledged = entry.verifies.filter((o) => o === 200).length;
      const unanswered = entry.verifies.includes('no answer');
      const refused = entry.verifies.filter((o) => o === 401).length;
      const history = entry.verifies.join(', ');
      if (acknowledged > 1) ledger.violations.push(`(d) code for ${entry.email} gave ${acknowledged} sessions before the kill`);
      // Codes are correct and rate limits are off: a 401 means another verify used the code.
      if (refused > 0 && acknowledged === 0 && !unanswered) ledger.violations.push(`load: the correct code for ${entry.email} was refused (${history}) with no other verify of it`);

      const first = await postJson(`${api}/verify`, { email: entry.email, code: entry.code });
      if (acknowledged > 0) {
        if (first.status === 200) ledger.violations.push(`(d) code for ${entry.email} used before the kill (${history}) gave a second session after the restart`);
        else if (first.status !== 401) ledger.violations.push(`(d) code for ${entry.email} used before the kill answers ${first.status}, not 401`);
        else counts.usedBefore++;
      } else if (unanswered) {
        if (first.status === 200) {
          counts.inFlightLost++;
          if (refused > 0) counts.refusedThenUsable++;
        }
        else if (first.status === 401) counts.inFlightApplied++;
        else ledger.violations.push(`(c) code for ${entry.email} with a verify in flight at the kill answers ${first.status}`);
      } else if (first.status !== 200) {
        ledger.violations.push(`(c) code for ${entry.email} arrived by mail (sequence acknowledged), never used, answers ${first.status} after the restart: ${JSON.stringify(first.body)}`);
      } else {
        counts.survived++;
      }
      if (first.status === 200) {
        sessions.live.add(first.body.session.token);
        const second = await postJson(`${api}/verify`, { email: entry.email, code: entry.code });
        if (second.status !== 401) ledger.violations.push(`(c) code for ${entry.email} works twice after the restart (second verify: ${second.status})`);
      }
    });
    return counts;
  }

  /**
   * (f) The server (just started or restarted) signs a new address in end to end: request, mail,
   * verify. It also warms the mail pool and templates, so the load's short window is not spent
   * on the first mail of a cold process.
   */
  async function signInThroughMail(server: CliProcess, email: string, sessions: Sessions): Promise<void> {
    const api = `${server.url}/auth`;
    const asked = await postJson(`${api}/request`, { email });
    assert.equal(asked.status, 202, `(f) request for ${email} after the start: ${JSON.stringify(asked.body)}`);
    const deadline = Date.now() + 10_000;
    let mail = smtp.received.find((m) => m.envelopeTo[0] === email);
    while (!mail) {
      assert.ok(Date.now() < deadline, `(f) no mail for ${email} within 10 s`);
      // A poll interval, bounded by the deadline.
      await new Promise((resolve) => setTimeout(resolve, 5));
      mail = smtp.received.find((m) => m.envelopeTo[0] === email);
    }
    const verified = await postJson(`${api}/verify`, { email, code: codeIn(mail) });
    assert.equal(verified.status, 200, `(f) verify for ${email} after the start: ${JSON.stringify(verified.body)}`);
    sessions.live.add(verified.body.session.token);
  }

  function newLedger(iteration: number): Ledger {
    return {
      iteration,
      loadMs: MIN_LOAD_MS + Math.floor(random() * (MAX_LOAD_MS - MIN_LOAD_MS + 1)),
      requests: [],
      codes: new Map(),
      sessions: [],
      logouts: [],
      inFlightAtKill: 0,
      writesInFlightAtKill: 0,
      violations: [],
    };
  }

  const tally = (outcomes: Outcome[]) => {
    const counts: Record<string, number> = {};
    for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
    return (
      Object.entries(counts)
        .map(([k, v]) => `${k}:${v}`)
        .join(' ') || '-'
    );
  };

  /** One kill and restart; returns the restarted server. */
  async function crashIteration(t: TestContext, server: CliProcess, ledger: Ledger, sessions: Sessions): Promise<CliProcess> {
    const started = Date.now();
    const lap = (() => {
      let last = started;
      return () => {
        const now = Date.now();
        const ms = now - last;
        last = now;
        return ms;
      };
    })();
    await loadThenKill(server, ledger, sessions);
    const loadMs = lap();

    // (a) What the store left on disk is whole, and it opens again (no store error, no stale lock).
    await options.afterKill?.();
    const restarted = await options.restart();
    const restartMs = lap();
    const counts = await checkAfterRestart(restarted, ledger, sessions);
    const checkMs = lap();
    await signInThroughMail(restarted, `warm-after-${ledger.iteration}-s${SEED}@example.com`, sessions);
    const warmMs = lap();

    const verifies = [...ledger.codes.values()].flatMap((e) => e.verifies);
    t.diagnostic(
      `#${ledger.iteration} load ${ledger.loadMs} ms, in flight at kill ${ledger.inFlightAtKill} (writes ${ledger.writesInFlightAtKill}); requests ${tally(ledger.requests)}; ` +
        `mails ${ledger.codes.size}; verifies ${tally(verifies)}; logouts ${tally(ledger.logouts.map((l) => l.outcome))}; ` +
        `after restart: codes survived ${counts.survived}, used before ${counts.usedBefore}, in-flight verify applied ${counts.inFlightApplied} / not ${counts.inFlightLost} (after a 401 ${counts.refusedThenUsable}); ` +
        `sessions live ${counts.sessionsLive}, ended ${counts.sessionsEnded}; violations ${ledger.violations.length}; ` +
        `${Date.now() - started} ms (load+kill ${loadMs}, restart ${restartMs}, checks ${checkMs}, sign-in ${warmMs})`,
    );
    for (const violation of ledger.violations) t.diagnostic(`  #${ledger.iteration} ${violation}`);
    return restarted;
  }

  function assertLedgers(ledgers: Ledger[]): void {
    const violations = ledgers.flatMap((l) => l.violations.map((v) => `#${l.iteration} ${v}`));
    assert.deepEqual(violations, [], `seed ${SEED}`);
    // The load must have reached what the checks are about, or they proved nothing.
    const missed = ledgers.filter((l) => l.writesInFlightAtKill === 0).map((l) => l.iteration);
    assert.deepEqual(missed, [], 'every kill must hit writes in flight');
    const verified = ledgers.flatMap((l) => [...l.codes.values()]).filter((e) => e.verifies.includes(200)).length;
    assert.ok(verified >= ledgers.length, `only ${verified} codes were acknowledged as used over ${ledgers.length} kills`);
  }

  return { newLedger, crashIteration, signInThroughMail, assertLedgers };
}
