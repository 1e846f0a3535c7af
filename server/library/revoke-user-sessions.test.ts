/**
 * `service.revokeUserSessions(userId)`: "sign out everywhere", or ending a banned account's
 * sessions, seen from the HTTP side of a host that mounted the library.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ManualClock } from '../time/clock.ts';
import { createPasswordless, type OutgoingMail } from '../index.ts';
import { getJson, postJson } from '../testing/api-client.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { codeIn } from '../testing/smtp-sink.ts';


it('ends every session of one user over HTTP, and only theirs, with one audit entry and one onLogout', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'passwordless-revoke-'));
  const mails: OutgoingMail[] = [];
  const logouts: unknown[] = [];
  const { logger, entries } = recordingLogger();
  const clock = new ManualClock(Date.now());
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const passwordless = await createPasswordless({
    publicUrl: url,
    dataFile: join(dir, 'data.json'),
    sendMail: (mail) => void mails.push(mail),
    onLogout: (event) => void logouts.push(event),
    logger,
    clock,
  });
  server.on('request', passwordless.handler);
  const signIn = async (email: string) => {
    assert.equal((await postJson(`${url}/auth/request`, { email })).status, 202);
    await passwordless.service.idle();
    const code = codeIn(mails.findLast((mail) => mail.to === email)!);
    const verified = await postJson(`${url}/auth/verify`, { email, code });
    assert.equal(verified.status, 200);
    return { userId: verified.body.user.id as string, token: verified.body.session.token as string };
  };
  const sessionStatus = async (token: string) => (await getJson(`${url}/auth/session`, { Authorization: `Bearer ${token}` })).status;
  try {
    const laptop = await signIn('ada@example.com');
    clock.advance(61_000); // past the resend wait: a second sign-in, as from a second device
    const phone = await signIn('ada@example.com');
    const bob = await signIn('bob@example.com');
    assert.equal(phone.userId, laptop.userId);
    assert.notEqual(phone.token, laptop.token);
    assert.deepEqual(await Promise.all([laptop, phone, bob].map((s) => sessionStatus(s.token))), [200, 200, 200]);

    assert.equal(await passwordless.service.revokeUserSessions(laptop.userId), 2);
    assert.deepEqual(await Promise.all([laptop, phone, bob].map((s) => sessionStatus(s.token))), [401, 401, 200]);
    const signOuts = entries.filter((entry) => entry.audit === true && entry.event === 'sign_out');
    assert.deepEqual(signOuts.map(({ userId }) => userId), [laptop.userId]);
    assert.deepEqual(logouts, [{ userId: laptop.userId }]);

    assert.equal(await passwordless.service.revokeUserSessions(laptop.userId), 0, 'nothing left to end');
    assert.equal(entries.filter((entry) => entry.event === 'sign_out').length, 1, 'and nothing audited for nothing');
    assert.equal(logouts.length, 1);
    clock.advance(61_000);
    const again = await signIn('ada@example.com');
    assert.equal(await sessionStatus(again.token), 200, 'the user can sign in again afterwards');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await passwordless.close();
    await rm(dir, { recursive: true, force: true });
  }
});
