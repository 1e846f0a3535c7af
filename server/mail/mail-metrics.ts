/**
 * Counts mail outcomes from the mailers' own log entries: each outcome is already logged exactly
 * once, with `event: 'login_mail'` and an `outcome`, on the main thread (the worker mailer forwards
 * its worker's entries), so counting there sees both mailers and every thread without a second
 * channel that could disagree with the log. A retry is its own entry (`outcome: 'retrying'`, not
 * an outcome of the mail) and counts as a retry.
 */
import type { AuditTrail } from '../observability/audit-trail.ts';
import type { LogEntry, Logger } from '../observability/logger.ts';
import type { MailOutcome, Metrics } from '../observability/metrics.ts';

const OUTCOMES: ReadonlySet<unknown> = new Set<MailOutcome>(['sent', 'failed', 'dropped']);

/**
 * `trail`: also counts the day's `mail:sent` and `mail:failed` for the admin overview (a mail
 * dropped, never handed to SMTP, counts as failed: it did not go out).
 */
export function countingMailLogger(logger: Logger, metrics: Pick<Metrics, 'mail' | 'mailRetries'>, trail?: Pick<AuditTrail, 'count'>): Logger {
  const count = (entry: LogEntry) => {
    if (entry.event !== 'login_mail') return;
    if (entry.outcome === 'retrying') return metrics.mailRetries.inc();
    if (!OUTCOMES.has(entry.outcome)) return;
    // Entries about several mails at once say how many in `mails`.
    const mails = typeof entry.mails === 'number' ? entry.mails : 1;
    metrics.mail.inc({ outcome: entry.outcome as MailOutcome }, mails);
    trail?.count(entry.outcome === 'sent' ? 'mail:sent' : 'mail:failed', mails);
  };
  return {
    info: (entry) => (count(entry), logger.info(entry)),
    warn: (entry) => (count(entry), logger.warn(entry)),
    error: (entry) => (count(entry), logger.error(entry)),
  };
}
