/**
 * Retries over real SMTP conversations (smtp-server in this process, nodemailer talking to it):
 * a server that answers 451 and then accepts gets the mail exactly once, a 550 is tried once, a
 * dead server is given up on after MAIL_RETRIES, on this thread and on the mail worker, and
 * closing the worker mailer does not sit out a backoff.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LogEntry } from '../observability/logger.ts';
import { freePort as deadPort } from '../testing/free-port.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { loggerWithRetrySignal } from '../testing/retry-signal.ts';
import { sampleFrom as from, sampleMail as mail } from '../testing/sample-login-mail.ts';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';
import { createPasswordless } from '../index.ts';
import { postJson } from '../testing/api-client.ts';
import { startTestServer } from '../testing/test-server.ts';
import { createMailer } from './mailer.ts';
import { createSmtpTransport, isTransientSmtpError } from './smtp-transport.ts';
import { createWorkerMailer } from './worker/worker-mailer.ts';

const bounded = { timeout: 20_000 };
const busyFirst = (n: number) => (attempt: number) => (attempt <= n ? { responseCode: 451, message: '4.3.0 try again later' } : null);
const refuseAll = () => ({ responseCode: 550, message: '5.1.1 mailbox unavailable' });
const outcomes = (entries: LogEntry[]) => entries.map((e) => [e.outcome, e.reason, e.attempts]);

async function withSmtp(smtp: SmtpSink, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } finally {
    await smtp.close();
  }
}

/** The mailer on this thread over SMTP, its waits recorded instead of slept. */
function mailerOver(smtpUrl: string, retries: number) {
  const { logger, entries } = recordingLogger();
  const delays: number[] = [];
  let onSettled: () => void = () => {};
  const settled = new Promise<void>((resolve) => (onSettled = resolve));
  const mailer = createMailer({ transport: createSmtpTransport(smtpUrl), from, logger, retries, random: () => 0, onSettled, wait: async (ms) => void delays.push(ms) });
  return { mailer, entries, delays, settled };
}

describe('isTransientSmtpError', () => {
  const cases: [string, unknown, boolean][] = [
    ['421 service not available', { responseCode: 421, code: 'ECONNECTION' }, true],
    ['451 local error', { responseCode: 451, code: 'EMESSAGE' }, true],
    ['452 insufficient storage', { responseCode: 452, code: 'EENVELOPE' }, true],
    ['550 mailbox unavailable', { responseCode: 550, code: 'EENVELOPE' }, false],
    ['554 rejected', { responseCode: 554, code: 'EMESSAGE' }, false],
    ['535 bad credentials', { responseCode: 535, code: 'EAUTH' }, false],
    ['connection refused', { code: 'ESOCKET' }, true],
    ['connection lost', { code: 'ECONNECTION' }, true],
    ['timeout', { code: 'ETIMEDOUT' }, true],
    ['DNS failure', { code: 'EDNS' }, true],
    ['TLS misconfigured', { code: 'ETLS' }, false],
    ['no code at all', new Error('?'), false],
  ];
  for (const [name, error, transient] of cases) {
    it(`${transient ? 'retries' : 'does not retry'} ${name}`, () => assert.equal(isTransientSmtpError(error), transient));
  }
});

describe('mail retries over SMTP, on this thread', () => {
  it('delivers exactly once to a server that answers 451 twice, after 1 s and 4 s', bounded, async () => {
    const smtp = await startSmtpSink({ answer: busyFirst(2) });
    await withSmtp(smtp, async () => {
      const { mailer, entries, delays, settled } = mailerOver(smtp.url, 3);
      mailer.dispatch(mail);
      await settled;
      await mailer.close();
      assert.equal(smtp.attempts, 3);
      assert.equal(smtp.received.length, 1);
      assert.deepEqual(delays, [1000, 4000]);
      assert.deepEqual(
        entries.map((e) => [e.outcome, e.responseCode]),
        [
          ['retrying', 451],
          ['retrying', 451],
          ['sent', undefined],
        ],
      );
    });
  });

  it('tries a 550 once and logs the failure', bounded, async () => {
    const smtp = await startSmtpSink({ answer: refuseAll });
    await withSmtp(smtp, async () => {
      const { mailer, entries, delays, settled } = mailerOver(smtp.url, 3);
      mailer.dispatch(mail);
      await settled;
      await mailer.close();
      assert.equal(smtp.attempts, 1);
      assert.deepEqual(delays, []);
      assert.deepEqual(outcomes(entries), [['failed', 'permanent', 1]]);
      assert.equal(entries[0]!.responseCode, 550);
    });
  });

  it('gives up on a dead server after MAIL_RETRIES more tries and logs the failure once', bounded, async () => {
    const { mailer, entries, delays, settled } = mailerOver(`smtp://127.0.0.1:${await deadPort()}`, 2);
    mailer.dispatch(mail);
    await settled;
    await mailer.close();
    assert.deepEqual(delays, [1000, 4000]);
    assert.deepEqual(outcomes(entries), [
      ['retrying', undefined, undefined],
      ['retrying', undefined, undefined],
      ['failed', 'retries_exhausted', 3],
    ]);
    assert.equal(entries[2]!.errorCode, 'ESOCKET');
  });
});

