import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { recordingLogger } from '../testing/recording-logger.ts';
import { createMailer } from './mailer.ts';
import { TemplateError } from './render.ts';
import type { LoginMail, MailTransport, OutgoingMail } from './types.ts';

const mail: LoginMail = {
  to: 'carol@example.net',
  locale: 'zh-CN',
  code: '551208',
  link: 'https://app.example.net/welcome#pl_token=c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1',
  expiresInMinutes: 10,
};
const from = 'no-reply@example.net';

/** A transport whose sends stay pending until the test settles them. */
function heldTransport() {
  const sends: { message: OutgoingMail; resolve: () => void; reject: (error: Error) => void }[] = [];
  let sendCalled: () => void = () => {};
  let closed = 0;
  const transport: MailTransport = {
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        sends.push({ message, resolve, reject });
        sendCalled();
      }),
    close: async () => {
      closed += 1;
    },
  };
  return {
    transport,
    sends,
    closedCount: () => closed,
    nextSend: () => new Promise<void>((resolve) => (sendCalled = resolve)),
  };
}

/** True when `promise` has settled by the time already-queued callbacks have run. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

/** A mail that never comes fails its test instead of hanging the run. */
const bounded = { timeout: 10_000 };

describe('createMailer', () => {
  it('returns from dispatch before the mail is rendered or sent', () => {
    let rendered = 0;
    const held = heldTransport();
    const mailer = createMailer({
      transport: held.transport,
      from,
      logger: recordingLogger().logger,
      render: () => {
        rendered += 1;
        return { subject: 's', text: 't', html: 'h' };
      },
    });
    mailer.dispatch(mail);
    assert.equal(rendered, 0);
    assert.equal(held.sends.length, 0);
  });

  it('sends the rendered mail to the recipient from the configured sender', bounded, async () => {
    const held = heldTransport();
    const mailer = createMailer({ transport: held.transport, from, logger: recordingLogger().logger });
    const sent = held.nextSend();
    mailer.dispatch(mail);
    await sent;
    const { message } = held.sends[0]!;
    assert.equal(message.to, mail.to);
    assert.equal(message.from, from);
    assert.ok(message.subject.includes(mail.code));
    held.sends[0]!.resolve();
    await mailer.idle();
  });

  it('resolves idle() only once every dispatched send has settled', bounded, async () => {
    const held = heldTransport();
    const { logger, entries } = recordingLogger();
    const mailer = createMailer({ transport: held.transport, from, logger });
    const bothSent = (async () => {
      await held.nextSend();
      await held.nextSend();
    })();
    mailer.dispatch(mail);
    mailer.dispatch({ ...mail, to: 'dave@example.com' });
    await bothSent;
    const idle = mailer.idle();
    held.sends[0]!.resolve();
    assert.equal(await hasSettled(idle), false, 'one send still pending');
    held.sends[1]!.reject(new Error('boom'));
    await idle;
    assert.deepEqual(entries.map((e) => e.msg).sort(), ['login mail failed', 'login mail sent']);
  });

  it('never throws from dispatch, even when rendering throws, and logs the failure', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const mailer = createMailer({
      transport: heldTransport().transport,
      from,
      logger,
      render: () => {
        throw new Error(`template exploded for ${mail.to} with ${mail.code} and ${mail.link}`);
      },
    });
    assert.doesNotThrow(() => mailer.dispatch(mail));
    await mailer.idle();
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.level, 'error');
    assert.equal(entries[0]!.error, 'template exploded for [redacted] with [redacted] and [redacted]');
  });

  it('keeps the code, the link token and the address out of a failure log, whatever the error says', bounded, async () => {
    const { logger, entries } = recordingLogger();
    const token = 'c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1';
    const transport: MailTransport = {
      send: async () => {
        throw new Error(`rejected CAROL@EXAMPLE.NET token=${token} code ${mail.code}`);
      },
    };
    const mailer = createMailer({ transport, from, logger });
    mailer.dispatch(mail);
    await mailer.idle();
    const logged = JSON.stringify(entries);
    for (const secret of [token, mail.code, 'CAROL@EXAMPLE.NET', 'carol']) assert.ok(!logged.includes(secret), secret);
    assert.equal(entries[0]!.domain, 'example.net');
  });

  it('refuses a recipient that is a list of addresses', bounded, async () => {
    const held = heldTransport();
    const { logger, entries } = recordingLogger();
    const mailer = createMailer({ transport: held.transport, from, logger });
    mailer.dispatch({ ...mail, to: 'carol@example.net, mallory@evil.example' });
    await mailer.idle();
    assert.equal(held.sends.length, 0);
    assert.equal(entries[0]!.level, 'error');
  });

  it('closes the transport after the pending sends, and drops later mail with a warning', bounded, async () => {
    const held = heldTransport();
    const { logger, entries } = recordingLogger();
    const mailer = createMailer({ transport: held.transport, from, logger });
    const sent = held.nextSend();
    mailer.dispatch(mail);
    await sent;
    const closing = mailer.close();
    assert.equal(await hasSettled(closing), false, 'close waits for the pending send');
    assert.equal(held.closedCount(), 0);
    held.sends[0]!.resolve();
    await closing;
    assert.equal(held.closedCount(), 1);
    mailer.dispatch(mail);
    await mailer.idle();
    assert.equal(held.sends.length, 1);
    assert.equal(entries.at(-1)!.level, 'warn');
  });

  it('fails at creation, not at the first login, when the templates cannot be loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pl-broken-templates-'));
    try {
      writeFileSync(join(dir, 'login.en.txt'), 'no code here: {{link}}');
      assert.throws(() => createMailer({ transport: heldTransport().transport, from, templatesDir: dir }), TemplateError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
