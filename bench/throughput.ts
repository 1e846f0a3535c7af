/**
 * Throughput benchmark: requests/s, p50 and p99 of POST /auth/request and POST /auth/verify with
 * distinct emails, at a small and a large number of stored users, for each store, beside a bare
 * Koa JSON echo route measured in the same run (the ratio to it is the figure to quote), and the
 * server's peak memory. It prints a table; it asserts nothing.
 *
 *   npm run bench                         1,000 and 100,000 users, 10 s per measurement
 *   npm run bench -- --quick              200 and 2,000 users, 1 s per measurement, one echo run (a smoke run)
 *   options: --store json|redis|postgres   one store only
 *            --users 100000       the large size only (with --quick: its large size)
 *            --profile            the servers run with --cpu-prof (files in bench/profiles/, with
 *                                 the phase boundaries: read them with bench/cpuprofile-summary.ts)
 *            --sink-here          the SMTP sink in this process instead of a third one
 *            --mail-delay-ms N    the sink holds each message N ms before accepting it: a slow relay (8
 *                                 pooled connections, so at most 8000/N mails a second), the overload run
 *            --mail-queue N       the server's MAIL_QUEUE_SIZE (default 10,000): with a slow sink, a queue
 *                                 that fills within the run, and 503 mail_busy beyond it
 *            --env A=1,B=2        more environment for the server (e.g. NODE_OPTIONS=--max-semi-space-size=2)
 *
 * Set-up, per store and size: N users are written through the store API before the server starts
 * (timed, printed); then the compiled server runs as operators run it (`passwordless-login serve`,
 * server/testing/cli-process.ts; `npm run build:server` first) with RATE_LIMITS=off and SMTP_URL
 * pointing at a real SMTP server in another process (bench/throughput-child.ts), so every request
 * renders and sends its mail over SMTP. Its mail counters are read from GET /metrics.
 * autocannon runs here: 50 connections, pipelining 1, a fresh email in every request body.
 *
 * - request: a warm-up, then D seconds of requests, each for an email never seen before.
 *   Mail leaves the server after the answer (off the request path), so a backlog can outlive the
 *   measurement: the time the sink needs to receive the last mail is printed ("mail drain"), and
 *   "incl. drain" is the mails the sink received from the start of the measurement to the end of
 *   the drain, over that time. The mail figures are the server's own counters and the sink's,
 *   read at the same two moments (bench/mail-account.ts): mails handed to the mailer, sent,
 *   failed, dropped by its bounded queue, still queued; autocannon's answers are only compared
 *   with them, since a request in flight when autocannon stops is mailed but never counted.
 * - verify: every code mailed during the request phase (read from the sink) is one verify of an
 *   email with its live code; the pool is consumed once (warm-up on the first tenth), and the
 *   measurement stops when it runs out or after D seconds.
 * - peak memory: VmHWM of the server child (/proc/<pid>/status), read before it closes.
 * - CPU: the share of one core that the server (with its mail worker), this process
 *   (autocannon), the sink and the database server (redis-server, or PostgreSQL's postmaster with
 *   its backends) used during each measurement: a server near 100 % is the bottleneck, as it
 *   should be. "× echo per core" divides answers a second by the server's and the database's
 *   share, over echo's answers a second by its server's share.
 *
 * The machine is 2 shared cores: compare ratios within one run, never absolute numbers across
 * runs (docs/contributing.md#ratios-not-absolutes).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonResult } from 'autocannon';
import { retentionFor } from '../server/login/retention.ts';
import { openJsonStore } from '../server/store/json/json-store.ts';
import { openPostgresStore } from '../server/store/postgres/postgres-store.ts';
import type { Store } from '../server/store/types.ts';
import { startTestPostgres } from '../server/testing/postgres-server.ts';
import { cpuProfileArgs, cpuSeconds, envOption, treeCpuSeconds, memoryMb, METRICS_TOKEN, readMetrics, seed, startChild as startBenchChild, type Child } from './bench-kit.ts';
import { startLeanSink } from './lean-smtp-sink.ts';
import { describeMailAccount, mailAccount, mailCountsFromMetrics, type MailAccount, type ServerMailCounts } from './mail-account.ts';
import { startCli } from '../server/testing/cli-process.ts';

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const value = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? undefined : argv[i + 1];
};
const QUICK = flag('quick');
const PROFILE = flag('profile');
const SINK_HERE = flag('sink-here');
const MAIL_DELAY_MS = Number(value('mail-delay-ms') ?? 0);
const MAIL_QUEUE = value('mail-queue');
const EXTRA_ENV = envOption(argv);
const ONLY_STORE = value('store');
const SIZES = value('users') ? [Number(value('users'))] : QUICK ? [200, 2_000] : [1_000, 100_000];
const DURATION_S = QUICK ? 1 : 10;
const WARMUP_S = QUICK ? 0.3 : 2;
const CONNECTIONS = 50;
const PIPELINING = 1;
const DRAIN_TIMEOUT_MS = 120_000;
/** No mail for this long means the rest was dropped by the server's bounded mail queue. */
const DRAIN_STALL_MS = 3_000;
const RUN = randomBytes(3).toString('hex');
const PROFILE_DIR = fileURLToPath(new URL('./profiles/', import.meta.url));

