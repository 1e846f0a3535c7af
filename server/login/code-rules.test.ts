/**
 * The login rules for codes (docs/login-rules.md), each through real HTTP with the mail caught
 * by a real SMTP server and time moved on the server's injected clock.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';
import { codeIn } from '../testing/smtp-sink.ts';

const MINUTE = 60_000;
/** A code that is surely not `code`. */
const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('the code and its email', () => {
  it('sends one email carrying a 6-digit code (also in the subject) and a magic link', async () => {
    const answer = await h.request({ email: 'ana@example.com' });
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body, { codeLength: 6, expiresIn: 600, retryAfter: 60 });
    const mail = await h.smtp.nextMail();
    const code = /\b([0-9]{6})\b/.exec(mail.subject)?.[1];
    assert.match(code ?? '', /^[0-9]{6}$/);
    assert.ok(mail.text.includes(code!), 'the text body carries the code');
    assert.ok(mail.html.includes(code!), 'the HTML body carries the code');
    assert.match(mail.text, /\/auth\/link#pl_token=[A-Za-z0-9_-]{43}/);
    await h.server.backend.service.idle();
    assert.equal(h.smtp.received.length, 1, 'exactly one email per request');
  });

  it('writes the email in the requested language', async () => {
    const { mail } = await h.requestCode('li@example.com', { locale: 'zh-CN' });
    assert.match(mail.subject, /[\u4e00-\u9fff]/, 'a Chinese subject');
  });

  it('honours CODE_LENGTH', async () => {
    await h.close();
    h = await startHarness({ CODE_LENGTH: '8' });
    const { code } = await h.requestCode('ana@example.com');
    assert.match(code, /^[0-9]{8}$/);
  });

  it('draws codes uniformly: every digit appears in every position over 300 codes', async () => {
    const { randomCode } = await import('../secrets/random.ts');
    const seen = Array.from({ length: 6 }, () => new Set<string>());
    for (let i = 0; i < 300; i++) [...randomCode(6)].forEach((digit, at) => seen[at]!.add(digit));
    // A biased or constant generator fails this; 300 draws miss a digit with probability < 1e-12.
    assert.ok(seen.every((digits) => digits.size === 10));
  });
});

describe('signing in with the code', () => {
  it('accepts the right code and returns the user and a session', async () => {
    const { code } = await h.requestCode('ana@example.com');
    const answer = await h.verify({ email: 'ana@example.com', code });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.user.email, 'ana@example.com');
    assert.match(answer.body.session.token, /^[A-Za-z0-9_-]{43}$/);
  });

  it('accepts a pasted code with spaces and dashes', async () => {
    const { code } = await h.requestCode('ana@example.com');
    const pasted = `${code.slice(0, 3)} - ${code.slice(3)}`;
    assert.equal((await h.verify({ email: 'ana@example.com', code: pasted })).status, 200);
  });

  it('refuses the code for another email', async () => {
    const { code } = await h.requestCode('ana@example.com');
    const answer = await h.verify({ email: 'bob@example.com', code });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, 'invalid_code');
  });
});

describe('lifetime', () => {
  it('keeps the code valid just under 10 minutes', async () => {
    const { code } = await h.requestCode('ana@example.com');
    h.server.clock.advance(10 * MINUTE - 1000);
    assert.equal((await h.verify({ email: 'ana@example.com', code })).status, 200);
  });

  it('answers expired_code after 10 minutes', async () => {
    const { code } = await h.requestCode('ana@example.com');
    h.server.clock.advance(10 * MINUTE);
    const answer = await h.verify({ email: 'ana@example.com', code });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, 'expired_code');
  });

  it('honours CODE_TTL_SECONDS', async () => {
    await h.close();
    h = await startHarness({ CODE_TTL_SECONDS: '120' });
    const { code } = await h.requestCode('ana@example.com');
    h.server.clock.advance(2 * MINUTE);
    assert.equal((await h.verify({ email: 'ana@example.com', code })).body.error.code, 'expired_code');
  });
});

