/**
 * Cross-device approval over real HTTP (a real backend, a real SMTP sink, the JSON store), with
 * the login rules' clock moved, never slept on: the right number signs in the asking browser and
 * not the phone; a wrong one refuses for good, counts, and leaves "sign in here"; the asker gone,
 * expiry, concurrent waits, the per-IP wait cap, and a shutdown that ends the waits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJson, postJson, tokenOf } from '../testing/api-client.ts';
import { assertError, freshEmail, requestCode } from '../testing/attack-kit.ts';
import { approvalSecret, approve, askWithApproval, describeApproval, waitFor, waitsInProgress, wrongNumber } from '../testing/approval-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { startTestServer } from '../testing/test-server.ts';

const MAC_CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

describe('cross-device approval', () => {
  it('answers a request with a ticket of two digits, and without approvalKey as before', async () => {
    const asked = await askWithApproval(h, freshEmail('ticket'));
    assert.ok(asked.number >= 10 && asked.number <= 99, String(asked.number));
    assert.match(asked.id, /^[A-Za-z0-9_-]{40,1024}$/);
    const plain = await requestCode(h, freshEmail('plain'));
    assert.equal(plain.answer.body.approval, undefined);
  });

  it('describes the asking device, how long ago, and three choices that stay the same, spending nothing', async () => {
    const asked = await askWithApproval(h, freshEmail('describe'), {}, { 'User-Agent': MAC_CHROME });
    h.server.clock.advance(15_000);
    const first = await describeApproval(h, asked.token);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.device, 'Chrome on macOS');
    assert.equal(first.body.secondsAgo, 15);
    assert.equal(first.body.choices.length, 3);
    assert.equal(new Set(first.body.choices).size, 3);
    assert.ok(first.body.choices.includes(asked.number));
    const again = await describeApproval(h, asked.token);
    assert.deepEqual(again.body.choices, first.body.choices, 'the same three: two asks do not single out the right one');
    const signIn = await h.verify({ token: asked.token });
    assert.equal(signIn.status, 200, 'describing spent nothing');
  });

  it('signs in the waiting browser on the right number, within a wake (not the 5 s re-check), and gives the phone no session', async () => {
    const email = freshEmail('right');
    const asked = await askWithApproval(h, email);
    const waiting = waitFor(h, asked.id, asked.secret);
    await waitsInProgress(h, 1);
    const approvedAt = Date.now();
    const phone = await approve(h, asked.token, asked.number);
    assert.equal(phone.status, 200, JSON.stringify(phone.body));
    assert.deepEqual(phone.body, { approved: true }, 'the phone gets no session');
    assert.equal(phone.headers.get('set-cookie'), null);
    const computer = await waiting;
    assert.ok(Date.now() - approvedAt < 2000, 'woken, not found by the 5 s re-check');
    assert.equal(computer.status, 200, JSON.stringify(computer.body));
    assert.equal(computer.body.status, 'approved');
    assert.equal(computer.body.user.email, email);
    const session = await getJson(h.api('/session'), { Authorization: `Bearer ${computer.body.session.token}` });
    assert.equal(session.status, 200);
    assertError(await h.verify({ token: asked.token }), 401, 'invalid_link');
    assertError(await h.verify({ email, code: asked.code }), 401, 'invalid_code');
  });

  it('collects an approval made before the wait began, exactly once', async () => {
    const asked = await askWithApproval(h, freshEmail('early'));
    assert.equal((await approve(h, asked.token, asked.number)).status, 200);
    const first = await waitFor(h, asked.id, asked.secret);
    assert.equal(first.body.status, 'approved');
    assertError(await waitFor(h, asked.id, asked.secret), 401, 'invalid_approval');
  });

  it('refuses a second approve of the same link', async () => {
    const asked = await askWithApproval(h, freshEmail('twice'));
    assert.equal((await approve(h, asked.token, asked.number)).status, 200);
    assertError(await approve(h, asked.token, asked.number), 401, 'invalid_link');
  });

  it('refuses for good on a wrong number, counts it as a wrong attempt, tells the waiter at once, and "sign in here" still works', async () => {
    const email = freshEmail('wrong');
    const asked = await askWithApproval(h, email);
    const waiting = waitFor(h, asked.id, asked.secret);
    await waitsInProgress(h, 1);
    const refusedAt = Date.now();
    const wrong = await approve(h, asked.token, wrongNumber(asked.number));
    assertError(wrong, 403, 'approval_refused');
    assert.equal(wrong.body.error.attemptsLeft, 4);
    const computer = await waiting;
    assert.deepEqual(computer.body, { status: 'refused' });
    assert.ok(Date.now() - refusedAt < 2000, 'woken by the refusal, not found by the 5 s re-check');
    assertError(await approve(h, asked.token, asked.number), 403, 'approval_refused');
    assertError(await describeApproval(h, asked.token), 403, 'approval_refused');
    const wrongCode = await h.verify({ email, code: asked.code === '000000' ? '111111' : '000000' });
    assert.equal(wrongCode.body.error.attemptsLeft, 3, 'the wrong number was counted with the wrong codes');
    const here = await h.verify({ token: asked.token });
    assert.equal(here.status, 200, JSON.stringify(here.body));
  });

  it('refuses a wait with a wrong secret, an unknown id or a malformed one', async () => {
    const asked = await askWithApproval(h, freshEmail('secret'));
    assertError(await waitFor(h, asked.id, approvalSecret().secret), 401, 'invalid_approval');
    assertError(await waitFor(h, 'A'.repeat(120), asked.secret), 401, 'invalid_approval');
    assertError(await waitFor(h, 'not an id!', asked.secret), 400, 'invalid_request');
    assertError(await waitFor(h, asked.id, 'short'), 400, 'invalid_request');
  });

  it('tells the phone when the asker stopped waiting, and "sign in here" still works', async () => {
    const asked = await askWithApproval(h, freshEmail('gone'));
    h.server.clock.advance(21_000);
    assertError(await describeApproval(h, asked.token), 409, 'approval_not_waiting');
    assertError(await approve(h, asked.token, asked.number), 409, 'approval_not_waiting');
    assert.equal((await h.verify({ token: asked.token })).status, 200);
  });

  it('tells the phone when the link asked for no approval', async () => {
    const { link } = await requestCode(h, freshEmail('none'));
    const token = new URLSearchParams(new URL(link).hash.slice(1)).get('pl_token')!;
    assertError(await describeApproval(h, token), 409, 'approval_not_waiting');
  });

  it('ends at the expiry: the wait and the approve answer expired_code', async () => {
    const asked = await askWithApproval(h, freshEmail('expiry'));
    h.server.clock.advance(h.server.config.codeTtlSeconds * 1000 + 1);
    assertError(await waitFor(h, asked.id, asked.secret), 401, 'expired_code');
    assertError(await approve(h, asked.token, asked.number), 401, 'expired_code');
  });

  it('makes one session of two concurrent waits', async () => {
    const asked = await askWithApproval(h, freshEmail('race'));
    const waits = [waitFor(h, asked.id, asked.secret), waitFor(h, asked.id, asked.secret)];
    await waitsInProgress(h, 2);
    assert.equal((await approve(h, asked.token, asked.number)).status, 200);
    const answers = await Promise.all(waits);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 401]);
    assert.equal(answers.filter((a) => a.body.status === 'approved').length, 1);
  });

  it('counts approvals by outcome in the metrics', async () => {
    const before = h.server.backend.metrics.registry.render();
    const count = (text: string, outcome: string) => Number(new RegExp(`passwordless_approvals_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1]);
    const asked = await askWithApproval(h, freshEmail('metrics'));
    await approve(h, asked.token, asked.number);
    await waitFor(h, asked.id, asked.secret);
    const after = h.server.backend.metrics.registry.render();
    assert.equal(count(after, 'approved') - count(before, 'approved'), 1);
    assert.equal(count(after, 'collected') - count(before, 'collected'), 1);
  });
});

describe('cross-device approval: the audit entry', () => {
  it('writes sign_in with method link and approved: true when the asking browser collects', async () => {
    const { logger, entries } = recordingLogger();
    const server = await startTestServer({ logger });
    try {
      const { secret, key } = approvalSecret();
      const email = freshEmail('audit');
      const asked = await postJson(`${server.url}/auth/request`, { email, approvalKey: key });
      assert.equal(asked.status, 202);
      await server.backend.service.idle();
      const token = tokenOf(server.mailbox.messages().find((m) => m.to === email)!.link!);
      assert.equal((await postJson(`${server.url}/auth/approval/approve`, { token, number: asked.body.approval.number })).status, 200);
      const collected = await postJson(`${server.url}/auth/approval/wait`, { id: asked.body.approval.id, secret });
      assert.equal(collected.body.status, 'approved');
      const signIns = entries.filter((entry) => entry.event === 'sign_in');
      assert.equal(signIns.length, 1);
      assert.equal(signIns[0]!.method, 'link');
      assert.equal(signIns[0]!.approved, true);
      assert.equal(signIns[0]!.userId, collected.body.user.id);
    } finally {
      await server.close();
    }
  });
});

describe('cross-device approval: waits per IP and shutdown', () => {
  let limited: Harness;
  before(async () => {
    limited = await startHarness({ REQUESTS_PER_IP: '100', VERIFIES_PER_IP: '100' });
  });
  after(async () => {
    await limited.close();
  });

  it('holds at most 10 waits at once from one IP (429, counted), and a shutdown ends them all with `waiting`', async () => {
    const asked = await askWithApproval(limited, freshEmail('cap'));
    const waits = Array.from({ length: 10 }, () => waitFor(limited, asked.id, asked.secret));
    await waitsInProgress(limited, 10);
    const limitedBefore = limited.server.backend.metrics.registry.render();
    const eleventh = await waitFor(limited, asked.id, asked.secret);
    assertError(eleventh, 429, 'rate_limited');
    const ipLimited = (text: string) => Number(/passwordless_rate_limited_total\{scope="ip"\} (\d+)/.exec(text)?.[1]);
    assert.equal(ipLimited(limited.server.backend.metrics.registry.render()) - ipLimited(limitedBefore), 1, 'counted in passwordless_rate_limited_total');
    assert.ok(Number(eleventh.headers.get('retry-after')) > 0);
    limited.server.backend.endWaits();
    for (const answer of await Promise.all(waits)) assert.deepEqual(answer.body, { status: 'waiting' });
  });

  it('begins at most 60 waits a minute from one IP (429), so hanging up and asking again cannot loop', async () => {
    const looping = await startHarness({ REQUESTS_PER_IP: '100', VERIFIES_PER_IP: '100' });
    try {
      const asked = await askWithApproval(looping, freshEmail('loop'));
      assert.equal((await approve(looping, asked.token, asked.number)).status, 200);
      assert.equal((await waitFor(looping, asked.id, asked.secret)).body.status, 'approved');
      for (let i = 1; i < 60; i++) assertError(await waitFor(looping, asked.id, asked.secret), 401, 'invalid_approval');
      assertError(await waitFor(looping, asked.id, asked.secret), 429, 'rate_limited');
    } finally {
      await looping.close();
    }
  });

  it('lifts the cap with RATE_LIMITS=off', async () => {
    const open = await startHarness({ RATE_LIMITS: 'off' });
    try {
      const asked = await askWithApproval(open, freshEmail('nocap'));
      const waits = Array.from({ length: 11 }, () => waitFor(open, asked.id, asked.secret));
      await waitsInProgress(open, 11);
      open.server.backend.endWaits();
      for (const answer of await Promise.all(waits)) assert.equal(answer.status, 200);
    } finally {
      await open.close();
    }
  });
});

describe('cross-device approval in cookie mode', () => {
  it('sets the session cookie on the wait that collects, with no token in the body', async () => {
    const cookies = await startHarness({ SESSION_COOKIE: 'on' });
    try {
      const asked = await askWithApproval(cookies, freshEmail('cookie'));
      assert.equal((await approve(cookies, asked.token, asked.number)).status, 200);
      const collected = await waitFor(cookies, asked.id, asked.secret);
      assert.equal(collected.body.status, 'approved');
      assert.equal(collected.body.session.token, undefined);
      const value = /^__Host-pl_session=([^;]+)/.exec(collected.headers.getSetCookie()[0] ?? '')?.[1] ?? '';
      assert.match(value, /^[A-Za-z0-9_-]{43}$/);
      assert.equal((await getJson(cookies.api('/session'), { Cookie: `__Host-pl_session=${value}` })).status, 200);
    } finally {
      await cookies.close();
    }
  });
});

describe('cross-device approval: APPROVALS=off', () => {
  it('mounts no approval route, says approvals: false, and answers a request with approvalKey as one without', async () => {
    const off = await startHarness({ APPROVALS: 'off' });
    try {
      assert.equal((await getJson(off.api('/config'))).body.approvals, false);
      const { answer } = await requestCode(off, freshEmail('approvals-off'), { approvalKey: approvalSecret().key });
      assert.equal(answer.body.approval, undefined, 'no ticket');
      for (const path of ['/approval/describe', '/approval/approve', '/approval/wait']) {
        assert.equal((await postJson(off.api(path), {})).status, 404, path);
      }
    } finally {
      await off.close();
    }
  });
});
