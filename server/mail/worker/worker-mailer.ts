/**
 * The SMTP mailer on a worker thread: `dispatch` hands the mail (a login mail or a notice) to a `worker_threads` Worker
 * (worker-thread.ts; the messages: protocol.ts) that renders and sends it with the usual mailer
 * (`createMailer` over `createSmtpTransport`), so the ~1 ms of CPU that nodemailer spends building each message is not
 * taken from the thread that answers HTTP.
 *
 * The `Mailer` contract holds: `dispatch` returns at once and never throws (a known and an unknown
 * email answer alike whatever happens to the mail), outcomes are logged through `logger` on this
 * thread with the same scrubbed entries as `createMailer` writes, `idle()` resolves once every mail
 * dispatched so far has been sent, has failed or was dropped (telling the worker not to sit out
 * retry delays meanwhile), and `close()` drains, then ends the worker.
 *
 * The queue is bounded: with `maxQueued` mails dispatched and not yet settled (an SMTP server
 * slower than the requests, or down), `reserve` answers busy, so the login service answers
 * `503 mail_busy` instead of promising a mail (queue-room.ts), and a `dispatch` without a
 * reservation is dropped and logged as an error, so memory cannot grow without bound.
 *
 * Under tsx (`node --import tsx`, the tests, `npm run serve`) a worker does not get tsx's loader
 * from `--import tsx` in its execArgv (Node 20 reports "Unknown file extension .ts"), so a `.ts`
 * worker is started through a small bootstrap that registers tsx in the worker, then imports it.
 */
import { Worker } from 'node:worker_threads';
import { createJsonLogger, type Logger } from '../../observability/logger.ts';
import { RUNNING_FROM_SOURCES } from '../../assets/package-files.ts';
import type { MailWorkerData, MainToWorker, WorkerToMain } from './protocol.ts';
import { recipientDomain } from '../mailer.ts';
import { mailTemplates } from '../render.ts';
import { createQueueRoom, DEFAULT_MAX_QUEUED } from '../queue-room.ts';
import type { Backoff } from '../retry-policy.ts';
import type { DkimConfig, Mail, Mailer } from '../types.ts';

export interface WorkerMailerOptions {
  /** `SMTP_URL` (see createSmtpTransport). */
  smtpUrl: string;
  /** The `From` header (`MAIL_FROM`). */
  from: string;
  /** Default: JSON lines on stderr. */
  logger?: Logger;
  /** `TEMPLATES_DIR` (see createMailer); checked here and read again by the worker. */
  templatesDir?: string;
  /** Mails dispatched and not yet settled beyond which `reserve` is busy (`MAIL_QUEUE_SIZE`). Default 10 000. */
  maxQueued?: number;
  /** Milliseconds since the epoch, for the drain rate behind `Retry-After`. Default Date.now. */
  now?: () => number;
  /** Mails the worker renders and hands to nodemailer at a time; the rest wait unrendered. Default 256. */
  maxInFlight?: number;
  /** SMTP connections in the pool (createSmtpTransport's default when absent). */
  maxConnections?: number;
  /** Further tries of a send that failed for a passing reason (`MAIL_RETRIES`). Default 0. */
  retries?: number;
  /** Retry delays (retry-policy.ts); plain numbers, since a function cannot cross to the worker. */
  backoff?: Backoff;
  /** DKIM-sign every message (`DKIM_*`). */
  dkim?: DkimConfig;
}

const DEFAULT_MAX_IN_FLIGHT = 256;
/** At most one "dropped" log line per second while the queue is full (plus one with the count). */
const DROP_LOG_INTERVAL_MS = 1000;

const WORKER_URL = new URL(`./worker-thread${RUNNING_FROM_SOURCES ? '.ts' : '.js'}`, import.meta.url);

