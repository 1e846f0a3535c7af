/** Users created at first login, verified addresses, and revocable, expiring sessions. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { getJson } from '../testing/api-client.ts';
import { startHarness, type Harness } from '../testing/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Wraps the store's next `updateUser` (the instance's own, shadowing the class's): `before` runs
 * first, as another request would between a read and the write.
 */
function beforeNextUserWrite(h: Harness, before: () => Promise<unknown>): void {
  const store = h.server.backend.store;
  store.updateUser = async (...args) => {
    delete (store as Partial<typeof store>).updateUser;
    await before();
    return store.updateUser(...args);
  };
}

describe('users', () => {
  it('refuses a sign-in at the old address when the user moved between the read and the write: no second record with the moved user\'s id', async () => {
    const first = await h.signIn('old@example.com');
    h.server.clock.advance(61_000);
    const { code } = await h.requestCode('old@example.com');
    const store = h.server.backend.store;
    beforeNextUserWrite(h, () => store.changeUserEmail(first.user.id, { email: 'new@example.com', emailKey: 'new@example.com' }));
    const answer = await h.verify({ email: 'old@example.com', code });
    assert.equal(answer.status, 401, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, 'invalid_code');
    assert.equal(answer.body.error.attemptsLeft, 0);
    assert.equal(await store.findUserByEmailKey('old@example.com'), null, 'no user made at the old address');
    assert.equal((await store.findUserById(first.user.id))?.email, 'new@example.com', 'the user is where it moved');
    assert.equal((await store.listUserSessions(first.user.id)).length, 1, 'no session made: only the first sign-in\'s');
  });

  it('blocks a user who moved between the read and the write (read again by id)', async () => {
    const { user } = await h.signIn('mover@example.com');
    const store = h.server.backend.store;
    beforeNextUserWrite(h, () => store.changeUserEmail(user.id, { email: 'moved@example.com', emailKey: 'moved@example.com' }));
    const blocked = await h.server.backend.service.blockUser(user.id);
    assert.equal(typeof blocked?.blockedAt, 'number');
    assert.equal(typeof (await store.findUserByEmailKey('moved@example.com'))?.blockedAt, 'number');
  });

  it('creates the user at the first successful login, verified, with its userData', async () => {
    const { code } = await h.requestCode('ana@example.com', { userData: { name: 'Ana' } });
    assert.equal(await h.server.backend.store.findUserByEmailKey('ana@example.com'), null, 'no user before the login');
    const { body } = await h.verify({ email: 'ana@example.com', code });
    assert.deepEqual(Object.keys(body.user).sort(), ['createdAt', 'data', 'email', 'emailVerified', 'id', 'lastLoginAt']);
    assert.equal(body.user.emailVerified, true);
    assert.deepEqual(body.user.data, { name: 'Ana' });
    assert.equal(body.user.createdAt, new Date(h.server.clock.now()).toISOString());
  });

  it('finds the same user on the next login and moves lastLoginAt', async () => {
    const first = await h.signIn('ana@example.com');
    h.server.clock.advance(3_600_000);
    const second = await h.signIn('ana@example.com');
    assert.equal(second.user.id, first.user.id);
    assert.equal(second.user.createdAt, first.user.createdAt);
    assert.notEqual(second.user.lastLoginAt, first.user.lastLoginAt);
  });

  it('keys users by the address lower-cased, IDN domains as punycode', async () => {
    const first = await h.signIn('Ana@Exämple.com');
    h.server.clock.advance(60_000);
    const second = await h.signIn('ana@xn--exmple-cua.com');
    assert.equal(second.user.id, first.user.id);
  });

  it('mails the stored address, not the variant typed later', async () => {
    await h.signIn('Ana@Example.com');
    h.server.clock.advance(60_000);
    const { mail } = await h.requestCode('ANA@EXAMPLE.COM');
    assert.deepEqual(mail.envelopeTo, ['Ana@example.com']);
  });

  it('with USER_CREATION=false, sends no code to an unknown email yet answers the same', async () => {
    await h.close();
    h = await startHarness({ USER_CREATION: 'false' });
    const answer = await h.request({ email: 'nobody@example.com' });
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body, { codeLength: 6, expiresIn: 600, retryAfter: 60 });
    await h.server.backend.service.idle();
    assert.equal(h.smtp.received.length, 0, 'no mail for an unknown email');
    const guess = await h.verify({ email: 'nobody@example.com', code: '123456' });
    assert.deepEqual([guess.status, guess.body.error.code, guess.body.error.attemptsLeft], [401, 'invalid_code', 4]);
  });

  it('with USER_CREATION=false, still signs in known users', async () => {
    await h.close();
    h = await startHarness({ USER_CREATION: 'false' });
    const created = new Date(h.server.clock.now()).toISOString();
    await h.server.backend.store.updateUser('ana@example.com', () => ({
      next: { id: 'u1', email: 'ana@example.com', emailKey: 'ana@example.com', emailVerified: false, createdAt: created, lastLoginAt: null, data: {} },
      result: null,
    }));
    const { user } = await h.signIn('ana@example.com');
    assert.equal(user.id, 'u1');
    assert.equal(user.emailVerified, true, 'the login verified the address');
  });
});

describe('sessions', () => {
  it('answers GET /auth/session with the user for a live token', async () => {
    const { token, user } = await h.signIn('ana@example.com');
    const answer = await getJson(h.api('/session'), bearer(token));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.user, user);
    assert.match(answer.body.session.expiresAt, /^\d{4}-\d\d-\d\dT/);
    assert.equal(answer.body.session.token, undefined, 'the token is not echoed');
  });

  it('lasts 30 days, then answers unauthenticated', async () => {
    const { token } = await h.signIn('ana@example.com');
    h.server.clock.advance(30 * 86_400_000 - 1000);
    assert.equal((await getJson(h.api('/session'), bearer(token))).status, 200);
    h.server.clock.advance(1000);
    const answer = await getJson(h.api('/session'), bearer(token));
    assert.deepEqual([answer.status, answer.body.error.code], [401, 'unauthenticated']);
  });

  it('is revoked on the server by logout', async () => {
    const { token } = await h.signIn('ana@example.com');
    const out = await fetch(h.api('/logout'), { method: 'POST', headers: bearer(token) });
    assert.equal(out.status, 204);
    assert.equal((await getJson(h.api('/session'), bearer(token))).status, 401);
  });

  it('revokes only the session logged out, not the user’s others', async () => {
    const phone = await h.signIn('ana@example.com');
    h.server.clock.advance(60_000);
    const laptop = await h.signIn('ana@example.com');
    await fetch(h.api('/logout'), { method: 'POST', headers: bearer(phone.token) });
    assert.equal((await getJson(h.api('/session'), bearer(laptop.token))).status, 200);
  });

  it('answers unauthenticated without a token or with a made-up one', async () => {
    assert.equal((await getJson(h.api('/session'))).status, 401);
    assert.equal((await getJson(h.api('/session'), bearer('A'.repeat(43)))).status, 401);
  });
});
