/**
 * A real redis-server for tests: spawned on a free port with no persistence, ready once it
 * answers PING, stopped (and its child process reaped) by `stop()`. Nothing is skipped when
 * Redis is missing: starting fails with a message that says how to install it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { freePort } from './free-port.ts';

export interface TestRedis {
  port: number;
  /** `redis://127.0.0.1:PORT`, for REDIS_URL. */
  url: string;
  /** Sends one command in the inline protocol and returns the raw reply (for FLUSHALL and the like). */
  command(...args: string[]): Promise<string>;
  /** Stops the server; safe to call twice. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

export async function startTestRedis(): Promise<TestRedis> {
  let lastError: unknown;
  // A free port can be taken by someone else between the probe and redis binding it: retry.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port);
    } catch (error) {
      if (error instanceof RedisMissingError) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

class RedisMissingError extends Error {}

async function startOn(port: number): Promise<TestRedis> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ENOENT'
          ? new RedisMissingError('redis-server is not installed: these tests need a real Redis. Install it with `apt-get install -y redis-server` (.ci/run does).')
          : error,
      ),
    );
    child.once('exit', (code, signal) => resolve(new Error(`redis-server exited (${code ?? signal}) before it was ready: ${output.trim()}`)));
  });
  const ready = waitForPing(port);
  const first = await Promise.race([ready.then(() => null), exited]);
  if (first) {
    await kill(child);
    throw first;
  }
  let stopped = false;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    command: (...args) => sendInline(port, args),
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill(child);
    },
  };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      if ((await sendInline(port, ['PING'])).startsWith('+PONG')) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** One command over a fresh connection, RESP-encoded; resolves with the first reply's raw text. */
function sendInline(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => {
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.endsWith('\r\n')) {
        socket.end();
        resolve(reply);
      }
    });
  });
}

