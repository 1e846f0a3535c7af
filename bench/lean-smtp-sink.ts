/**
 * A real SMTP server (smtp-server) for the throughput benchmark. Each message's raw text is
 * scanned for the code (a line of 6–10 digits, as the templates put it; digits pass through
 * quoted-printable unchanged) instead of being MIME-parsed: at thousands of mails a second a
 * full parse (server/testing/smtp-sink.ts) would be the busiest thing on a 2-core machine.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface LeanSink {
  url: string;
  /** Messages accepted so far. */
  received(): number;
  /** [recipient, code] of every message since the last call. */
  takeCodes(): [string, string][];
  close(): Promise<void>;
}

export interface LeanSinkOptions {
  /** Hold each message this long before accepting it: a slow relay, for the overload run (`--mail-delay-ms`). */
  acceptDelayMs?: number;
}

export async function startLeanSink(options: LeanSinkOptions = {}): Promise<LeanSink> {
  let received = 0;
  let codes: [string, string][] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (options.acceptDelayMs) setTimeout(accept, options.acceptDelayMs);
        else accept();
      });
      const accept = () => {
        received += 1;
        const raw = Buffer.concat(chunks).toString('latin1');
        const code = /^[ \t]*([0-9]{6,10})[ \t]*\r?$/m.exec(raw)?.[1];
        const to = session.envelope.rcptTo[0]?.address.toLowerCase();
        if (code && to) codes.push([to, code]);
        callback();
      };
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => received,
    takeCodes() {
      const taken = codes;
      codes = [];
      return taken;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
