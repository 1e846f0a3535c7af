/**
 * A real backend on an ephemeral port for tests: a fresh JSON file in a temporary directory, a
 * manual clock the test moves, and either the dev mailbox or a real SMTP server (`SMTP_URL` in
 * `env`). Everything else is exactly what `npm start` runs.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type Koa from 'koa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend, type BackendOptions } from '../backend.ts';
import { ManualClock } from '../time/clock.ts';
import { loadConfig } from '../bin/environment.ts';
import type { Config } from '../config.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import { postJson } from './api-client.ts';
import type { DevMailbox } from '../mail/dev-mailbox.ts';

export interface TestServerOptions {
  /** Environment variables as operators set them (`USER_CREATION`, `SMTP_URL`, …). */
  env?: Record<string, string>;
  /** Reuse a data file (e.g. to restart on the same store); default: a fresh temporary one. */
  dataFile?: string;
  logger?: Logger;
  /** The host's `sendMail` instead of SMTP or the dev mailbox (backend.ts). */
  sendMail?: BackendOptions['sendMail'];
  /** Adds middleware (e.g. the demo) before the app starts answering: Koa fixes its list then. */
  mount?: (app: Koa, backend: Backend, server: { url: string; clock: ManualClock; config: Config }) => void;
}

export interface TestServer {
  /** `http://127.0.0.1:PORT`; the API is under `/auth`. */
  url: string;
  clock: ManualClock;
  /** The dev mailbox (throws if the server was started with SMTP_URL). */
  mailbox: DevMailbox;
  backend: Backend;
  config: Config;
  dataFile: string;
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = options.dataFile ? null : await mkdtemp(join(tmpdir(), 'passwordless-test-'));
  const dataFile = options.dataFile ?? join(dir!, 'passwordless.json');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  // Per-IP limits are lifted unless a test sets them: every test client is 127.0.0.1, and a
  // suite's hundreds of calls would otherwise trip them. Everything else is as `npm start` runs.
  const clock = new ManualClock(Date.now());
  let config: Config;
  let backend: Backend;
  try {
    config = loadConfig({ PUBLIC_URL: url, PORT: String(port), DATA_FILE: dataFile, REQUESTS_PER_IP: '1000000', VERIFIES_PER_IP: '1000000', ...options.env });
    backend = await createBackend(config, { clock, logger: options.logger ?? silentLogger, sendMail: options.sendMail });
  } catch (error) {
    // A configuration the backend refuses (a test of that refusal): the port listened on above
    // would keep the test's process alive once its tests are done.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (dir) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  options.mount?.(backend.app, backend, { url, clock, config });
  server.on('request', backend.app.callback());
  return {
    url,
    clock,
    get mailbox(): DevMailbox {
      if (!backend.mailbox) throw new Error('this test server sends mail over SMTP: read it there');
      return backend.mailbox;
    },
    backend,
    config,
    dataFile,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backend.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Asks `server` for a code for `email` and reads it from the dev mailbox once the mail has gone. */
export async function requestCodeByMailbox(server: TestServer, email: string): Promise<string> {
  const answer = await postJson(`${server.url}/auth/request`, { email });
  assert.equal(answer.status, 202);
  await server.backend.service.idle();
  const mail = server.mailbox.messages().find((m) => m.to === email);
  if (!mail?.code) throw new Error(`no code mailed to ${email}`);
  return mail.code;
}
