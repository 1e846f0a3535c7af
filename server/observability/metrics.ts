/**
 * The backend's metrics: a tiny registry of labelled counters and one latency histogram, rendered
 * in the Prometheus text exposition format 0.0.4 (`GET /metrics`, app.ts).
 *
 * Hand-written rather than prom-client: prom-client is ~100 KB and brings process and GC
 * collectors and a global registry we don't need; six metrics and one histogram are ~100 lines.
 *
 * Label values come from fixed sets (outcomes, scopes) or from the matched route pattern and the
 * status, never from a raw URL or an email, so the number of series stays bounded.
 */

type Labels = Record<string, string>;

/** Prometheus' default buckets, in seconds: from a 5 ms cache hit to a 10 s stalled store. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Counter<L extends Labels = Labels> {
  inc(labels?: L, by?: number): void;
}

export interface Histogram<L extends Labels = Labels> {
  observe(labels: L, seconds: number): void;
}

interface Metric {
  render(): string[];
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

export class MetricsRegistry {
  readonly #metrics: Metric[] = [];

  /**
   * `initial`: label sets shown as 0 before anything happens, so a rate() over a series that has
   * not moved yet reads 0 instead of "no data".
   */
  counter<L extends Labels = Record<never, string>>(name: string, help: string, initial: L[] = [{} as L]): Counter<L> {
    const values = new Map<string, number>();
    for (const labels of initial) values.set(labelText(labels), 0);
    this.#metrics.push({
      render: () => [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, ...[...values].map(([labels, value]) => `${name}${labels} ${value}`)],
    });
    return {
      inc(labels = {} as L, by = 1) {
        const key = labelText(labels);
        values.set(key, (values.get(key) ?? 0) + by);
      },
    };
  }

  histogram<L extends Labels>(name: string, help: string, buckets: number[] = LATENCY_BUCKETS): Histogram<L> {
    const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
    this.#metrics.push({
      render: () => {
        const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
        for (const { labels, counts, sum, count } of series.values()) {
          // Buckets are cumulative: each counts every observation at or below its bound.
          buckets.forEach((le, i) => lines.push(`${name}_bucket${labelText({ ...labels, le: String(le) })} ${counts[i]}`));
          lines.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`);
          lines.push(`${name}_sum${labelText(labels)} ${sum}`, `${name}_count${labelText(labels)} ${count}`);
        }
        return lines;
      },
    });
    return {
      observe(labels, seconds) {
        const key = labelText(labels);
        let entry = series.get(key);
        if (!entry) series.set(key, (entry = { labels, counts: buckets.map(() => 0), sum: 0, count: 0 }));
        buckets.forEach((le, i) => {
          if (seconds <= le) entry.counts[i]! += 1;
        });
        entry.sum += seconds;
        entry.count += 1;
      },
    };
  }

  /** The exposition text, one metric family after another, ending with a newline. */
  render(): string {
    return `${this.#metrics.flatMap((metric) => metric.render()).join('\n')}\n`;
  }
}

/** How a session was signed in: an email code or link, or a passkey. */
export type VerifyMethod = 'code' | 'link' | 'passkey';
/** `second_factor`: a right first factor of an account with a second step, answered with its ticket (no session yet). */
export type VerifyOutcome = 'ok' | 'invalid' | 'expired' | 'too_many' | 'invalid_link' | 'second_factor';
export type MailOutcome = 'sent' | 'failed' | 'dropped';
export type PasskeyCeremony = 'register' | 'sign_in';
/**
 * `invalid`: an answer that did not check out (challenge, origin, RP ID, signature, counter);
 * `unknown`: no such passkey; `stale`: enrolment without a fresh email sign-in; `too_many`: at the
 * cap; `unauthenticated`: enrolment with no session.
 */
export type PasskeyOutcome = 'ok' | 'invalid' | 'unknown' | 'stale' | 'too_many' | 'unauthenticated';
/** A cross-device approval: the right number, a wrong one, the asker no longer waiting, the session collected by the asker. */
export type ApprovalOutcome = 'approved' | 'refused' | 'not_waiting' | 'collected';

/** The backend's metrics by name; each part is counted in the layer that decides it. */
export interface Metrics {
  registry: MetricsRegistry;
  /** Login service: a code created and handed to the mailer. */
  codesRequested: Counter;
  /** Login service: every verify that reached a decision. */
  verifies: Counter<{ method: VerifyMethod; outcome: VerifyOutcome }>;
  /** Login service (`email`: one code a minute, five an hour) and router (`ip`: per-IP limits). */
  rateLimited: Counter<{ scope: 'email' | 'ip' }>;
  /** Login service: a code request answered 503 `mail_busy` (the mail queue was full), before anything was written. */
  mailBusy: Counter;
  /** Mailer log entries (mail/mail-metrics.ts), on the main thread whichever thread sent. */
  mail: Counter<{ outcome: MailOutcome }>;
  /** Mailer log entries too: a send tried again after a passing failure (MAIL_RETRIES). */
  mailRetries: Counter;
  /** Login service: a logout that revoked a live session. */
  sessionsRevoked: Counter;
  /** Passkey service: each registration and sign-in answer that reached a decision. */
  passkeyCeremonies: Counter<{ ceremony: PasskeyCeremony; outcome: PasskeyOutcome }>;
  /** Login service: cross-device approvals by outcome. */
  approvals: Counter<{ outcome: ApprovalOutcome }>;
  /** HTTP middleware: route pattern and final status. */
  httpDuration: Histogram<{ route: string; status: string }>;
}

export function createMetrics(): Metrics {
  const registry = new MetricsRegistry();
  return {
    registry,
    codesRequested: registry.counter('passwordless_codes_requested_total', 'Login codes created and handed to the mailer (one mail each).'),
    verifies: registry.counter('passwordless_verifies_total', 'Code and link verifications by outcome.', [
      ...(['ok', 'invalid', 'expired', 'too_many'] as const).map((outcome) => ({ method: 'code' as const, outcome })),
      ...(['ok', 'expired', 'invalid_link'] as const).map((outcome) => ({ method: 'link' as const, outcome })),
    ]),
    rateLimited: registry.counter('passwordless_rate_limited_total', 'Requests refused by a rate limit, per email address or per client IP.', [{ scope: 'email' }, { scope: 'ip' }]),
    mailBusy: registry.counter('passwordless_mail_busy_total', 'Requests answered 503 mail_busy (a code request, or a passkey registration whose notice could not be queued): the mail queue was full, so nothing was sent or written.'),
    mail: registry.counter('passwordless_mail_total', 'Login mails by outcome: sent, failed (SMTP error) or dropped (queue full or mailer closed).', [
      { outcome: 'sent' },
      { outcome: 'failed' },
      { outcome: 'dropped' },
    ]),
    mailRetries: registry.counter('passwordless_mail_retries_total', 'Login mail sends tried again after a passing failure (SMTP 4xx, lost connection, timeout).'),
    sessionsRevoked: registry.counter('passwordless_sessions_revoked_total', 'Sessions revoked: by a logout, revokeSession or revokeUserSessions.'),
    passkeyCeremonies: registry.counter('passwordless_passkey_ceremonies_total', 'Passkey registrations and sign-ins by outcome.', [
      ...(['ok', 'invalid', 'stale', 'too_many', 'unauthenticated'] as const).map((outcome) => ({ ceremony: 'register' as const, outcome })),
      ...(['ok', 'invalid', 'unknown'] as const).map((outcome) => ({ ceremony: 'sign_in' as const, outcome })),
    ]),
    approvals: registry.counter('passwordless_approvals_total', 'Cross-device approvals by outcome: approved (right number), refused (wrong number), not_waiting (the asking device had gone), collected (the asking device got its session).', [
      { outcome: 'approved' },
      { outcome: 'refused' },
      { outcome: 'not_waiting' },
      { outcome: 'collected' },
    ]),
    httpDuration: registry.histogram('passwordless_http_request_duration_seconds', 'HTTP request latency by matched route and status.'),
  };
}
