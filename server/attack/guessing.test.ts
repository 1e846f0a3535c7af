/**
 * Attack: guessing codes (in parallel, from many IPs), replaying codes and links, racing them,
 * using them late or for another address, and the lock after 100 wrong codes in a row.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tokenOf } from '../testing/api-client.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { assertError, assertRefusedSafely, assertStillSound, freshEmail, requestCode, settle, wrongCode } from '../testing/attack-kit.ts';

const RESEND = 61_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

describe('attack: guessing and replaying codes', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('120 parallel wrong codes against one email check at most 5: at most 4 are 401, the rest 429, and the right code is burnt', async () => {
    const email = freshEmail('parallel');
    const { code } = await requestCode(h, email);
    const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => h.verify({ email, code: wrongCode(code, i) })));
    const invalid = answers.filter((a) => a.status === 401);
    const tooMany = answers.filter((a) => a.status === 429);
    assert.equal(invalid.length + tooMany.length, 120, `only 401 and 429: ${[...new Set(answers.map((a) => a.status))]}`);
    assert.ok(invalid.length <= 4, `at most 4 wrong codes answered invalid_code, got ${invalid.length}`);
    for (const a of invalid) assertError(a, 401, 'invalid_code');
    for (const a of tooMany) assertError(a, 429, 'too_many_attempts');
    assert.ok(answers.every((a) => a.body.session === undefined));
    await assertRefusedSafely(h, () => h.verify({ email, code }), 429, 'too_many_attempts');
  });

  it('past the cap a fresh code gets exactly one try: a wrong one burns it again, the owner signs in with the next', async () => {
    const email = freshEmail('pastcap');
    const first = await requestCode(h, email);
    for (let i = 0; i < 5; i++) await h.verify({ email, code: wrongCode(first.code, i) });
    h.server.clock.advance(RESEND);
    const second = await requestCode(h, email);
    assertError(await h.verify({ email, code: wrongCode(second.code, 7) }), 429, 'too_many_attempts');
    await assertRefusedSafely(h, () => h.verify({ email, code: second.code }), 429, 'too_many_attempts');
    h.server.clock.advance(RESEND);
    const third = await requestCode(h, email);
    assert.equal((await h.verify({ email, code: third.code })).status, 200);
  });

  it('counts wrong codes across resends: a new code does not reset the count', async () => {
    const email = freshEmail('resend');
    const first = await requestCode(h, email);
    for (let i = 0; i < 3; i++) assertError(await h.verify({ email, code: wrongCode(first.code, i) }), 401, 'invalid_code');
    h.server.clock.advance(RESEND);
    const second = await requestCode(h, email);
    const fourth = await h.verify({ email, code: wrongCode(second.code, 50) === first.code ? wrongCode(second.code, 51) : wrongCode(second.code, 50) });
    assertError(fourth, 401, 'invalid_code');
    assert.equal(fourth.body.error.attemptsLeft, 1);
  });

  it('refuses a code used twice (no second session)', async () => {
    const email = freshEmail('reuse');
    const { code } = await requestCode(h, email);
    assert.equal((await h.verify({ email, code })).status, 200);
    await assertRefusedSafely(h, () => h.verify({ email, code }), 401, 'invalid_code');
  });

  it('20 simultaneous verifies of one code: exactly one 200', async () => {
    const email = freshEmail('race-code');
    const { code } = await requestCode(h, email);
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.verify({ email, code })));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    for (const a of answers.filter((x) => x.status !== 200)) assertError(a, 401, 'invalid_code');
    await assertStillSound(h, h.smtp.received.length);
  });

  it('20 simultaneous verifies of one link: exactly one 200, and its code is spent too', async () => {
    const email = freshEmail('race-link');
    const { code, link } = await requestCode(h, email);
    const token = tokenOf(link);
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.verify({ token })));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    for (const a of answers.filter((x) => x.status !== 200)) assertError(a, 401, 'invalid_link');
    await assertRefusedSafely(h, () => h.verify({ email, code }), 401, 'invalid_code');
  });

  it('a login spends every other live code and link of that address', async () => {
    const email = freshEmail('spend-all');
    const first = await requestCode(h, email);
    h.server.clock.advance(RESEND);
    const second = await requestCode(h, email);
    assert.equal((await h.verify({ email, code: second.code })).status, 200);
    await assertRefusedSafely(h, () => h.verify({ email, code: first.code }), 401, 'invalid_code');
    await assertRefusedSafely(h, () => h.verify({ token: tokenOf(first.link) }), 401, 'invalid_link');
  });

  it("refuses another address's code, and the owner's code still works", async () => {
    const owner = freshEmail('owner');
    const thief = freshEmail('thief');
    const { code } = await requestCode(h, owner);
    await requestCode(h, thief);
    await assertRefusedSafely(h, () => h.verify({ email: thief, code }), 401, 'invalid_code');
    const login = await h.verify({ email: owner, code });
    assert.equal(login.status, 200);
    assert.equal(login.body.user.email, owner);
  });

  it('refuses an expired code with 401 expired_code', async () => {
    const email = freshEmail('expired-code');
    const { code } = await requestCode(h, email);
    h.server.clock.advance(600_000);
    await assertRefusedSafely(h, () => h.verify({ email, code }), 401, 'expired_code');
  });

  it('refuses an expired link with 401 expired_code', async () => {
    const email = freshEmail('expired-link');
    const { link } = await requestCode(h, email);
    h.server.clock.advance(600_001);
    await assertRefusedSafely(h, () => h.verify({ token: tokenOf(link) }), 401, 'expired_code');
  });

  it('locks an address for 24 h after 100 wrong codes in a row: no mail while locked, a fresh code works after', async () => {
    const email = freshEmail('lock');
    await Promise.all(Array.from({ length: 100 }, (_, i) => h.verify({ email, code: String(100000 + i) })));
    assertError(await h.verify({ email, code: '999999' }), 429, 'too_many_attempts');
    await settle(h);
    const mails = h.smtp.received.length;
    h.server.clock.advance(RESEND);
    const locked = await h.request({ email });
    assert.equal(locked.status, 202, 'the answer does not reveal the lock');
    assert.deepEqual(locked.body, { codeLength: 6, expiresIn: 600, retryAfter: 60 });
    await assertStillSound(h, mails);
    assert.equal(h.smtp.received.filter((m) => m.envelopeTo.includes(email)).length, 0, 'no code mailed to a locked address');
    h.server.clock.advance(DAY + RESEND);
    const { code } = await requestCode(h, email);
    assert.equal((await h.verify({ email, code })).status, 200);
  });

  it('the wrong code that reaches 100 in a row locks the address and burns the right code mailed just before it', async () => {
    const email = freshEmail('lock-right');
    const first = await requestCode(h, email);
    const guesses = await Promise.all(Array.from({ length: 99 }, (_, i) => h.verify({ email, code: wrongCode(first.code, i) })));
    assert.ok(guesses.every((a) => a.status === 401 || a.status === 429));
    h.server.clock.advance(RESEND);
    const second = await requestCode(h, email); // 99 in a row: not locked yet, so this one is mailed
    assertError(await h.verify({ email, code: wrongCode(second.code, 500) }), 429, 'too_many_attempts'); // the 100th
    await assertRefusedSafely(h, () => h.verify({ email, code: second.code }), 429, 'too_many_attempts');
    await assertRefusedSafely(h, () => h.verify({ token: tokenOf(second.link) }), 401, 'invalid_link');
    h.server.clock.advance(DAY - 2 * RESEND);
    await settle(h);
    const mails = h.smtp.received.length;
    assert.equal((await h.request({ email })).status, 202);
    await assertStillSound(h, mails); // still locked a minute before the 24 h end: nothing mailed
    h.server.clock.advance(3 * RESEND);
    const fresh = await requestCode(h, email);
    assert.equal((await h.verify({ email, code: fresh.code })).status, 200);
  });

  it('caps codes at 5 per hour per email: the 6th is 429 with retryAfter, identical for an unknown email', async () => {
    const known = freshEmail('hourly-known');
    const unknown = freshEmail('hourly-unknown');
    const { code } = await requestCode(h, known);
    assert.equal((await h.verify({ email: known, code })).status, 200);
    h.server.clock.advance(HOUR + RESEND);
    for (let i = 0; i < 5; i++) {
      await requestCode(h, known);
      await requestCode(h, unknown);
      h.server.clock.advance(RESEND);
    }
    await settle(h);
    const mails = h.smtp.received.length;
    const a = await h.request({ email: known });
    const b = await h.request({ email: unknown });
    assertError(a, 429, 'rate_limited');
    assertError(b, 429, 'rate_limited');
    assert.deepEqual(a.body, b.body);
    assert.equal(a.headers.get('retry-after'), b.headers.get('retry-after'));
    assert.equal(a.headers.get('retry-after'), String(a.body.error.retryAfter));
    assert.ok(a.body.error.retryAfter > 60, `the hourly cap, not the resend wait: ${a.body.error.retryAfter}`);
    await assertStillSound(h, mails);
    h.server.clock.advance(a.body.error.retryAfter * 1000);
    await requestCode(h, known);
  });

  it('counts a wrong-length code as a wrong code', async () => {
    const email = freshEmail('length');
    await requestCode(h, email);
    const answer = await h.verify({ email, code: '12345' });
    assertError(answer, 401, 'invalid_code');
    assert.equal(answer.body.error.attemptsLeft, 4);
  });
});

describe('attack: guesses spread over many IPs (TRUST_PROXY=1)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ TRUST_PROXY: '1', VERIFIES_PER_IP: '3' });
  });
  after(async () => {
    await h.close();
  });

  it('60 guesses from 60 forwarded IPs are still capped per email: at most 4 are 401, the right code is burnt', async () => {
    const email = freshEmail('many-ips');
    const { code } = await requestCode(h, email);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => h.verify({ email, code: wrongCode(code, i) }, { 'X-Forwarded-For': `198.51.100.${i + 1}` })),
    );
    assert.equal(answers.filter((a) => a.status === 401).length <= 4, true);
    assert.equal(answers.filter((a) => a.status === 429 && a.body.error.code === 'too_many_attempts').length >= 56, true);
    await assertRefusedSafely(h, () => h.verify({ email, code }, { 'X-Forwarded-For': '203.0.113.200' }), 429, 'too_many_attempts');
  });

  it('one forwarded IP is held to VERIFIES_PER_IP (the header is honoured behind a trusted proxy)', async () => {
    const headers = { 'X-Forwarded-For': '203.0.113.77' };
    for (let i = 0; i < 3; i++) await h.verify({ email: freshEmail('ip'), code: '123456' }, headers);
    const answer = await h.verify({ email: freshEmail('ip'), code: '123456' }, headers);
    assertError(answer, 429, 'rate_limited');
    assert.ok(Number(answer.headers.get('retry-after')) > 0);
  });
});
