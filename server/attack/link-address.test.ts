/**
 * Attack: `POST /auth/link-address`, which names the address a magic link signs in before it is
 * used. It must tell nothing to anyone without the token, spend and count nothing, refuse other
 * sites' pages, and count against the per-IP verify limit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postJson, tokenOf } from '../testing/api-client.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { assertError, assertRefusedSafely, freshEmail, requestCode } from '../testing/attack-kit.ts';

const GOOD = 'https://good.example';
let h: Harness;
before(async () => {
  h = await startHarness({ ALLOWED_ORIGINS: GOOD, VERIFIES_PER_IP: '8' });
});
after(async () => {
  await h.close();
});

const peek = (token: string, headers: Record<string, string> = { Origin: GOOD }) => postJson(h.api('/link-address'), { token }, headers);

describe('attack: POST /auth/link-address', () => {
  it('names the address only for the token of its link, and spends nothing: the link still signs in', async () => {
    const email = freshEmail('peek');
    const { link } = await requestCode(h, email);
    const answer = await peek(tokenOf(link));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { email });
    const login = await h.verify({ token: tokenOf(link) }, { Origin: GOOD });
    assert.equal(login.status, 200, 'the peek spent nothing');
  });

  it('answers a made-up token with 401 invalid_link and a malformed one with 400, naming no address', async () => {
    await assertRefusedSafely(h, () => peek('A'.repeat(43)), 401, 'invalid_link');
    const malformed = await peek('not a token');
    assertError(malformed, 400, 'invalid_request');
    assert.doesNotMatch(JSON.stringify(malformed.body), /@/);
  });

  it('refuses a foreign page with 403 forbidden_origin', async () => {
    const { link } = await requestCode(h, freshEmail('peek-csrf'));
    await assertRefusedSafely(h, () => peek(tokenOf(link), { Origin: 'https://evil.example' }), 403, 'forbidden_origin');
  });

  it('counts no wrong code: five peeks leave the code its five attempts', async () => {
    const email = freshEmail('peek-count');
    const { link } = await requestCode(h, email);
    for (let i = 0; i < 2; i++) assert.equal((await peek(tokenOf(link))).status, 200);
    const wrong = await h.verify({ email, code: '000000' }, { Origin: GOOD });
    assert.equal(wrong.body.error.attemptsLeft, 4);
  });

  it('counts against the per-IP verify limit (VERIFIES_PER_IP): past it, 429 with Retry-After', async () => {
    let answer = await peek('B'.repeat(43));
    for (let i = 0; i < 10 && answer.status !== 429; i++) answer = await peek('B'.repeat(43));
    assertError(answer, 429, 'rate_limited');
    assert.ok(Number(answer.headers.get('retry-after')) > 0);
  });
});
