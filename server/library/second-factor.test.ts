/**
 * The library's second factor (createPasswordless): setupTotp, enableTotp, verifyTotp and
 * disableTotp for a host's server code, the `requireSecondFactor` hook, the approval's second
 * step, and the notices, all with the clock moved.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../time/clock.ts';
import { parseEmailAddress } from '../login/email-address.ts';
import type { LoginError } from '../login/login-error.ts';
import { totpCodeAt } from '../second-factor/totp-codes.ts';
import { pickCodeAndLink } from '../mail/dev-mailbox.ts';
import { tokenOf } from '../testing/api-client.ts';
import { approvalSecret } from '../testing/approval-kit.ts';
import { createPasswordless, type OutgoingMail, type Passwordless, type PasswordlessOptions } from '../index.ts';

const CODE = /\b(\d{6,10})\b/;

describe('createPasswordless: authenticator-app codes', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'passwordless-totp-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function start(options: PasswordlessOptions = {}) {
    const mails: OutgoingMail[] = [];
    const clock = new ManualClock(Date.now());
    const pl: Passwordless = await createPasswordless({ dataFile: join(dir, `${Math.random()}.json`), sendMail: (m) => void mails.push(m), clock, ...options });
    const mailedCode = async (email: string) => {
      clock.advance(61_000);
      await pl.service.requestLoginToken({ email });
      await pl.service.idle();
      return CODE.exec(mails.at(-1)!.text)![1]!;
    };
    return { pl, mails, clock, mailedCode };
  }

  it('sets up, enables with the app code, verifies each code once, and disables, mailing the owner both ways', async () => {
    const { pl, mails, clock, mailedCode } = await start();
    const email = 'lib-totp@example.com';
    const { user } = await pl.service.verifyCode(parseEmailAddress(email)!, await mailedCode(email));
    const setup = await pl.setupTotp(user.id);
    assert.match(setup.uri, /^otpauth:\/\/totp\/.+secret=/);
    assert.match(setup.qrSvg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(setup.qrSvg, /<script|\sstyle=/i);
    await assert.rejects(pl.enableTotp(user.id, { secret: setup.secret, code: '000000' === totpCodeAt(setup.secret, clock.now()) ? '111111' : '000000' }), (error: LoginError) => error.code === 'invalid_code');
    const { recoveryCodes } = await pl.enableTotp(user.id, { secret: setup.secret, code: totpCodeAt(setup.secret, clock.now()) });
    await pl.service.idle();
    assert.equal(recoveryCodes.length, 10);
    assert.match(mails.at(-1)!.subject, /turned on/);
    await assert.rejects(pl.setupTotp(user.id), (error: LoginError) => error.code === 'totp_already_enabled');
    clock.advance(30_000);
    const code = totpCodeAt(setup.secret, clock.now());
    assert.equal(await pl.verifyTotp(user.id, { code }), true);
    assert.equal(await pl.verifyTotp(user.id, { code }), false, 'each code once');
    assert.equal(await pl.verifyTotp(user.id, { recoveryCode: recoveryCodes[3]!.toUpperCase() }), true, 'any case');
    assert.equal(await pl.verifyTotp(user.id, { recoveryCode: recoveryCodes[3]! }), false, 'each recovery code once');
    assert.equal((await pl.getUser(user.id)) !== null && !('totp' in (await pl.getUser(user.id))!), true, 'the library never hands out the secret');
    assert.equal(await pl.disableTotp(user.id), true);
    await pl.service.idle();
    assert.match(mails.at(-1)!.subject, /turned off/);
    assert.equal(await pl.disableTotp(user.id), false);
    await pl.close();
  });

  it('answers second_factor_required to a sign-in with no key, and a ticket to one with a key, after an approval too', async () => {
    const { pl, clock, mailedCode } = await start();
    const email = 'lib-ticket@example.com';
    const { user } = await pl.service.verifyCode(parseEmailAddress(email)!, await mailedCode(email));
    const setup = await pl.setupTotp(user.id);
    await pl.enableTotp(user.id, { secret: setup.secret, code: totpCodeAt(setup.secret, clock.now()) });
    await assert.rejects(pl.service.verifyCode(parseEmailAddress(email)!, await mailedCode(email)), (error: LoginError) => error.code === 'second_factor_required' && error.status === 403);
    const key = createHash('sha256').update(randomBytes(32)).digest('base64url');
    const answer = await pl.service.verifyCode(parseEmailAddress(email)!, await mailedCode(email), key);
    assert.ok('secondFactor' in answer && answer.secondFactor.expiresIn === 300);
    assert.ok(!('session' in answer));
    await pl.close();
  });

  it('completes the second step in the host code (completeSecondFactor): a bad input is a 400, a wrong code counts, the right one signs in once', async () => {
    const { pl, clock, mailedCode } = await start();
    const email = 'lib-complete@example.com';
    const { user } = await pl.service.verifyCode(parseEmailAddress(email)!, await mailedCode(email));
    const setup = await pl.setupTotp(user.id);
    await pl.enableTotp(user.id, { secret: setup.secret, code: totpCodeAt(setup.secret, clock.now()) });
    const bytes = randomBytes(32);
    const secret = bytes.toString('base64url');
    const answer = await pl.service.verifyCode(parseEmailAddress(email)!, await mailedCode(email), createHash('sha256').update(bytes).digest('base64url'));
    assert.ok('secondFactor' in answer);
    const { ticket } = answer.secondFactor;
    for (const bad of [{ ticket, secret }, { ticket, secret, code: 123456 }, { ticket: 7, secret, code: '123456' }, { ticket, secret, code: '123456', recoveryCode: 'aaaaa-aaaaa' }]) {
      await assert.rejects(pl.completeSecondFactor(bad as never), (error: LoginError) => error.code === 'invalid_request' && error.status === 400, JSON.stringify(bad));
    }
    const right = totpCodeAt(setup.secret, clock.now());
    await assert.rejects(pl.completeSecondFactor({ ticket, secret, code: right === '000000' ? '111111' : '000000' }), (error: LoginError) => error.code === 'invalid_code' && error.details?.attemptsLeft === 4);
    await assert.rejects(pl.completeSecondFactor({ ticket, secret: randomBytes(32).toString('base64url'), code: right }), (error: LoginError) => error.code === 'invalid_second_factor');
    const done = await pl.completeSecondFactor({ ticket, secret, code: right });
    assert.equal(done.user.id, user.id);
    assert.equal(typeof done.session.token, 'string');
    assert.equal((await pl.service.findSession(done.session.token!))?.user.id, user.id);
    await assert.rejects(pl.completeSecondFactor({ ticket, secret, code: right }), (error: LoginError) => error.code === 'invalid_second_factor', 'once');
    await pl.close();
  });

  it('hands an approval of an account with a second factor its ticket, not a session', async () => {
    const { pl, mails, clock, mailedCode } = await start({ publicUrl: 'http://127.0.0.1:9' });
    const email = 'lib-approval@example.com';
    const { user } = await pl.service.verifyCode(parseEmailAddress(email)!, await mailedCode(email));
    const setup = await pl.setupTotp(user.id);
    await pl.enableTotp(user.id, { secret: setup.secret, code: totpCodeAt(setup.secret, clock.now()) });
    clock.advance(61_000);
    const { secret, key } = approvalSecret();
    const asked = await pl.service.requestLogin({ email: parseEmailAddress(email)!, locale: 'en', approval: { key, device: 'Firefox on Linux' } });
    await pl.service.idle();
    const token = tokenOf(pickCodeAndLink(mails.findLast((mail) => mail.to === email)!.text).link!);
    const secondFactorKey = createHash('sha256').update(randomBytes(32)).digest('base64url');
    const waiting = pl.waitForApproval({ id: asked.approval!.id, secret, secondFactorKey });
    await pl.approveLogin(token, asked.approval!.number);
    const outcome = await waiting;
    assert.equal(outcome.status, 'second_factor');
    assert.ok(outcome.status === 'second_factor' && outcome.challenge.secondFactor.expiresIn === 300);
    await pl.close();
  });

  it('refuses a sign-in the hook demands a second factor of, with none set up (403 second_factor_setup_required), and a throwing hook fails closed', async () => {
    let verdict: boolean | 'throw' | 1 | 'yes' = true;
    const { pl, mailedCode } = await start({
      requireSecondFactor: (user) => {
        if (verdict === 'throw') throw new Error('directory down');
        // A JavaScript host may answer anything: only `false` lets the sign-in through.
        return (user.email.startsWith('staff') ? verdict : false) as boolean;
      },
    });
    const staff = 'staff@example.com';
    verdict = false;
    await pl.service.verifyCode(parseEmailAddress(staff)!, await mailedCode(staff));
    verdict = true;
    await assert.rejects(pl.service.verifyCode(parseEmailAddress(staff)!, await mailedCode(staff)), (error: LoginError) => error.code === 'second_factor_setup_required');
    verdict = 'throw';
    await assert.rejects(pl.service.verifyCode(parseEmailAddress(staff)!, await mailedCode(staff)), (error: LoginError) => error.code === 'second_factor_setup_required');
    // Truthy answers that are not `true` demand it too (fail closed); before, only `=== true` did.
    for (const truthy of [1, 'yes'] as const) {
      verdict = truthy;
      await assert.rejects(pl.service.verifyCode(parseEmailAddress(staff)!, await mailedCode(staff)), (error: LoginError) => error.code === 'second_factor_setup_required', String(truthy));
    }
    // A new user is not asked: the first sign-in creates them.
    verdict = true;
    const created = await pl.service.verifyCode(parseEmailAddress('staff-new@example.com')!, await mailedCode('staff-new@example.com'));
    assert.equal(typeof created.session.token, 'string');
    await pl.close();
  });

  it('refuses to enable a secret that is not base32 of 128 bits or more with a LoginError (400 invalid_request), never a TypeError', async () => {
    const { pl, clock, mailedCode } = await start();
    const email = 'lib-bad-secret@example.com';
    const { user } = await pl.service.verifyCode(parseEmailAddress(email)!, await mailedCode(email));
    // 25 characters are 125 bits; 1, 8, 0 and 9 are not base32; a number is not a string.
    for (const secret of ['', 'A'.repeat(25), `${'A'.repeat(30)}1`, `${'A'.repeat(30)}!`, 'Ä'.repeat(32), 12345 as unknown as string]) {
      await assert.rejects(pl.enableTotp(user.id, { secret, code: '123456' }), (error: LoginError) => error.code === 'invalid_request' && error.status === 400 && /base32/.test(error.message), String(secret));
    }
    assert.equal(await pl.verifyTotp(user.id, { code: '123456' }), false, 'nothing written: still off');
    // 26 characters (130 bits), lower case with spaces and padding, as apps show them: accepted.
    const own = 'jbsw y3dp ehpk 3pxp jbsw y3dp eh==';
    const clean = own.toUpperCase().replace(/[\s=]/g, '');
    const { recoveryCodes } = await pl.enableTotp(user.id, { secret: own, code: totpCodeAt(clean, clock.now()) });
    assert.equal(recoveryCodes.length, 10);
    await pl.close();
  });

  it('answers a secret sealed under another SECRET with a typed refusal (503), costing no attempt, and disableTotp still turns it off', async () => {
    const dataFile = join(dir, `${Math.random()}.json`);
    const clock = new ManualClock(Date.now());
    const mails: OutgoingMail[] = [];
    const options = { dataFile, clock, sendMail: (m: OutgoingMail) => void mails.push(m) };
    const email = 'lib-rotated@example.com';
    const before = await createPasswordless({ ...options, secret: 'a'.repeat(40) });
    await before.service.requestLoginToken({ email });
    await before.service.idle();
    const { user } = await before.service.verifyCode(parseEmailAddress(email)!, CODE.exec(mails.at(-1)!.text)![1]!);
    const setup = await before.setupTotp(user.id);
    await before.enableTotp(user.id, { secret: setup.secret, code: totpCodeAt(setup.secret, clock.now()) });
    await before.close();
    clock.advance(60_000);
    const after = await createPasswordless({ ...options, secret: 'b'.repeat(40) });
    for (let i = 0; i < 6; i++) {
      await assert.rejects(after.verifyTotp(user.id, { code: totpCodeAt(setup.secret, clock.now()) }), (error: LoginError) => error.code === 'internal_error' && error.status === 503 && /turn it off/.test(error.message));
    }
    assert.equal(await after.disableTotp(user.id), true);
    // On again under the new SECRET: the six refusals counted nothing (past the cap a right code would be refused).
    const again = await after.setupTotp(user.id);
    await after.enableTotp(user.id, { secret: again.secret, code: totpCodeAt(again.secret, clock.now()) });
    clock.advance(30_000);
    assert.equal(await after.verifyTotp(user.id, { code: totpCodeAt(again.secret, clock.now()) }), true);
    await after.close();
  });

  it('rejects every TOTP call with totp: false', async () => {
    const { pl } = await start({ totp: false });
    for (const call of [pl.setupTotp('u'), pl.enableTotp('u', { secret: 'A', code: '123456' }), pl.verifyTotp('u', { code: '123456' }), pl.disableTotp('u')]) {
      await assert.rejects(call, /authenticator-app codes are off/);
    }
    await pl.close();
  });
});
