/**
 * The mail worker thread (started by worker-mailer.ts): the existing mailer (`createMailer`) over
 * the SMTP transport, so rendering the mail and nodemailer's MIME building and socket writes run
 * beside the HTTP thread instead of on it. The messages both sides exchange: protocol.ts.
 *
 * At most `maxInFlight` mails are in the mailer at a time (rendered, or in nodemailer's pool
 * queue); the rest wait here as the small mail objects they came as. The main thread bounds
 * the total (worker-mailer.ts `maxQueued`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LogEntry, Logger } from '../../observability/logger.ts';
import { createMailer } from '../mailer.ts';
import { createSmtpTransport } from '../smtp-transport.ts';
import type { Mail } from '../types.ts';
import type { LogLevel, MailWorkerData, MainToWorker, WorkerToMain } from './protocol.ts';

if (!parentPort) throw new Error('worker-thread.ts runs as a worker thread (see worker-mailer.ts)');
const port = parentPort;
const data = workerData as MailWorkerData;

let logs: [LogLevel, LogEntry][] = [];
let settled = 0;
let reportScheduled = false;

/** One report per event-loop turn, whatever number of mails settled in it. */
function report(): void {
  if (reportScheduled) return;
  reportScheduled = true;
  setImmediate(() => {
    reportScheduled = false;
    if (logs.length === 0 && settled === 0) return;
    const message: WorkerToMain = { type: 'report', logs, settled };
    logs = [];
    settled = 0;
    port.postMessage(message);
  });
}

const log = (level: LogLevel) => (entry: LogEntry) => {
  logs.push([level, entry]);
  report();
};
const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') };

const queue: Mail[] = [];
let head = 0;
let inFlight = 0;

const mailer = createMailer({
  transport: createSmtpTransport(data.smtpUrl, { maxConnections: data.maxConnections, dkim: data.dkim }),
  from: data.from,
  logger,
  templatesDir: data.templatesDir,
  retries: data.retries,
  backoff: data.backoff,
  onSettled() {
    inFlight -= 1;
    settled += 1;
    report();
    pump();
  },
});

function pump(): void {
  while (inFlight < data.maxInFlight && head < queue.length) {
    const mail = queue[head]!;
    queue[head] = undefined as unknown as Mail;
    head += 1;
    inFlight += 1;
    mailer.dispatch(mail);
  }
  // Drop the consumed front now and then, so the array does not keep every mail ever queued.
  if (head > 1024 && head * 2 > queue.length) {
    queue.splice(0, head);
    head = 0;
  }
  if (inFlight === 0 && head === queue.length) for (const resolve of drained.splice(0)) resolve();
}

const drained: (() => void)[] = [];

port.on('message', (message: MainToWorker) => {
  if (message.type === 'mails') {
    for (const mail of message.mails) queue.push(mail);
    pump();
  } else if (message.type === 'idle') {
    // The mailer stays hurried until it has nothing pending; pump() refills it as mails settle,
    // so that covers the mails still queued here too.
    void mailer.idle();
  } else if (message.type === 'close') {
    void (async () => {
      if (inFlight > 0 || head < queue.length) await new Promise<void>((resolve) => drained.push(resolve));
      await mailer.close();
      // The last report first (the main thread counts on its order), then the end.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (logs.length > 0 || settled > 0) port.postMessage({ type: 'report', logs, settled } satisfies WorkerToMain);
      logs = [];
      settled = 0;
      port.postMessage({ type: 'closed' } satisfies WorkerToMain);
    })();
  }
});

port.postMessage({ type: 'ready' } satisfies WorkerToMain);
