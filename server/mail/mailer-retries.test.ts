/**
 * Retries in the mailer itself, with the time injected: which failures are tried again, after
 * which delays, how often, what is logged and counted, and that idle() and close() never sit out a
 * backoff. Over real SMTP: smtp-retries.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEntry } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { loggerWithRetrySignal } from '../testing/retry-signal.ts';
import { sampleFrom as from, sampleMail as mail } from '../testing/sample-login-mail.ts';
import { countingMailLogger } from './mail-metrics.ts';
import { createMailer, type MailerOptions } from './mailer.ts';
import type { MailTransport, OutgoingMail } from './types.ts';

const bounded = { timeout: 10_000 };

/** A transport whose n-th send (1-based) throws what `fail(n)` returns, or succeeds on null. */
function scriptedTransport(fail: (attempt: number) => Error | null, isTransient?: (error: unknown) => boolean) {
  const sent: OutgoingMail[] = [];
  let attempts = 0;
  const transport: MailTransport = {
    async send(message) {
      attempts += 1;
      const error = fail(attempts);
      if (error) throw error;
      sent.push(message);
    },
    ...(isTransient ? { isTransient } : {}),
  };
  return { transport, sent, attempts: () => attempts };
}

/** A wait that only records its delays and moves a fake clock by them. */
function recordedWaits() {
  const delays: number[] = [];
  let now = Date.UTC(2026, 0, 1);
  return {
    delays,
    now: () => now,
    wait: async (ms: number) => {
      delays.push(ms);
      now += ms;
    },
  };
}

/**
 * A mailer without jitter, and `settled`: resolves once the first mail has its outcome. Not
 * idle(): that would cut the retries short, which is what it is for (see the shutdown tests).
 */
function start(options: Omit<MailerOptions, 'from'>) {
  let onSettled: () => void = () => {};
  const settled = new Promise<void>((resolve) => (onSettled = resolve));
  const mailer = createMailer({ from, random: () => 0, onSettled, ...options });
  return Object.assign(mailer, { settled });
}

const busy = () => Object.assign(new Error('451 4.3.0 try again later'), { responseCode: 451 });
const byOutcome = (entries: LogEntry[], outcome: string) => entries.filter((e) => e.outcome === outcome);

