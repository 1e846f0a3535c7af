/**
 * A real PostgreSQL for tests: a throwaway cluster (initdb) in a temporary directory on a free
 * port, listening on 127.0.0.1 only, removed by `stop()`. PostgreSQL refuses to run as root, so
 * as root the cluster belongs to the unprivileged `postgres` user and every command runs through
 * `runuser`. Nothing is skipped when PostgreSQL is missing: starting fails with a message that
 * says how to install it. The binaries are found under /usr/lib/postgresql/<version>/bin (the
 * newest), or wherever `PG_BIN` points.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

export interface TestPostgres {
  port: number;
  /** `postgres://app@127.0.0.1:PORT/postgres`: the cluster's own database, as its superuser `app`. */
  url: string;
  /** Creates an empty database and returns its URL: one per test keeps tests apart. */
  createDatabase(): Promise<string>;
  /** Runs one statement on the `postgres` database (ALTER SYSTEM, pg_terminate_backend…). */
  query(sql: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** An outage: `pg_ctl stop -m immediate` (like a crash: connections are cut, nothing is flushed politely). */
  kill(): Promise<void>;
  /** Starts the same cluster again on the same port after `kill()`. */
  restart(): Promise<void>;
  /** Stops the cluster and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/** The newest PostgreSQL's bin directory, or `PG_BIN`; a clear error when there is none. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  const bin = process.env.PG_BIN ?? (versions[0] ? join(root, versions[0], 'bin') : null);
  if (bin === null || !existsSync(join(bin, 'initdb'))) {
    throw new Error('PostgreSQL is not installed: these tests need a real one. Install it with `apt-get install -y postgresql` (.ci/run does), or set PG_BIN to its bin directory.');
  }
  return bin;
}

const asRoot = process.getuid?.() === 0;

/**
 * pg_ctl leaves the server running on its own, so a test process that ends without `stop()` (a
 * failed `before`, a file stopped by its timeout) would leave clusters behind: stopped here, synchronously,
 * as the process exits.
 */
const running = new Map<string, () => void>();
process.on('exit', () => {
  for (const stopNow of running.values()) stopNow();
});

/** Runs a PostgreSQL binary, as `postgres` when we are root (the server refuses root). */
async function pgCommand(bin: string, args: string[]): Promise<void> {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  await run(file, argv, { timeout: 60_000 });
}

async function ownedByPostgres(dir: string): Promise<void> {
  if (!asRoot) return;
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  await chown(dir, Number(stdout.trim()), Number(gid.trim()));
}

export interface TestPostgresOptions {
  /** fsync as in production (the benchmark's figures); default off, for tests (see below). */
  fsync?: boolean;
}

export async function startTestPostgres({ fsync = false }: TestPostgresOptions = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = await mkdtemp(join(tmpdir(), 'pg-test-'));
  await ownedByPostgres(dir);
  const data = join(dir, 'data');
  // --no-sync and fsync=off: a test cluster never outlives a power cut, and fsync would cost
  // seconds per test on a shared disk. Killing the application (the crash test) or stopping the
  // cluster with -m immediate loses nothing the kernel already has. A benchmark keeps fsync on:
  // a commit then costs what it costs in production.
  await pgCommand(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'app', '--no-sync', '-E', 'UTF8', '--locale=C']);
  let port = 0;
  const start = async () => {
    await pgCommand(join(bin, 'pg_ctl'), ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${fsync ? 'on' : 'off'} -c max_connections=200`, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
  };
  let lastError: unknown;
  // A free port can be taken by someone else between the probe and PostgreSQL binding it: retry.
  for (let attempt = 0; attempt < 5 && port === 0; attempt++) {
    port = await freePort();
    try {
      await start();
    } catch (error) {
      lastError = error;
      port = 0;
    }
  }
  if (port === 0) {
    await rm(dir, { recursive: true, force: true });
    throw lastError;
  }
  const url = `postgres://app@127.0.0.1:${port}/postgres`;
  const stopArgs = ['-D', data, '-m', 'immediate', '-w', 'stop'];
  const stopCluster = () => pgCommand(join(bin, 'pg_ctl'), stopArgs);
  running.set(dir, () => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...stopArgs]] : [join(bin, 'pg_ctl'), stopArgs];
    try {
      execFileSync(file, argv, { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  });
  let databases = 0;
  let stopped = false;
  const query = async (sql: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await client.query(sql, values);
    } finally {
      await client.end();
    }
  };
  return {
    port,
    url,
    query,
    async createDatabase() {
      const name = `test_${process.pid}_${++databases}`;
      await query(`CREATE DATABASE ${name}`);
      return `postgres://app@127.0.0.1:${port}/${name}`;
    },
    kill: stopCluster,
    restart: start,
    async stop() {
      if (stopped) return;
      stopped = true;
      running.delete(dir);
      await stopCluster().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
