/**
 * Cross-device approval from a host's server code (`createPasswordless`): `waitForApproval`,
 * `describeApproval` and `approveLogin`, for a client that talks to the host rather than the API.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { createPasswordless, type OutgoingMail, type Passwordless } from '../index.ts';
import { parseEmailAddress } from '../login/email-address.ts';
import { LoginError } from '../login/login-error.ts';
import { pickCodeAndLink } from '../mail/dev-mailbox.ts';
import { tokenOf } from '../testing/api-client.ts';
import { approvalSecret } from '../testing/approval-kit.ts';
import { ManualClock } from '../time/clock.ts';

let dir: string;
let passwordless: Passwordless;
const mails: OutgoingMail[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passwordless-approval-'));
  passwordless = await createPasswordless({ publicUrl: 'http://127.0.0.1:9', dataFile: join(dir, 'data.json'), sendMail: (mail) => void mails.push(mail), clock: new ManualClock(Date.now()), logger: { info() {}, warn() {}, error() {} } });
});
after(async () => {
  await passwordless.close();
  await rm(dir, { recursive: true, force: true });
});

async function ask(email: string) {
  const { secret, key } = approvalSecret();
  const answer = await passwordless.service.requestLogin({ email: parseEmailAddress(email)!, locale: 'en', approval: { key, device: 'Firefox on Linux' } });
  await passwordless.service.idle();
  const token = tokenOf(pickCodeAndLink(mails.findLast((mail) => mail.to === email)!.text).link!);
  return { id: answer.approval!.id, number: answer.approval!.number, secret, token };
}

it('approves from server code and hands the session to waitForApproval, once', async () => {
  const asked = await ask('lib@example.com');
  const described = await passwordless.describeApproval(asked.token);
  assert.equal(described.device, 'Firefox on Linux');
  assert.ok(described.choices.includes(asked.number));
  const waiting = passwordless.waitForApproval({ id: asked.id, secret: asked.secret });
  await passwordless.approveLogin(asked.token, asked.number);
  const outcome = await waiting;
  assert.equal(outcome.status, 'approved');
  assert.equal(outcome.status === 'approved' && outcome.answer.user.email, 'lib@example.com');
  await assert.rejects(passwordless.waitForApproval({ id: asked.id, secret: asked.secret }), (error: LoginError) => error.code === 'invalid_approval');
});

it('throws approval_refused for a wrong number, and ends a wait when its signal aborts', async () => {
  const asked = await ask('lib-wrong@example.com');
  const stop = new AbortController();
  const started = Date.now();
  const waiting = passwordless.waitForApproval({ id: asked.id, secret: asked.secret }, stop.signal);
  stop.abort();
  assert.deepEqual(await waiting, { status: 'waiting' });
  assert.ok(Date.now() - started < 2000, 'ended by the signal, not by the 25 s poll');
  await assert.rejects(passwordless.approveLogin(asked.token, asked.number === 99 ? 10 : asked.number + 1), (error: LoginError) => error.code === 'approval_refused' && error.status === 403);
  assert.deepEqual(await passwordless.waitForApproval({ id: asked.id, secret: asked.secret }), { status: 'refused' });
});
