/**
 * Attack (or bad luck): the SMTP server is down, slow, or refuses. The request still answers 202
 * with the normal body (no outage oracle, no enumeration), at once, and the failure is logged
 * without the code, the link or the full address.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { postJson } from '../testing/api-client.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { startSmtpSink } from '../testing/smtp-sink.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { freshEmail } from '../testing/attack-kit.ts';
import { freePort as deadPort } from '../testing/free-port.ts';

const NORMAL = { codeLength: 6, expiresIn: 600, retryAfter: 60 };
const bounded = { timeout: 20_000 };

/** An SMTP server that refuses, echoing what it refused the way real ones do ("550 <ana@…> unknown"). */
async function refusingSmtp(at: 'rcpt' | 'data'): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (at === 'rcpt') return callback(Object.assign(new Error(`<${address.address}> mailbox unavailable`), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((parsed) => {
        const text = parsed.text ?? '';
        seen.push(text);
        const link = /https?:\/\/\S+#pl_token=[A-Za-z0-9_-]+/.exec(text)?.[0] ?? '';
        callback(Object.assign(new Error(`content rejected: "${parsed.subject ?? ''}" ${link}`), { responseCode: 550 }));
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function withServer(smtpUrl: string, run: (s: TestServer, entries: ReturnType<typeof recordingLogger>['entries']) => Promise<void>): Promise<void> {
  const { logger, entries } = recordingLogger();
  const s = await startTestServer({ env: { SMTP_URL: smtpUrl }, logger });
  try {
    await run(s, entries);
  } finally {
    await s.close();
  }
}

/** The log holds a failure entry and none of the secrets. */
function assertLoggedWithoutSecrets(entries: { level: string; msg: string }[], secrets: string[]): void {
  const failures = entries.filter((e) => e.level === 'error' && /mail/.test(e.msg));
  assert.ok(failures.length >= 1, `the failure is logged: ${JSON.stringify(entries)}`);
  const log = JSON.stringify(entries);
  for (const secret of secrets.filter(Boolean)) assert.ok(!log.toLowerCase().includes(secret.toLowerCase()), `the log does not contain ${secret}`);
  assert.ok(!/pl_token=/.test(log), 'no link token in the log');
  assert.ok(!/(?<![0-9])[0-9]{6}(?![0-9])/.test(log.replace(/"ms":[0-9]+/g, '')), 'no six-digit code in the log');
}

describe('attack: mail failures', () => {
  it('SMTP down (dead port): 202 with the normal body, the failure logged without code, link or address', bounded, async () => {
    await withServer(`smtp://127.0.0.1:${await deadPort()}`, async (s, entries) => {
      const email = freshEmail('down');
      const answer = await postJson(`${s.url}/auth/request`, { email });
      assert.equal(answer.status, 202);
      assert.deepEqual(answer.body, NORMAL);
      await s.backend.service.idle();
      assertLoggedWithoutSecrets(entries, [email]);
      const next = await postJson(`${s.url}/auth/request`, { email: freshEmail('down-next') });
      assert.equal(next.status, 202, 'the next request still works');
    });
  });

  it('SMTP slow (accepts after 1.5 s): the request answers before the mail is accepted', bounded, async () => {
    const smtp = await startSmtpSink({ acceptDelayMs: 1500 });
    try {
      await withServer(smtp.url, async (s) => {
        const started = Date.now();
        const answer = await postJson(`${s.url}/auth/request`, { email: freshEmail('slow') });
        const took = Date.now() - started;
        assert.equal(answer.status, 202);
        assert.deepEqual(answer.body, NORMAL);
        assert.equal(smtp.received.length, 0, 'answered before the mail was accepted');
        assert.ok(took < 1000, `answered in ${took} ms`);
        await s.backend.service.idle();
        assert.equal(smtp.received.length, 1, 'the mail still arrives');
      });
    } finally {
      await smtp.close();
    }
  });

  it('SMTP refusing the recipient (550 echoing the address): 202 as normal, the log scrubbed', bounded, async () => {
    const smtp = await refusingSmtp('rcpt');
    try {
      await withServer(smtp.url, async (s, entries) => {
        const email = freshEmail('refused-rcpt');
        const answer = await postJson(`${s.url}/auth/request`, { email });
        assert.equal(answer.status, 202);
        assert.deepEqual(answer.body, NORMAL);
        await s.backend.service.idle();
        assertLoggedWithoutSecrets(entries, [email]);
        assert.match(JSON.stringify(entries), /550/, 'the refusal is in the log');
      });
    } finally {
      await smtp.close();
    }
  });

  it('SMTP refusing the message (550 echoing the subject with the code, and the link): the log scrubbed', bounded, async () => {
    const smtp = await refusingSmtp('data');
    try {
      await withServer(smtp.url, async (s, entries) => {
        const email = freshEmail('refused-data');
        const answer = await postJson(`${s.url}/auth/request`, { email });
        assert.equal(answer.status, 202);
        assert.deepEqual(answer.body, NORMAL);
        await s.backend.service.idle();
        assert.equal(smtp.seen.length, 1);
        const code = /^\s*([0-9]{6})\s*$/m.exec(smtp.seen[0]!)?.[1];
        assert.ok(code, 'the refused message carried a code');
        const token = /pl_token=([A-Za-z0-9_-]+)/.exec(smtp.seen[0]!)?.[1];
        assert.ok(token);
        assertLoggedWithoutSecrets(entries, [email, code, token]);
        assert.match(JSON.stringify(entries), /content rejected.*\[redacted\]/, 'the echo was logged, with the secrets redacted');
      });
    } finally {
      await smtp.close();
    }
  });

  it('known and unknown addresses answer alike while SMTP is down', bounded, async () => {
    await withServer(`smtp://127.0.0.1:${await deadPort()}`, async (s) => {
      const known = freshEmail('down-known');
      // Make `known` a user through the store, since no mail can carry its code.
      await s.backend.store.updateUser(known, () => ({
        next: { id: 'u-known', email: known, emailKey: known, emailVerified: true, createdAt: new Date(0).toISOString(), lastLoginAt: null, data: {} },
        result: null,
      }));
      const a = await postJson(`${s.url}/auth/request`, { email: known });
      const b = await postJson(`${s.url}/auth/request`, { email: freshEmail('down-unknown') });
      assert.equal(a.status, b.status);
      assert.deepEqual(a.body, b.body);
      assert.deepEqual([...a.headers.keys()].sort(), [...b.headers.keys()].sort());
    });
  });
});
