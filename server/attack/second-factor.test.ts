/**
 * Attack: the second factor (authenticator-app codes, contract/second-factor.ts), over real HTTP
 * with a real SMTP sink and the clock moved. A replayed code (the same step, and the same code a
 * step later), brute force across both factors, skipping the second step (the session routes
 * called with nothing, or with the ticket as a bearer token), a ticket with the wrong secret,
 * expired, used twice or forged, setup without a fresh session, disable with a wrong code, a
 * recovery code used twice; and the secret at rest is not the base32 secret.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { AccountPath } from '../../contract/account.ts';
import { PasskeyPath } from '../../contract/passkeys.ts';
import { SecondFactorPath } from '../../contract/second-factor.ts';
import { totpCodeAt } from '../second-factor/totp-codes.ts';
import { getJson, postJson, tokenOf, type JsonAnswer } from '../testing/api-client.ts';
import { approve, askWithApproval } from '../testing/approval-kit.ts';
import { assertError, assertRefusedSafely, dataFileText, freshEmail, requestCode, settle, signIn, storeOnDisk, wrongCode } from '../testing/attack-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { addPasskey, authenticatorFor, passkeySignIn } from '../testing/passkey-kit.ts';
import type { ReceivedMail } from '../testing/smtp-sink.ts';

const STEP_MS = 30_000;

function call(h: Harness, path: string, body: unknown, token?: string): Promise<JsonAnswer> {
  return postJson(h.api(path), body, token ? { Authorization: `Bearer ${token}` } : {});
}

/** The browser's kept secret and the key its first factor sends. */
function browserKey(): { secret: string; key: string } {
  const bytes = randomBytes(32);
  return { secret: bytes.toString('base64url'), key: createHash('sha256').update(bytes).digest('base64url') };
}

/** The app's code now, by the server's clock. */
function appCode(h: Harness, secret: string): string {
  return totpCodeAt(secret, h.server.clock.now());
}

/** Moves to the next 30-second step, so the next code is one not used yet. */
function nextStep(h: Harness): void {
  h.server.clock.advance(STEP_MS);
}

async function mailsSince(h: Harness, before: number): Promise<ReceivedMail[]> {
  await settle(h);
  return h.smtp.received.slice(before);
}

/** Signs up `email` and turns authenticator-app codes on; returns the secret, the recovery codes and the user. */
async function withTotp(h: Harness, email: string) {
  const { token, user } = await signIn(h, email);
  const setup = await call(h, SecondFactorPath.setup, {}, token);
  assert.equal(setup.status, 200, JSON.stringify(setup.body));
  const before = h.smtp.received.length;
  const enabled = await call(h, SecondFactorPath.enable, { setupToken: setup.body.setupToken, code: appCode(h, setup.body.secret) }, token);
  assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
  assert.equal(enabled.body.recoveryCodes.length, 10);
  const [notice] = await mailsSince(h, before);
  assert.match(notice!.subject ?? '', /turned on/);
  nextStep(h);
  return { secret: setup.body.secret as string, recoveryCodes: enabled.body.recoveryCodes as string[], user, token };
}

/** A right email code with the browser's key: the ticket of the second step (no session). */
async function firstFactor(h: Harness, email: string, key: string, code?: string): Promise<string> {
  const right = code ?? (await requestCode(h, email)).code;
  const answer = await h.verify({ email, code: right, secondFactorKey: key });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.session, undefined, 'no session before the second step');
  assert.equal(answer.body.secondFactor.expiresIn, 300);
  return answer.body.secondFactor.ticket;
}

/** The address's count of wrong attempts, read from the store (the files may be mid-write under parallel requests). */
async function attemptsOf(h: Harness, email: string): Promise<number> {
  const state = await h.server.backend.store.updateLogin(email.toLowerCase(), (current) => ({ next: current, result: current }));
  return state?.attempts ?? 0;
}

function complete(h: Harness, body: Record<string, unknown>): Promise<JsonAnswer> {
  return call(h, SecondFactorPath.complete, body);
}

