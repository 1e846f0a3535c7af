/**
 * A real SMTP server for tests (smtp-server on an ephemeral port) that answers each message the
 * way the test scripts it — `451` to the first two, then accept; `550` to all — and keeps every
 * accepted message byte for byte: the retry tests count what arrived, and the DKIM test checks a
 * signature, which is over the raw bytes (the sink in smtp-sink.ts keeps parsed mail instead).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** An SMTP refusal; null accepts the message. */
export type SmtpAnswer = { responseCode: number; message: string } | null;

export interface ScriptedSmtp {
  /** `smtp://127.0.0.1:PORT`. */
  url: string;
  /** Messages that reached the end of DATA, refused or accepted. */
  readonly attempts: number;
  /** The raw bytes of each accepted message, CRLF line ends as sent. */
  accepted: Buffer[];
  /** The next accepted message not yet taken (already here, or the next to come). */
  nextAccepted(timeoutMs?: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** `answer(attempt)`: attempt 1 is the first message the server receives. */
export async function startScriptedSmtp(answer: (attempt: number) => SmtpAnswer = () => null): Promise<ScriptedSmtp> {
  let attempts = 0;
  let taken = 0;
  const accepted: Buffer[] = [];
  const waiting: ((raw: Buffer) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        attempts += 1;
        const refusal = answer(attempts);
        if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.responseCode }));
        const raw = Buffer.concat(chunks);
        accepted.push(raw);
        const waiter = waiting.shift();
        if (waiter) {
          taken += 1;
          waiter(raw);
        }
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    get attempts() {
      return attempts;
    },
    accepted,
    nextAccepted(timeoutMs = 5000) {
      if (taken < accepted.length) return Promise.resolve(accepted[taken++]!);
      return new Promise<Buffer>((resolve, reject) => {
        const waiter = (raw: Buffer) => {
          clearTimeout(timer);
          resolve(raw);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new Error(`no message accepted within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
