/**
 * The request phase's mail, accounted for in one window: from just before the warm-up to the end
 * of the drain, on the server's own counters (codes handed to the mailer; mails sent, failed,
 * dropped) and the sink's count. autocannon's 2xx count is not the number of mails: a request
 * still in flight when autocannon stops is answered and mailed by the server but counted by
 * nobody (up to one per connection per run, so up to 100 at 50 connections with the warm-up),
 * which is how "948 of 927 mails" and "-21 dropped" were once printed.
 */

/** The server's counters at one moment (passwordless_codes_requested_total, passwordless_mail_total, passwordless_mail_busy_total). */
export interface ServerMailCounts {
  handed: number;
  sent: number;
  failed: number;
  dropped: number;
  /** Requests answered 503 mail_busy: refused before anything was promised or written. */
  refused: number;
}

/** The counters in the text of GET /metrics (NaN for one it does not show). */
export function mailCountsFromMetrics(text: string): ServerMailCounts {
  const read = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    handed: read('passwordless_codes_requested_total'),
    sent: read('passwordless_mail_total{outcome="sent"}'),
    failed: read('passwordless_mail_total{outcome="failed"}'),
    dropped: read('passwordless_mail_total{outcome="dropped"}'),
    refused: read('passwordless_mail_busy_total'),
  };
}

export interface MailAccount {
  /** Codes the server created and handed to the mailer: one mail each. */
  handed: number;
  /** 2xx answers autocannon counted. */
  answered: number;
  /** Handed over but never counted as answered: in flight when autocannon stopped. */
  unanswered: number;
  sent: number;
  failed: number;
  /** Handed over after a 202 and dropped: what must be 0 (a request takes its mail's place first). */
  dropped: number;
  /** Answered 503 mail_busy: no code, no mail, nothing promised. */
  refused: number;
  /** Still in the server's queue when the wait ended. */
  queued: number;
  /** Received by the SMTP sink. */
  atSink: number;
  /** Each sentence names a figure that breaks the arithmetic; empty when every figure adds up. */
  problems: string[];
}

export function mailAccount(before: ServerMailCounts, after: ServerMailCounts, sink: { before: number; after: number }, answered: number): MailAccount {
  const delta = (key: keyof ServerMailCounts) => after[key] - before[key];
  const handed = delta('handed');
  const [sent, failed, dropped, refused] = [delta('sent'), delta('failed'), delta('dropped'), delta('refused')];
  const atSink = sink.after - sink.before;
  const account = { handed, answered, unanswered: handed - answered, sent, failed, dropped, refused, queued: handed - sent - failed - dropped, atSink };
  const problems: string[] = [];
  for (const [name, value] of Object.entries(account)) if (value < 0) problems.push(`${name} is ${value}`);
  // The sink counts a message when its data ends, the server once the sink said 250: equal once idle.
  if (atSink !== sent) problems.push(`the sink received ${atSink} but the server counted ${sent} sent`);
  return { ...account, problems };
}

/** One line for the log: every figure from the same window, and what does not add up, if anything. */
export function describeMailAccount(a: MailAccount): string {
  const n = (x: number) => x.toLocaleString('en');
  const parts = [
    `${n(a.atSink)} of ${n(a.handed)} mails at the sink`,
    `${n(a.dropped)} dropped after a 202`,
    `${n(a.refused)} answered 503 mail_busy`,
    `${n(a.failed)} failed`,
    `${n(a.queued)} still queued`,
    `${n(a.handed)} = ${n(a.answered)} answered + ${n(a.unanswered)} in flight when the load stopped`,
  ];
  return parts.join('; ') + (a.problems.length ? `; DOES NOT ADD UP: ${a.problems.join(', ')}` : '');
}
