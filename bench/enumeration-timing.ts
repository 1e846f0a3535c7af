/**
 * Enumeration timing benchmark (docs/login-rules.md, the "no enumeration" rule): can an
 * attacker tell a known email from an unknown one by how long POST /auth/request and
 * POST /auth/verify (wrong code) take? It prints figures; it never fails on timing.
 *
 *   npm run bench:enumeration -- [--samples 400] [--seed 12345] [--warmup 50]
 *
 * Set-up: a real SMTP sink here, the real backend in a child process (bench/server-process.ts)
 * with RATE_LIMITS=off and SMTP_URL pointing at the sink, so every mail really goes out over
 * SMTP. Known users are made by really signing in (request, read the code from the sink,
 * verify). Rows, each with N known and N unknown samples interleaved in a random order (drift
 * hits both alike), one fresh email per sample:
 *   (1) request, (2) verify with a wrong code (on the emails of row 1), USER_CREATION=true;
 *   (3) and (4): the same on a second server, USER_CREATION=false, same data file.
 * The machine is 2 shared cores: read ratios and KS within one run, not absolute milliseconds
 * across runs (docs/contributing.md#ratios-not-absolutes).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeIn, startSmtpSink, type ReceivedMail, type SmtpSink } from '../server/testing/smtp-sink.ts';
import type { ServerTimings } from './server-process.ts';
import { ksTest, medianDiffInterval, prng, shuffle, summarize, type Summary } from './stats.ts';

// ---------------------------------------------------------------------------------------------
// Options

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} wants a whole number`);
  return value;
}
const N = option('samples', 400);
const SEED = option('seed', randomBytes(4).readUInt32BE(0));
const WARMUP = option('warmup', 50);
const SETUP_CONCURRENCY = 8;
const random = prng(SEED);

// ---------------------------------------------------------------------------------------------
// HTTP: one keep-alive socket for the timed calls, a few for the set-up.

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

const timedAgent = new Agent({ keepAlive: true, maxSockets: 1 });
const setupAgent = new Agent({ keepAlive: true, maxSockets: SETUP_CONCURRENCY });

function post(url: string, payload: unknown, agent: Agent): Promise<Answer> {
  const data = Buffer.from(JSON.stringify(payload));
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = httpRequest(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': data.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** What an attacker can compare: status, body and headers, without those that vary by nature. */
const VARYING = new Set(['date', 'content-length']);
function shape(answer: Answer): string {
  const headers = Object.entries(answer.headers)
    .filter(([name]) => !VARYING.has(name))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify({ status: answer.status, body: answer.body, headers });
}

// ---------------------------------------------------------------------------------------------
// The server in a child process

interface ServerHandle {
  url: string;
  api(path: string): string;
  phase(name: string): Promise<void>;
  timings(): Promise<ServerTimings>;
  close(): Promise<void>;
}

function waitFor(child: ChildProcess, type: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: any) => {
      if (message.type === type) {
        child.off('message', onMessage);
        resolve(message);
      } else if (message.type === 'error') {
        child.off('message', onMessage);
        reject(new Error(`server process: ${message.error}`));
      }
    };
    child.on('message', onMessage);
  });
}

