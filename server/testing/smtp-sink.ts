/**
 * A real SMTP server in-process for tests: smtp-server on an ephemeral port; each message is
 * parsed with mailparser and kept, raw bytes too (a DKIM signature is over them), and
 * `nextMail()` resolves with the next one (no polling). `acceptDelayMs` and `acceptAfter` make a
 * slow or a stalled server. `answer` scripts refusals: `451` to the
 * first two, then accept; `550` to all. `refuseLogin` answers every AUTH with 535.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** RCPT TO addresses: where the mail really went. */
  envelopeTo: string[];
  parsed: ParsedMail;
  subject: string;
  text: string;
  html: string;
  /** The message byte for byte, CRLF line ends as sent. */
  raw: Buffer;
}

export interface SmtpSink {
  port: number;
  /** `smtp://127.0.0.1:PORT`, for SMTP_URL. */
  url: string;
  /** The accepted messages. */
  received: ReceivedMail[];
  /** Messages that reached the end of DATA, refused or accepted. */
  readonly attempts: number;
  /** The next message not yet taken by `nextMail` (already received, or the next to arrive). */
  nextMail(timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** An SMTP refusal; null accepts the message. */
export type SmtpAnswer = { responseCode: number; message: string } | null;

export interface SmtpSinkOptions {
  /** Hold each message this long before accepting it: a slow mail server. */
  acceptDelayMs?: number;
  /** Hold each message until this settles, then accept it: a mail server that stalls until the test lets it go. */
  acceptAfter?: Promise<unknown>;
  /** How to answer each message, `attempt` counting from 1; default: accept. */
  answer?: (attempt: number) => SmtpAnswer;
  /** Refuse every login (535), as a server does with a wrong password; default: any login is fine. */
  refuseLogin?: boolean;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let attempts = 0;
  let taken = 0;
  const waiting: ((mail: ReceivedMail) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.refuseLogin) return callback(new Error('Invalid username or password'));
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        attempts += 1;
        const refusal = options.answer?.(attempts);
        if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.responseCode }));
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((parsed) => {
          const mail: ReceivedMail = {
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            parsed,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            raw,
          };
          const accept = () => {
            received.push(mail);
            const waiter = waiting.shift();
            if (waiter) {
              taken += 1;
              waiter(mail);
            }
            callback();
          };
          if (options.acceptDelayMs) setTimeout(accept, options.acceptDelayMs);
          else if (options.acceptAfter) void options.acceptAfter.then(accept, accept);
          else accept();
        }, callback);
      });
    },
  });
  // A client that dies mid-message (a backend killed with kill -9) resets its connection: that
  // mail was never accepted, and without a listener the reset would crash the test process.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    get attempts() {
      return attempts;
    },
    nextMail(timeoutMs = 5000) {
      if (taken < received.length) return Promise.resolve(received[taken++]!);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new Error(`no mail arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (mail: ReceivedMail) => {
          clearTimeout(timer);
          resolve(mail);
        };
        waiting.push(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The 6–10 digit code on a line of its own in the text body, as the templates put it. */
export function codeIn(mail: Pick<ReceivedMail, 'text'>): string {
  const match = /^\s*([0-9]{6,10})\s*$/m.exec(mail.text);
  if (!match) throw new Error(`no code in mail: ${mail.text}`);
  return match[1]!;
}

/** The magic link on a line of its own in the text body. */
export function linkIn(mail: ReceivedMail): string {
  const match = /^\s*(https?:\/\/\S+)\s*$/m.exec(mail.text);
  if (!match) throw new Error(`no link in mail: ${mail.text}`);
  return match[1]!;
}
