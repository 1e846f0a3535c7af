/**
 * The operator's questions to the SMTP server, asked once, apart from the mailer: does it answer
 * and take our login (`checkSmtp`, nodemailer's `verify()`: connect, greeting, EHLO, STARTTLS,
 * AUTH), and does a real mail go through (`sendTestMail`, the doctor's `--send-test-mail`)?
 * `serve` asks the first at start, `createPasswordless` lets the host ask it, the doctor asks
 * both. Each failure becomes one sentence: the server's host:port, the cause, the fix.
 */
import { createTransport } from 'nodemailer';
import type { DkimConfig } from './types.ts';

/**
 * 5 s for the whole check: a server that works answers it in about 0.1 s (measured against a
 * local smtp-server), and a distant one needs a few round trips (TCP, TLS, EHLO, AUTH) of at most
 * a few hundred milliseconds each. A start blocked longer than this by a server that does not
 * answer is the failure worth reporting; the mailer itself waits 10 s per step when it sends.
 * When this deadline wins, the check's socket is not closed by `close()` (a transport without a
 * pool only emits 'close'): nodemailer's own per-step timeouts, set to the same 5 s, end it at
 * most one step later, so each check holds a socket for 10 s at the most.
 */
export const SMTP_CHECK_TIMEOUT_MS = 5000;

export type SmtpFailureCause = 'connection refused' | 'authentication failed' | 'timeout' | 'host not found' | 'TLS failed' | 'refused by the server' | 'failed';

export type SmtpCheck =
  | { ok: true; server: string; sentence: string }
  | { ok: false; server: string; cause: SmtpFailureCause; sentence: string };

export interface SmtpProbeOptions {
  /** Default 5 s (SMTP_CHECK_TIMEOUT_MS). */
  timeoutMs?: number;
  /** How the caller names the setting in a fix: `SMTP_URL` (environment) or `smtpUrl` (library). */
  settingName?: string;
}

/** `host:port` of an SMTP URL, with nodemailer's default port when the URL has none. */
export function smtpServerOf(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  return `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
}

function transporterFor(smtpUrl: string, timeoutMs: number, dkim?: DkimConfig) {
  return createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs, dnsTimeout: timeoutMs, dkim });
}

/** Rejects with an ETIMEDOUT error after `ms`: nodemailer's waits are per step, this bounds them all. */
function deadline(ms: number): { promise: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms / 1000} s`), { code: 'ETIMEDOUT' })), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/** Connects, greets, logs in, and says so in one sentence; never throws. */
export async function checkSmtp(smtpUrl: string, options: SmtpProbeOptions = {}): Promise<SmtpCheck> {
  const timeoutMs = options.timeoutMs ?? SMTP_CHECK_TIMEOUT_MS;
  const server = smtpServerOf(smtpUrl);
  const transporter = transporterFor(smtpUrl, timeoutMs);
  const timer = deadline(timeoutMs);
  try {
    await Promise.race([transporter.verify(), timer.promise]);
    return { ok: true, server, sentence: `SMTP ${server} answers and accepts the login` };
  } catch (error) {
    return { ok: false, server, ...describeSmtpFailure(error, server, timeoutMs, options.settingName ?? 'SMTP_URL') };
  } finally {
    timer.clear();
    transporter.close();
  }
}

/** Sends one mail as the login mail would go (same URL, same DKIM); resolves with the server's answer (`250 …`). */
export async function sendTestMail(smtpUrl: string, mail: { from: string; to: string; dkim?: DkimConfig }, options: SmtpProbeOptions = {}): Promise<{ ok: true; response: string } | { ok: false; sentence: string }> {
  const timeoutMs = options.timeoutMs ?? SMTP_CHECK_TIMEOUT_MS;
  const server = smtpServerOf(smtpUrl);
  const transporter = transporterFor(smtpUrl, timeoutMs, mail.dkim);
  try {
    const info = (await transporter.sendMail({
      from: mail.from,
      to: mail.to,
      subject: 'passwordless-login doctor: test mail',
      text: `This is a test mail sent by \`passwordless-login doctor --send-test-mail\` through ${server}.\nIt signs nobody in.\n`,
    })) as { response?: string };
    return { ok: true, response: info.response ?? '(no answer text)' };
  } catch (error) {
    return { ok: false, sentence: describeSmtpFailure(error, server, timeoutMs, options.settingName ?? 'SMTP_URL').sentence };
  } finally {
    transporter.close();
  }
}

/** nodemailer's error as a cause and a sentence with the fix. */
function describeSmtpFailure(error: unknown, server: string, timeoutMs: number, name: string): { cause: SmtpFailureCause; sentence: string } {
  const { code, responseCode, message = String(error) } = (error ?? {}) as { code?: string; responseCode?: number; message?: string };
  const why = message.split('\n')[0]!.trim();
  const say = (cause: SmtpFailureCause, fix: string) => ({ cause, sentence: `SMTP ${server}: ${cause} (${why}). ${fix}` });
  if (code === 'EAUTH') return say('authentication failed', `Check the user name and password in ${name} (percent-encode @ : / in them).`);
  if (/ECONNREFUSED/.test(message)) return say('connection refused', `Nothing listens there: check the host and port in ${name} (587 for smtp://, 465 for smtps://) and that the server runs.`);
  if (code === 'ETIMEDOUT') return say('timeout', `No answer within ${timeoutMs / 1000} s: check the host and port in ${name}; a firewall may drop the port (many clouds block 25: try 587).`);
  if (code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(message)) return say('host not found', `Check the host name in ${name}.`);
  if (code === 'ETLS' || /SSL|TLS|certificate/i.test(message)) return say('TLS failed', `smtps:// is TLS from the first byte (port 465), smtp:// upgrades with STARTTLS (587): match the scheme in ${name} to the port; a self-signed certificate needs ?tls.rejectUnauthorized=false.`);
  if (typeof responseCode === 'number') return say('refused by the server', `The server answered ${responseCode}: see its reason above, and its logs.`);
  return say('failed', `Check ${name}.`);
}
