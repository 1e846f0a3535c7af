/**
 * The mailer over a real SMTP conversation: an in-process smtp-server on an ephemeral port,
 * nodemailer talking to it, and the received message parsed back with mailparser.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { recordingLogger } from '../testing/recording-logger.ts';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';
import { createMailer } from './mailer.ts';
import { createSmtpTransport } from './smtp-transport.ts';
import { freePort as deadPort } from '../testing/free-port.ts';
import { sampleFrom, sampleMail } from '../testing/sample-login-mail.ts';

const mail = sampleMail;
const from = sampleFrom;

/** A mail that never comes fails its test instead of hanging the run. */
const bounded = { timeout: 10_000 };

describe('mailer over SMTP', () => {
  let smtp: SmtpSink;
  before(async () => {
    smtp = await startSmtpSink();
  });
  after(async () => {
    await smtp.close();
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`delivers a ${locale} login mail with the code in the subject and both parts carrying the code and link`, bounded, async () => {
      const { logger, entries } = recordingLogger();
      const mailer = createMailer({ transport: createSmtpTransport(smtp.url), from, logger });
      try {
        const received = smtp.nextMail();
        mailer.dispatch({ ...mail, locale });
        const { envelopeTo, parsed } = await received;
        assert.deepEqual(envelopeTo, [mail.to]);
        assert.equal(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : null, mail.to);
        assert.equal(parsed.from?.value[0]?.address, 'no-reply@auth.example.com');
        assert.equal(parsed.from?.value[0]?.name, 'Sign-in');
        assert.match(parsed.subject ?? '', /^730164 /);
        assert.ok(parsed.text?.includes(mail.code), 'code in the text part');
        assert.ok(parsed.text?.includes(mail.link), 'link in the text part');
        assert.ok(typeof parsed.html === 'string' && parsed.html.includes(mail.code), 'code in the HTML part');
        assert.ok(typeof parsed.html === 'string' && parsed.html.includes(`href="${mail.link}"`), 'link in the HTML part');
        await mailer.idle();
        assert.deepEqual(
          entries.map((e) => [e.level, e.msg, e.domain]),
          [['info', 'login mail sent', 'example.org']],
        );
      } finally {
        await mailer.close();
      }
    });
  }

  it('keeps dispatch from throwing when the SMTP port is dead, and logs the failure without the code, link or address', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const mailer = createMailer({ transport: createSmtpTransport(`smtp://127.0.0.1:${await deadPort()}`), from, logger });
    assert.doesNotThrow(() => mailer.dispatch(mail));
    await mailer.idle();
    await mailer.close();
    assert.equal(entries.length, 1);
    const [entry] = entries;
    assert.equal(entry!.level, 'error');
    assert.equal(entry!.domain, 'example.org');
    assert.equal(entry!.errorCode, 'ESOCKET');
    const logged = JSON.stringify(entries);
    for (const secret of [mail.code, mail.link, 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdl', mail.to, 'bob@']) {
      assert.ok(!logged.includes(secret), `the log does not contain ${secret}`);
    }
  });

  it('logs a recipient the SMTP server refuses, with the address scrubbed from its reply', bounded, async () => {
    const refusing = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        callback(Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 }));
      },
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.server.address() as AddressInfo;
    const { logger, entries } = recordingLogger();
    try {
      const mailer = createMailer({ transport: createSmtpTransport(`smtp://127.0.0.1:${port}`), from, logger });
      mailer.dispatch(mail);
      await mailer.close();
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.level, 'error');
    assert.equal(entries[0]!.responseCode, 550);
    assert.match(String(entries[0]!.error), /mailbox unavailable/);
    assert.ok(!JSON.stringify(entries).includes(mail.to), 'the address is scrubbed');
  });
});

describe('createSmtpTransport', () => {
  it('refuses a URL that is not smtp:// or smtps://, without repeating its password', () => {
    assert.throws(
      () => createSmtpTransport('http://user:hunter2@mail.example.com'),
      (error: Error) => error instanceof TypeError && /smtp:\/\//.test(error.message) && !error.message.includes('hunter2'),
    );
    assert.throws(() => createSmtpTransport('not a url'), TypeError);
  });
});