/**
 * The worker's young generation, sized to what it needs. V8 gives every isolate a 32 MB new space
 * (two 16 MB semi-spaces), filled and kept as resident memory under load; the worker's garbage is
 * short-lived (a rendered message, nodemailer's MIME pieces, at most `maxInFlight` at a time), so
 * a 4 MB young generation (2 MB semi-spaces) is enough: `npm run bench -- --users 100000 --store
 * json` peaked at 283 MB instead of 316 MB with every mail sent and none lost, its drain no slower
 * (784 against 613 mails a second), and the compiled `passwordless-login serve` under the same
 * load at 234 MB instead of 269 MB. The old generation and the stack keep V8's defaults: they hold
 * only what the worker keeps (bounded by `maxQueued`), so a lower cap saves no memory and would
 * only make a burst kill the worker and lose its mails.
 */
const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4 } as const;

function startWorker(data: MailWorkerData): Worker {
  // Options that name one output file would make the worker overwrite the main thread's profile.
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof-name') && !arg.startsWith('--heap-prof-name'));
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { workerData: data, execArgv, resourceLimits: WORKER_RESOURCE_LIMITS });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data, execArgv, resourceLimits: WORKER_RESOURCE_LIMITS });
}

/**
 * Starts the worker and resolves once it is ready: a worker that cannot start (a broken template,
 * a bad SMTP URL, a missing loader) fails the start, not every login after it.
 */
