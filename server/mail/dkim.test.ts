/**
 * DKIM: with DKIM_* set, the mail worker signs each message with the domain's key. The received
 * bytes are checked like a receiving server would (testing/dkim-verify.ts), against a key pair
 * made here; the checker itself is shown to fail on a changed body, header or key.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { postJson } from '../testing/api-client.ts';
import { checkDkim } from '../testing/dkim-verify.ts';
import { sampleFrom as from, sampleMail as mail } from '../testing/sample-login-mail.ts';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';
import { startTestServer } from '../testing/test-server.ts';
import { silentLogger } from '../observability/logger.ts';
import { createWorkerMailer } from './worker/worker-mailer.ts';

const bounded = { timeout: 20_000 };

function rsaKeys(): { privateKey: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

describe('DKIM signing', () => {
  const keys = rsaKeys();
  const dkim = { domainName: 'auth.example.com', keySelector: 'mail2026', privateKey: keys.privateKey };
  let smtp: SmtpSink;
  let signed: Buffer;
  before(async () => {
    smtp = await startSmtpSink();
    const mailer = await createWorkerMailer({ smtpUrl: smtp.url, from, logger: silentLogger, dkim });
    try {
      mailer.dispatch(mail);
      signed = (await smtp.nextMail(10_000)).raw;
    } finally {
      await mailer.close();
    }
  });
  after(() => smtp.close());

  it('signs on the mail worker with d= the domain and s= the selector, and the signature verifies', () => {
    assert.match(signed.toString('latin1'), /^DKIM-Signature: /m);
    assert.deepEqual(checkDkim(signed, keys.publicKey), { domain: 'auth.example.com', selector: 'mail2026', bodyHashMatches: true, signatureVerifies: true });
  });

  it('covers the subject, sender and recipient', () => {
    const h = /\bh=([^;]+)/.exec(signed.toString('latin1').replace(/\r\n[ \t]/g, ''))![1]!.toLowerCase();
    for (const field of ['from', 'to', 'subject', 'date', 'message-id']) assert.ok(h.split(':').includes(field), `h= has ${field}`);
  });

  it('fails the check for a changed body, a changed subject or another key', () => {
    const text = signed.toString('latin1');
    const body = Buffer.from(text.replace('\r\n\r\n', '\r\n\r\nAlso click here.\r\n'), 'latin1');
    assert.equal(checkDkim(body, keys.publicKey).bodyHashMatches, false);
    const subject = Buffer.from(text.replace(/^Subject: 730164/m, 'Subject: 999999'), 'latin1');
    assert.notEqual(subject.toString('latin1'), text, 'the subject was changed');
    assert.equal(checkDkim(subject, keys.publicKey).signatureVerifies, false);
    assert.equal(checkDkim(signed, rsaKeys().publicKey).signatureVerifies, false);
  });

  it('sends unsigned without DKIM', bounded, async () => {
    const mailer = await createWorkerMailer({ smtpUrl: smtp.url, from, logger: silentLogger });
    try {
      mailer.dispatch(mail);
      assert.doesNotMatch((await smtp.nextMail(10_000)).raw.toString('latin1'), /^DKIM-Signature:/im);
    } finally {
      await mailer.close();
    }
  });
});

describe('DKIM from the configuration', () => {
  it('signs a login mail with DKIM_DOMAIN, DKIM_SELECTOR and the key in DKIM_PRIVATE_KEY_FILE', bounded, async () => {
    const keys = rsaKeys();
    const dir = await mkdtemp(join(tmpdir(), 'pl-dkim-'));
    const smtp = await startSmtpSink();
    const keyFile = join(dir, 'dkim.pem');
    await writeFile(keyFile, keys.privateKey);
    const s = await startTestServer({ env: { SMTP_URL: smtp.url, DKIM_DOMAIN: 'example.net', DKIM_SELECTOR: 'pl1', DKIM_PRIVATE_KEY_FILE: keyFile } });
    try {
      assert.equal((await postJson(`${s.url}/auth/request`, { email: 'hal@example.com' })).status, 202);
      const check = checkDkim((await smtp.nextMail(10_000)).raw, keys.publicKey);
      assert.deepEqual(check, { domain: 'example.net', selector: 'pl1', bodyHashMatches: true, signatureVerifies: true });
    } finally {
      await s.close();
      await smtp.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
