/**
 * `npm start`: the standalone backend. Reads the environment, opens the store, listens, and
 * outside production also serves the demo with its dev mailbox. The only place that listens.
 */
import { createServer, type ServerResponse } from 'node:http';
import { mountDemo } from '../../demo/demo-routes.ts';
import { createBackend } from '../backend.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { StoreError } from '../store/types.ts';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const backend = await createBackend(config);
  if (!config.production) mountDemo(backend.app, { mailbox: backend.mailbox, publicUrl: config.publicUrl, audience: config.accessTokenAudience });
  const handle = backend.app.callback();
  // Responses not yet sent, so a stop can tell their clients to close the connection.
  const open = new Set<ServerResponse>();
  let stopping = false;
  const server = createServer((req, res) => {
    open.add(res);
    res.once('close', () => open.delete(res));
    if (stopping) res.setHeader('Connection', 'close');
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  backend.logger.info({ msg: 'listening', url: `http://${config.host}:${config.port}`, publicUrl: config.publicUrl, store: config.redisUrl ? 'redis' : config.dataFile, mail: config.smtpUrl ? 'smtp' : 'dev mailbox' });
  if (!config.production) process.stdout.write(`\n  passwordless-login demo: ${config.publicUrl}/\n\n`);

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    backend.logger.info({ msg: 'stopping', signal });
    // Finish in-flight requests, then the mail already handed over, then flush the store. A
    // client that stalls mid-request gets 10 s, not Node's 5-minute request timeout.
    const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A keep-alive connection would otherwise hold close() for its 5 s idle timeout after its
    // last answer: each answer still to come says `Connection: close`.
    for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
    await closed;
    clearTimeout(deadline);
    try {
      await backend.close();
    } catch (error) {
      backend.logger.error({ msg: 'shutdown failed', err: String(error) });
      process.exit(1);
    }
    backend.logger.info({ msg: 'stopped', signal });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // A bad setting or an unreadable store: one line that says what to fix, no stack trace.
  if (error instanceof ConfigError) process.stderr.write(`Configuration error: ${error.message}\n`);
  else if (error instanceof StoreError) process.stderr.write(`Store error: ${error.message}\n`);
  else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') process.stderr.write(`Cannot listen: ${(error as Error).message}. Set PORT to a free port.\n`);
  else process.stderr.write(`Failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
