/**
 * The SMTP mailer on a worker thread, against a real SMTP server (smtp-server in this process):
 * the mail arrives whole, the worker's log entries reach this thread's logger without secrets,
 * idle() and close() wait for what was dispatched, and a full queue drops (and logs) instead of
 * growing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordingLogger } from '../../testing/recording-logger.ts';
import { startSmtpSink, type SmtpSink } from '../../testing/smtp-sink.ts';
import { createWorkerMailer } from './worker-mailer.ts';
import { freePort as deadPort } from '../../testing/free-port.ts';
import { sampleFrom, sampleMail } from '../../testing/sample-login-mail.ts';

const mail = sampleMail;
const from = sampleFrom;
const bounded = { timeout: 20_000 };
const SECRETS = [mail.code, mail.link, 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdl', mail.to, 'bob@'];

function assertNoSecrets(entries: unknown[]): void {
  const logged = JSON.stringify(entries);
  for (const secret of SECRETS) assert.ok(!logged.includes(secret), `the log does not contain ${secret}`);
}

describe('worker mailer over SMTP', () => {
  let smtp: SmtpSink;
  before(async () => {
    smtp = await startSmtpSink();
  });
  after(async () => {
    await smtp.close();
  });

  it('sends from the worker: the mail arrives with the code and link, and the log entry comes back', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const mailer = await createWorkerMailer({ smtpUrl: smtp.url, from, logger });
    try {
      const received = smtp.nextMail(10_000);
      mailer.dispatch(mail);
      const { envelopeTo, parsed, text, html } = await received;
      assert.deepEqual(envelopeTo, [mail.to]);
      assert.equal(parsed.from?.value[0]?.address, 'no-reply@auth.example.com');
      assert.match(parsed.subject ?? '', /^730164 /);
      assert.ok(text.includes(mail.code) && text.includes(mail.link), 'code and link in the text part');
      assert.ok(html.includes(`href="${mail.link}"`), 'link in the HTML part');
      await mailer.idle();
      assert.deepEqual(
        entries.map((e) => [e.level, e.msg, e.domain, e.locale]),
        [['info', 'login mail sent', 'example.org', 'en']],
      );
      assertNoSecrets(entries);
    } finally {
      await mailer.close();
    }
  });

  it('idle() waits for every mail dispatched so far; close() drains, then ends the worker', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const mailer = await createWorkerMailer({ smtpUrl: smtp.url, from, logger });
    const before = smtp.received.length;
    for (let i = 0; i < 20; i++) mailer.dispatch({ ...mail, to: `user${i}@example.org` });
    await mailer.idle();
    assert.equal(smtp.received.length - before, 20, 'all 20 at the server when idle() resolves');
    assert.equal(entries.filter((e) => e.msg === 'login mail sent').length, 20);
    for (let i = 0; i < 5; i++) mailer.dispatch({ ...mail, to: `late${i}@example.org` });
    await mailer.close();
    assert.equal(smtp.received.length - before, 25, 'close() sent what was dispatched before it');
    mailer.dispatch(mail);
    await mailer.idle();
    assert.equal(smtp.received.length - before, 25, 'nothing is sent after close()');
    assert.equal(entries.at(-1)?.msg, 'login mail dropped: the mailer is closed');
    assertNoSecrets(entries);
  });

  it('logs a failure from the worker without the code, link or address, and dispatch never throws', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const mailer = await createWorkerMailer({ smtpUrl: `smtp://127.0.0.1:${await deadPort()}`, from, logger });
    assert.doesNotThrow(() => mailer.dispatch(mail));
    await mailer.idle();
    await mailer.close();
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.level, 'error');
    assert.equal(entries[0]!.msg, 'login mail failed');
    assert.equal(entries[0]!.errorCode, 'ESOCKET');
    assertNoSecrets(entries);
  });

  it('sends a burst with its 4 MB young generation (WORKER_RESOURCE_LIMITS): 2,000 mails at once all arrive, none failed or lost', { timeout: 60_000 }, async () => {
    const burst = await startSmtpSink();
    const { logger, entries } = recordingLogger();
    const mailer = await createWorkerMailer({ smtpUrl: burst.url, from, logger });
    try {
      for (let i = 0; i < 2_000; i++) mailer.dispatch({ ...mail, to: `burst${i}@example.org` });
      await mailer.idle();
      assert.equal(burst.received.length, 2_000);
      assert.deepEqual(entries.filter((e) => e.level !== 'info'), [], 'no failure, drop or lost worker');
    } finally {
      await mailer.close();
      await burst.close();
    }
  });

  it('bounds the queue: beyond maxQueued unsettled mails it drops and logs, and the rest still arrive', bounded, async () => {
    const slow = await startSmtpSink({ acceptDelayMs: 300 });
    const { logger, entries } = recordingLogger();
    const mailer = await createWorkerMailer({ smtpUrl: slow.url, from, logger, maxQueued: 5 });
    try {
      for (let i = 0; i < 12; i++) assert.doesNotThrow(() => mailer.dispatch({ ...mail, to: `q${i}@example.org` }));
      const drops = entries.filter((e) => e.level === 'error' && /queue is full/.test(e.msg));
      assert.equal(drops.length, 1, 'the first drop is logged at once, the others counted for a later line');
      assert.equal(drops[0]!.domain, 'example.org');
      assert.equal(drops[0]!.queued, 5);
      await mailer.idle();
      assert.equal(slow.received.length, 5, 'the 5 queued mails arrive, the 7 beyond the bound do not');
      // The count of the other 6 follows within a second.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const summary = entries.find((e) => e.msg === 'login mails dropped: the mail queue is full');
      assert.equal(summary?.dropped, 6);
      // With the queue drained, mail is accepted again.
      mailer.dispatch({ ...mail, to: 'after@example.org' });
      await mailer.idle();
      assert.equal(slow.received.length, 6);
      assertNoSecrets(entries);
    } finally {
      await mailer.close();
      await slow.close();
    }
  });

  it('counts reserved places as queued: the last place is taken once, and a reserved mail is never dropped', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const mailer = await createWorkerMailer({ smtpUrl: smtp.url, from, logger, maxQueued: 3 });
    try {
      const before = smtp.received.length;
      const first = mailer.reserve();
      const second = mailer.reserve();
      mailer.dispatch({ ...mail, to: 'plain@example.org' });
      const third = mailer.reserve();
      assert.equal(third.busy, true, 'two places held and one mail queued: the queue of 3 is full');
      assert.ok(third.busy && third.retryAfter >= 1 && third.retryAfter <= 60);
      mailer.dispatch({ ...mail, to: 'over@example.org' });
      assert.ok(entries.some((e) => /queue is full/.test(e.msg) && e.outcome === 'dropped'), 'a dispatch without a place past the bound is dropped');
      assert.ok(!first.busy && !second.busy);
      first.send({ ...mail, to: 'first@example.org' });
      second.release();
      await mailer.idle();
      assert.deepEqual(smtp.received.slice(before).map((m) => m.envelopeTo[0]).sort(), ['first@example.org', 'plain@example.org']);
      assert.equal(mailer.reserve().busy, false, 'room again once they have gone');
    } finally {
      await mailer.close();
    }
  });

  it('fails the start, not the logins, when a template is broken', bounded, async () => {
    await assert.rejects(createWorkerMailer({ smtpUrl: smtp.url, from, templatesDir: '/nonexistent/templates' }));
  });
});