export async function createWorkerMailer(options: WorkerMailerOptions): Promise<Mailer> {
  const logger = options.logger ?? createJsonLogger();
  const maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
  // Checked here too, so the error names the template on this thread's stack.
  mailTemplates(options.templatesDir);
  const data: MailWorkerData = {
    smtpUrl: options.smtpUrl,
    from: options.from,
    templatesDir: options.templatesDir,
    maxConnections: options.maxConnections,
    retries: options.retries,
    backoff: options.backoff,
    dkim: options.dkim,
    maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
  };

  /** Mails accepted by `dispatch` (not the dropped ones) and how many of them have settled. */
  let dispatched = 0;
  let settled = 0;
  let batch: Mail[] = [];
  let closed = false;
  let idleWaiters: (() => void)[] = [];
  let worker: Worker | null = null;
  /** Mails posted to the current worker and not yet reported settled by it. */
  let inWorker = 0;
  let closing: (() => void) | null = null;
  let dropped = 0;
  let lastDropLog = -Infinity;
  let dropTimer: NodeJS.Timeout | null = null;

  function safeLog(level: keyof Logger, entry: { msg: string } & Record<string, unknown>): void {
    try {
      logger[level](entry);
    } catch {
      // The logger itself failed: nothing left to tell.
    }
  }

  const room = createQueueRoom({ capacity: maxQueued, queued: () => dispatched - settled, accept, closed: () => closed, now: options.now ?? Date.now, logger });

  function settle(count: number): void {
    settled += count;
    room.settled(count);
    if (settled === dispatched) {
      worker?.unref();
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  function attach(w: Worker): void {
    w.on('message', (message: WorkerToMain) => {
      if (message.type === 'report') {
        for (const [level, entry] of message.logs) safeLog(level, entry);
        inWorker -= message.settled;
        settle(message.settled);
      } else if (message.type === 'closed') {
        closing?.();
      }
    });
    w.on('error', (error) => {
      safeLog('error', { msg: 'mail worker failed', event: 'login_mail', error: error instanceof Error ? error.message : String(error) });
    });
    w.on('exit', () => {
      if (worker !== w) return;
      worker = null;
      // Whatever it still held is lost: say so, and let idle() and close() finish.
      const lost = inWorker;
      inWorker = 0;
      if (lost > 0) safeLog('error', { msg: 'login mails lost: the mail worker stopped', event: 'login_mail', outcome: 'failed', mails: lost, lost });
      settle(lost);
      closing?.();
    });
  }

  function ensureWorker(): Worker {
    if (!worker) {
      worker = startWorker(data);
      attach(worker);
    }
    return worker;
  }

  function flush(): void {
    const mails = batch;
    batch = [];
    if (mails.length === 0) return;
    const w = ensureWorker();
    w.ref();
    inWorker += mails.length;
    try {
      w.postMessage({ type: 'mails', mails } satisfies MainToWorker);
    } catch (error) {
      inWorker -= mails.length;
      safeLog('error', { msg: 'login mails failed: could not reach the mail worker', event: 'login_mail', outcome: 'failed', mails: mails.length, count: mails.length, error: String(error) });
      settle(mails.length);
    }
  }

  function logDrop(mail: Mail): void {
    dropped += 1;
    const now = Date.now();
    if (now - lastDropLog >= DROP_LOG_INTERVAL_MS) {
      lastDropLog = now;
      safeLog('error', { msg: 'login mail dropped: the mail queue is full', event: 'login_mail', outcome: 'dropped', mails: dropped, domain: recipientDomain(mail.to), locale: mail.locale, queued: maxQueued, dropped });
      dropped = 0;
    } else if (!dropTimer) {
      dropTimer = setTimeout(() => {
        dropTimer = null;
        if (dropped === 0) return;
        lastDropLog = Date.now();
        safeLog('error', { msg: 'login mails dropped: the mail queue is full', event: 'login_mail', outcome: 'dropped', mails: dropped, queued: maxQueued, dropped });
        dropped = 0;
      }, DROP_LOG_INTERVAL_MS).unref();
    }
  }

  // The first worker starts now, and the start waits for it (ref'd meanwhile: at start-up it may
  // be the only thing keeping the process alive).
  const first = ensureWorker();
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: WorkerToMain) => {
      if (message.type !== 'ready') return;
      cleanup();
      resolve();
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`the mail worker exited with code ${code} before it was ready`));
    };
    const cleanup = () => {
      first.off('message', onMessage);
      first.off('error', onError);
      first.off('exit', onExit);
    };
    first.on('message', onMessage);
    first.on('error', onError);
    first.on('exit', onExit);
  });
  // Idle from here on until mail is dispatched: an idle mailer does not keep the process alive.
  if (settled === dispatched) first.unref();

  async function idle(): Promise<void> {
    if (batch.length > 0) flush();
    if (settled === dispatched) return;
    const waiting = new Promise<void>((resolve) => idleWaiters.push(resolve));
    // Mails waiting in the worker for a retry are tried at once, so this wait is never a backoff's.
    try {
      worker?.postMessage({ type: 'idle' } satisfies MainToWorker);
    } catch {
      // A worker that cannot be reached is ending: its exit settles what it held.
    }
    await waiting;
  }

  /** Queues a mail that has its place. */
  function accept(mail: Mail): void {
    if (closed) {
      safeLog('warn', { msg: 'login mail dropped: the mailer is closed', event: 'login_mail', outcome: 'dropped', domain: recipientDomain(mail.to), locale: mail.locale });
      return;
    }
    dispatched += 1;
    batch.push(mail);
    // One message to the worker per event-loop turn, after this turn's answers are written.
    if (batch.length === 1) setImmediate(flush);
  }

  return {
    idle,

    reserve: () => room.reserve(),

    dispatch(mail: Mail): void {
      try {
        if (closed) {
          safeLog('warn', { msg: 'login mail dropped: the mailer is closed', event: 'login_mail', outcome: 'dropped', domain: recipientDomain(mail.to), locale: mail.locale });
          return;
        }
        if (room.full()) {
          logDrop(mail);
          return;
        }
        accept(mail);
      } catch {
        // dispatch never throws (the Mailer contract).
      }
    },

    async close(): Promise<void> {
      closed = true;
      await idle();
      const w = worker;
      if (!w) return;
      w.ref();
      await new Promise<void>((resolve) => {
        closing = resolve;
        w.postMessage({ type: 'close' } satisfies MainToWorker);
      });
      closing = null;
      worker = null;
      await w.terminate();
      if (dropTimer) clearTimeout(dropTimer);
    },
  };
}
