/**
 * The mailer the login service uses: renders the login email and hands it to a transport, off the
 * request path.
 *
 * `dispatch` returns at once and never throws, so a request for a known email and one for an
 * unknown email answer in the same time whatever SMTP does (the enumeration rule), and an SMTP
 * outage is a log line, not a 500. The log line names only the recipient's domain: the code and
 * link are live credentials for up to 10 minutes and the full address is personal data, so both
 * are also scrubbed out of error messages (an SMTP server's "550 <alice@example.com> unknown"
 * would otherwise write the address into the log).
 *
 * A send that fails for a passing reason (the transport's `isTransient`: an SMTP 4xx, a lost
 * connection, a timeout) is tried again up to `retries` times with backoff (retry-policy.ts); the
 * mail is rendered once, and only the send is repeated. Each retry is a `warn` entry with
 * `outcome: 'retrying'`; the final failure is one `error` entry with the number of `attempts` and
 * the `reason` it was given up: `permanent` (a 5xx, or a mail that could not be rendered),
 * `retries_exhausted`, `code_expired` (the next try would come after the code it carries has
 * expired) or `shutdown` (idle() or close() is waiting: a mail in backoff gets one more try at once
 * and no more, so a shutdown never sits out a backoff).
 *
 * At most `maxQueued` mails are pending (a slow `sendMail` or dev mailbox must not grow memory
 * without bound): the login service takes a place with `reserve` before it writes anything and is
 * answered busy when there is none (queue-room.ts); a `dispatch` past the bound is dropped.
 *
 * Every outcome entry carries `outcome: 'sent' | 'failed' | 'dropped'`: the metrics count those,
 * and the retries (mail-metrics.ts).
 */
import { createJsonLogger, type Logger } from '../observability/logger.ts';
import { LINK_TOKEN_PARAM } from '../../contract/index.ts';
import { mailTemplates, renderMail } from './render.ts';
import { createQueueRoom, DEFAULT_MAX_QUEUED } from './queue-room.ts';
import { DEFAULT_BACKOFF, retryDelayMs, waitOrWake, type Backoff } from './retry-policy.ts';
import type { LoginMail, Mail, Mailer, MailTransport, OutgoingMail, RenderedMail } from './types.ts';

export interface MailerOptions {
  transport: MailTransport;
  /** The `From` header, e.g. `"Example" <no-reply@example.com>` (`MAIL_FROM`). */
  from: string;
  /** Default: JSON lines on stderr (`createJsonLogger`). */
  logger?: Logger;
  /**
   * `TEMPLATES_DIR`: an operator's files for their wording and branding, each replacing its
   * built-in twin in `templates/` (template-files.ts). Default: the built-ins alone. The files are
   * read and checked when the mailer is created, so a broken template stops the start instead of
   * failing the first login.
   */
  templatesDir?: string;
  /** Replaces `renderMail` (and `templatesDir`) altogether. */
  render?: (mail: Mail) => RenderedMail | Promise<RenderedMail>;
  /**
   * Called once per `dispatch`, after its outcome (sent, failed or dropped) has been logged: the
   * mail worker counts with it, to bound its queue and to tell the main thread what has settled.
   */
  onSettled?: () => void;
  /** Further tries of a send that failed for a passing reason (`MAIL_RETRIES`). Default 0: one try. */
  retries?: number;
  /** Default 1 s, then ×4, capped at 60 s (retry-policy.ts). */
  backoff?: Backoff;
  /** Waits before a retry; must return early when `signal` aborts. Default: a timer. Tests inject their own. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The jitter's source, in [0, 1). Default Math.random. */
  random?: () => number;
  /** Milliseconds since the epoch, for `ms` in the log, the code's expiry and the drain rate. Default Date.now. */
  now?: () => number;
  /**
   * Mails accepted and not yet settled beyond which `reserve` answers busy and `dispatch` drops
   * (`MAIL_QUEUE_SIZE`, queue-room.ts): a slow `sendMail` must not grow memory without bound.
   * Default 10 000.
   */
  maxQueued?: number;
}

type GiveUpReason = 'permanent' | 'retries_exhausted' | 'code_expired' | 'shutdown';

type Delivery = { sent: true; attempts: number } | { sent: false; attempts: number; reason: GiveUpReason; error: unknown };

/**
 * One address, no list: the server validates emails before this, but a comma or angle bracket
 * reaching nodemailer would make it a second recipient, so this refuses to send rather than trust.
 */
const SINGLE_ADDRESS = /^[^\s@,;:<>()[\]\\"]+@[^\s@,;:<>()[\]\\"]+$/;

export function recipientDomain(to: unknown): string {
  const at = typeof to === 'string' ? to.lastIndexOf('@') : -1;
  return at < 0 ? '(none)' : (to as string).slice(at + 1).toLowerCase();
}

/**
 * What a failed send logs: the error's message with the link, its token, the address and the code
 * replaced by `[redacted]`, and nodemailer's `code` (`ECONNECTION`, `ETIMEDOUT`, `EENVELOPE`…) and
 * SMTP `responseCode` when present.
 */
function failure(error: unknown, mail: Mail): Record<string, unknown> {
  let message = error instanceof Error ? error.message : String(error);
  // Every secret a mail may carry: a link (the login's, the undo's), its token, a code.
  const { link, code: mailCode } = mail as Partial<LoginMail>;
  const token = typeof link === 'string' ? new RegExp(`[#&?](?:${LINK_TOKEN_PARAM}|token)=([^&]+)`).exec(link)?.[1] : undefined;
  // The link first, so it is replaced whole before its token or a code inside it.
  for (const secret of [link, token, mail.to, mailCode]) {
    if (typeof secret !== 'string' || secret === '') continue;
    message = message.replace(new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '[redacted]');
  }
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return {
    error: message,
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    ...(typeof responseCode === 'number' ? { responseCode } : {}),
  };
}