describe('resend', () => {
  it('allows one request per 60 s per email and says when, in the body and Retry-After', async () => {
    await h.requestCode('ana@example.com');
    h.server.clock.advance(20_000);
    const refused = await h.request({ email: 'ana@example.com' });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'rate_limited');
    assert.equal(refused.body.error.retryAfter, 40);
    assert.equal(refused.headers.get('retry-after'), '40');
    h.server.clock.advance(40_000);
    assert.equal((await h.request({ email: 'ana@example.com' })).status, 202);
  });

  it('limits per email, not globally', async () => {
    await h.requestCode('ana@example.com');
    assert.equal((await h.request({ email: 'bob@example.com' })).status, 202);
  });

  it('keeps the earlier code valid after a resend', async () => {
    const first = await h.requestCode('ana@example.com');
    h.server.clock.advance(MINUTE);
    const second = await h.requestCode('ana@example.com');
    assert.notEqual(first.code, second.code);
    assert.equal((await h.verify({ email: 'ana@example.com', code: first.code })).status, 200);
  });

  it('keeps the later code valid too, until one of them is used', async () => {
    await h.requestCode('ana@example.com');
    h.server.clock.advance(MINUTE);
    const second = await h.requestCode('ana@example.com');
    assert.equal((await h.verify({ email: 'ana@example.com', code: second.code })).status, 200);
  });
});

