/**
 * The library never blocks its construction on SMTP: `createPasswordless` resolves with a dead
 * SMTP server, and `checkSmtp()` tells the host what is wrong, in the option's name. And what the
 * operator allowed but should hear (an http publicUrl in production) reaches the host's logger.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPasswordless } from '../index.ts';
import { freePort } from '../testing/free-port.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';

let dir: string;
let sink: SmtpSink;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passwordless-lib-smtp-'));
  sink = await startSmtpSink();
});
after(async () => {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createPasswordless and SMTP', () => {
  it('is built even when SMTP is down; checkSmtp() then names host:port, the cause and the option to fix', async () => {
    const port = await freePort();
    const pl = await createPasswordless({ smtpUrl: `smtp://127.0.0.1:${port}`, dataFile: join(dir, 'down.json'), logger: recordingLogger().logger });
    try {
      const check = await pl.checkSmtp();
      assert.ok(check && !check.ok, JSON.stringify(check));
      assert.equal(check.cause, 'connection refused');
      assert.match(check.sentence, new RegExp(`^SMTP 127\\.0\\.0\\.1:${port}: connection refused .*check the host and port in smtpUrl`));
    } finally {
      await pl.close();
    }
  });

  it('answers ok for a server that takes the login, and null without SMTP (sendMail or the dev mailbox)', async () => {
    const up = await createPasswordless({ smtpUrl: sink.url, dataFile: join(dir, 'up.json'), logger: recordingLogger().logger });
    const hooked = await createPasswordless({ smtpUrl: sink.url, sendMail: () => {}, dataFile: join(dir, 'hooked.json'), logger: recordingLogger().logger });
    const none = await createPasswordless({ dataFile: join(dir, 'none.json'), logger: recordingLogger().logger });
    try {
      assert.equal((await up.checkSmtp())?.ok, true);
      assert.equal(await hooked.checkSmtp(), null);
      assert.equal(await none.checkSmtp(), null);
    } finally {
      await Promise.all([up.close(), hooked.close(), none.close()]);
    }
  });

  it('warns through the host’s logger when allowHttpPublicUrl lets production run on http', async () => {
    const { logger, entries } = recordingLogger();
    const pl = await createPasswordless({ nodeEnv: 'production', publicUrl: 'http://auth.example.com', allowHttpPublicUrl: true, secret: 's'.repeat(32), smtpUrl: sink.url, dataFile: join(dir, 'http.json'), logger });
    try {
      assert.deepEqual(
        entries.filter((entry) => entry.level === 'warn' && /publicUrl/.test(entry.msg)).map((entry) => entry.msg),
        ['publicUrl is http (http://auth.example.com) in production, allowed by allowHttpPublicUrl: links, codes and sessions cross the network in clear unless TLS ends in front'],
      );
    } finally {
      await pl.close();
    }
  });
});
