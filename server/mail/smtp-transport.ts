/**
 * The SMTP `MailTransport`: nodemailer with a small connection pool, and DKIM signing when
 * configured (`DKIM_*`: nodemailer signs each message with the domain's key, so receivers that
 * check DKIM and DMARC can tell the mail really comes from that domain).
 *
 * The pool (8 connections) reuses connections across mails and bounds how many a burst of
 * requests opens against the SMTP server; the rest wait in nodemailer's queue. Every wait is
 * bounded (10 s to connect, for the greeting and for DNS, 30 s of socket silence), so a dead
 * or stalling server turns into a logged failure instead of a send that never settles.
 *
 * Retries are the mailer's (MAIL_RETRIES, logged and counted), so the pool's own silent requeue of
 * a message whose connection closed mid-send is off; `isTransient` tells the mailer which failures
 * are worth another try.
 */
import { createTransport } from 'nodemailer';
import type { DkimConfig, MailTransport, OutgoingMail } from './types.ts';

/** nodemailer's codes for a connection that failed or was lost, rather than a message refused. */
const CONNECTION_FAILURES: ReadonlySet<unknown> = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']);

/**
 * RFC 5321: a 4yz reply is a transient failure ("try again later": 421 busy, 451 local error, 452
 * storage, greylisting), a 5yz reply a permanent one (550 no such mailbox) that the same message
 * would get again. Without a reply, a connection that failed or dropped is worth another try; a
 * failure of our own (a bad message, TLS or login misconfigured) is not.
 */
export function isTransientSmtpError(error: unknown): boolean {
  const { responseCode, code } = (error ?? {}) as { responseCode?: unknown; code?: unknown };
  if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500;
  return CONNECTION_FAILURES.has(code);
}

export interface SmtpTransportOptions {
  /** Milliseconds to wait for the TCP (or TLS) connection and for the server's greeting. Default 10 000. */
  connectTimeoutMs?: number;
  /** Milliseconds of silence on an open connection before it is dropped. Default 30 000. */
  socketTimeoutMs?: number;
  /**
   * Simultaneous connections to the server. Default 8: each connection waits a round trip per SMTP
   * command, so 3 left the sender idle while mail queued (measured on the throughput benchmark's
   * sink: about 490 mails/s with 3, 610 with 8, 620 with 16; past 8 the CPU of building the
   * messages is the limit).
   */
  maxConnections?: number;
  /** Signs every message (nodemailer's `dkim`); absent: unsigned. */
  dkim?: DkimConfig;
}

/**
 * `smtpUrl` is `smtp://user:pass@host:port` (STARTTLS when the server offers it) or
 * `smtps://user:pass@host:465` (TLS from the first byte); user and password are percent-encoded.
 * Query parameters are nodemailer options (`?tls.rejectUnauthorized=false`) and override ours.
 * Throws a `TypeError` that never repeats the URL (it may hold a password) for any other scheme.
 */
export function createSmtpTransport(smtpUrl: string, options: SmtpTransportOptions = {}): MailTransport {
  let protocol: string;
  try {
    protocol = new URL(smtpUrl).protocol;
  } catch {
    throw new TypeError('SMTP URL is not a URL (expected smtp://user:pass@host:port)');
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') {
    throw new TypeError(`SMTP URL must start with smtp:// or smtps://, not ${protocol.slice(0, 20)}//`);
  }
  const connectTimeout = options.connectTimeoutMs ?? 10_000;
  const transporter = createTransport({
    pool: true,
    url: smtpUrl,
    maxConnections: options.maxConnections ?? 8,
    connectionTimeout: connectTimeout,
    greetingTimeout: connectTimeout,
    dnsTimeout: connectTimeout,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
    maxRequeues: 0,
    dkim: options.dkim,
  });

  return {
    async send(message: OutgoingMail): Promise<void> {
      await transporter.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    },
    isTransient: isTransientSmtpError,
    async close(): Promise<void> {
      transporter.close();
    },
  };
}