describe('wrong codes', () => {
  it('counts down attemptsLeft and burns every live code at the 5th wrong one', async () => {
    const { code } = await h.requestCode('ana@example.com');
    for (let left = 4; left >= 1; left--) {
      const answer = await h.verify({ email: 'ana@example.com', code: wrong(code) });
      assert.equal(answer.status, 401);
      assert.deepEqual([answer.body.error.code, answer.body.error.attemptsLeft], ['invalid_code', left]);
    }
    const fifth = await h.verify({ email: 'ana@example.com', code: wrong(code) });
    assert.equal(fifth.status, 429);
    assert.equal(fifth.body.error.code, 'too_many_attempts');
    const right = await h.verify({ email: 'ana@example.com', code });
    assert.equal(right.status, 429, 'the right code is burnt too');
  });

  it('counts wrong codes across resends: a new code does not reset the count', async () => {
    const first = await h.requestCode('ana@example.com');
    for (let i = 0; i < 3; i++) await h.verify({ email: 'ana@example.com', code: wrong(first.code) });
    h.server.clock.advance(MINUTE);
    const second = await h.requestCode('ana@example.com');
    const fourth = await h.verify({ email: 'ana@example.com', code: wrong(second.code) });
    assert.equal(fourth.body.error.attemptsLeft, 1);
    assert.equal((await h.verify({ email: 'ana@example.com', code: wrong(second.code) })).status, 429);
    assert.equal((await h.verify({ email: 'ana@example.com', code: first.code })).status, 429, 'the first code is burnt');
    assert.equal((await h.verify({ email: 'ana@example.com', code: second.code })).status, 429, 'the second code is burnt');
  });

  it('burns the link of a burnt sequence too', async () => {
    const { code, link } = await h.requestCode('ana@example.com');
    for (let i = 0; i < 5; i++) await h.verify({ email: 'ana@example.com', code: wrong(code) });
    const token = new URLSearchParams(new URL(link).hash.slice(1)).get('pl_token');
    assert.equal((await h.verify({ token })).body.error.code, 'invalid_link');
  });

  it('does not reset the count with a new code: past the cap a fresh code gets exactly one try', async () => {
    const first = await h.requestCode('ana@example.com');
    for (let i = 0; i < 5; i++) await h.verify({ email: 'ana@example.com', code: wrong(first.code) });
    h.server.clock.advance(MINUTE);
    const fresh = await h.requestCode('ana@example.com');
    const miss = await h.verify({ email: 'ana@example.com', code: wrong(fresh.code) });
    assert.deepEqual([miss.status, miss.body.error.code], [429, 'too_many_attempts']);
    assert.equal((await h.verify({ email: 'ana@example.com', code: fresh.code })).status, 429, 'that wrong try burnt the fresh code');
  });

  it('does not reset the count when the codes simply expire', async () => {
    const first = await h.requestCode('ana@example.com');
    for (let i = 0; i < 3; i++) await h.verify({ email: 'ana@example.com', code: wrong(first.code) });
    h.server.clock.advance(60 * MINUTE);
    const fresh = await h.requestCode('ana@example.com');
    assert.equal((await h.verify({ email: 'ana@example.com', code: wrong(fresh.code) })).body.error.attemptsLeft, 1);
  });

  it('lets the owner ask for a new code at once after the 5th wrong one: a burn lifts the resend wait', async () => {
    const first = await h.requestCode('ana@example.com');
    for (let i = 0; i < 5; i++) await h.verify({ email: 'ana@example.com', code: wrong(first.code) });
    const fresh = await h.requestCode('ana@example.com');
    assert.equal((await h.verify({ email: 'ana@example.com', code: fresh.code })).status, 200);
  });

  it('keeps the hourly cap after a burn: wrong codes cannot buy more than 5 mails an hour', async () => {
    let sent = 1;
    let { code } = await h.requestCode('ana@example.com');
    for (let i = 0; i < 5; i++) await h.verify({ email: 'ana@example.com', code: wrong(code) });
    for (; sent < 10; sent++) {
      h.server.clock.advance(MINUTE);
      const answer = await h.request({ email: 'ana@example.com' });
      if (answer.status !== 202) {
        assert.equal(answer.status, 429);
        break;
      }
      code = codeIn(await h.smtp.nextMail());
      await h.verify({ email: 'ana@example.com', code: wrong(code) });
    }
    assert.equal(sent, 5, 'the 6th request of the hour is refused');
  });

  it('lifts the resend wait only at the 5th wrong code: past the cap a burn keeps it, so wrong codes cannot pace the mails', async () => {
    await h.close();
    h = await startHarness({ CODES_PER_HOUR: '20' });
    const first = await h.requestCode('ana@example.com');
    for (let i = 0; i < 5; i++) await h.verify({ email: 'ana@example.com', code: wrong(first.code) });
    const fresh = await h.requestCode('ana@example.com');
    const sixth = await h.verify({ email: 'ana@example.com', code: wrong(fresh.code) });
    assert.deepEqual([sixth.status, sixth.body.error.code, sixth.body.error.retryAfter], [429, 'too_many_attempts', 60]);
    assert.equal((await h.request({ email: 'ana@example.com' })).status, 429, 'the minute between codes still holds');
    h.server.clock.advance(MINUTE);
    assert.equal((await h.request({ email: 'ana@example.com' })).status, 202);
  });

  it('says with too_many_attempts whether a code is left to type and when a new one may be asked for', async () => {
    const first = await h.requestCode('ana@example.com');
    for (let i = 0; i < 4; i++) await h.verify({ email: 'ana@example.com', code: wrong(first.code) });
    const fifth = await h.verify({ email: 'ana@example.com', code: wrong(first.code) });
    assert.deepEqual([fifth.body.error.attemptsLeft, fifth.body.error.retryAfter], [0, 0], 'nothing left to type, a new code at once');
    const fresh = await h.requestCode('ana@example.com');
    const old = await h.verify({ email: 'ana@example.com', code: first.code });
    assert.deepEqual([old.status, old.body.error.code], [429, 'too_many_attempts']);
    assert.deepEqual([old.body.error.attemptsLeft, old.body.error.retryAfter], [1, 60], 'the fresh code is still live, the resend wait runs');
    assert.equal((await h.verify({ email: 'ana@example.com', code: fresh.code })).status, 200);
  });

  it('lets a fresh code work once the burnt ones are gone', async () => {
    const first = await h.requestCode('ana@example.com');
    for (let i = 0; i < 5; i++) await h.verify({ email: 'ana@example.com', code: wrong(first.code) });
    h.server.clock.advance(MINUTE);
    const fresh = await h.requestCode('ana@example.com');
    assert.equal((await h.verify({ email: 'ana@example.com', code: fresh.code })).status, 200);
  });

  it('resets the count after a successful login only', async () => {
    const first = await h.requestCode('ana@example.com');
    for (let i = 0; i < 4; i++) await h.verify({ email: 'ana@example.com', code: wrong(first.code) });
    assert.equal((await h.verify({ email: 'ana@example.com', code: first.code })).status, 200);
    h.server.clock.advance(MINUTE);
    const second = await h.requestCode('ana@example.com');
    const answer = await h.verify({ email: 'ana@example.com', code: wrong(second.code) });
    assert.equal(answer.body.error.attemptsLeft, 4);
  });

  it('checks no more than 5 of 100 parallel wrong guesses', async () => {
    const { code } = await h.requestCode('ana@example.com');
    const guesses = Array.from({ length: 100 }, (_, i) => String(i).padStart(6, '9')).filter((g) => g !== code);
    const answers = await Promise.all(guesses.map((guess) => h.verify({ email: 'ana@example.com', code: guess })));
    const checked = answers.filter((a) => a.status === 401).length;
    assert.equal(checked, 4, 'four answered invalid_code, the fifth burnt the codes');
    assert.equal(answers.filter((a) => a.status === 429).length, guesses.length - 4);
    assert.equal((await h.verify({ email: 'ana@example.com', code })).status, 429);
  });

  it('honours MAX_ATTEMPTS', async () => {
    await h.close();
    h = await startHarness({ MAX_ATTEMPTS: '2' });
    const { code } = await h.requestCode('ana@example.com');
    assert.equal((await h.verify({ email: 'ana@example.com', code: wrong(code) })).body.error.attemptsLeft, 1);
    assert.equal((await h.verify({ email: 'ana@example.com', code: wrong(code) })).status, 429);
  });
});