/** A child of bench/throughput-child.ts, with a CPU profile under --profile. */
function startChild(role: 'echo' | 'sink', start: object = {}, profileName?: string): Promise<Child> {
  return startBenchChild(role, start, PROFILE && profileName ? { dir: PROFILE_DIR, name: profileName } : undefined);
}

// ---------------------------------------------------------------------------------------------
// The SMTP sink: in a third process by default (--sink-here: in this one, beside autocannon)

interface Sink {
  url: string;
  pid: number;
  received(): Promise<number>;
  takeCodes(): Promise<[string, string][]>;
  close(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  if (SINK_HERE) {
    const sink = await startLeanSink({ acceptDelayMs: MAIL_DELAY_MS });
    return { url: sink.url, pid: process.pid, received: async () => sink.received(), takeCodes: async () => sink.takeCodes(), close: () => sink.close() };
  }
  const child = await startChild('sink', { acceptDelayMs: MAIL_DELAY_MS });
  return {
    url: child.url,
    pid: child.pid,
    received: async () => (await child.ask({ type: 'count' }, 'count')).received,
    takeCodes: async () => (await child.ask({ type: 'codes' }, 'codes')).codes,
    close: () => child.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Load

let emailCounter = 0;
/** An address never used before in this run (lower case: it is its own identity key). */
function freshEmail(): string {
  emailCounter += 1;
  return `b${RUN}-${emailCounter.toString(36)}@bench.example.com`;
}

interface Measured {
  reqPerSec: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  /** Answers by status, e.g. "401×3" (non-2xx only). */
  statuses: string;
  /** Share of one core used during the measurement. */
  cpu: { server: number; client: number; sink: number; db: number };
}

interface Pids {
  server: number;
  sink: number;
  /** The database server's process (Redis, or PostgreSQL's postmaster with its backends); NaN for the JSON file. */
  db: number;
}

async function load(
  url: string,
  path: string,
  body: () => string,
  options: { durationS: number; amount?: number },
  pids: Pids,
): Promise<Measured> {
  const before = { server: cpuSeconds(pids.server), client: cpuSeconds(process.pid), sink: cpuSeconds(pids.sink), db: treeCpuSeconds(pids.db), t: performance.now() };
  const instance = autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    timeout: 30,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationS }),
    requests: [
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: body() }),
      },
    ],
  });
  // With `amount` (the verify pool) autocannon has no time limit: stop it after the duration.
  const timer = options.amount ? setTimeout(() => instance.stop(), options.durationS * 1000) : null;
  const result: AutocannonResult = await instance;
  if (timer) clearTimeout(timer);
  const wall = (performance.now() - before.t) / 1000;
  const share = (pid: number, was: number, seconds = cpuSeconds) => (seconds(pid) - was) / wall;
  const ok = result['2xx'];
  return {
    reqPerSec: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
    statuses: Object.entries(result.statusCodeStats ?? {})
      .filter(([status]) => !status.startsWith('2'))
      .map(([status, { count }]) => `${status}×${count}`)
      .join(' '),
    // With --sink-here the sink's CPU is inside the client's.
    cpu: {
      server: share(pids.server, before.server),
      client: share(process.pid, before.client),
      sink: pids.sink === process.pid ? NaN : share(pids.sink, before.sink),
      db: share(pids.db, before.db, treeCpuSeconds),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Stores: how to make one with N users, and what the server needs to use it

interface PreparedStore {
  env: Record<string, string>;
  dataFile: string;
  seedSeconds: number;
  cleanup(): Promise<void>;
}

interface StoreKind {
  name: string;
  /** null when it can be measured, else why not. */
  missing: string | null;
  prepare(users: number): Promise<PreparedStore>;
}

const jsonStore: StoreKind = {
  name: 'JSON',
  missing: null,
  async prepare(users) {
    const dir = await mkdtemp(join(tmpdir(), 'passwordless-throughput-'));
    const dataFile = join(dir, 'passwordless.json');
    const t0 = performance.now();
    const store = await openJsonStore(dataFile);
    await seed(store, users);
    await store.close();
    return { env: {}, dataFile, seedSeconds: (performance.now() - t0) / 1000, cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
};

// The Redis store and its test server are being written beside this benchmark: they are loaded
// by path at run time, so the benchmark type-checks and runs (JSON only) without them.
const REDIS_FILES = ['../server/store/redis/redis-store.ts', '../server/testing/redis-server.ts', '../server/store/open-store.ts'].map((file) => new URL(file, import.meta.url));
/** A fixed SECRET: with REDIS_URL the server refuses to start without one. */
const BENCH_SECRET = 'throughput-benchmark-secret-0123456789abcdef';

const redisStore: StoreKind = {
  name: 'Redis',
  missing: REDIS_FILES.every((url) => existsSync(url)) ? null : 'not built yet (server/store/redis/redis-store.ts, server/store/open-store.ts, server/testing/redis-server.ts)',
  async prepare(users) {
    const [storeModule, serverModule]: any[] = await Promise.all(REDIS_FILES.slice(0, 2).map((url) => import(url.href)));
    const redis = await serverModule.startTestRedis();
    dbPids.add(processOn(redis.port, 'redis-server'));
    try {
      const t0 = performance.now();
      const store: Store = await storeModule.openRedisStore(redis.url, { retention: retentionFor({ codeTtlSeconds: 600, resendSeconds: 60 }) });
      await seed(store, users);
      await store.close();
      const seedSeconds = (performance.now() - t0) / 1000;
      // The server's DATA_FILE is unused with REDIS_URL (the secret comes from SECRET).
      return {
        env: { REDIS_URL: redis.url, SECRET: BENCH_SECRET },
        dataFile: join(tmpdir(), `passwordless-throughput-unused-${RUN}.json`),
        seedSeconds,
        cleanup: async () => {
          dbPids.clear();
          await redis.stop();
        },
      };
    } catch (error) {
      await redis.stop();
      throw error;
    }
  },
};

// PostgreSQL: a throwaway cluster as the tests start it, but with fsync on, as in production
// (the JSON store fsyncs every group commit too). Its CPU is the postmaster's with its backends
// (one process per connection), in the "db CPU" column.
const postgresStore: StoreKind = {
  name: 'PostgreSQL',
  missing: null,
  async prepare(users) {
    const postgres = await startTestPostgres({ fsync: true });
    dbPids.add(processOn(postgres.port, '/bin/postgres'));
    try {
      const t0 = performance.now();
      const store = await openPostgresStore(postgres.url, { retention: retentionFor({ codeTtlSeconds: 600, resendSeconds: 60 }) });
      await seed(store, users);
      await store.pool.query('ANALYZE');
      await store.close();
      return {
        env: { DATABASE_URL: postgres.url, SECRET: BENCH_SECRET, ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}) },
        dataFile: join(tmpdir(), `passwordless-throughput-unused-${RUN}.json`),
        seedSeconds: (performance.now() - t0) / 1000,
        cleanup: async () => {
          dbPids.clear();
          await postgres.stop();
        },
      };
    } catch (error) {
      await postgres.stop();
      throw error;
    }
  },
};

/** The database server's process (for its CPU share): Redis, or PostgreSQL's postmaster. */
const dbPids = new Set<number>();
/** The process whose command line names `program` and `port`, from /proc. */
function processOn(port: number, program: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      // redis-server renames its process to `redis-server 127.0.0.1:PORT`; the postmaster keeps `postgres -D … -p PORT`.
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(program) && (cmdline.includes(`:${port}`) || cmdline.includes(` ${port} `) || cmdline.includes(`-p ${port}`))) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return NaN;
}

// ---------------------------------------------------------------------------------------------
// One store at one size: request, then verify on the codes the request phase mailed

interface Scenario {
  store: string;
  users: number;
  seedSeconds: number;
  startSeconds: number;
  rssAfterStartMb: number;
  peakRssMb: number;
  request: Measured & { drainSeconds: number; inclDrain: number; account: MailAccount; drain: { mails: number; serverCpu: number } };
  verify: Measured & { pool: number };
}

async function scenario(kind: StoreKind, users: number, sink: Sink): Promise<Scenario> {
  const label = `${kind.name} ${users.toLocaleString('en')} users`;
  const prepared = await kind.prepare(users);
  console.log(`  ${label}: seeded in ${prepared.seedSeconds.toFixed(1)} s`);
  try {
    const t0 = performance.now();
    // The compiled command as operators run it (`passwordless-login serve`), not the sources
    // through tsx, whose loader alone adds about 40 MB to the RSS.
    const profileName = `${kind.name.toLowerCase()}-${users}`;
    const server = await startCli({
      dataFile: prepared.dataFile,
      env: { ...EXTRA_ENV, ...prepared.env, SMTP_URL: sink.url, RATE_LIMITS: 'off', METRICS_TOKEN, ...(MAIL_QUEUE ? { MAIL_QUEUE_SIZE: MAIL_QUEUE } : {}) },
      readyTimeoutMs: 120_000,
      nodeArgs: PROFILE ? cpuProfileArgs(PROFILE_DIR, profileName) : [],
    });
    const startSeconds = (performance.now() - t0) / 1000;
    const rssAfterStartMb = memoryMb(server.pid, 'VmRSS');
    const pids: Pids = { server: server.pid, sink: sink.pid, db: [...dbPids][0] ?? NaN };
    const requestBody = () => JSON.stringify({ email: freshEmail() });
    // Every mail figure is read from the server's counters and the sink's at the same two moments:
    // before the warm-up and at the end of the drain (bench/mail-account.ts).
    const serverMail = async (): Promise<ServerMailCounts> => {
      return mailCountsFromMetrics(await readMetrics(server.url));
    };
    const [mailBefore, sinkBefore] = [await serverMail(), await sink.received()];

    // Phase boundaries on the monotonic clock the CPU profile's timestamps use (µs).
    const marks: Record<string, number> = {};
    const mark = (name: string) => (marks[name] = Number(process.hrtime.bigint() / 1000n));

    // request
    const warm = await load(server.url, '/auth/request', requestBody, { durationS: WARMUP_S }, pids);
    const sinkAtMeasure = await sink.received();
    mark('request');
    const request = await load(server.url, '/auth/request', requestBody, { durationS: DURATION_S }, pids);
    mark('drain');
    const drainStart = performance.now();
    const serverCpuAtStop = cpuSeconds(server.pid);
    const sinkAtStop = await sink.received();
    // Wait until the server has an outcome for every mail it was handed (sent, failed, or dropped
    // by its bounded queue, logged, answer unchanged), or nothing has arrived for a while.
    let lastMailAt = drainStart;
    let mails = sinkAtStop;
    const queued = async () => mailAccount(mailBefore, await serverMail(), { before: 0, after: 0 }, 0).queued;
    while ((await queued()) > 0 && performance.now() - lastMailAt < DRAIN_STALL_MS && performance.now() - drainStart < DRAIN_TIMEOUT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const now = await sink.received();
      if (now > mails) lastMailAt = performance.now();
      mails = now;
    }
    const drainSeconds = (lastMailAt - drainStart) / 1000;
    mark('drain-end');
    const sinkAtEnd = await sink.received();
    const account = mailAccount(mailBefore, await serverMail(), { before: sinkBefore, after: sinkAtEnd }, warm.ok + request.ok);
    const drain = { mails: sinkAtEnd - sinkAtStop, serverCpu: (cpuSeconds(server.pid) - serverCpuAtStop) / drainSeconds };
    console.log(`  ${label}: request ${request.reqPerSec.toFixed(0)}/s; ${describeMailAccount(account)}; the last mail ${drainSeconds.toFixed(1)} s after the load stopped`);

    // verify: every email with its live code, once
    const pool = await sink.takeCodes();
    let next = 0;
    const verifyBody = () => {
      const pair = pool[next++];
      // Past the pool (autocannon may build a request it never sends): a wrong code, counted as non-2xx if sent.
      return JSON.stringify(pair ? { email: pair[0], code: pair[1] } : { email: freshEmail(), code: '000000' });
    };
    const warmCount = Math.floor(pool.length / 10);
    if (warmCount > CONNECTIONS) await load(server.url, '/auth/verify', verifyBody, { durationS: WARMUP_S, amount: warmCount }, pids);
    const poolLeft = pool.length - next;
    mark('verify');
    const verify = await load(server.url, '/auth/verify', verifyBody, { durationS: DURATION_S, amount: poolLeft }, pids);
    mark('verify-end');
    if (PROFILE) await writeFile(join(PROFILE_DIR, `${profileName}.marks.json`), JSON.stringify(marks));
    console.log(`  ${label}: verify ${verify.reqPerSec.toFixed(0)}/s on a pool of ${poolLeft.toLocaleString('en')} live codes (${verify.ok + verify.non2xx} used in ${verify.seconds.toFixed(1)} s)`);

    const peakRssMb = memoryMb(server.pid, 'VmHWM');
    // SIGTERM: a graceful stop, so a --cpu-prof profile is written.
    await server.stop();
    return {
      store: kind.name,
      users,
      seedSeconds: prepared.seedSeconds,
      startSeconds,
      rssAfterStartMb,
      peakRssMb,
      // Mails that reached the sink from the start of the measurement to the end of the drain, over that time.
      request: { ...request, drainSeconds, inclDrain: (sinkAtEnd - sinkAtMeasure) / (request.seconds + drainSeconds), account, drain },
      verify: { ...verify, pool: poolLeft },
    };
  } finally {
    await prepared.cleanup();
  }
}

async function echo(sink: Sink): Promise<Measured> {
  const server = await startChild('echo', {}, 'echo');
  const pids: Pids = { server: server.pid, sink: sink.pid, db: NaN };
  const body = () => JSON.stringify({ email: freshEmail() });
  await load(server.url, '/', body, { durationS: WARMUP_S }, pids);
  const measured = await load(server.url, '/', body, { durationS: DURATION_S }, pids);
  await server.close();
  console.log(`  echo: ${measured.reqPerSec.toFixed(0)}/s`);
  return measured;
}

// ---------------------------------------------------------------------------------------------
// Printing

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows.map((row) => row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

const n0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en') : '–');
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)}` : '–');
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %` : '–');

