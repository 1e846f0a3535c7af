/**
 * Steady-load benchmark: sign-ins at a fixed rate for minutes, against the compiled server as
 * operators run it (`passwordless-login serve`, the real clock, so sweeps and expiry happen), with
 * the p99 and the longest answer of each window and the server's memory at the end of each. It
 * prints a table; it asserts nothing.
 *
 *   npm run bench:steady -- --mode grow     every request a new address: the store grows
 *                                           (150,000 users in ten minutes at 250/s)
 *   npm run bench:steady -- --mode steady   3,000 addresses asked for again and again, each session
 *                                           signed out 30 s later: the data holds steady, so
 *                                           anything that grows is growing with the operations
 *   options: --minutes 3     how long (the issue's runs were 10; 2–3 show the trend)
 *            --rate 250      POST /auth/request per second (open loop: sent on time, not after the last answer)
 *            --window 30     seconds per row of the table
 *            --users 100000  users written to the JSON store before the server starts
 *            --addresses 3000 (steady)
 *            --env A=1,B=2   more environment for the server (e.g. NODE_OPTIONS=--max-semi-space-size=2)
 *            --cli <file>    another build's dist/server/bin/passwordless-login.js (to measure a version before a change)
 *            --profile       the server runs with --cpu-prof (bench/profiles/steady-<mode>.cpuprofile, its main thread;
 *                            read it with bench/cpuprofile-summary.ts)
 *
 * Each mailed code (read from a real SMTP server in its own process, bench/throughput-child.ts)
 * is verified at once, so a request is a sign-in: 250/s is 500 calls a second, plus the sign-outs.
 * RATE_LIMITS=off. Needs `npm run build:server` first. The machine is 2 shared cores: compare the
 * first window with the last in one run (docs/contributing.md#ratios-not-absolutes).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openJsonStore } from '../server/store/json/json-store.ts';
import { startCli } from '../server/testing/cli-process.ts';
import { cpuProfileArgs, cpuSeconds, envOption, memoryMb, METRICS_TOKEN, readMetrics, seed, startChild } from './bench-kit.ts';
import { percentile } from './stats.ts';

const argv = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? fallback : argv[i + 1]!;
};
const MODE = value('mode', 'steady');
if (MODE !== 'grow' && MODE !== 'steady') throw new Error(`--mode is grow or steady, got ${MODE}`);
const MINUTES = Number(value('minutes', '3'));
const RATE = Number(value('rate', '250'));
const WINDOW_S = Number(value('window', '30'));
const USERS = Number(value('users', '0'));
const ADDRESSES = Number(value('addresses', '3000'));
const CLI = value('cli', '');
const PROFILE_DIR = argv.includes('--profile') ? fileURLToPath(new URL('./profiles/', import.meta.url)) : null;
const EXTRA_ENV = envOption(argv);
const SIGN_OUT_AFTER_MS = 30_000;
/** How often the sink is asked for the codes it received. */
const CODES_POLL_MS = 100;
const RUN = randomBytes(3).toString('hex');

interface Window {
  latencies: number[];
  statuses: Map<number, number>;
  errors: number;
  rssMb: number;
  /** CPU seconds of the server and of this process (the load), at the first and last sample of the window, with the time. */
  cpu?: { first: [number, number, number]; last: [number, number, number] };
}

const windows: Window[] = [];
/** When the load starts (set once the server is up): windows are counted from it. */
let started = performance.now();
function windowNow(): Window {
  const index = Math.floor((performance.now() - started) / (WINDOW_S * 1000));
  while (windows.length <= index) windows.push({ latencies: [], statuses: new Map(), errors: 0, rssMb: NaN });
  return windows[index]!;
}

/** One timed call; its latency and status counted in the window it was sent in. */
async function call(url: string, body: object | null, token?: string): Promise<any> {
  const window = windowNow();
  const t0 = performance.now();
  try {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : null,
    });
    const text = await answer.text();
    window.latencies.push(performance.now() - t0);
    window.statuses.set(answer.status, (window.statuses.get(answer.status) ?? 0) + 1);
    return answer.status === 200 && text ? JSON.parse(text) : null;
  } catch {
    window.errors += 1;
    return null;
  }
}

/**
 * The share of each route's answers the server itself timed at 100 ms or less, from its latency
 * histogram: beside the client's p99, it says whether a slow answer was slow inside the server or
 * on its way (the machine's two cores are shared with this process and the SMTP sink).
 */
