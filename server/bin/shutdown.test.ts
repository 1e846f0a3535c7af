/**
 * Graceful shutdown of the real CLI (SIGTERM): it stops accepting, answers the requests in flight,
 * sends the mail already handed over (here to an SMTP server that takes 500 ms per message), writes
 * the audit entries still waiting, and exits 0 with its data file whole.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { postJson } from '../testing/api-client.ts';
import { startCli } from '../testing/cli-process.ts';
import { codeIn, startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';
import { readStoreOnDisk } from '../testing/store-on-disk.ts';
import { openJsonStore } from '../store/json/json-store.ts';
import { dayOf } from '../store/audit-records.ts';

/** The CLI's grace for in-flight requests is 10 s; a clean stop takes far less. */
const STOP_BOUND_MS = 8000;

describe('SIGTERM', () => {
  let dir: string;
  let smtp: SmtpSink;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'passwordless-shutdown-'));
    smtp = await startSmtpSink({ acceptDelayMs: 500 });
  });
  after(async () => {
    await smtp.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends the mail handed over before it, then exits 0 with the data file whole', async () => {
    const dataFile = join(dir, 'mail.json');
    const cli = await startCli({ dataFile, env: { SMTP_URL: smtp.url } });
    const email = 'shutdown.mail@example.org';
    assert.equal((await postJson(`${cli.url}/auth/request`, { email })).status, 202);
    const started = Date.now();
    const exit = await cli.stop();
    assert.equal(exit.code, 0, exit.stderr);
    assert.ok(Date.now() - started < STOP_BOUND_MS);
    // Received by the sink before the process exited: the exit waited for the slow SMTP answer.
    assert.equal(smtp.received.length, 1);
    const mail = await smtp.nextMail(0);
    assert.deepEqual(mail.envelopeTo, [email]);
    assert.match(exit.stderr, /"msg":"login mail sent"[^\n]*\n(.*\n)*.*"msg":"stopped"/);
    const disk = await readStoreOnDisk(dataFile);
    const logins = Object.values(disk.logins);
    assert.equal(logins.length, 1);
    assert.equal(logins[0].sequences.length, 1);
    assert.ok(!disk.text.includes(codeIn(mail)), 'the code is stored only as a hash');
  });

  it('writes the audit entries and counts still waiting before it exits: a sign-in just before the signal is in the store', async () => {
    const dataFile = join(dir, 'audit.json');
    const cli = await startCli({ dataFile, env: { SMTP_URL: smtp.url } });
    const email = 'shutdown.audit@example.org';
    assert.equal((await postJson(`${cli.url}/auth/request`, { email })).status, 202);
    const verified = await postJson(`${cli.url}/auth/verify`, { email, code: codeIn(await smtp.nextMail()) });
    assert.equal(verified.status, 200);
    const exit = await cli.stop();
    assert.equal(exit.code, 0, exit.stderr);
    const store = await openJsonStore(dataFile);
    try {
      const trail = await store.listAudit({ userId: verified.body.user.id, limit: 10 });
      assert.deepEqual(trail.map((r) => r.event), ['sign_in', 'user_created']);
      const day = dayOf(trail[0]!.at);
      assert.deepEqual(await store.listDailyCounts(day, day), { [day]: { 'sign_in:code': 1, 'mail:sent': 1 } });
    } finally {
      await store.close();
    }
  });

  it('starts and mails when node itself is given V8 options (the usual way to size its heap)', async () => {
    const cli = await startCli({ dataFile: join(dir, 'v8-options.json'), env: { SMTP_URL: smtp.url }, nodeArgs: ['--max-old-space-size=256', '--max-semi-space-size=2'] });
    const email = 'shutdown.v8@example.org';
    assert.equal((await postJson(`${cli.url}/auth/request`, { email })).status, 202);
    const exit = await cli.stop();
    assert.equal(exit.code, 0, exit.stderr);
    assert.deepEqual((await smtp.nextMail(0)).envelopeTo, [email]);
  });

  it('answers a request in flight when the signal comes, and its mail goes too', async () => {
    const dataFile = join(dir, 'in-flight.json');
    const cli = await startCli({ dataFile, env: { SMTP_URL: smtp.url } });
    const email = 'shutdown.inflight@example.org';
    const body = JSON.stringify({ email });
    // Headers now, with `Expect: 100-continue`: the server answers "100 Continue" once it has
    // parsed them, so the request is provably in flight before SIGTERM (a condition, not a sleep).
    // The body follows after the signal; that short delay orders events only.
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' };
      const req = request(`${cli.url}/auth/request`, { method: 'POST', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.on('continue', () => {
        void cli.stop();
        void delay(300).then(() => req.end(body));
      });
      req.flushHeaders();
    });
    const { status, text } = await answer;
    assert.equal(status, 202, text);
    const exit = await cli.exited;
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stderr, /"msg":"stopping"/);
    const mail = await smtp.nextMail(0);
    assert.deepEqual(mail.envelopeTo, [email]);
    const disk = await readStoreOnDisk(dataFile);
    assert.equal(Object.values(disk.logins).length, 1);
  });
});