describe('attack: the second factor', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });
  afterEach(() => settle(h));

  it('asks for the second step after a right email code, and only the app code turns the ticket into a session', async () => {
    const email = freshEmail('flow');
    const { secret, user } = await withTotp(h, email);
    // An old client (no key): no session, no ticket.
    h.server.clock.advance(60_000);
    const { code } = await requestCode(h, email);
    await assertRefusedSafely(h, () => h.verify({ email, code }), 403, 'second_factor_required');
    h.server.clock.advance(60_000);
    const browser = browserKey();
    const ticket = await firstFactor(h, email, browser.key);
    const done = await complete(h, { ticket, secret: browser.secret, code: appCode(h, secret) });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.user.id, user.id);
    assert.equal(done.body.user.totp, undefined, 'the second factor never leaves the server');
    const session = await getJson(h.api('/session'), { Authorization: `Bearer ${done.body.session.token}` });
    assert.equal(session.status, 200);
  });

  it('refuses a used code: at the same step, and the same code a step later (±1 step accepts it otherwise)', async () => {
    const email = freshEmail('replay');
    const { secret } = await withTotp(h, email);
    // Three tickets first (a code request each, 60 s apart), all live for 5 minutes.
    const browsers = [browserKey(), browserKey(), browserKey()];
    const tickets: string[] = [];
    for (const browser of browsers) {
      h.server.clock.advance(60_000);
      tickets.push(await firstFactor(h, email, browser.key));
    }
    const used = appCode(h, secret);
    assert.equal((await complete(h, { ticket: tickets[0], secret: browsers[0]!.secret, code: used })).status, 200);
    await assertRefusedSafely(h, () => complete(h, { ticket: tickets[1], secret: browsers[1]!.secret, code: used }), 401, 'invalid_code');
    nextStep(h);
    await assertRefusedSafely(h, () => complete(h, { ticket: tickets[2], secret: browsers[2]!.secret, code: used }), 401, 'invalid_code');
    // The ticket refused for a replay was not spent: today's code completes it.
    assert.equal((await complete(h, { ticket: tickets[2], secret: browsers[2]!.secret, code: appCode(h, secret) })).status, 200);
  });

  for (const wrongEmail of [0, 2, 4]) {
    it(`counts wrong email codes (${wrongEmail}) and wrong app codes (${5 - wrongEmail}) against one cap, then the ticket is dead`, async () => {
      const email = freshEmail(`brute${wrongEmail}`);
      const { secret } = await withTotp(h, email);
      h.server.clock.advance(60_000);
      const { code } = await requestCode(h, email);
      for (let i = 0; i < wrongEmail; i++) assertError(await h.verify({ email, code: wrongCode(code, i) }), 401, 'invalid_code');
      const browser = browserKey();
      const ticket = await firstFactor(h, email, browser.key, code);
      const right = appCode(h, secret);
      for (let i = 0; i < 5 - wrongEmail - 1; i++) {
        const answer = await complete(h, { ticket, secret: browser.secret, code: wrongCode(right, i) });
        assertError(answer, 401, 'invalid_code');
        assert.equal(answer.body.error.attemptsLeft, 5 - wrongEmail - 1 - i);
      }
      assertError(await complete(h, { ticket, secret: browser.secret, code: wrongCode(right, 9) }), 429, 'too_many_attempts');
      // The right code no longer helps: the ticket died at the cap.
      await assertRefusedSafely(h, () => complete(h, { ticket, secret: browser.secret, code: right }), 401, 'invalid_second_factor');
    });
  }

  it('checks at most 5 of 20 parallel wrong app codes and the right one on one ticket: each attempt is reserved before its check', async () => {
    const email = freshEmail('parallel');
    const { secret, user } = await withTotp(h, email);
    h.server.clock.advance(60_000);
    const browser = browserKey();
    const ticket = await firstFactor(h, email, browser.key);
    const right = appCode(h, secret);
    const guesses = Array.from({ length: 20 }, (_, i) => wrongCode(right, i));
    const answers = await Promise.all([...guesses, right].map((code) => complete(h, { ticket, secret: browser.secret, code })));
    const signedIn = answers.filter((a) => a.status === 200).length;
    const wrong = answers.filter((a) => a.body?.error?.code === 'invalid_code').length;
    for (const answer of answers) if (answer.status !== 200) assertError(answer, answer.status, ['invalid_code', 'too_many_attempts', 'invalid_second_factor']);
    // Each check took one of the 5 places: a right code checked counts as one of them.
    assert.ok(wrong + signedIn <= 5, `${wrong} wrong codes checked and ${signedIn} sessions`);
    assert.ok(signedIn <= 1);
    if (signedIn === 0) {
      // Only the 5 reservations were counted (before the fix every one of the 21 was checked and counted).
      assert.equal(await attemptsOf(h, user.email), 5);
      await assertRefusedSafely(h, () => complete(h, { ticket, secret: browser.secret, code: right }), 401, 'invalid_second_factor');
    }
  });

  it('checks at most 5 of 20 parallel wrong disables with a stolen session, and the right code after them is refused', async () => {
    const email = freshEmail('parallel-off');
    const { secret, token, user } = await withTotp(h, email);
    const right = appCode(h, secret);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => call(h, SecondFactorPath.disable, { code: wrongCode(right, i) }, token)));
    const wrong = answers.filter((a) => a.body?.error?.code === 'invalid_code').length;
    for (const answer of answers) assertError(answer, answer.status, ['invalid_code', 'too_many_attempts']);
    assert.ok(wrong <= 5, `${wrong} wrong codes checked`);
    assert.equal(await attemptsOf(h, user.email), 5, 'only the 5 reservations counted');
    // Past the cap nothing is checked: the right code does not turn it off.
    assertError(await call(h, SecondFactorPath.disable, { code: right }, token), 429, 'too_many_attempts');
    assert.ok((await h.server.backend.store.findUserById(user.id))?.totp, 'still on');
  });

  it('keeps counting across mailed links: 3 wrong app codes after one link, 2 after the next reach the cap, then one try a link until the 100-failure lock', async () => {
    const email = freshEmail('links');
    const { secret } = await withTotp(h, email);
    const browser = browserKey();
    const linkTicket = async (): Promise<string> => {
      const { link } = await requestCode(h, email);
      const answer = await h.verify({ token: tokenOf(link), secondFactorKey: browser.key });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.secondFactor.ticket;
    };
    const guess = (ticket: string, i: number) => complete(h, { ticket, secret: browser.secret, code: wrongCode(appCode(h, secret), i) });
    h.server.clock.advance(60_000);
    const first = await linkTicket();
    for (let i = 0; i < 3; i++) assert.equal((await guess(first, i)).body.error.attemptsLeft, 4 - i);
    // A new link does not give 5 fresh guesses: the count goes on (before the fix: 4 left again).
    h.server.clock.advance(60_000);
    const second = await linkTicket();
    assert.equal((await guess(second, 0)).body.error.attemptsLeft, 1);
    assertError(await guess(second, 1), 429, 'too_many_attempts');
    // Past the cap each link's ticket gets one try, counted; 15 minutes apart stays under 5 mails an hour.
    h.server.clock.advance(60 * 60_000);
    for (let failures = 5; failures < 100; failures++) {
      h.server.clock.advance(15 * 60_000);
      assertError(await guess(await linkTicket(), failures), 429, 'too_many_attempts');
    }
    // 100 wrong in a row: the address is locked, so no link is mailed to it.
    h.server.clock.advance(15 * 60_000);
    const before = h.smtp.received.length;
    assert.equal((await h.request({ email })).status, 202);
    assert.equal((await mailsSince(h, before)).length, 0, 'no mail while locked');
  });

  it('keeps counting across approvals: wrong app codes after one approval collected, and the next approval goes on from there', async () => {
    const email = freshEmail('approvals');
    const { secret } = await withTotp(h, email);
    const browser = browserKey();
    const approvedTicket = async (): Promise<string> => {
      const asked = await askWithApproval(h, email);
      assert.equal((await approve(h, asked.token, asked.number)).status, 200);
      const waited = await postJson(h.api('/approval/wait'), { id: asked.id, secret: asked.secret, secondFactorKey: browser.key });
      assert.equal(waited.status, 200, JSON.stringify(waited.body));
      return waited.body.secondFactor.ticket;
    };
    const guess = (ticket: string, i: number) => complete(h, { ticket, secret: browser.secret, code: wrongCode(appCode(h, secret), i) });
    h.server.clock.advance(60_000);
    const first = await approvedTicket();
    for (let i = 0; i < 3; i++) assert.equal((await guess(first, i)).body.error.attemptsLeft, 4 - i);
    h.server.clock.advance(60_000);
    const second = await approvedTicket();
    assert.equal((await guess(second, 0)).body.error.attemptsLeft, 1, 'the approval did not reset the count');
    assertError(await guess(second, 1), 429, 'too_many_attempts');
    // The owner still gets in: a new approval's ticket has one try past the cap, and the right code resets the count.
    h.server.clock.advance(60_000);
    const third = await approvedTicket();
    assert.equal((await complete(h, { ticket: third, secret: browser.secret, code: appCode(h, secret) })).status, 200);
  });

  it('grants nothing to a half-signed-in browser: the session routes answer 401 with nothing, or with the ticket as a bearer token', async () => {
    const email = freshEmail('skip');
    await withTotp(h, email);
    h.server.clock.advance(60_000);
    const ticket = await firstFactor(h, email, browserKey().key);
    for (const token of [undefined, ticket]) {
      const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
      assertError(await getJson(h.api('/session'), auth), 401, 'unauthenticated');
      assertError(await getJson(h.api(SecondFactorPath.status), auth), 401, 'unauthenticated');
      await assertRefusedSafely(h, () => call(h, '/token', {}, token), 401, 'unauthenticated');
      await assertRefusedSafely(h, () => call(h, PasskeyPath.registerOptions, {}, token), 401, 'unauthenticated');
      await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeStart, { email: freshEmail('to') }, token), 401, 'unauthenticated');
      await assertRefusedSafely(h, () => call(h, AccountPath.deletionStart, {}, token), 401, 'unauthenticated');
      await assertRefusedSafely(h, () => call(h, SecondFactorPath.setup, {}, token), 401, 'unauthenticated');
      await assertRefusedSafely(h, () => call(h, SecondFactorPath.disable, { code: '123456' }, token), 401, 'unauthenticated');
    }
  });

  it('refuses a ticket with the wrong secret (and keeps it for its own browser), expired (5 min + 1 s), used twice, or forged', async () => {
    const email = freshEmail('ticket');
    const { secret } = await withTotp(h, email);
    h.server.clock.advance(60_000);
    const browser = browserKey();
    const ticket = await firstFactor(h, email, browser.key);
    await assertRefusedSafely(h, () => complete(h, { ticket, secret: browserKey().secret, code: appCode(h, secret) }), 401, 'invalid_second_factor');
    // A forged ticket: every byte position changed in turn would fail GCM; one in the ciphertext and one in the tag here.
    const parts = ticket.split('.');
    for (const index of [2, 3]) {
      const flipped = [...parts];
      flipped[index] = (flipped[index]![0] === 'A' ? 'B' : 'A') + flipped[index]!.slice(1);
      await assertRefusedSafely(h, () => complete(h, { ticket: flipped.join('.'), secret: browser.secret, code: appCode(h, secret) }), 401, 'invalid_second_factor');
    }
    // The wrong secret spent nothing: the right browser completes, once.
    assert.equal((await complete(h, { ticket, secret: browser.secret, code: appCode(h, secret) })).status, 200);
    nextStep(h);
    await assertRefusedSafely(h, () => complete(h, { ticket, secret: browser.secret, code: appCode(h, secret) }), 401, 'invalid_second_factor');
    // Expired: 5 minutes and 1 second later.
    h.server.clock.advance(60_000);
    const late = browserKey();
    const old = await firstFactor(h, email, late.key);
    h.server.clock.advance(5 * 60_000 + 1000);
    await assertRefusedSafely(h, () => complete(h, { ticket: old, secret: late.secret, code: appCode(h, secret) }), 401, 'invalid_second_factor');
  });

  it("refuses another user's ticket for this user's browser: the ticket names its user, sealed", async () => {
    const alice = freshEmail('alice');
    const bob = freshEmail('bob');
    const a = await withTotp(h, alice);
    const b = await withTotp(h, bob);
    h.server.clock.advance(60_000);
    const browser = browserKey();
    const bobsTicket = await firstFactor(h, bob, browser.key);
    // Alice's app code on Bob's ticket is a wrong code for Bob (and signs nobody in).
    const answer = await complete(h, { ticket: bobsTicket, secret: browser.secret, code: appCode(h, a.secret) === appCode(h, b.secret) ? wrongCode(appCode(h, a.secret), 0) : appCode(h, a.secret) });
    assertError(answer, 401, 'invalid_code');
  });

  it('refuses setup without a fresh session (10 min + 1 s) and without any session, writing nothing', async () => {
    const email = freshEmail('stale');
    const { token, user } = await signIn(h, email);
    await assertRefusedSafely(h, () => call(h, SecondFactorPath.setup, {}), 401, 'unauthenticated');
    h.server.clock.advance(10 * 60_000 + 1000);
    await assertRefusedSafely(h, () => call(h, SecondFactorPath.setup, {}, token), 403, 'stale_session');
    assert.equal((await storeOnDisk(h)).users[user.id].totp ?? null, null);
  });

  it('refuses setup and enable from a session a passkey made (stale_session), as for adding a passkey: one passkey cannot plant an app', async () => {
    const email = freshEmail('passkey-session');
    const { token, user } = await signIn(h, email);
    // The setup token is taken from the fresh email session; the passkey's session may not use it either.
    const setup = await call(h, SecondFactorPath.setup, {}, token);
    assert.equal(setup.status, 200, JSON.stringify(setup.body));
    const authenticator = authenticatorFor(h);
    await addPasskey(h, token, authenticator);
    const session = await passkeySignIn(h, authenticator);
    assert.equal(session.status, 200, JSON.stringify(session.body));
    const byPasskey = session.body.session.token;
    await assertRefusedSafely(h, () => call(h, SecondFactorPath.setup, {}, byPasskey), 403, 'stale_session');
    const refused = await call(h, SecondFactorPath.enable, { setupToken: setup.body.setupToken, code: appCode(h, setup.body.secret) }, byPasskey);
    assertError(refused, 403, 'stale_session');
    assert.match(refused.body.error.message, /email code or link/);
    assert.equal((await h.server.backend.store.findUserById(user.id))?.totp ?? null, null, 'still off');
  });

  it('refuses disable with a wrong code (still on), then turns off with a right one and mails the owner', async () => {
    const email = freshEmail('disable');
    const { secret, token, user } = await withTotp(h, email);
    await assertRefusedSafely(h, () => call(h, SecondFactorPath.disable, { code: wrongCode(appCode(h, secret), 0) }, token), 401, 'invalid_code');
    assert.ok((await storeOnDisk(h)).users[user.id].totp, 'still on');
    const before = h.smtp.received.length;
    const off = await call(h, SecondFactorPath.disable, { code: appCode(h, secret) }, token);
    assert.equal(off.status, 204, JSON.stringify(off.body));
    const [notice] = await mailsSince(h, before);
    assert.match(notice!.subject ?? '', /turned off/);
    assert.equal((await storeOnDisk(h)).users[user.id].totp ?? null, null);
  });

  it('takes a recovery code once: the second use is refused, and it is gone from the store', async () => {
    const email = freshEmail('recovery');
    const { recoveryCodes, user } = await withTotp(h, email);
    h.server.clock.advance(60_000);
    const first = browserKey();
    const done = await complete(h, { ticket: await firstFactor(h, email, first.key), secret: first.secret, recoveryCode: recoveryCodes[0] });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal((await storeOnDisk(h)).users[user.id].totp.recoveryCodes.length, 9);
    h.server.clock.advance(60_000);
    const second = browserKey();
    const ticket = await firstFactor(h, email, second.key);
    await assertRefusedSafely(h, () => complete(h, { ticket, secret: second.secret, recoveryCode: recoveryCodes[0] }), 401, 'invalid_code');
  });

  it('keeps the secret at rest sealed: the data file holds neither the base32 secret nor a recovery code', async () => {
    const email = freshEmail('at-rest');
    const { secret, recoveryCodes, user } = await withTotp(h, email);
    const text = await dataFileText(h);
    assert.ok(text.includes(user.id));
    assert.ok(!text.includes(secret), 'the base32 secret is not stored');
    for (const code of recoveryCodes) assert.ok(!text.includes(code) && !text.includes(code.replace('-', '')));
    assert.match((await storeOnDisk(h)).users[user.id].totp.secret, /^v1\./);
  });
});


describe('the second factor with TOTP=off', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ TOTP: 'off' });
  });
  after(async () => {
    await h.close();
  });

  it('serves none of its routes (404), says totp: false, and signs in with a key as without one', async () => {
    assert.equal((await getJson(h.api('/config'))).body.totp, false);
    const email = freshEmail('off');
    const { token } = await signIn(h, email);
    for (const path of [SecondFactorPath.setup, SecondFactorPath.enable, SecondFactorPath.disable, SecondFactorPath.complete]) {
      await assertRefusedSafely(h, () => call(h, path, {}, token), 404, 'not_found');
    }
    h.server.clock.advance(60_000);
    const { code } = await requestCode(h, email);
    const answer = await h.verify({ email, code, secondFactorKey: browserKey().key });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(typeof answer.body.session.token, 'string');
  });
});