async function startServer(env: Record<string, string>, dataFile: string): Promise<ServerHandle> {
  const child = fork(fileURLToPath(new URL('./server-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = waitFor(child, 'ready');
  child.send({ type: 'start', env, dataFile });
  const { url } = await ready;
  return {
    url,
    api: (path) => `${url}/auth${path}`,
    async phase(name) {
      const done = waitFor(child, 'phase');
      child.send({ type: 'phase', name });
      await done;
    },
    async timings() {
      const done = waitFor(child, 'timings');
      child.send({ type: 'timings' });
      return (await done).timings;
    },
    async close() {
      timedAgent.destroy();
      setupAgent.destroy();
      const done = waitFor(child, 'closed');
      child.send({ type: 'close' });
      await done;
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Mail and sign-in

/** Mail by recipient, read from the sink as it arrives. */
function mailbox(sink: SmtpSink): (email: string, timeoutMs?: number) => Promise<ReceivedMail> {
  const byRecipient = new Map<string, ReceivedMail[]>();
  let seen = 0;
  const take = (email: string) => {
    for (; seen < sink.received.length; seen++) {
      const mail = sink.received[seen]!;
      for (const to of mail.envelopeTo) {
        const list = byRecipient.get(to.toLowerCase()) ?? [];
        list.push(mail);
        byRecipient.set(to.toLowerCase(), list);
      }
    }
    return byRecipient.get(email)?.shift();
  };
  return async (email, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = take(email);
      if (mail) return mail;
      if (Date.now() > deadline) throw new Error(`no mail for ${email} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
}

async function signIn(server: ServerHandle, mailFor: (email: string) => Promise<ReceivedMail>, email: string): Promise<void> {
  const requested = await post(server.api('/request'), { email }, setupAgent);
  if (requested.status !== 202) throw new Error(`sign-in request for ${email}: ${requested.status} ${requested.body}`);
  const code = codeIn(await mailFor(email));
  const verified = await post(server.api('/verify'), { email, code }, setupAgent);
  if (verified.status !== 200) throw new Error(`sign-in verify for ${email}: ${verified.status} ${verified.body}`);
}

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Same length and alphabet for every address, so the body size never tells the classes apart. */
function freshEmails(count: number): string[] {
  return Array.from({ length: count }, () => `${randomBytes(6).toString('hex')}@bench.example.com`);
}

// ---------------------------------------------------------------------------------------------
// Measuring

type Kind = 'known' | 'unknown';
interface Sample {
  kind: Kind;
  email: string;
}
interface Row {
  title: string;
  phase: string;
  known: number[];
  unknown: number[];
  pairEqual: boolean;
  pairShapes: [string, string];
  shapes: { known: Set<string>; unknown: Set<string> };
  statuses: string;
  steps: string[];
}

/** N known and N unknown samples in one random order. */
function interleave(known: string[], unknown: string[]): Sample[] {
  return shuffle([...known.map((email): Sample => ({ kind: 'known', email })), ...unknown.map((email): Sample => ({ kind: 'unknown', email }))], random);
}

async function measure(
  server: ServerHandle,
  title: string,
  phase: string,
  samples: Sample[],
  call: (email: string) => Promise<Answer>,
  steps: string[],
): Promise<Row> {
  await server.phase(phase);
  const row: Row = { title, phase, known: [], unknown: [], pairEqual: false, pairShapes: ['', ''], shapes: { known: new Set(), unknown: new Set() }, statuses: '', steps };
  const first: Partial<Record<Kind, string>> = {};
  const statuses = new Map<number, number>();
  for (const sample of samples) {
    const answer = await call(sample.email);
    row[sample.kind].push(answer.ms);
    const s = shape(answer);
    row.shapes[sample.kind].add(s);
    first[sample.kind] ??= s;
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  }
  row.pairShapes = [first.known ?? '', first.unknown ?? ''];
  row.pairEqual = first.known !== undefined && first.known === first.unknown;
  row.statuses = [...statuses].map(([status, count]) => `${count}× ${status}`).join(', ');
  await server.phase('idle');
  return row;
}

// ---------------------------------------------------------------------------------------------
// Printing

const f = (ms: number) => ms.toFixed(3).padStart(8);

function printRow(row: Row, timings: ServerTimings, kindOf: Map<string, Kind>): void {
  const known = summarize(row.known);
  const unknown = summarize(row.unknown);
  const { d, p } = ksTest(row.known, row.unknown);
  const line = (label: string, s: Summary) => `  ${label.padEnd(8)} ${String(s.count).padStart(6)} ${f(s.mean)} ${f(s.p50)} ${f(s.p90)} ${f(s.p99)}`;
  console.log(`\n${row.title}`);
  console.log(`  ${''.padEnd(8)} ${'count'.padStart(6)} ${'mean'.padStart(8)} ${'p50'.padStart(8)} ${'p90'.padStart(8)} ${'p99'.padStart(8)}   (ms, client-side)`);
  console.log(line('known', known));
  console.log(line('unknown', unknown));
  const delta = (known.p50 - unknown.p50) * 1000;
  const [low, high] = medianDiffInterval(row.known, row.unknown, prng(SEED ^ 0x5eed));
  const us = (ms: number) => `${ms >= 0 ? '+' : ''}${(ms * 1000).toFixed(0)}`;
  console.log(
    `  ratio of medians known/unknown: ${(known.p50 / unknown.p50).toFixed(3)} (Δp50 ${us(delta / 1000)} µs, bootstrap 95% [${us(low)}, ${us(high)}] µs)   KS D=${d.toFixed(3)} p=${formatP(p)}`,
  );
  console.log(`  verdict: ${verdict(p)}`);
  const allSame = row.shapes.known.size === 1 && row.shapes.unknown.size === 1 && row.pairEqual;
  console.log(
    `  answers: ${row.statuses}; one known/unknown pair ${row.pairEqual ? 'EQUAL' : 'DIFFERENT'} in status, body, headers (without Date, Content-Length); ` +
      `all ${row.known.length + row.unknown.length}: ${allSame ? 'one shape' : `${row.shapes.known.size} known / ${row.shapes.unknown.size} unknown shapes`}`,
  );
  if (!row.pairEqual) console.log(`    known:   ${row.pairShapes[0]}\n    unknown: ${row.pairShapes[1]}`);
  // Where the time goes on the server (hrtime inside the server process, per call).
  const byKey = timings[row.phase] ?? {};
  const parts: string[] = [];
  for (const step of row.steps) {
    const values: Record<Kind, number[]> = { known: [], unknown: [] };
    for (const [key, stepTimes] of Object.entries(byKey)) {
      const kind = kindOf.get(key);
      if (kind && stepTimes[step]) values[kind].push(...stepTimes[step]);
    }
    if (values.known.length + values.unknown.length === 0) continue;
    const k = summarize(values.known);
    const u = summarize(values.unknown);
    const ks = ksTest(values.known, values.unknown);
    parts.push(`${step} ${k.p50.toFixed(3)}/${u.p50.toFixed(3)} (KS p=${formatP(ks.p)})`);
  }
  if (parts.length) console.log(`  server-side p50 known/unknown (ms, hrtime in the server process):\n    ${parts.join('\n    ')}`);
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

function verdict(p: number): string {
  if (p < 0.01) return `DIFFERENT (KS p=${formatP(p)}): investigate`;
  if (p < 0.05) return `borderline (KS p=${formatP(p)}): run again before concluding`;
  return `indistinguishable at this sample size (KS p=${formatP(p)})`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`enumeration timing: N=${N} per class per row, seed=${SEED}, warm-up ${WARMUP} calls per row; node ${process.version}`);
  const sink = await startSmtpSink();
  const mailFor = mailbox(sink);
  const dir = await mkdtemp(join(tmpdir(), 'passwordless-bench-'));
  const dataFile = join(dir, 'passwordless.json');
  const baseEnv = { SMTP_URL: sink.url, RATE_LIMITS: 'off' };
  const kindOf = new Map<string, Kind>();
  const rows: { row: Row; timings: ServerTimings }[] = [];
  const warmKnownCount = Math.min(WARMUP, 20);

  try {
    // Server A (USER_CREATION=true): make every known user, for both servers, by signing in.
    let server = await startServer({ ...baseEnv, USER_CREATION: 'true' }, dataFile);
    const knownA = freshEmails(N);
    const knownB = freshEmails(N);
    const warmKnownA = freshEmails(warmKnownCount);
    const warmKnownB = freshEmails(warmKnownCount);
    const everyone = [...knownA, ...knownB, ...warmKnownA, ...warmKnownB];
    const t0 = Date.now();
    await inParallel(everyone, SETUP_CONCURRENCY, (email) => signIn(server, mailFor, email));
    console.log(`signed in ${everyone.length} known users over HTTP + SMTP in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const zeros = '0'.repeat(6);
    for (const [label, known, warmKnown] of [
      ['USER_CREATION=true', knownA, warmKnownA],
      ['USER_CREATION=false', knownB, warmKnownB],
    ] as const) {
      if (label === 'USER_CREATION=false') {
        await server.close();
        server = await startServer({ ...baseEnv, USER_CREATION: 'false' }, dataFile);
      }
      const current = server;
      const unknown = freshEmails(N);
      for (const email of known) kindOf.set(email, 'known');
      for (const email of unknown) kindOf.set(email, 'unknown');
      const request = (email: string) => post(current.api('/request'), { email }, timedAgent);
      const verify = (email: string) => post(current.api('/verify'), { email, code: zeros }, timedAgent);

      // Warm-up: both routes, both classes (JIT, sockets, the SMTP connection path).
      await current.phase('warmup');
      const warmUnknown = freshEmails(WARMUP);
      for (const sample of interleave(warmKnown, warmUnknown)) {
        await request(sample.email);
        await verify(sample.email);
      }

      const requestOrder = interleave(known, unknown);
      const requestRow = await measure(current, `POST /auth/request, ${label}`, `request ${label}`, requestOrder, request, [
        'service.requestLogin',
        'store.findUserByEmailKey',
        'store.updateLogin',
      ]);
      // Verify on the same emails (each now holds one live code, as after a real request), in a new order.
      const verifyRow = await measure(current, `POST /auth/verify (wrong code), ${label}`, `verify ${label}`, interleave(known, unknown), verify, [
        'service.verifyCode',
        'store.updateLogin',
      ]);
      const timings = await current.timings();
      rows.push({ row: requestRow, timings }, { row: verifyRow, timings });
    }
    await server.close();
  } finally {
    await sink.close();
    await rm(dir, { recursive: true, force: true });
  }

  rows.forEach(({ row, timings }, i) => {
    row.title = `(${i + 1}) ${row.title}`;
    printRow(row, timings, kindOf);
  });
  console.log(`\nmails received by the sink: ${sink.received.length}; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

await main();
