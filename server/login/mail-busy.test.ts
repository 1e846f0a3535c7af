/**
 * Never promise a mail that will not go: with the mail queue full (MAIL_QUEUE_SIZE, a real SMTP
 * server that holds every message until the test lets it go, or a host's `sendMail` that waits),
 * a code request is answered 503 `mail_busy` with `Retry-After`, nothing is written for its
 * address (no code, no resend wait), the refusal is counted and logged once, and once the queue
 * has drained the same address gets its 202 and its mail. Both mailers: the SMTP worker's queue
 * and the main thread's (dev mailbox, `sendMail`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../contract/index.ts';
import { postJson, type JsonAnswer } from '../testing/api-client.ts';
import { freshEmail } from '../testing/attack-kit.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { codeIn, startSmtpSink } from '../testing/smtp-sink.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import type { OutgoingMail } from '../mail/types.ts';

const bounded = { timeout: 30_000 };

/** A promise the test settles: the mail server's stall. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

function counter(s: TestServer, series: string): number {
  const line = s.backend.metrics.registry.render().split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.split(' ')[1]);
}

/** The login state stored for `email`, read through the store (null: nothing was ever written). */
function loginState(s: TestServer, email: string): Promise<unknown> {
  return s.backend.store.updateLogin(email, (current) => ({ next: current, result: current }));
}

function assertMailBusy(answer: JsonAnswer): number {
  assert.equal(answer.status, 503, JSON.stringify(answer.body));
  assert.equal(answer.body.error.code, 'mail_busy');
  assert.equal(answer.body.error.message, ApiError.mailBusy.message);
  const seconds = answer.body.error.retryAfter;
  assert.ok(Number.isInteger(seconds) && seconds >= 1 && seconds <= 60, `retryAfter ${seconds} is 1–60 s`);
  assert.equal(answer.headers.get('retry-after'), String(seconds), 'the header says what the body says');
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  return seconds;
}

/** Fills a queue of `size` with 202s, then checks three refusals, nothing written, counted and logged once. */
async function fillAndRefuse(s: TestServer, entries: { level: string; msg: string; [key: string]: unknown }[], size: number, refusedEmail: string): Promise<void> {
  for (let i = 0; i < size; i++) {
    const answer = await postJson(`${s.url}/auth/request`, { email: freshEmail('fills') });
    assert.equal(answer.status, 202, `request ${i + 1} of ${size} has room: ${JSON.stringify(answer.body)}`);
  }
  for (let i = 0; i < 3; i++) assertMailBusy(await postJson(`${s.url}/auth/request`, { email: refusedEmail }));
  assert.equal(await loginState(s, refusedEmail), null, 'no login state: no code, no resend wait, no hourly count');
  assert.equal(counter(s, 'passwordless_mail_busy_total'), 3);
  assert.equal(counter(s, 'passwordless_codes_requested_total'), size, 'only the requests with room were handed a code');
  const busyLines = entries.filter((e) => /503 mail_busy/.test(e.msg));
  assert.equal(busyLines.length, 1, 'one log line for the three refusals');
  assert.equal(busyLines[0]!.level, 'warn');
  assert.equal(busyLines[0]!.capacity, size);
}

describe('a full mail queue: 503 mail_busy, never a 202 the queue would not keep', () => {
  it('SMTP (the worker mailer): refuses while the server stalls, then sends to the same address once it drains', bounded, async () => {
    const stall = gate();
    const smtp = await startSmtpSink({ acceptAfter: stall.opened });
    const { logger, entries } = recordingLogger();
    const s = await startTestServer({ env: { SMTP_URL: smtp.url, MAIL_QUEUE_SIZE: '3' }, logger });
    try {
      const refused = freshEmail('refused');
      await fillAndRefuse(s, entries, 3, refused);
      stall.open();
      await s.backend.mailer.idle();
      assert.equal(smtp.received.length, 3, 'every 202 got its mail');
      assert.equal(counter(s, 'passwordless_mail_total{outcome="dropped"}'), 0, 'nothing dropped');
      const again = await postJson(`${s.url}/auth/request`, { email: refused });
      assert.equal(again.status, 202, `no resend wait was recorded by the refusals: ${JSON.stringify(again.body)}`);
      await s.backend.mailer.idle();
      const mail = smtp.received.at(-1)!;
      assert.deepEqual(mail.envelopeTo, [refused]);
      const signedIn = await postJson(`${s.url}/auth/verify`, { email: refused, code: codeIn(mail) });
      assert.equal(signedIn.status, 200, 'its code signs in');
      assert.ok(entries.some((e) => e.msg === 'the mail queue takes mail again'), 'the end of the episode is logged');
    } finally {
      stall.open();
      await s.close();
      await smtp.close();
    }
  });

  it("a host's sendMail (the main-thread mailer): the same refusal while it waits, and 202 once it has sent", bounded, async () => {
    const stall = gate();
    const sent: OutgoingMail[] = [];
    const { logger, entries } = recordingLogger();
    const s = await startTestServer({
      env: { MAIL_QUEUE_SIZE: '2' },
      logger,
      sendMail: async (message) => {
        await stall.opened;
        sent.push(message);
      },
    });
    try {
      const refused = freshEmail('refused-hook');
      await fillAndRefuse(s, entries, 2, refused);
      stall.open();
      await s.backend.mailer.idle();
      assert.equal(sent.length, 2);
      const again = await postJson(`${s.url}/auth/request`, { email: refused });
      assert.equal(again.status, 202);
      await s.backend.mailer.idle();
      assert.equal(sent.at(-1)?.to, refused);
      assert.equal(counter(s, 'passwordless_mail_total{outcome="dropped"}'), 0);
    } finally {
      stall.open();
      await s.close();
    }
  });

  it('a request that sends no mail gives its place back: a resend wait does not fill the queue', bounded, async () => {
    const stall = gate();
    const smtp = await startSmtpSink({ acceptAfter: stall.opened });
    const s = await startTestServer({ env: { SMTP_URL: smtp.url, MAIL_QUEUE_SIZE: '2' } });
    try {
      const email = freshEmail('waits');
      assert.equal((await postJson(`${s.url}/auth/request`, { email })).status, 202);
      for (let i = 0; i < 5; i++) assert.equal((await postJson(`${s.url}/auth/request`, { email })).status, 429, 'in its resend wait: no mail, no place kept');
      assert.equal((await postJson(`${s.url}/auth/request`, { email: freshEmail('second') })).status, 202, 'the second place is still free');
      assertMailBusy(await postJson(`${s.url}/auth/request`, { email: freshEmail('third') }));
    } finally {
      stall.open();
      await s.close();
      await smtp.close();
    }
  });
});