describe('RATE_LIMITS=off', () => {
  it('lifts the per-email resend wait, for load tests', async () => {
    await h.close();
    h = await startHarness({ RATE_LIMITS: 'off' });
    await h.requestCode('ana@example.com');
    assert.equal((await h.request({ email: 'ana@example.com' })).status, 202);
  });
});

describe('single use', () => {
  it('accepts a code once', async () => {
    const { code } = await h.requestCode('ana@example.com');
    assert.equal((await h.verify({ email: 'ana@example.com', code })).status, 200);
    const again = await h.verify({ email: 'ana@example.com', code });
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, 'invalid_code');
  });

  it('gives exactly one session to 20 simultaneous verifies of one code', async () => {
    const { code } = await h.requestCode('ana@example.com');
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.verify({ email: 'ana@example.com', code })));
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    assert.ok(answers.every((a) => a.status === 200 || a.status === 401 || a.status === 429));
  });

  it('charges no attempt for a right code retried after it signed in', async () => {
    const { code } = await h.requestCode('ana@example.com');
    await Promise.all(Array.from({ length: 20 }, () => h.verify({ email: 'ana@example.com', code })));
    h.server.clock.advance(MINUTE);
    const next = await h.requestCode('ana@example.com');
    const answer = await h.verify({ email: 'ana@example.com', code: wrong(next.code) });
    assert.equal(answer.body.error.attemptsLeft, 4, 'the 19 losing retries of the right code cost nothing');
  });

  it('ends the other codes in flight once one of them signs in', async () => {
    const first = await h.requestCode('ana@example.com');
    h.server.clock.advance(MINUTE);
    const second = await h.requestCode('ana@example.com');
    assert.equal((await h.verify({ email: 'ana@example.com', code: second.code })).status, 200);
    assert.equal((await h.verify({ email: 'ana@example.com', code: first.code })).status, 401);
  });
});
