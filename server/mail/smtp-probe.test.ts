/**
 * The SMTP check and the test mail, against real servers: smtp-server accepting, refusing the
 * login, a port with nothing on it, and a TCP server that never greets. Each failure is one
 * sentence naming host:port, the cause and the fix.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../testing/free-port.ts';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';
import { checkSmtp, sendTestMail, smtpServerOf } from './smtp-probe.ts';

let sink: SmtpSink;
let refusing: SmtpSink;
let silent: Server;
let silentPort: number;
before(async () => {
  sink = await startSmtpSink();
  refusing = await startSmtpSink({ refuseLogin: true });
  // Accepts the TCP connection and never says a word: a firewall or a stuck server.
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});
after(async () => {
  await sink.close();
  await refusing.close();
  silent.close();
});

describe('checkSmtp', () => {
  it('says a server that answers and takes the login is fine', async () => {
    const check = await checkSmtp(`smtp://alice:secret@127.0.0.1:${sink.port}`);
    assert.deepEqual(check, { ok: true, server: `127.0.0.1:${sink.port}`, sentence: `SMTP 127.0.0.1:${sink.port} answers and accepts the login` });
    assert.equal(sink.received.length, 0, 'a check sends nothing');
  });

  it('names a refused login, with the fix and without the password', async () => {
    const check = await checkSmtp(`smtp://alice:hunter2@127.0.0.1:${refusing.port}`);
    assert.equal(check.ok, false);
    assert.ok(!check.ok && check.cause === 'authentication failed');
    assert.match(check.sentence, new RegExp(`^SMTP 127\\.0\\.0\\.1:${refusing.port}: authentication failed \\(Invalid login: 535 Invalid username or password\\)\\. Check the user name and password in SMTP_URL`));
    assert.ok(!check.sentence.includes('hunter2'));
  });

  it('names a closed port as a refused connection', async () => {
    const port = await freePort();
    const check = await checkSmtp(`smtp://127.0.0.1:${port}`, { settingName: 'smtpUrl' });
    assert.ok(!check.ok && check.cause === 'connection refused');
    assert.match(check.sentence, new RegExp(`^SMTP 127\\.0\\.0\\.1:${port}: connection refused \\(connect ECONNREFUSED [^)]*\\)\\. Nothing listens there: check the host and port in smtpUrl`));
  });

  it('gives up on a server that never greets after its timeout, and says so', async () => {
    const started = Date.now();
    const check = await checkSmtp(`smtp://127.0.0.1:${silentPort}`, { timeoutMs: 300 });
    assert.ok(Date.now() - started < 3000, 'bounded by the timeout');
    assert.ok(!check.ok && check.cause === 'timeout');
    assert.match(check.sentence, /: timeout \(.*\)\. No answer within 0\.3 s: check the host and port in SMTP_URL/);
  });

  it('names the default port of each scheme', () => {
    assert.equal(smtpServerOf('smtp://mail.example.com'), 'mail.example.com:587');
    assert.equal(smtpServerOf('smtps://u:p@mail.example.com'), 'mail.example.com:465');
  });
});

describe('sendTestMail', () => {
  it('sends one mail and gives the server’s answer', async () => {
    const sent = await sendTestMail(sink.url, { from: 'Sign-in <no-reply@example.com>', to: 'ops@example.com' });
    assert.ok(sent.ok, JSON.stringify(sent));
    assert.match(sent.response, /^250 /);
    const mail = await sink.nextMail();
    assert.deepEqual(mail.envelopeTo, ['ops@example.com']);
    assert.match(mail.subject, /test mail/);
  });

  it('says why a mail could not go', async () => {
    const sent = await sendTestMail(`smtp://a:b@127.0.0.1:${refusing.port}`, { from: 'no-reply@example.com', to: 'ops@example.com' });
    assert.ok(!sent.ok && /authentication failed/.test(sent.sentence));
  });
});
