/**
 * What the main thread (worker-mailer.ts) and the mail worker thread (worker-thread.ts) send
 * each other, so both sides type-check against one definition.
 *
 * Messages, main → worker: `{ type: 'mails', mails: Mail[] }`, `{ type: 'idle' }` (someone
 * waits for the mail so far: no more sitting out retry delays until it has settled, mailer.ts) and
 * `{ type: 'close' }`.
 * Worker → main: `{ type: 'ready' }` once the templates were read and the transport made;
 * `{ type: 'report', logs: [level, entry][], settled: number }` for what the mailer logged (the
 * entries it logs anyway, already scrubbed of the code, link and address) and how many mails
 * reached an outcome since the last report; `{ type: 'closed' }` when the mailer has drained and
 * closed its transport.
 */
import type { LogEntry, Logger } from '../../observability/logger.ts';
import type { Backoff } from '../retry-policy.ts';
import type { DkimConfig, Mail } from '../types.ts';

/** What the worker starts with (`workerData`): plain values, since a function cannot cross threads. */
export interface MailWorkerData {
  smtpUrl: string;
  from: string;
  templatesDir?: string;
  maxConnections?: number;
  maxInFlight: number;
  retries?: number;
  backoff?: Backoff;
  dkim?: DkimConfig;
}

export type LogLevel = keyof Logger;

export type WorkerToMain =
  | { type: 'ready' }
  | { type: 'report'; logs: [LogLevel, LogEntry][]; settled: number }
  | { type: 'closed' };

export type MainToWorker = { type: 'mails'; mails: Mail[] } | { type: 'idle' } | { type: 'close' };