describe('mail retries over SMTP, on the mail worker', () => {
  // Real timers in the worker (a function cannot cross to it), so the delays are 1–2 ms here.
  const quick = { firstDelayMs: 1, maxDelayMs: 2 };

  it('delivers exactly once to a server that answers 451 twice, and the retries are logged here', bounded, async () => {
    const smtp = await startSmtpSink({ answer: busyFirst(2) });
    await withSmtp(smtp, async () => {
      const { logger, entries } = recordingLogger();
      const mailer = await createWorkerMailer({ smtpUrl: smtp.url, from, logger, retries: 3, backoff: quick });
      try {
        mailer.dispatch(mail);
        await smtp.nextMail(10_000);
        await mailer.idle();
      } finally {
        await mailer.close();
      }
      assert.equal(smtp.attempts, 3);
      assert.equal(smtp.received.length, 1);
      assert.deepEqual(
        entries.map((e) => [e.level, e.outcome, e.domain]),
        [
          ['warn', 'retrying', 'example.org'],
          ['warn', 'retrying', 'example.org'],
          ['info', 'sent', 'example.org'],
        ],
      );
    });
  });

  it('tries a 550 once', bounded, async () => {
    const smtp = await startSmtpSink({ answer: refuseAll });
    await withSmtp(smtp, async () => {
      const { logger, entries } = recordingLogger();
      const mailer = await createWorkerMailer({ smtpUrl: smtp.url, from, logger, retries: 3, backoff: quick });
      mailer.dispatch(mail);
      await mailer.close();
      assert.equal(smtp.attempts, 1);
      assert.deepEqual(outcomes(entries), [['failed', 'permanent', 1]]);
    });
  });

  it('close() does not sit out an hour-long backoff: one last try, then the failure is logged', bounded, async () => {
    const smtp = await startSmtpSink({ answer: busyFirst(Infinity) });
    await withSmtp(smtp, async () => {
      const { logger, entries, inBackoff } = loggerWithRetrySignal();
      const hour = 3_600_000;
      const mailer = await createWorkerMailer({ smtpUrl: smtp.url, from, logger, retries: 3, backoff: { firstDelayMs: hour, maxDelayMs: hour } });
      mailer.dispatch({ ...mail, expiresInMinutes: 24 * 60 });
      await inBackoff;
      await mailer.close();
      assert.equal(smtp.attempts, 2);
      assert.deepEqual(outcomes(entries), [
        ['retrying', undefined, undefined],
        ['failed', 'shutdown', 2],
      ]);
    });
  });
});

describe('MAIL_RETRIES in the backend', () => {
  // The backend's real backoff starts at 1 s: these tests see the retry logged, then shut down,
  // which gives the waiting mail its one last try without sitting out the delay.
  it('retries over SMTP, logs and counts it, and a shutdown ends the backoff', bounded, async () => {
    const smtp = await startSmtpSink({ answer: busyFirst(Infinity) });
    const { logger, entries, inBackoff } = loggerWithRetrySignal();
    const s = await startTestServer({ env: { SMTP_URL: smtp.url, MAIL_RETRIES: '2' }, logger });
    try {
      assert.equal((await postJson(`${s.url}/auth/request`, { email: 'ida@example.com' })).status, 202);
      await inBackoff;
      assert.match(s.backend.metrics.registry.render(), /^passwordless_mail_retries_total 1$/m);
    } finally {
      await s.close();
      await smtp.close();
    }
    assert.equal(smtp.attempts, 2);
    assert.deepEqual(outcomes(entries.filter((e) => e.event === 'login_mail')), [
      ['retrying', undefined, undefined],
      ['failed', 'shutdown', 2],
    ]);
  });

  it('tries once with MAIL_RETRIES=0', bounded, async () => {
    const smtp = await startSmtpSink({ answer: busyFirst(Infinity) });
    const { logger, entries } = recordingLogger();
    const s = await startTestServer({ env: { SMTP_URL: smtp.url, MAIL_RETRIES: '0' }, logger });
    try {
      // Closing waits for the mail: no need to wait for it here.
      assert.equal((await postJson(`${s.url}/auth/request`, { email: 'ida@example.com' })).status, 202);
    } finally {
      await s.close();
      await smtp.close();
    }
    assert.equal(smtp.attempts, 1);
    assert.deepEqual(outcomes(entries.filter((e) => e.event === 'login_mail')), [['failed', 'retries_exhausted', 1]]);
  });

  it('retries a host\'s sendMail that throws, as a passing failure', bounded, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pl-retry-hook-'));
    const { logger, entries, inBackoff } = loggerWithRetrySignal();
    let calls = 0;
    const pl = await createPasswordless({
      dataFile: join(dir, 'data.json'),
      mailRetries: 3,
      logger,
      sendMail: () => {
        calls += 1;
        if (calls === 1) throw new Error('queue service unavailable');
      },
    });
    try {
      await pl.service.requestLoginToken({ email: 'jo@example.com' });
      await inBackoff;
    } finally {
      await pl.close();
      await rm(dir, { recursive: true, force: true });
    }
    assert.equal(calls, 2);
    assert.deepEqual(
      entries.filter((e) => e.event === 'login_mail').map((e) => [e.outcome, e.attempts]),
      [
        ['retrying', undefined],
        ['sent', 2],
      ],
    );
  });
});
