/**
 * What the benchmarks share: the child processes of bench/throughput-child.ts (one role each, so
 * load, SMTP sink and server never share an event loop), a process's CPU and memory from /proc,
 * and seeding N users through a store's own API.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store, UserRecord } from '../server/store/types.ts';

/** Users written together: what a batch changes shares the journal's writes. */
const SEED_BATCH = 2_000;

export interface Child {
  role: string;
  pid: number;
  url: string;
  ask(message: object, reply: string): Promise<any>;
  close(): Promise<void>;
}

function waitFor(child: ChildProcess, type: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: any) => {
      if (message.type === type || message.type === 'error') {
        child.off('message', onMessage);
        if (message.type === 'error') reject(new Error(`child process: ${message.error}`));
        else resolve(message);
      }
    };
    child.on('message', onMessage);
  });
}

/** Node's options that write a CPU profile of the main thread to `<dir>/<name>.cpuprofile` when the process exits. */
export function cpuProfileArgs(dir: string, name: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`];
}

/** The server under test gets it as METRICS_TOKEN: GET /metrics answers only with it. */
export const METRICS_TOKEN = 'benchmark-metrics-token-0123456789';

/** The text of the server's GET /metrics. */
export async function readMetrics(serverUrl: string): Promise<string> {
  return (await fetch(`${serverUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
}

/** `profile`: run with --cpu-prof, writing `<dir>/<name>.cpuprofile`. */
export async function startChild(role: 'echo' | 'sink', start: object = {}, profile?: { dir: string; name: string }): Promise<Child> {
  const execArgv = ['--import', 'tsx', ...(profile ? cpuProfileArgs(profile.dir, profile.name) : [])];
  const child = fork(fileURLToPath(new URL('./throughput-child.ts', import.meta.url)), [role], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = waitFor(child, 'ready');
  child.send({ type: 'start', ...start });
  const { url } = await ready;
  // One question at a time: two in flight would both take the first reply (waitFor), so the
  // steady benchmark, asking for codes every 100 ms, verified the same codes twice whenever the
  // busy warm-up made an ask last longer, and the second verify was a 401 (the code used).
  let asked: Promise<unknown> = Promise.resolve();
  return {
    role,
    pid: child.pid!,
    url,
    ask(message, reply) {
      const answer = asked.then(() => {
        const replied = waitFor(child, reply);
        child.send(message);
        return replied;
      });
      asked = answer.catch(() => {});
      return answer;
    },
    async close() {
      const done = waitFor(child, 'closed');
      child.send({ type: 'close' });
      await done;
      await exited;
    },
  };
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  if (!Number.isFinite(pid)) return NaN;
  if (pid === process.pid) {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
  const { utime, stime } = procStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return utime + stime;
}

/**
 * The fields of a /proc/<pid>/stat line this file reads, times in seconds. They are counted after
 * the command's closing parenthesis (a command may hold spaces): ppid is field 4 of the line,
 * utime and stime 14 and 15, cutime and cstime (children waited for) 16 and 17; CLK_TCK is 100 on Linux.
 */
function procStat(line: string): { ppid: number; utime: number; stime: number; cutime: number; cstime: number } {
  const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
  const ticks = (index: number) => Number(fields[index]) / 100;
  return { ppid: Number(fields[1]), utime: ticks(11), stime: ticks(12), cutime: ticks(13), cstime: ticks(14) };
}

/**
 * CPU seconds a process and its children have used so far: its own, its direct children's alive
 * now, and those of the children it has waited for (cutime, cstime). A database server that runs
 * one process per connection (PostgreSQL) is counted whole, a backend that ended meanwhile too.
 */
export function treeCpuSeconds(rootPid: number): number {
  if (!Number.isFinite(rootPid)) return NaN;
  let seconds = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    let stat: ReturnType<typeof procStat>;
    try {
      stat = procStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
    } catch {
      continue; // gone meanwhile
    }
    if (Number(entry) === rootPid) seconds += stat.utime + stat.stime + stat.cutime + stat.cstime;
    else if (stat.ppid === rootPid) seconds += stat.utime + stat.stime;
  }
  return seconds;
}

/** Resident memory in MB: the peak (VmHWM) or the current one (VmRSS). */
export function memoryMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function seedUser(i: number, createdAt: string): UserRecord {
  const email = `seed-${i}@users.example.com`;
  return { id: randomBytes(12).toString('base64url'), email, emailKey: email, emailVerified: true, createdAt, lastLoginAt: createdAt, data: { plan: 'free', n: i } };
}

/** N users through the store's own API, in concurrent batches. */
export async function seed(store: Store, users: number): Promise<void> {
  const createdAt = new Date().toISOString();
  for (let start = 0; start < users; start += SEED_BATCH) {
    const batch: Promise<null>[] = [];
    for (let i = start; i < Math.min(users, start + SEED_BATCH); i++) {
      const user = seedUser(i, createdAt);
      batch.push(store.updateUser(user.emailKey, () => ({ next: user, result: null })));
    }
    await Promise.all(batch);
  }
}

/** `--env A=1,B=2`: more environment for the server under test (e.g. NODE_OPTIONS=--max-semi-space-size=2). */
export function envOption(argv: readonly string[]): Record<string, string> {
  const i = argv.indexOf('--env');
  const text = i < 0 ? '' : (argv[i + 1] ?? '');
  return Object.fromEntries(text.split(',').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}
