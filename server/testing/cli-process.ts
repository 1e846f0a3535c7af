/**
 * The real command line, compiled (`passwordless-login serve`: dist/server/bin/, built by
 * `npm run build:server`, which `npm run test:server` runs first), as a child process, for
 * black-box tests of what survives a crash and what stops a start.
 *
 * - `startCli` spawns it on a free port and resolves once `GET /health` answers; it rejects with
 *   the exit code and stderr if the process exits first, or after `readyTimeoutMs`.
 * - `runCliExpectingExit` is for starts that should fail: it resolves with the exit code and
 *   output, or with `started: true` (after killing it) if the server came up instead.
 * - The child gets a clean environment (PATH, HOME and the test's variables only): the test
 *   runner's own variables (NODE_TEST_CONTEXT, a DATA_FILE of the shell) must not leak in.
 * - Every child still running when the test process exits is killed, so a failed assertion
 *   does not leave a server holding a port or a lock.
 * - A test file run alone (without `npm run test:server`, which builds first) must not test a
 *   stale build: the first spawn rebuilds `dist/` when a source is newer than the compiled bin.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from './free-port.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The package's `bin`, as operators run it. */
export const CLI_FILE = join(REPO_ROOT, 'dist', 'server', 'bin', 'passwordless-login.js');

/** Sign of life polled at this interval; a cold start takes about 0.5 s on 2 cores. */
const HEALTH_POLL_MS = 25;
const DEFAULT_READY_TIMEOUT_MS = 20_000;
/** Kept of each stream: enough for a start failure, bounded for a server logging every request. */
const OUTPUT_LIMIT = 256 * 1024;

export interface CliOptions {
  dataFile: string;
  /** Extra environment (SMTP_URL, RATE_LIMITS, SECRET…); PORT, HOST and DATA_FILE are set here. */
  env?: Record<string, string>;
  /** A fixed port; by default a free one is picked. */
  port?: number;
  readyTimeoutMs?: number;
  /** The script to run: default the repository's compiled bin; a test may run it as installed in a host project. */
  file?: string;
  /** Default the repository's root. */
  cwd?: string;
  /** Options for node itself, before the script (`--max-old-space-size=…`, as an operator may start it). */
  nodeArgs?: string[];
  /** Run as this user and group (for permission checks that root would bypass). */
  uid?: number;
  gid?: number;
}

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited, however. */
  exited: Promise<CliExit>;
  /** `kill -9`: no shutdown handler runs, nothing is flushed. Resolves once it is gone. */
  kill(): Promise<CliExit>;
  /** SIGTERM: the graceful shutdown of bin/serve.ts. Resolves once it is gone. */
  stop(): Promise<CliExit>;
}

export class CliStartError extends Error {
  override name = 'CliStartError';
  constructor(
    message: string,
    readonly exit: CliExit | null,
  ) {
    super(message);
  }
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function append(kept: string, chunk: string): string {
  const joined = kept + chunk;
  return joined.length > OUTPUT_LIMIT ? joined.slice(joined.length - OUTPUT_LIMIT) : joined;
}

/** What the compiled command line is built from (tsconfig.server.json), tests and kits aside. */
const SOURCE_DIRS = ['server', 'contract', 'demo'];

function newestSourceMs(): number {
  let newest = 0;
  for (const dir of SOURCE_DIRS) {
    for (const file of readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || /^(testing|attack|e2e|frameworks)\//.test(file)) continue;
      newest = Math.max(newest, statSync(join(REPO_ROOT, dir, file)).mtimeMs);
    }
  }
  return newest;
}

let built = false;

/** Builds `dist/` (`npm run build:server`) when the compiled bin is missing or older than a source. */
export function ensureCompiledCli(): void {
  if (built) return;
  built = true;
  if (existsSync(CLI_FILE) && statSync(CLI_FILE).mtimeMs >= newestSourceMs()) return;
  execFileSync('npm', ['run', '--silent', 'build:server'], { cwd: REPO_ROOT, stdio: 'ignore' });
}

/** Spawns the CLI without waiting for it; `ready` polls /health. */
export async function spawnCli(options: CliOptions): Promise<CliProcess & { ready(): Promise<void> }> {
  ensureCompiledCli();
  const port = options.port ?? (await freePort());
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ...options.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_FILE: options.dataFile,
  };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.file ?? CLI_FILE, 'serve'], {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: options.uid,
    gid: options.gid,
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout = append(stdout, chunk)));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = append(stderr, chunk)));
  let hasExited = false;
  const exited = new Promise<CliExit>((resolve) => {
    // 'close' (not 'exit'): the pipes are drained, so stderr is complete.
    child.once('close', (code, signal) => {
      hasExited = true;
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const signal = (name: NodeJS.Signals) => () => {
    if (!hasExited) child.kill(name);
    return exited;
  };
  return {
    url,
    port,
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    kill: signal('SIGKILL'),
    stop: signal('SIGTERM'),
    async ready() {
      const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (hasExited) {
          const exit = await exited;
          throw new CliStartError(`the CLI exited before answering /health (code ${exit.code}, signal ${exit.signal}): ${exit.stderr.trim()}`, exit);
        }
        try {
          const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
          await response.text();
          if (response.ok) return;
        } catch {
          // Not listening yet.
        }
        // A poll interval, bounded by the deadline above; not a wait for readiness.
        await Promise.race([delay(HEALTH_POLL_MS), exited]);
      }
      child.kill('SIGKILL');
      const exit = await exited;
      throw new CliStartError(`/health did not answer within ${timeoutMs} ms; stderr: ${exit.stderr.trim()}`, exit);
    },
  };
}

/** Starts the CLI and resolves once it answers /health; retries once if the port was taken meanwhile. */
export async function startCli(options: CliOptions): Promise<CliProcess> {
  for (let attempt = 0; ; attempt++) {
    const cli = await spawnCli(options);
    try {
      await cli.ready();
      return cli;
    } catch (error) {
      const raced = error instanceof CliStartError && error.exit?.stderr.startsWith('Cannot listen') && options.port === undefined;
      if (!raced || attempt > 0) throw error;
    }
  }
}

export type CliOutcome = ({ started: false } & CliExit) | ({ started: true } & CliExit);

/**
 * For starts that must fail: the exit code and output, or `started: true` if it answered
 * /health instead (it is then killed, so the caller's assertion can say so).
 */
export async function runCliExpectingExit(options: CliOptions): Promise<CliOutcome> {
  const cli = await spawnCli(options);
  try {
    await cli.ready();
  } catch (error) {
    if (error instanceof CliStartError && error.exit) return { started: false, ...error.exit };
    throw error;
  }
  return { started: true, ...(await cli.kill()) };
}