async function main(): Promise<void> {
  const started = performance.now();
  const kinds = [jsonStore, redisStore, postgresStore].filter((kind) => !ONLY_STORE || kind.name.toLowerCase().startsWith(ONLY_STORE));
  console.log(
    `throughput: ${QUICK ? 'QUICK (smoke run) ' : ''}users ${SIZES.map((n) => n.toLocaleString('en')).join(' / ')}, ${DURATION_S} s per measurement after ${WARMUP_S} s warm-up, ` +
      `${CONNECTIONS} connections, pipelining ${PIPELINING}; node ${process.version}; SMTP sink ${SINK_HERE ? 'in the load process' : 'in its own process'}${MAIL_DELAY_MS ? `, holding each mail ${MAIL_DELAY_MS} ms` : ''}${MAIL_QUEUE ? `; MAIL_QUEUE_SIZE ${MAIL_QUEUE}` : ''}${PROFILE ? `; CPU profiles in ${PROFILE_DIR}` : ''}`,
  );
  if (PROFILE) await mkdir(PROFILE_DIR, { recursive: true });
  const sink = await startSink();
  const echoes: Measured[] = [];
  const scenarios: Scenario[] = [];
  const missing: { store: string; why: string }[] = [];
  try {
    echoes.push(await echo(sink));
    for (const kind of kinds) {
      if (kind.missing) {
        missing.push({ store: kind.name, why: kind.missing });
        continue;
      }
      for (const users of SIZES) scenarios.push(await scenario(kind, users, sink));
    }
    // A second echo at the end shows how much the shared machine drifted during the run.
    if (!QUICK) echoes.push(await echo(sink));
  } finally {
    await sink.close();
  }

  const echoRate = echoes.reduce((sum, e) => sum + e.reqPerSec, 0) / echoes.length;
  // Answers per CPU-second of the server side (the server with its mail worker, and the database
  // server's processes): a ratio to echo's that a faster or a busier machine moves less than the
  // ratio of answers a second, which counts the load generator's and the database's share of the
  // 2 cores as the server's.
  const perCore = (m: Measured) => m.reqPerSec / (m.cpu.server + (Number.isFinite(m.cpu.db) ? m.cpu.db : 0));
  const echoPerCore = echoes.reduce((sum, e) => sum + perCore(e), 0) / echoes.length;
  const head = ['store', 'users', 'call', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'err', '× echo', '× echo per core', 'large/small', 'srv CPU', 'ac CPU', 'sink CPU', 'db CPU', 'peak RSS MB'];
  const rows: string[][] = [head];
  const cpu = (m: Measured) => [pct(m.cpu.server), pct(m.cpu.client), pct(m.cpu.sink), pct(m.cpu.db)];
  echoes.forEach((e, i) => {
    rows.push(['echo (Koa + bodyparser)', '', i === 0 ? 'POST / (first)' : 'POST / (last)', n0(e.reqPerSec), ms(e.p50), ms(e.p99), n0(e.non2xx), n0(e.errors), '', '', '', ...cpu(e), '']);
  });
  const small = Math.min(...SIZES);
  for (const s of scenarios) {
    const base = scenarios.find((t) => t.store === s.store && t.users === small);
    const growth = (pick: (t: Scenario) => number) => (s.users !== small && base ? `${(pick(s) / pick(base)).toFixed(2)}` : '');
    rows.push([s.store, n0(s.users), 'POST /auth/request', n0(s.request.reqPerSec), ms(s.request.p50), ms(s.request.p99), n0(s.request.non2xx), n0(s.request.errors), pct(s.request.reqPerSec / echoRate), pct(perCore(s.request) / echoPerCore), growth((t) => t.request.reqPerSec), ...cpu(s.request), n0(s.peakRssMb)]);
    rows.push(['', '', '  incl. mail drain', n0(s.request.inclDrain), '', '', '', '', pct(s.request.inclDrain / echoRate), '', growth((t) => t.request.inclDrain), '', '', '', '', '']);
    rows.push(['', '', 'POST /auth/verify', n0(s.verify.reqPerSec), ms(s.verify.p50), ms(s.verify.p99), n0(s.verify.non2xx), n0(s.verify.errors), pct(s.verify.reqPerSec / echoRate), pct(perCore(s.verify) / echoPerCore), growth((t) => t.verify.reqPerSec), ...cpu(s.verify), '']);
  }
  console.log(`\n${table(rows)}`);
  for (const m of missing) console.log(`${m.store}: ${m.why}`);
  console.log(
    `\n× echo: req/s over the mean of the echo runs (${n0(echoRate)}/s${echoes.length > 1 ? '; first and last of this run, to show drift' : ''}). large/small: req/s at ${n0(Math.max(...SIZES))} over ${n0(small)} users.` +
      `\n× echo per core: answers per CPU-second of the server and its database (srv CPU + db CPU) over echo's per CPU-second of its server (${n0(echoPerCore)}).` +
      `\nCPU: share of one core during the measurement (server child with its mail worker, autocannon in this process, SMTP sink, the database server's processes); 2 cores in all. Target: request and verify ≥ 25 % of echo; large/small ≥ 0.80.`,
  );
  console.log('\nset-up per store and size:');
  for (const s of scenarios) {
    console.log(
      `  ${s.store} ${n0(s.users)} users: seeding ${s.seedSeconds.toFixed(1)} s, server start ${s.startSeconds.toFixed(1)} s, RSS after start ${n0(s.rssAfterStartMb)} MB, peak ${n0(s.peakRssMb)} MB; ` +
        `request: ${n0(s.request.ok)} in ${s.request.seconds.toFixed(1)} s, ${describeMailAccount(s.request.account)}; ${n0(s.request.drain.mails)} mails in the drain of ${s.request.drainSeconds.toFixed(1)} s (${n0(s.request.drain.mails / s.request.drainSeconds)}/s, server CPU ${pct(s.request.drain.serverCpu)}); verify: ${n0(s.verify.ok)} of a pool of ${n0(s.verify.pool)} in ${s.verify.seconds.toFixed(1)} s` +
        (s.request.statuses || s.verify.statuses ? `; non-2xx: request ${s.request.statuses || 'none'}, verify ${s.verify.statuses || 'none'}` : ''),
    );
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await main();
