/**
 * `passwordless-login serve`: the standalone backend. Checks SMTP, builds the backend from the
 * configuration, listens, and stops gracefully on SIGTERM or SIGINT. The only place that listens.
 */
import { createServer, type ServerResponse } from 'node:http';
import { createBackend, type Backend } from '../backend.ts';
import type { Config } from '../config.ts';
import { checkSmtp } from '../mail/smtp-probe.ts';
import { createJsonLogger, type Logger } from '../observability/logger.ts';
import { effectiveConfiguration } from './effective-config.ts';
import { limitHeapGrowth } from './heap-growth.ts';

/** A client that stalls mid-request gets 10 s at a stop, not Node's 5-minute request timeout. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface ServeOptions {
  /** Adds routes before the server answers (the repository's demo, demo/serve-demo.ts). */
  mount?: (backend: Backend) => void;
}

/** SMTP failed its check at start and SMTP_CHECK is `required` (production's default). */
export class SmtpCheckFailed extends Error {
  override name = 'SmtpCheckFailed';
}

/**
 * An SMTP server that cannot take our mail would fail every login quietly, one log line per
 * mail: say it once, now. Production stops unless SMTP_CHECK=warn; elsewhere a warning.
 */
async function checkSmtpAtStart(config: Config, logger: Logger): Promise<void> {
  if (!config.smtpUrl) return;
  const check = await checkSmtp(config.smtpUrl);
  if (check.ok) return;
  if (config.smtpCheck === 'required') throw new SmtpCheckFailed(`${check.sentence} Or set SMTP_CHECK=warn to start anyway.`);
  logger.warn({ msg: `${check.sentence} Starting anyway (SMTP_CHECK=warn): login mails fail until this is fixed.`, smtp: check.server, cause: check.cause });
}

/** Resolves once the server listens; from then on a signal ends the process (0, or 1 if closing failed). */
export async function serve(config: Config, options: ServeOptions = {}): Promise<Backend> {
  // Before the store loads and the mail worker starts, so neither grows under V8's default.
  const heapGrowingPercent = limitHeapGrowth();
  const logger = createJsonLogger();
  await checkSmtpAtStart(config, logger);
  const backend = await createBackend(config, { logger });
  options.mount?.(backend);
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
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, resolve);
    });
  } catch (error) {
    // The store is open (and a JSON store holds its lock): free it for the next start.
    await backend.close().catch(() => {});
    throw error;
  }
  backend.logger.info({ msg: 'listening', url: `http://${config.host}:${config.port}`, ...effectiveConfiguration(config), heapGrowingPercent });

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    backend.logger.info({ msg: 'stopping', signal });
    // Finish in-flight requests, then the mail already handed over, then flush the store.
    const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A keep-alive connection would otherwise hold close() for its 5 s idle timeout after its
    // last answer: each answer still to come says `Connection: close`.
    for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
    // Approval long polls answer `waiting` now (their browsers ask again, elsewhere), instead of
    // holding the close for up to 25 s.
    backend.endWaits();
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
  return backend;
}
