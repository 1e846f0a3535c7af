/**
 * The account changes on a host that mounted the library: `onEmailChanged` after a confirmed
 * change (and after its undo), `blockUser` / `unblockUser` / `getUser`, and the options
 * `accountEmailChange` / `accountDeletion` that switch the routes off.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { AccountPath } from '../../contract/account.ts';
import { ManualClock } from '../time/clock.ts';
import { createPasswordless, type Passwordless, type PasswordlessOptions } from '../index.ts';
import { getJson, postJson } from '../testing/api-client.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { codeIn, linkIn, startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';

async function mounted(options: PasswordlessOptions, run: (parts: { url: string; passwordless: Passwordless; smtp: SmtpSink; clock: ManualClock; signIn(email: string): Promise<{ userId: string; token: string }> }) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'passwordless-account-lib-'));
  const smtp = await startSmtpSink();
  const clock = new ManualClock(Date.now());
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const passwordless = await createPasswordless({ publicUrl: url, dataFile: join(dir, 'data.json'), smtpUrl: smtp.url, clock, ...options });
  server.on('request', passwordless.handler);
  const signIn = async (email: string) => {
    assert.equal((await postJson(`${url}/auth/request`, { email })).status, 202);
    await passwordless.service.idle();
    const verified = await postJson(`${url}/auth/verify`, { email, code: codeIn(await smtp.nextMail()) });
    assert.equal(verified.status, 200);
    return { userId: verified.body.user.id as string, token: verified.body.session.token as string };
  };
  try {
    await run({ url, passwordless, smtp, clock, signIn });
  } finally {
    await passwordless.close();
    await new Promise((resolve) => server.close(resolve));
    await smtp.close();
    await rm(dir, { recursive: true, force: true });
  }
}

it('tells onEmailChanged of a confirmed change and of its undo, with the address before each', async () => {
  const events: { id: string; email: string; previousEmail: string }[] = [];
  await mounted({ onEmailChanged: ({ user, previousEmail }) => void events.push({ id: user.id, email: user.email, previousEmail }) }, async ({ url, passwordless, smtp, signIn }) => {
    const { userId, token } = await signIn('ada@example.com');
    const auth = { Authorization: `Bearer ${token}` };
    assert.equal((await postJson(`${url}/auth${AccountPath.emailChangeStart}`, { email: 'ada@new.example' }, auth)).status, 202);
    await passwordless.service.idle();
    assert.equal((await postJson(`${url}/auth${AccountPath.emailChangeConfirm}`, { email: 'ada@new.example', code: codeIn(await smtp.nextMail()) }, auth)).status, 200);
    assert.deepEqual(events, [{ id: userId, email: 'ada@new.example', previousEmail: 'ada@example.com' }]);
    await passwordless.service.idle();
    const undoToken = new URLSearchParams(new URL(linkIn(await smtp.nextMail())).hash.slice(1)).get('token');
    assert.equal((await postJson(`${url}/auth${AccountPath.emailChangeUndo}`, { token: undoToken })).status, 200);
    assert.deepEqual(events[1], { id: userId, email: 'ada@example.com', previousEmail: 'ada@new.example' });
    assert.equal((await passwordless.getUser(userId))?.email, 'ada@example.com');
  });
});

it('blocks and unblocks through the library: sessions end, audited with who did it; unknown ids answer null', async () => {
  const { logger, entries } = recordingLogger();
  await mounted({ logger }, async ({ url, passwordless, signIn }) => {
    const { userId, token } = await signIn('bob@example.com');
    const blocked = await passwordless.blockUser(userId, { by: 'admin-7' });
    assert.equal(typeof blocked?.blockedAt, 'number');
    assert.equal((await getJson(`${url}/auth/session`, { Authorization: `Bearer ${token}` })).status, 401);
    assert.equal((await passwordless.getUser(userId))?.blockedAt, blocked!.blockedAt);
    assert.ok(entries.some((entry) => entry.event === 'user_blocked' && entry.userId === userId && entry.by === 'admin-7'));
    const unblocked = await passwordless.unblockUser(userId, { by: 'admin-7' });
    assert.equal(unblocked?.blockedAt, undefined);
    assert.ok(entries.some((entry) => entry.event === 'user_unblocked' && entry.userId === userId && entry.by === 'admin-7'));
    assert.equal(await passwordless.blockUser('no-such-user'), null);
    assert.equal(await passwordless.unblockUser('no-such-user'), null);
    assert.equal(await passwordless.getUser('no-such-user'), null);
  });
});

it('mounts no account route with accountEmailChange: false and accountDeletion: false, and /config says account: false', async () => {
  await mounted({ accountEmailChange: false, accountDeletion: false }, async ({ url, signIn }) => {
    const { token } = await signIn('cy@example.com');
    assert.equal((await getJson(`${url}/auth/config`)).body.account, false);
    assert.equal((await postJson(`${url}/auth${AccountPath.deletionStart}`, {}, { Authorization: `Bearer ${token}` })).status, 404);
  });
});