async function serverLatencies(url: string): Promise<string> {
  const text = await readMetrics(url);
  const count = (route: string, le: string) => {
    let n = 0;
    const pattern = new RegExp(`^passwordless_http_request_duration_seconds_bucket\\{route="${route.replaceAll('/', '\\/')}",status="\\d+",le="${le.replace(/[+.]/g, '\\$&')}"\\} (\\d+)$`, 'gm');
    for (const match of text.matchAll(pattern)) n += Number(match[1]);
    return n;
  };
  return ['/auth/request', '/auth/verify', '/auth/logout']
    .map((route) => {
      const all = count(route, '+Inf');
      return `${route} ${all.toLocaleString('en')}, ${((100 * count(route, '0.1')) / all).toFixed(2)} % within 100 ms, ${((100 * count(route, '0.25')) / all).toFixed(2)} % within 250 ms`;
    })
    .join('; ');
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'passwordless-steady-'));
  if (PROFILE_DIR) await mkdir(PROFILE_DIR, { recursive: true });
  const dataFile = join(dir, 'data', 'passwordless.json');
  const sink = await startChild('sink');
  const timers = new Set<NodeJS.Timeout>();
  try {
    if (USERS > 0) {
      // Another build's server reads the file its own store writes.
      const open: typeof openJsonStore = CLI ? (await import(new URL('../store/json/json-store.js', pathToFileURL(CLI)).href)).openJsonStore : openJsonStore;
      const store = await open(dataFile);
      await seed(store, USERS);
      await store.close();
    }
    const server = await startCli({ dataFile, env: { ...EXTRA_ENV, SMTP_URL: sink.url, RATE_LIMITS: 'off', METRICS_TOKEN }, readyTimeoutMs: 120_000, ...(CLI ? { file: CLI } : {}),
      nodeArgs: PROFILE_DIR ? cpuProfileArgs(PROFILE_DIR, `steady-${MODE}`) : [],
    });
    const rssAtStart = memoryMb(server.pid, 'VmRSS');
    console.log(`steady load: mode ${MODE}, ${RATE} requests/s for ${MINUTES} min, ${USERS.toLocaleString('en')} users seeded${CLI ? `, server ${CLI}` : ''}${value('env', '') ? `, env ${value('env', '')}` : ''}; server RSS after start ${rssAtStart.toFixed(0)} MB`);
    const api = (path: string) => `${server.url}/auth${path}`;
    let sent = 0;
    // From now, not from this script's start: the sink, the seeding and the server's start take
    // seconds, and requests "due" since then went out in one burst (about 750 at 250/s), which was
    // the first window's p99 of 1.2–2.3 s in every run before.
    started = performance.now();
    const end = started + MINUTES * 60_000;
    const address = (n: number) => (MODE === 'grow' ? `g${RUN}-${n.toString(36)}@bench.example.com` : `s${RUN}-${n % ADDRESSES}@bench.example.com`);

    // Requests on schedule (open loop), codes verified as they arrive, sessions signed out later.
    const sending = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * RATE);
      for (; sent < due; sent++) void call(api('/request'), { email: address(sent) });
    }, 5);
    const verifying = setInterval(async () => {
      const { codes } = await sink.ask({ type: 'codes' }, 'codes');
      for (const [email, code] of codes as [string, string][]) {
        void call(api('/verify'), { email, code }).then((answer) => {
          const token = answer?.session?.token;
          if (MODE !== 'steady' || !token) return;
          const timer = setTimeout(() => {
            timers.delete(timer);
            void call(api('/logout'), null, token);
          }, SIGN_OUT_AFTER_MS);
          timers.add(timer);
        });
      }
    }, CODES_POLL_MS);
    const sampling = setInterval(() => {
      const window = windowNow();
      window.rssMb = memoryMb(server.pid, 'VmRSS');
      const sample: [number, number, number] = [performance.now() / 1000, cpuSeconds(server.pid), cpuSeconds(process.pid)];
      window.cpu = { first: window.cpu?.first ?? sample, last: sample };
    }, 1000);
    await new Promise((resolve) => setTimeout(resolve, end - performance.now()));
    clearInterval(sending);
    clearInterval(verifying);
    clearInterval(sampling);
    // Answers still in flight land in their windows.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const peak = memoryMb(server.pid, 'VmHWM');
    const serverView = await serverLatencies(server.url);
    for (const timer of timers) clearTimeout(timer);
    await server.stop();

    const rows = [['window', 'calls', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'RSS MB', 'srv CPU', 'load CPU']];
    windows.forEach((w, i) => {
      const sorted = [...w.latencies].sort((a, b) => a - b);
      const non2xx = [...w.statuses].filter(([status]) => status >= 300).map(([status, n]) => `${status}×${n}`).join(' ') || '0';
      const share = (k: 1 | 2) => (w.cpu && w.cpu.last[0] > w.cpu.first[0] ? `${Math.round((100 * (w.cpu.last[k] - w.cpu.first[k])) / (w.cpu.last[0] - w.cpu.first[0]))} %` : '–');
      rows.push([`${i * WINDOW_S}–${(i + 1) * WINDOW_S} s`, String(sorted.length), percentile(sorted, 50).toFixed(1), percentile(sorted, 99).toFixed(1), (sorted.at(-1) ?? NaN).toFixed(0), non2xx, String(w.errors), w.rssMb.toFixed(0), share(1), share(2)]);
    });
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
    console.log(rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n'));
    const full = windows.filter((w) => w.latencies.length > 0);
    const first = full[0];
    // The last window of the run (after it, only the answers still in flight land).
    const last = windows[Math.max(0, Math.ceil((MINUTES * 60) / WINDOW_S) - 1)];
    // A loop, not Math.max(...all): ten minutes at 250/s is 300,000 latencies, past the stack's room for arguments.
    let longest = 0;
    for (const w of full) for (const latency of w.latencies) longest = Math.max(longest, latency);
    const p99 = (w: Window | undefined) => (w ? percentile([...w.latencies].sort((a, b) => a - b), 99) : NaN);
    console.log(`\nthe server's own timing of the whole run (GET /metrics, from the moment Koa took each request): ${serverView}`);
    console.log(`\n${sent.toLocaleString('en')} requests sent; server RSS after start ${rssAtStart.toFixed(0)} MB, peak ${peak.toFixed(0)} MB; first window p99 ${p99(first).toFixed(1)} ms and RSS ${first?.rssMb.toFixed(0)} MB, last full window p99 ${p99(last).toFixed(1)} ms and RSS ${last?.rssMb.toFixed(0)} MB; longest answer ${longest.toFixed(0)} ms`);
  } finally {
    await sink.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
