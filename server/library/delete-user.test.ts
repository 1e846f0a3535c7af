/**
 * `service.deleteUser(userId)`, `listUsers` and `countUsers` on a host that mounted the library,
 * with mail through a real SMTP server: the erased user's sessions answer 401, their pending code
 * no longer signs in, the data files hold nothing of them, one `user_deleted` audit entry names
 * the id alone, and `onUserDeleted` gets the user as they were.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { AccountPath } from '../../contract/account.ts';
import { ManualClock } from '../time/clock.ts';
import { createPasswordless, InvalidUserListQuery, type User } from '../index.ts';
import { getJson, postJson } from '../testing/api-client.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { codeIn, startSmtpSink } from '../testing/smtp-sink.ts';
import { textOfFiles } from '../testing/store-on-disk.ts';

it('erases a user: sessions end, the pending code fails, the files forget the address, one audit entry and one onUserDeleted; the address signs up anew', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'passwordless-delete-user-'));
  const smtp = await startSmtpSink();
  const deleted: User[] = [];
  const { logger, entries } = recordingLogger();
  const clock = new ManualClock(Date.now());
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const passwordless = await createPasswordless({
    publicUrl: url,
    dataFile: join(dir, 'data.json'),
    smtpUrl: smtp.url,
    onUserDeleted: (user) => void deleted.push(user),
    logger,
    clock,
  });
  server.on('request', passwordless.handler);
  const requestCode = async (email: string) => {
    assert.equal((await postJson(`${url}/auth/request`, { email })).status, 202);
    await passwordless.service.idle();
    const mail = await smtp.nextMail();
    assert.deepEqual(mail.envelopeTo, [email]);
    return codeIn(mail);
  };
  const signIn = async (email: string) => {
    const verified = await postJson(`${url}/auth/verify`, { email, code: await requestCode(email) });
    assert.equal(verified.status, 200);
    clock.advance(61_000); // past the resend wait, for the next request of the same address
    return { userId: verified.body.user.id as string, token: verified.body.session.token as string };
  };
  const sessionStatus = async (token: string) => (await getJson(`${url}/auth/session`, { Authorization: `Bearer ${token}` })).status;
  // Every file; `audit: false` leaves out the audit directory (the one place the erased id may stay).
  const storedText = ({ audit = true } = {}) => textOfFiles(dir, (path) => audit || !dirname(path).endsWith('.audit'));
  try {
    const laptop = await signIn('ada@example.com');
    const phone = await signIn('ada@example.com');
    const bob = await signIn('bob@example.com');
    const pendingCode = await requestCode('ada@example.com');
    const ada = await passwordless.service.findUser({ id: laptop.userId });
    assert.equal(await passwordless.service.countUsers(), 2);
    assert.ok((await storedText()).includes('ada@example.com'), 'the files hold the address before');

    assert.deepEqual(await passwordless.service.deleteUser(laptop.userId), { sessions: 2, passkeys: 0 });
    // Read first: the late verify below writes a login state for the address again (its wrong-code count).
    const stored = await storedText();
    assert.ok(!stored.includes('ada@example.com'), 'no file holds the address, the audit trail\'s neither');
    assert.ok(!(await storedText({ audit: false })).includes(laptop.userId), 'no file but the audit trail holds the id');
    assert.ok(stored.includes('bob@example.com'));
    assert.deepEqual(await Promise.all([laptop, phone, bob].map((s) => sessionStatus(s.token))), [401, 401, 200]);
    const late = await postJson(`${url}/auth/verify`, { email: 'ada@example.com', code: pendingCode });
    assert.notEqual(late.status, 200, 'the code mailed before the erasure signs in no one');
    assert.equal(late.body.error.code, 'invalid_code');
    assert.equal(await passwordless.service.findUser({ email: 'ada@example.com' }), null);
    assert.equal(await passwordless.service.countUsers(), 1);
    assert.deepEqual((await passwordless.service.listUsers({ limit: 10, sort: 'created' })).users.map((u) => u.id), [bob.userId]);

    const audited = entries.filter((entry) => entry.audit === true && entry.event === 'user_deleted');
    assert.deepEqual(audited.map(({ userId }) => userId), [laptop.userId]);
    assert.ok(!JSON.stringify(audited).includes('ada@'), 'the audit entry keeps no address');
    assert.deepEqual(deleted, [ada]);
    assert.equal(deleted[0]!.email, 'ada@example.com');
    assert.ok(!('emailKey' in deleted[0]!), 'the public user');

    assert.equal(await passwordless.service.deleteUser(laptop.userId), null, 'erasing twice');
    assert.equal(entries.filter((entry) => entry.event === 'user_deleted').length, 1);
    assert.equal(deleted.length, 1);

    const again = await signIn('ada@example.com');
    assert.notEqual(again.userId, laptop.userId, 'a new user, with a new id');
    assert.equal(await sessionStatus(again.token), 200);
    const page = await passwordless.service.listUsers({ limit: 1, sort: 'last_sign_in' });
    assert.deepEqual(page.users.map((u) => u.id), [again.userId]);
    await assert.rejects(passwordless.service.listUsers({ limit: 1, sort: 'created', after: page.next! }), InvalidUserListQuery);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await passwordless.close();
    await smtp.close();
    await rm(dir, { recursive: true, force: true });
  }
});

it('erases a user who changed their address: neither the old address nor the new one is left in any file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'passwordless-delete-moved-'));
  const smtp = await startSmtpSink();
  const clock = new ManualClock(Date.now());
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const passwordless = await createPasswordless({ publicUrl: url, dataFile: join(dir, 'data.json'), smtpUrl: smtp.url, clock });
  server.on('request', passwordless.handler);
  const storedText = () => textOfFiles(dir);
  try {
    assert.equal((await postJson(`${url}/auth/request`, { email: 'ada@old.example' })).status, 202);
    await passwordless.service.idle();
    const verified = await postJson(`${url}/auth/verify`, { email: 'ada@old.example', code: codeIn(await smtp.nextMail()) });
    assert.equal(verified.status, 200);
    const auth = { Authorization: `Bearer ${verified.body.session.token}` };
    assert.equal((await postJson(`${url}/auth${AccountPath.emailChangeStart}`, { email: 'ada@new.example' }, auth)).status, 202);
    await passwordless.service.idle();
    const confirm = await postJson(`${url}/auth${AccountPath.emailChangeConfirm}`, { email: 'ada@new.example', code: codeIn(await smtp.nextMail()) }, auth);
    assert.equal(confirm.status, 200, JSON.stringify(confirm.body));
    await passwordless.service.idle();
    assert.ok((await storedText()).includes('ada@old.example'), 'the files held the old address (its sign-in)');
    assert.ok(await passwordless.service.deleteUser(verified.body.user.id as string));
    const stored = await storedText();
    assert.ok(!stored.includes('ada@old.example'), 'the old address appears nowhere');
    assert.ok(!stored.includes('ada@new.example'), 'nor the new one');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await passwordless.close();
    await smtp.close();
    await rm(dir, { recursive: true, force: true });
  }
});
