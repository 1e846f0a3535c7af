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
 * Every outcome entry carries `outcome: 'sent' | 'failed' | 'dropped'`: the metrics count those
 * (mail-metrics.ts).
 */
import { createJsonLogger, type Logger } from '../logger.ts';
import { LINK_TOKEN_PARAM } from '../contract.ts';
import { mailTemplates, renderLoginMail } from './render.ts';
import type { LoginMail, Mailer, MailTransport, RenderedMail } from './types.ts';

export interface MailerOptions {
  transport: MailTransport;
  /** The `From` header, e.g. `"Example" <no-reply@example.com>` (`MAIL_FROM`). */
  from: string;
  /** Default: JSON lines on stderr (`createJsonLogger`). */
  logger?: Logger;
  /**
   * Where the default renderer reads its templates: an operator's own copy of `templates/`, for
   * their wording and branding. Default `templates/`. The files are read and checked when the
   * mailer is created, so a broken template stops the start instead of failing the first login.
   */
  templatesDir?: string;
  /** Replaces `renderLoginMail` (and `templatesDir`) altogether. */
  render?: (mail: LoginMail) => RenderedMail | Promise<RenderedMail>;
  /**
   * Called once per `dispatch`, after its outcome (sent, failed or dropped) has been logged: the
   * mail worker counts with it, to bound its queue and to tell the main thread what has settled.
   */
  onSettled?: () => void;
}

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
function failure(error: unknown, mail: LoginMail): Record<string, unknown> {
  let message = error instanceof Error ? error.message : String(error);
  const token = new RegExp(`[#&?]${LINK_TOKEN_PARAM}=([^&]+)`).exec(String(mail.link))?.[1];
  // The link first, so it is replaced whole before its token or a code inside it.
  for (const secret of [mail.link, token, mail.to, mail.code]) {
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
  const render = options.render ?? ((mail: LoginMail) => renderLoginMail(mail, { templatesDir }));
  const pending = new Set<Promise<void>>();
  let closed = false;
  const settled = () => {
    try {
      options.onSettled?.();
    } catch {
      // A counting hook that throws must not become an unhandled rejection either.
    }
  };

  async function deliver(mail: LoginMail): Promise<void> {
    if (typeof mail.to !== 'string' || !SINGLE_ADDRESS.test(mail.to)) throw new TypeError('recipient is not a single plain address');
    const rendered = await render(mail);
    await transport.send({ ...rendered, to: mail.to, from });
  }

  /** Neither a throwing logger nor a strange error may turn into an unhandled rejection. */
  function safeLog(level: keyof Logger, fields: () => Record<string, unknown>, msg: string): void {
    try {
      logger[level]({ msg, ...fields() });
    } catch {
      // Nothing left to tell: the logger itself is what failed.
    }
  }

  async function idle(): Promise<void> {
    // Loop: a send dispatched while we wait belongs to "so far" by the time we return.
    while (pending.size > 0) await Promise.all(pending);
  }

  return {
    idle,

    dispatch(mail: LoginMail): void {
      const fields = { event: 'login_mail', domain: recipientDomain(mail.to), locale: mail.locale };
      if (closed) {
        safeLog('warn', () => ({ ...fields, outcome: 'dropped' }), 'login mail dropped: the mailer is closed');
        settled();
        return;
      }
      const started = Date.now();
      // setImmediate: start rendering only after the caller's current I/O turn, so not even the
      // template work happens before the HTTP answer is on its way.
      const sending = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => deliver(mail))
        .then(
          () => safeLog('info', () => ({ ...fields, outcome: 'sent', ms: Date.now() - started }), 'login mail sent'),
          (error: unknown) =>
            safeLog('error', () => ({ ...fields, outcome: 'failed', ms: Date.now() - started, ...failure(error, mail) }), 'login mail failed'),
        );
      pending.add(sending);
      void sending.finally(() => {
        pending.delete(sending);
        settled();
      });
    },

    async close(): Promise<void> {
      closed = true;
      await idle();
      await transport.close?.();
    },
  };
}
