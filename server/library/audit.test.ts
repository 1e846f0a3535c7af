/**
 * `passwordless.listAudit` and `passwordless.overview()` on a host that mounted the library, with
 * mail through a real SMTP server and the JSON store on real files: a sign-in by code shows up in
 * the user's trail and in today's counts, a sign-out too, the trail survives a restart, paging and
 * bad queries behave, and AUDIT_RETENTION_DAYS=0 keeps nothing in the store (the log still has it).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ManualClock } from '../time/clock.ts';
import { createPasswordless, InvalidAuditQuery, type Passwordless, type PasswordlessOptions } from '../index.ts';
import { postJson } from '../testing/api-client.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { codeIn, startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';

const DAY = 86_400_000;

/** A host on a real port with the library mounted; `signIn` requests a code, reads it from the SMTP sink and verifies it. */
async function startHost(dir: string, smtp: SmtpSink, clock: ManualClock, extra: PasswordlessOptions = {}) {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const log = recordingLogger();
  const passwordless: Passwordless = await createPasswordless({ publicUrl: url, dataFile: join(dir, 'data.json'), smtpUrl: smtp.url, logger: log.logger, clock, ...extra });
  server.on('request', passwordless.handler);
  return {
    passwordless,
    log,
    async signIn(email: string) {
      assert.equal((await postJson(`${url}/auth/request`, { email })).status, 202);
      await passwordless.service.idle();
      const verified = await postJson(`${url}/auth/verify`, { email, code: codeIn(await smtp.nextMail()) });
      assert.equal(verified.status, 200);
      clock.advance(61_000); // past the resend wait
      return { userId: verified.body.user.id as string, token: verified.body.session.token as string };
    },
    async signOut(token: string) {
      assert.equal((await postJson(`${url}/auth/logout`, {}, { Authorization: `Bearer ${token}` })).status, 204);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await passwordless.close();
    },
  };
}

it('shows a sign-in by code in the user’s trail and in today’s counts, mail sent included, and keeps them across a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'passwordless-audit-'));
  const smtp = await startSmtpSink();
  const clock = new ManualClock(Date.UTC(2026, 11, 7, 10));
  let host = await startHost(dir, smtp, clock);
  try {
    const before = await host.passwordless.overview();
    assert.deepEqual([before.users, before.activeSessions, before.days.length], [0, 0, 30]);
    assert.ok(before.days.every((d) => d.signIns.code + d.signIns.link + d.signIns.passkey + d.mail.sent + d.mail.failed === 0));

    const ada = await host.signIn('ada@example.com');
    const bob = await host.signIn('bob@example.com');
    await host.signOut(bob.token);

    const trail = await host.passwordless.listAudit({ userId: ada.userId, limit: 10 });
    assert.deepEqual(trail.map((e) => [e.event, e.method]), [['sign_in', 'code'], ['user_created', undefined]]);
    assert.equal(trail[0]!.userId, ada.userId);
    assert.equal(trail[0]!.at, new Date(Date.UTC(2026, 11, 7, 10)).toISOString(), 'at: when the service decided, by its clock, in ISO 8601');
    assert.ok(!JSON.stringify(trail).includes('127.0.0.1') && !JSON.stringify(trail).includes('example.com'), 'no client key, no address');
    assert.deepEqual((await host.passwordless.listAudit({ limit: 10 })).map((e) => e.event), ['sign_out', 'sign_in', 'user_created', 'sign_in', 'user_created']);

    const overview = await host.passwordless.overview();
    assert.equal(overview.users, 2);
    assert.equal(overview.activeSessions, 1, 'Bob signed out');
    assert.equal(overview.days.at(-1)!.day, '2026-12-07', 'today last');
    assert.equal(overview.days[0]!.day, '2026-11-08', '30 days, oldest first');
    assert.deepEqual(overview.days.at(-1), { day: '2026-12-07', signIns: { code: 2, link: 0, passkey: 0 }, mail: { sent: 2, failed: 0 } });

    // Paging back, and a query out of range.
    const first = await host.passwordless.listAudit({ limit: 2 });
    const next = await host.passwordless.listAudit({ limit: 10, before: Date.parse(first.at(-1)!.at) });
    assert.ok(next.length > 0 && next.every((e) => Date.parse(e.at) < Date.parse(first.at(-1)!.at)));
    await assert.rejects(host.passwordless.listAudit({ limit: 500 }), InvalidAuditQuery);

    await host.close();
    host = await startHost(dir, smtp, clock);
    assert.deepEqual((await host.passwordless.listAudit({ userId: ada.userId, limit: 10 })).map((e) => e.event), ['sign_in', 'user_created'], 'after a restart');
    assert.equal((await host.passwordless.overview()).days.at(-1)!.signIns.code, 2);

    // 91 days later (the sweep at start), the trail and its counts are gone: only what is within 90 days stays.
    await host.close();
    clock.advance(91 * DAY);
    host = await startHost(dir, smtp, clock);
    assert.deepEqual(await host.passwordless.listAudit({ limit: 10 }), []);
    assert.equal(Object.values((await host.passwordless.overview()).days).reduce((sum, d) => sum + d.signIns.code, 0), 0);
  } finally {
    await host.close();
    await smtp.close();
    await rm(dir, { recursive: true, force: true });
  }
});

it('keeps no trail in the store with auditRetentionDays: 0: the log has the entries, the files none', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'passwordless-audit-off-'));
  const smtp = await startSmtpSink();
  const clock = new ManualClock(Date.UTC(2026, 11, 7, 10));
  const host = await startHost(dir, smtp, clock, { auditRetentionDays: 0 });
  try {
    const ada = await host.signIn('ada@example.com');
    assert.deepEqual(await host.passwordless.listAudit({ limit: 10 }), []);
    assert.equal((await host.passwordless.overview()).days.at(-1)!.signIns.code, 0);
    assert.ok(host.log.entries.some((e) => e.audit === true && e.event === 'sign_in' && e.userId === ada.userId), 'logged');
    const auditFiles = await readdir(join(dir, 'data.json.audit'));
    const texts = await Promise.all(auditFiles.map((name) => readFile(join(dir, 'data.json.audit', name), 'utf8')));
    assert.ok(!texts.join('\n').includes(ada.userId), 'no file of the trail names the user');
  } finally {
    await host.close();
    await smtp.close();
    await rm(dir, { recursive: true, force: true });
  }
});
