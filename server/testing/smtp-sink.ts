/**
 * A real SMTP server in-process for tests: smtp-server on an ephemeral port; each message is
 * parsed with mailparser and kept, and `nextMail()` resolves with the next one (no polling).
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
}

export interface SmtpSink {
  port: number;
  /** `smtp://127.0.0.1:PORT`, for SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** The next message not yet taken by `nextMail` (already received, or the next to arrive). */
  nextMail(timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Hold each message this long before accepting it: a slow mail server. */
  acceptDelayMs?: number;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let taken = 0;
  const waiting: ((mail: ReceivedMail) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const mail: ReceivedMail = {
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            parsed,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
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
          else accept();
        },
        (error: Error) => callback(error),
      );
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
