/**
 * Attack: cross-device approval. A mail scanner that fetches the link approves nothing; the
 * link's `pl_client` hint cannot collect a session (only the asking browser's secret can); a
 * guessed number gets one try; a leaked link is worth no more than today (approving hands the
 * session to the asking browser, never to the link's holder); other sites' pages are refused;
 * a tampered ticket and malformed numbers are refused without counting anything.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { approvalSecret, approve, askWithApproval, describeApproval, waitFor, wrongNumber } from '../testing/approval-kit.ts';
import { assertError, assertRefusedSafely, freshEmail, rawPost } from '../testing/attack-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';

const GOOD = 'https://good.example';
const EVIL = 'https://evil.example';
let h: Harness;
before(async () => {
  h = await startHarness({ ALLOWED_ORIGINS: GOOD });
});
after(async () => {
  await h.close();
});

const fromGood = { Origin: GOOD };

describe('attack: cross-device approval', () => {
  it('a scanner that GETs the link, the landing page and the approval paths approves nothing', async () => {
    const asked = await askWithApproval(h, freshEmail('scanner'));
    for (const url of [asked.link, h.api('/link'), h.api('/approval/approve'), h.api('/approval/describe'), h.api('/approval/wait')]) {
      const response = await fetch(url, { redirect: 'manual' });
      await response.arrayBuffer();
      assert.ok(response.status < 500, `${url}: ${response.status}`);
      const head = await fetch(url, { method: 'HEAD', redirect: 'manual' });
      assert.ok(head.status < 500);
    }
    // Nothing was approved or spent: the phone still sees the prompt, and the right number still signs the asker in.
    assert.equal((await describeApproval(h, asked.token, fromGood)).status, 200);
    assert.equal((await approve(h, asked.token, asked.number, fromGood)).status, 200);
    assert.equal((await waitFor(h, asked.id, asked.secret, fromGood)).body.status, 'approved');
  });

  it("the link's pl_client hint cannot collect: only the secret behind approvalKey can", async () => {
    const clientHash = randomBytes(32).toString('base64url');
    const asked = await askWithApproval(h, freshEmail('pl-client'), { clientHash });
    assert.equal(new URLSearchParams(new URL(asked.link).hash.slice(1)).get('pl_client'), clientHash, 'the hint is in the link');
    assert.doesNotMatch(asked.link, new RegExp(asked.secret), 'the secret is not');
    assert.doesNotMatch(asked.link, new RegExp(asked.key), 'nor its hash');
    assert.equal((await approve(h, asked.token, asked.number, fromGood)).status, 200);
    await assertRefusedSafely(h, () => waitFor(h, asked.id, clientHash, fromGood), 401, 'invalid_approval');
    const real = await waitFor(h, asked.id, asked.secret, fromGood);
    assert.equal(real.body.status, 'approved', 'the refused try cost the asker nothing');
  });

  it('a guessed number gets one try: a wrong one refuses the approval for good, even for the right number after', async () => {
    const asked = await askWithApproval(h, freshEmail('guess'));
    const choices: number[] = (await describeApproval(h, asked.token, fromGood)).body.choices;
    const wrong = choices.find((n) => n !== asked.number)!;
    assertError(await approve(h, asked.token, wrong, fromGood), 403, 'approval_refused');
    assertError(await approve(h, asked.token, asked.number, fromGood), 403, 'approval_refused');
    assert.deepEqual((await waitFor(h, asked.id, asked.secret, fromGood)).body, { status: 'refused' });
  });

  it('a wrong number pauses approvals for the address until its owner signs in: later prompts get no guess, even a right one', async () => {
    const email = freshEmail('pause');
    const first = await askWithApproval(h, email);
    const wrong = await approve(h, first.token, wrongNumber(first.number), fromGood);
    assertError(wrong, 403, 'approval_refused');
    assert.equal(wrong.body.error.attemptsLeft, 4, 'the wrong pick counts as a wrong attempt');
    // A phisher's next prompts: each new mail's phone is refused, the right number too, and counts nothing more.
    for (let i = 0; i < 3; i++) {
      h.server.clock.advance(61_000);
      const again = await askWithApproval(h, email);
      const described = await describeApproval(h, again.token, fromGood);
      assertError(described, 403, 'approval_refused');
      assert.match(described.body.error.message, /paused until you sign in/);
      assertError(await approve(h, again.token, again.number, fromGood), 403, 'approval_refused');
      if (i === 2) {
        // "Sign in here" still works, and the owner's sign-in ends the pause.
        assert.equal((await h.verify({ token: again.token }, fromGood)).status, 200);
      }
    }
    h.server.clock.advance(61_000);
    const after = await askWithApproval(h, email);
    assert.equal((await approve(h, after.token, after.number, fromGood)).status, 200, 'approvals work again after a sign-in');
    assert.equal((await waitFor(h, after.id, after.secret, fromGood)).body.status, 'approved');
  });

  it('a wrong number that is the last attempt the cap allows voids every code, and says so', async () => {
    const email = freshEmail('last-attempt');
    const asked = await askWithApproval(h, email);
    const wrongCode = asked.code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) assertError(await h.verify({ email, code: wrongCode }, fromGood), 401, 'invalid_code');
    const last = await approve(h, asked.token, wrongNumber(asked.number), fromGood);
    assertError(last, 403, 'approval_refused');
    assert.equal(last.body.error.attemptsLeft, 0);
    assert.match(last.body.error.message, /every code sent to this address is now void/);
    assertError(await h.verify({ token: asked.token }, fromGood), 401, 'invalid_link');
  });

  it('tells a stranger who asked with their own key nothing: codes burnt by wrong guesses or used by the owner wait on like an unknown address', async () => {
    const closed = await startHarness({ ALLOWED_ORIGINS: GOOD, USER_CREATION: 'false' });
    try {
      const user = (email: string) => ({ id: `u-${email}`, email, emailKey: email, emailVerified: true, createdAt: new Date().toISOString(), lastLoginAt: null, data: {} });
      for (const email of ['burnt@example.com', 'used@example.com']) await closed.server.backend.store.updateUser(email, () => ({ next: user(email), result: null }));
      const asks = {
        burnt: await askWithApproval(closed, 'burnt@example.com'),
        used: await askWithApproval(closed, 'used@example.com'),
        nobody: approvalSecret(),
      };
      const nobody = await closed.request({ email: 'nobody@example.com', approvalKey: asks.nobody.key }, fromGood);
      // The stranger burns the known address's codes (answers alike for every address), and the owner of the other signs in.
      for (const email of ['burnt@example.com', 'nobody@example.com']) {
        for (let i = 0; i < 5; i++) await closed.verify({ email, code: '000000' }, fromGood);
      }
      assert.equal((await closed.verify({ email: 'used@example.com', code: asks.used.code }, fromGood)).status, 200);
      // Each look answers alike: waiting (one look of the service, as the wait route makes every
      // 5 s: over HTTP a waiting answer takes the whole 25 s poll), then expired at the code's expiry.
      const looks = [[asks.burnt.id, asks.burnt.secret], [asks.used.id, asks.used.secret], [nobody.body.approval.id, asks.nobody.secret]];
      const service = closed.server.backend.service;
      for (const [id, secret] of looks) assert.deepEqual(await service.checkApproval(service.openApproval(id!, secret!)), { status: 'waiting' }, 'no refused, no invalid_link');
      closed.server.clock.advance(closed.server.config.codeTtlSeconds * 1000 + 1);
      for (const [id, secret] of looks) assertError(await waitFor(closed, id!, secret!, fromGood), 401, 'expired_code');
    } finally {
      await closed.close();
    }
  });

  it('a leaked link is worth no more than today: approving gives its holder nothing, and it may only sign in where it is opened', async () => {
    const asked = await askWithApproval(h, freshEmail('leak'));
    const described = await describeApproval(h, asked.token, fromGood);
    assert.deepEqual(Object.keys(described.body).sort(), ['askedAt', 'choices', 'device', 'secondsAgo'], 'no address, no token, no secret');
    const approved = await approve(h, asked.token, asked.number, fromGood);
    assert.deepEqual(approved.body, { approved: true });
    assert.equal(approved.headers.get('set-cookie'), null);
    // Without the asker's secret the holder cannot collect what it approved.
    assertError(await waitFor(h, asked.id, randomBytes(32).toString('base64url'), fromGood), 401, 'invalid_approval');
    // And the link, once approved, no longer signs in anyone.
    assertError(await h.verify({ token: asked.token }, fromGood), 401, 'invalid_link');
  });

  it('refuses every approval call from another site’s page (403), changing nothing', async () => {
    const asked = await askWithApproval(h, freshEmail('origin'));
    await assertRefusedSafely(h, () => describeApproval(h, asked.token, { Origin: EVIL }), 403, 'forbidden_origin');
    await assertRefusedSafely(h, () => approve(h, asked.token, asked.number, { Origin: EVIL }), 403, 'forbidden_origin');
    await assertRefusedSafely(h, () => waitFor(h, asked.id, asked.secret, { Origin: EVIL }), 403, 'forbidden_origin');
    assert.equal((await approve(h, asked.token, asked.number, fromGood)).status, 200, 'still approvable from the allowed page');
  });

  it('refuses a tampered ticket, a ticket of another sequence, and malformed numbers, counting nothing', async () => {
    const email = freshEmail('tamper');
    const asked = await askWithApproval(h, email);
    const bytes = Buffer.from(asked.id, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    await assertRefusedSafely(h, () => waitFor(h, bytes.toString('base64url'), asked.secret, fromGood), 401, 'invalid_approval');
    const other = await askWithApproval(h, freshEmail('other'));
    await assertRefusedSafely(h, () => waitFor(h, other.id, asked.secret, fromGood), 401, 'invalid_approval');
    for (const number of ['47', 9, 100, 47.5, null]) {
      await assertRefusedSafely(h, () => approve(h, asked.token, number as number, fromGood), 400, 'invalid_request');
    }
    await assertRefusedSafely(h, () => rawPost(h.api('/approval/approve'), `{"token":"${asked.token}","number":${asked.number},"extra":1}`, { 'Content-Type': 'application/json', ...fromGood }), 400, 'invalid_request');
    const wrongCode = await h.verify({ email, code: asked.code === '000000' ? '111111' : '000000' }, fromGood);
    assert.equal(wrongCode.body.error.attemptsLeft, 4, 'none of these counted as a wrong attempt');
  });

  it('answers an unknown address with the same shape, and its wait refuses a wrong secret and ends at the expiry alike', async () => {
    const closed = await startHarness({ ALLOWED_ORIGINS: GOOD, USER_CREATION: 'false' });
    try {
      const known = approvalSecret();
      const unknown = approvalSecret();
      const user = { id: 'known-user', email: 'known@example.com', emailKey: 'known@example.com', emailVerified: true, createdAt: new Date().toISOString(), lastLoginAt: null, data: {} };
      await closed.server.backend.store.updateUser('known@example.com', () => ({ next: user, result: null }));
      const [knownAnswer, unknownAnswer] = await Promise.all([
        closed.request({ email: 'known@example.com', approvalKey: known.key }, fromGood),
        closed.request({ email: 'nobody@example.com', approvalKey: unknown.key }, fromGood),
      ]);
      assert.equal(unknownAnswer.status, 202);
      assert.deepEqual(Object.keys(unknownAnswer.body).sort(), Object.keys(knownAnswer.body).sort());
      assert.deepEqual(Object.keys(unknownAnswer.body.approval).sort(), ['id', 'number']);
      assert.ok(unknownAnswer.body.approval.number >= 10 && unknownAnswer.body.approval.number <= 99);
      for (const answer of [knownAnswer, unknownAnswer]) {
        assertError(await waitFor(closed, answer.body.approval.id, approvalSecret().secret, fromGood), 401, 'invalid_approval');
      }
      closed.server.clock.advance(closed.server.config.codeTtlSeconds * 1000 + 1);
      for (const [answer, secret] of [[knownAnswer, known], [unknownAnswer, unknown]] as const) {
        assertError(await waitFor(closed, answer.body.approval.id, secret.secret, fromGood), 401, 'expired_code');
      }
    } finally {
      await closed.close();
    }
  });
});
