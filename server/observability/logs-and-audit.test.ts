/**
 * What the logs of a whole flow hold: audit entries for each sign-in, sign-out and new user, with
 * the fields an operator needs, and nowhere a code, a link token, a session token or a full email
 * address (checked on the serialized entries, as a log shipper would see them).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LogEntry } from './logger.ts';
import { postJson, tokenOf } from '../testing/api-client.ts';
import { freePort as deadPort } from '../testing/free-port.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { codeIn, linkIn, startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

const CODE_USER = 'Ana.Secret@Example.org';
const LINK_USER = 'bo.private@example.net';
const FAILED_USER = 'cy.hidden@example.com';

describe('logs of a whole flow', () => {
  const { logger, entries } = recordingLogger();
  const secrets: string[] = [];
  let smtp: SmtpSink;
  let server: TestServer;
  let codeUserId = '';
  let linkUserId = '';

  before(async () => {
    smtp = await startSmtpSink();
    server = await startTestServer({ env: { SMTP_URL: smtp.url }, logger });
    const api = (path: string) => `${server.url}/auth${path}`;

    // Code: request, a wrong code, the right one, the session, sign-out.
    assert.equal((await postJson(api('/request'), { email: CODE_USER })).status, 202);
    const mail = await smtp.nextMail();
    const code = codeIn(mail);
    secrets.push(code, tokenOf(linkIn(mail)), linkIn(mail));
    assert.equal((await postJson(api('/verify'), { email: CODE_USER, code: code === '000000' ? '111111' : '000000' })).status, 401);
    const signedIn = await postJson(api('/verify'), { email: CODE_USER, code });
    assert.equal(signedIn.status, 200);
    codeUserId = signedIn.body.user.id;
    secrets.push(signedIn.body.session.token);
    assert.equal((await postJson(api('/logout'), {}, { Authorization: `Bearer ${signedIn.body.session.token}` })).status, 204);

    // Link: a second user signs in with the magic link.
    assert.equal((await postJson(api('/request'), { email: LINK_USER })).status, 202);
    const linkMail = await smtp.nextMail();
    secrets.push(codeIn(linkMail), tokenOf(linkIn(linkMail)), linkIn(linkMail));
    const byLink = await postJson(api('/verify'), { token: tokenOf(linkIn(linkMail)) });
    assert.equal(byLink.status, 200);
    linkUserId = byLink.body.user.id;
    secrets.push(byLink.body.session.token);
    // An access token exchanged for that session.
    const access = await postJson(api('/token'), {}, { Authorization: `Bearer ${byLink.body.session.token}` });
    assert.equal(access.status, 200);
    secrets.push(access.body.accessToken);
    await server.backend.mailer.idle();

    // A mail failure: the same logger, SMTP on a port nobody listens on.
    const failing = await startTestServer({ env: { SMTP_URL: `smtp://127.0.0.1:${await deadPort()}` }, logger });
    try {
      assert.equal((await postJson(`${failing.url}/auth/request`, { email: FAILED_USER })).status, 202);
      await failing.backend.mailer.idle();
    } finally {
      await failing.close();
    }
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  it('logs the mail outcomes, a failure included (so the check below has something to check)', () => {
    assert.equal(entries.filter((e) => e.msg === 'login mail sent').length, 2);
    assert.equal(entries.filter((e) => e.msg === 'login mail failed').length, 1);
  });

  it('holds no code, link, link token, session token or access token', () => {
    const serialized = JSON.stringify(entries);
    assert.equal(secrets.length, 9);
    for (const secret of secrets) assert.ok(!serialized.includes(secret), `a log entry holds a secret: ${secret}`);
  });

  it('holds no full email address, in any case, nor a local part', () => {
    const serialized = JSON.stringify(entries).toLowerCase();
    for (const address of [CODE_USER, LINK_USER, FAILED_USER]) {
      const lower = address.toLowerCase();
      assert.ok(!serialized.includes(lower), `a log entry holds ${address}`);
      assert.ok(!serialized.includes(lower.split('@')[0]!), `a log entry holds the local part of ${address}`);
    }
  });

  it('audits each new user, sign-in and sign-out with ids, method, client and time only', () => {
    const audit = entries.filter((e) => e.audit === true);
    const shape = (e: LogEntry) => ({ ...e, at: typeof e.at === 'string' && !Number.isNaN(Date.parse(e.at)) ? 'iso' : e.at });
    assert.deepEqual(audit.map(shape), [
      { level: 'info', msg: 'audit user_created', audit: true, event: 'user_created', userId: codeUserId, at: 'iso' },
      { level: 'info', msg: 'audit sign_in', audit: true, event: 'sign_in', userId: codeUserId, method: 'code', clientKey: '127.0.0.1', at: 'iso' },
      { level: 'info', msg: 'audit sign_out', audit: true, event: 'sign_out', userId: codeUserId, at: 'iso' },
      { level: 'info', msg: 'audit user_created', audit: true, event: 'user_created', userId: linkUserId, at: 'iso' },
      { level: 'info', msg: 'audit sign_in', audit: true, event: 'sign_in', userId: linkUserId, method: 'link', clientKey: '127.0.0.1', at: 'iso' },
    ]);
  });

  it('audits no sign-out for a token that was not signed in, and no new user on a second sign-in', async () => {
    const count = entries.length;
    assert.equal((await postJson(`${server.url}/auth/logout`, {}, { Authorization: `Bearer ${'x'.repeat(43)}` })).status, 204);
    server.clock.advance(61_000);
    assert.equal((await postJson(`${server.url}/auth/request`, { email: LINK_USER })).status, 202);
    const again = await postJson(`${server.url}/auth/verify`, { email: LINK_USER, code: codeIn(await smtp.nextMail()) });
    assert.equal(again.status, 200);
    const fresh = entries.slice(count).filter((e) => e.audit === true);
    assert.deepEqual(
      fresh.map((e) => [e.event, e.userId]),
      [['sign_in', linkUserId]],
    );
  });
});