export function createMailer(options: MailerOptions): Mailer {
  const { transport, from } = options;
  const logger = options.logger ?? createJsonLogger();
  const { templatesDir } = options;
  if (!options.render) mailTemplates(templatesDir);
  const render = options.render ?? ((mail: Mail) => renderMail(mail, { templatesDir }));
  const retries = options.retries ?? 0;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const wait = options.wait ?? waitOrWake;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const isTransient = (error: unknown) => transport.isTransient?.(error) ?? true;
  const pending = new Set<Promise<void>>();
  let closed = false;
  /** Callers of idle() or close() waiting now: while there are any, no mail waits for a retry. */
  let hurrying = 0;
  /** Aborted to wake every mail waiting for a retry. */
  let wake = new AbortController();
  const room = createQueueRoom({ capacity: options.maxQueued ?? DEFAULT_MAX_QUEUED, queued: () => pending.size, accept: send, closed: () => closed, now, logger });
  const notify = () => {
    try {
      options.onSettled?.();
    } catch {
      // A counting hook that throws must not become an unhandled rejection either.
    }
  };
  const settled = () => {
    room.settled(1);
    notify();
  };

  /** Neither a throwing logger nor a strange error may turn into an unhandled rejection. */
  function safeLog(level: keyof Logger, fields: () => Record<string, unknown>, msg: string): void {
    try {
      logger[level]({ msg, ...fields() });
    } catch {
      // Nothing left to tell: the logger itself is what failed.
    }
  }

  function giveUpReason(error: unknown, attempt: number, retryAt: number, expiresAt: number): GiveUpReason | null {
    if (!isTransient(error)) return 'permanent';
    if (attempt > retries) return 'retries_exhausted';
    if (hurrying > 0) return 'shutdown';
    // A mail whose code has expired signs nobody in; it would only confuse.
    if (retryAt >= expiresAt) return 'code_expired';
    return null;
  }

  async function deliver(mail: Mail, fields: Record<string, unknown>, started: number): Promise<Delivery> {
    let message: OutgoingMail;
    try {
      if (typeof mail.to !== 'string' || !SINGLE_ADDRESS.test(mail.to)) throw new TypeError('recipient is not a single plain address');
      message = { ...(await render(mail)), to: mail.to, from };
    } catch (error) {
      return { sent: false, attempts: 0, reason: 'permanent', error };
    }
    // A notice carries no code: it is worth sending for as long as the retries last.
    const expiresAt = 'expiresInMinutes' in mail ? started + mail.expiresInMinutes * 60_000 : Infinity;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await transport.send(message);
        return { sent: true, attempts: attempt };
      } catch (error) {
        const delayMs = retryDelayMs(attempt, backoff, random);
        const reason = giveUpReason(error, attempt, now() + delayMs, expiresAt);
        if (reason) return { sent: false, attempts: attempt, reason, error };
        safeLog('warn', () => ({ ...fields, outcome: 'retrying', attempt, delayMs, ...failure(error, mail) }), 'login mail retry');
        // Woken early by idle() or close(), the mail still gets this one more try, and no other.
        await wait(delayMs, wake.signal);
      }
    }
  }

  async function idle(): Promise<void> {
    hurrying += 1;
    wake.abort();
    try {
      // Loop: a send dispatched while we wait belongs to "so far" by the time we return.
      while (pending.size > 0) await Promise.all(pending);
    } finally {
      hurrying -= 1;
      if (hurrying === 0) wake = new AbortController();
    }
  }

  /** Sends a mail that has its place in the queue (or drops it, logged, once the mailer is closed). */
  function send(mail: Mail): void {
    // One event for every mail, so the mail metrics and alerts see notices too; `kind` tells them apart.
    const fields = { event: 'login_mail', domain: recipientDomain(mail.to), locale: mail.locale, ...('kind' in mail ? { kind: mail.kind } : {}) };
    if (closed) {
      safeLog('warn', () => ({ ...fields, outcome: 'dropped' }), 'login mail dropped: the mailer is closed');
      settled();
      return;
    }
    const started = now();
    // setImmediate: start rendering only after the caller's current I/O turn, so not even the
    // template work happens before the HTTP answer is on its way.
    const sending = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => deliver(mail, fields, started))
      .then(
        (delivery) => {
          const ms = now() - started;
          if (delivery.sent) safeLog('info', () => ({ ...fields, outcome: 'sent', ms, attempts: delivery.attempts }), 'login mail sent');
          else safeLog('error', () => ({ ...fields, outcome: 'failed', ms, attempts: delivery.attempts, reason: delivery.reason, ...failure(delivery.error, mail) }), 'login mail failed');
        },
        (error: unknown) => safeLog('error', () => ({ ...fields, outcome: 'failed', ms: now() - started, reason: 'permanent', ...failure(error, mail) }), 'login mail failed'),
      );
    pending.add(sending);
    void sending.finally(() => {
      pending.delete(sending);
      settled();
    });
  }

  return {
    idle,

    reserve: () => room.reserve(),

    dispatch(mail: Mail): void {
      if (!closed && room.full()) {
        safeLog('error', () => ({ event: 'login_mail', domain: recipientDomain(mail.to), locale: mail.locale, outcome: 'dropped' }), 'login mail dropped: the mail queue is full');
        notify();
        return;
      }
      send(mail);
    },

    async close(): Promise<void> {
      closed = true;
      await idle();
      await transport.close?.();
    },
  };
}
