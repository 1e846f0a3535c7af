import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDevMailbox, pickCodeAndLink } from './dev-mailbox.ts';
import { createMailer } from './mailer.ts';
import { renderLoginMail } from './render.ts';
import type { LoginMail, OutgoingMail } from './types.ts';

const mail: LoginMail = {
  to: 'erin@example.com',
  locale: 'en',
  code: '094417',
  link: 'http://localhost:3000/auth/link#pl_token=ZGV2LW1haWxib3gtdG9rZW4tdmFsdWU&pl_client=abc',
  expiresInMinutes: 10,
};

function outgoing(n: number): OutgoingMail {
  return {
    ...renderLoginMail({ ...mail, code: String(100000 + n), to: `user${n}@example.com` }),
    to: `user${n}@example.com`,
    from: 'no-reply@example.com',
  };
}

describe('dev mailbox', () => {
  it('keeps messages newest first', async () => {
    const box = createDevMailbox();
    await box.send(outgoing(1));
    await box.send(outgoing(2));
    await box.send(outgoing(3));
    assert.deepEqual(
      box.messages().map((m) => m.to),
      ['user3@example.com', 'user2@example.com', 'user1@example.com'],
    );
  });

  it('picks the code and the link out of the text body of every locale', async () => {
    const box = createDevMailbox();
    for (const locale of ['en', 'zh-CN'] as const) {
      await box.send({ ...renderLoginMail({ ...mail, locale }), to: mail.to, from: 'no-reply@example.com' });
      const [kept] = box.messages();
      assert.equal(kept!.code, mail.code);
      assert.equal(kept!.link, mail.link);
    }
  });

  it('keeps null for a code or link the text does not carry', () => {
    assert.deepEqual(pickCodeAndLink('Hello\nno code here: 12 34\nsee https://a.example/x for more'), { code: null, link: null });
  });

  it('keeps the sender, subject, both bodies and the time it was received', async () => {
    const box = createDevMailbox({ now: () => new Date('2030-01-02T03:04:05.000Z') });
    const message = outgoing(7);
    await box.send(message);
    const [kept] = box.messages();
    assert.equal(kept!.from, message.from);
    assert.equal(kept!.subject, message.subject);
    assert.equal(kept!.text, message.text);
    assert.equal(kept!.html, message.html);
    assert.equal(kept!.receivedAt, '2030-01-02T03:04:05.000Z');
    assert.match(kept!.id, /\S/);
  });

  it('keeps only the newest N messages', async () => {
    const box = createDevMailbox({ capacity: 3 });
    for (let n = 1; n <= 5; n += 1) await box.send(outgoing(n));
    assert.deepEqual(
      box.messages().map((m) => m.code),
      ['100005', '100004', '100003'],
    );
  });

  it('keeps 50 messages by default', async () => {
    const box = createDevMailbox();
    for (let n = 1; n <= 51; n += 1) await box.send(outgoing(n));
    assert.equal(box.messages().length, 50);
    assert.equal(box.messages().at(-1)!.code, '100002');
  });

  it('empties on clear()', async () => {
    const box = createDevMailbox();
    await box.send(outgoing(1));
    box.clear();
    assert.deepEqual(box.messages(), []);
  });

  it('gives out a copy, so a caller cannot reorder what it keeps', async () => {
    const box = createDevMailbox();
    await box.send(outgoing(1));
    await box.send(outgoing(2));
    box.messages().reverse();
    assert.equal(box.messages()[0]!.code, '100002');
  });

  it('resolves waitForMail with the next message, not one already kept', async () => {
    const box = createDevMailbox();
    await box.send(outgoing(1));
    const next = box.waitForMail();
    await box.send(outgoing(2));
    assert.equal((await next).code, '100002');
  });

  it('resolves waitForMail with the next message that matches the predicate', async () => {
    const box = createDevMailbox();
    const forThree = box.waitForMail((m) => m.to === 'user3@example.com');
    const any = box.waitForMail();
    for (let n = 1; n <= 4; n += 1) await box.send(outgoing(n));
    assert.equal((await forThree).code, '100003');
    assert.equal((await any).code, '100001');
  });

  it('rejects waitForMail when no mail comes within the timeout', async () => {
    const box = createDevMailbox();
    await assert.rejects(box.waitForMail(undefined, { timeoutMs: 1 }), /no matching mail within 1 ms/);
  });

  it('receives what the mailer dispatches, as the demo and server tests use it', async () => {
    const box = createDevMailbox();
    const mailer = createMailer({ transport: box, from: 'no-reply@example.com', logger: { info() {}, warn() {}, error() {} } });
    const arrived = box.waitForMail((m) => m.to === mail.to);
    mailer.dispatch(mail);
    const kept = await arrived;
    assert.equal(kept.code, mail.code);
    assert.equal(kept.link, mail.link);
    await mailer.close();
  });
});