describe('mail retries', () => {
  it('tries a send that failed for a passing reason again after 1 s and 4 s, renders once and sends once', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const time = recordedWaits();
    const smtp = scriptedTransport((n) => (n <= 2 ? busy() : null));
    let renders = 0;
    const mailer = start({ transport: smtp.transport, logger, retries: 3, wait: time.wait, now: time.now, render: () => (renders++, { subject: 's', text: 't', html: 'h' }) });
    mailer.dispatch(mail);
    await mailer.settled;
    assert.equal(smtp.attempts(), 3);
    assert.equal(smtp.sent.length, 1);
    assert.equal(renders, 1);
    assert.deepEqual(time.delays, [1000, 4000]);
    assert.deepEqual(
      entries.map((e) => [e.level, e.msg, e.outcome, e.attempt ?? e.attempts, e.delayMs]),
      [
        ['warn', 'login mail retry', 'retrying', 1, 1000],
        ['warn', 'login mail retry', 'retrying', 2, 4000],
        ['info', 'login mail sent', 'sent', 3, undefined],
      ],
    );
    assert.equal(entries[0]!.responseCode, 451);
    assert.equal(entries[0]!.domain, 'example.org');
  });

  it('does not try again a failure the transport calls permanent, and logs it once', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const time = recordedWaits();
    const refused = Object.assign(new Error('550 no such user'), { responseCode: 550 });
    const smtp = scriptedTransport(() => refused, (error) => (error as { responseCode: number }).responseCode < 500);
    const mailer = start({ transport: smtp.transport, logger, retries: 3, wait: time.wait, now: time.now });
    mailer.dispatch(mail);
    await mailer.settled;
    assert.equal(smtp.attempts(), 1);
    assert.deepEqual(time.delays, []);
    assert.deepEqual(
      entries.map((e) => [e.level, e.outcome, e.reason, e.attempts]),
      [['error', 'failed', 'permanent', 1]],
    );
  });

  it('gives up after MAIL_RETRIES more tries, with growing jittered delays, and logs the failure once', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const time = recordedWaits();
    const smtp = scriptedTransport(busy);
    const mailer = start({ transport: smtp.transport, logger, retries: 3, wait: time.wait, now: time.now, random: () => 0.5 });
    mailer.dispatch(mail);
    await mailer.settled;
    assert.equal(smtp.attempts(), 4);
    assert.deepEqual(time.delays, [1125, 4500, 18_000]);
    assert.equal(byOutcome(entries, 'retrying').length, 3);
    const failed = byOutcome(entries, 'failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.reason, 'retries_exhausted');
    assert.equal(failed[0]!.attempts, 4);
  });

  it('tries once with retries 0 (and by default)', bounded, async () => {
    for (const retries of [0, undefined]) {
      const { logger, entries } = recordingLogger();
      const smtp = scriptedTransport(busy);
      const mailer = start({ transport: smtp.transport, logger, ...(retries === undefined ? {} : { retries }), wait: recordedWaits().wait });
      mailer.dispatch(mail);
      await mailer.settled;
      assert.equal(smtp.attempts(), 1);
      assert.deepEqual(
        entries.map((e) => [e.outcome, e.reason]),
        [['failed', 'retries_exhausted']],
      );
    }
  });

  it('stops when the next try would come after the code in the mail has expired', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const time = recordedWaits();
    const smtp = scriptedTransport(busy);
    const mailer = start({ transport: smtp.transport, logger, retries: 10, wait: time.wait, now: time.now });
    // 1 minute: after 1 + 4 + 16 s, the next delay (60 s) ends past it.
    mailer.dispatch({ ...mail, expiresInMinutes: 1 });
    await mailer.settled;
    assert.deepEqual(time.delays, [1000, 4000, 16_000]);
    assert.equal(smtp.attempts(), 4);
    assert.deepEqual(
      byOutcome(entries, 'failed').map((e) => [e.reason, e.attempts]),
      [['code_expired', 4]],
    );
  });

  it('does not retry a mail that could not be rendered', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const smtp = scriptedTransport(() => null);
    const mailer = start({ transport: smtp.transport, logger, retries: 3, wait: recordedWaits().wait, render: () => { throw new TypeError('mail code must be 4 to 12 digits'); } });
    mailer.dispatch(mail);
    await mailer.settled;
    assert.equal(smtp.attempts(), 0);
    assert.deepEqual(
      entries.map((e) => [e.outcome, e.reason, e.attempts]),
      [['failed', 'permanent', 0]],
    );
  });

  it('keeps the code, the link and the address out of the retry entries', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const echo = () => Object.assign(new Error(`451 <${mail.to}> busy, "${mail.code}" ${mail.link}`), { responseCode: 451 });
    const smtp = scriptedTransport((n) => (n === 1 ? echo() : null));
    const mailer = start({ transport: smtp.transport, logger, retries: 1, wait: recordedWaits().wait });
    mailer.dispatch(mail);
    await mailer.settled;
    assert.equal(byOutcome(entries, 'retrying').length, 1);
    assert.match(String(entries[0]!.error), /<\[redacted\]> busy/);
    const logged = JSON.stringify(entries);
    for (const secret of [mail.to, mail.code, mail.link, 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdl']) assert.ok(!logged.includes(secret), `no ${secret} in the log`);
  });

  it('counts every retry in passwordless_mail_retries_total, and the mail once', bounded, async () => {
    const metrics = createMetrics();
    const smtp = scriptedTransport((n) => (n <= 2 ? busy() : null));
    const mailer = start({ transport: smtp.transport, logger: countingMailLogger(recordingLogger().logger, metrics), retries: 3, wait: recordedWaits().wait });
    mailer.dispatch(mail);
    await mailer.settled;
    const text = metrics.registry.render();
    assert.match(text, /^passwordless_mail_retries_total 2$/m);
    assert.match(text, /^passwordless_mail_total\{outcome="sent"\} 1$/m);
    assert.match(text, /^passwordless_mail_total\{outcome="failed"\} 0$/m);
  });
});

describe('mail retries at shutdown', () => {
  // An hour's backoff and the real timer: only the wake-up can end these tests in time. The code
  // lives a day here, so the hour does not outlast it.
  const longBackoff = { firstDelayMs: 3_600_000, maxDelayMs: 3_600_000 };
  const dayLongMail = { ...mail, expiresInMinutes: 24 * 60 };

  it('idle() wakes a mail in its backoff: one more try at once, which may succeed', bounded, async () => {
    const { logger, entries, inBackoff } = loggerWithRetrySignal();
    const smtp = scriptedTransport((n) => (n === 1 ? busy() : null));
    const mailer = start({ transport: smtp.transport, logger, retries: 3, backoff: longBackoff });
    mailer.dispatch(dayLongMail);
    await inBackoff;
    await mailer.idle();
    assert.equal(smtp.sent.length, 1);
    assert.deepEqual(
      entries.map((e) => e.outcome),
      ['retrying', 'sent'],
    );
    await mailer.close();
  });

  it('close() gives a mail in its backoff one last try, then gives up on it and logs why', bounded, async () => {
    const { logger, entries, inBackoff } = loggerWithRetrySignal();
    const smtp = scriptedTransport(busy);
    const mailer = start({ transport: smtp.transport, logger, retries: 3, backoff: longBackoff });
    mailer.dispatch(dayLongMail);
    await inBackoff;
    await mailer.close();
    assert.equal(smtp.attempts(), 2);
    assert.deepEqual(
      entries.map((e) => [e.outcome, e.reason, e.attempts]),
      [
        ['retrying', undefined, undefined],
        ['failed', 'shutdown', 2],
      ],
    );
  });

  it('after idle() has returned, a new failure waits for its backoff again', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const time = recordedWaits();
    const smtp = scriptedTransport((n) => (n === 1 ? busy() : null));
    const mailer = start({ transport: smtp.transport, logger, retries: 3, wait: time.wait });
    await mailer.idle();
    mailer.dispatch(mail);
    await mailer.settled;
    assert.deepEqual(time.delays, [1000]);
    assert.deepEqual(
      entries.map((e) => e.outcome),
      ['retrying', 'sent'],
    );
  });
});
