/**
 * Attack: passkeys. Replayed, expired, borrowed and forged challenges; answers made on another
 * site or for another RP ID; cloned authenticators; enrolment from stale, passkey-made or absent
 * sessions; other users' passkeys; and the per-IP limit. Each is refused with a clear 4xx, writes
 * no passkey and changes none, sends no mail, and leaves the service answering.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PasskeyPath } from '../../contract/passkeys.ts';
import { postJson, type JsonAnswer } from '../testing/api-client.ts';
import { assertError, assertRefusedSafely, freshEmail, signIn } from '../testing/attack-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { addPasskey, authenticatorFor, bearer, itemCall, listPasskeys, passkeySignIn, register, registerOptions, signInOptions } from '../testing/passkey-kit.ts';
import type { SoftwareAuthenticator } from '../testing/software-authenticator.ts';

const MINUTE = 60_000;

describe('attack: passkeys', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  /** A user with one passkey, and the authenticator that holds it. */
  async function userWithPasskey(tag: string): Promise<{ token: string; userId: string; id: string; authenticator: SoftwareAuthenticator }> {
    const { token, user } = await signIn(h, freshEmail(tag));
    const authenticator = authenticatorFor(h);
    const { id } = await addPasskey(h, token, authenticator);
    return { token, userId: user.id, id, authenticator };
  }

  /** Every passkey of the user as stored, to show a refusal changed nothing. */
  const storedPasskeys = (userId: string) => h.server.backend.store.listPasskeys(userId);

  /** The refusal is safe (4xx, no mail, service sound) and the user's passkeys are exactly as before. */
  async function refusedAndUnchanged(userId: string, attack: () => Promise<JsonAnswer>, status: number, code: string, cause: RegExp): Promise<void> {
    const before = await storedPasskeys(userId);
    const answer = await assertRefusedSafely(h, attack, status, code);
    assert.match(answer.body.error.message, cause);
    assert.deepEqual(await storedPasskeys(userId), before, 'no passkey added, changed or removed');
  }

  const signInWith = (credential: unknown, headers: Record<string, string> = {}) => postJson(h.api(PasskeyPath.signIn), { credential }, headers);

  it('refuses a second answer to a spent challenge, even freshly signed', async () => {
    const { userId, authenticator } = await userWithPasskey('replay');
    const options = await signInOptions(h);
    assert.equal((await signInWith(authenticator.get(options))).status, 200);
    await refusedAndUnchanged(userId, () => signInWith(authenticator.get(options)), 400, 'invalid_passkey', /already used/);
  });

  it('refuses an answer to a challenge past its lifetime (CODE_TTL), by the clock', async () => {
    const { userId, authenticator } = await userWithPasskey('expired');
    const options = await signInOptions(h);
    h.server.clock.advance(h.server.config.codeTtlSeconds * 1000 + 1000);
    await refusedAndUnchanged(userId, () => signInWith(authenticator.get(options)), 400, 'invalid_passkey', /expired/);
  });

  it('refuses a challenge of the other ceremony, both ways', async () => {
    const { token, userId, authenticator } = await userWithPasskey('ceremony');
    const registration = (await registerOptions(h, token)).body.options;
    await refusedAndUnchanged(userId, () => signInWith(authenticator.get(registration)), 400, 'invalid_passkey', /another step/);
    const signInChallenge = (await signInOptions(h)).challenge;
    await refusedAndUnchanged(userId, () => register(h, token, authenticatorFor(h), { challenge: signInChallenge }), 400, 'invalid_passkey', /another step/);
  });

  it('refuses a registration challenge issued to another user', async () => {
    const mallory = await signIn(h, freshEmail('mallory'));
    const victim = await signIn(h, freshEmail('victim'));
    const malloryChallenge = (await registerOptions(h, mallory.token)).body.options.challenge;
    await refusedAndUnchanged(victim.user.id, () => register(h, victim.token, authenticatorFor(h), { challenge: malloryChallenge }), 400, 'invalid_passkey', /another account/);
  });

  it('refuses forged challenges: random bytes, a moved expiry, a MAC made with another key', async () => {
    const { userId, authenticator } = await userWithPasskey('forged');
    const real = Buffer.from((await signInOptions(h)).challenge, 'base64url').toString('utf8');
    const [version, kind, expiry, owner, nonce] = real.split('.') as [string, string, string, string, string, string];
    const payload = [version, kind, String(Number(expiry) + 86_400_000), owner, nonce].join('.');
    const forgeries = [
      Buffer.from('0123456789abcdef0123456789abcdef').toString('base64url'),
      Buffer.from(`${payload}.${real.split('.')[5]}`).toString('base64url'),
      Buffer.from(`${payload}.${createHmac('sha256', 'a guessed key').update(payload).digest('base64url')}`).toString('base64url'),
    ];
    for (const challenge of forgeries) {
      await refusedAndUnchanged(userId, () => signInWith(authenticator.get({ challenge })), 400, 'invalid_passkey', /not to a challenge this server issued/);
    }
  });

  it('refuses an answer made on a site that is not allowed (a phishing origin)', async () => {
    const { userId, authenticator } = await userWithPasskey('origin');
    await refusedAndUnchanged(userId, async () => signInWith(authenticator.get(await signInOptions(h), undefined, { origin: 'https://login-example.evil' })), 400, 'invalid_passkey', /site this server does not serve/);
    const { token } = await signIn(h, freshEmail('origin-register'));
    await refusedAndUnchanged(userId, () => register(h, token, authenticatorFor(h), { origin: 'https://login-example.evil' }), 400, 'invalid_passkey', /site this server does not serve/);
  });

  it('refuses an answer made for another RP ID', async () => {
    const { userId, authenticator } = await userWithPasskey('rpid');
    await refusedAndUnchanged(userId, async () => signInWith(authenticator.get(await signInOptions(h), undefined, { rpId: 'evil.example' })), 400, 'invalid_passkey', /RP ID/);
  });

  it('refuses a cloned credential: a signature counter that goes back', async () => {
    const { userId, id, authenticator } = await userWithPasskey('clone');
    assert.equal((await passkeySignIn(h, authenticator)).status, 200);
    assert.equal((await passkeySignIn(h, authenticator)).status, 200);
    await refusedAndUnchanged(userId, () => passkeySignIn(h, authenticator, id, { counter: 1 }), 400, 'invalid_passkey', /counter went back/);
  });

  it('refuses an answer without user verification, a bad signature, and a wrong type', async () => {
    const { userId, authenticator } = await userWithPasskey('uv');
    await refusedAndUnchanged(userId, () => passkeySignIn(h, authenticator, undefined, { unverified: true }), 400, 'invalid_passkey', /did not verify the person/);
    await refusedAndUnchanged(userId, () => passkeySignIn(h, authenticator, undefined, { badSignature: true }), 400, 'invalid_passkey', /signature is wrong/);
    await refusedAndUnchanged(userId, () => passkeySignIn(h, authenticator, undefined, { type: 'webauthn.create' }), 400, 'invalid_passkey', /another kind of request/);
  });

  it('refuses a user handle that does not match the passkey’s user', async () => {
    const { userId, authenticator } = await userWithPasskey('handle');
    const other = await signIn(h, freshEmail('handle-other'));
    const handle = Buffer.from(other.user.id).toString('base64url');
    await refusedAndUnchanged(userId, () => passkeySignIn(h, authenticator, undefined, { userHandle: handle }), 400, 'invalid_passkey', /does not belong/);
  });

  it('refuses enrolment from a session signed in 11 minutes ago (stale_session), by the clock', async () => {
    const { token, user } = await signIn(h, freshEmail('stale'));
    const options = (await registerOptions(h, token)).body.options;
    h.server.clock.advance(11 * MINUTE);
    await refusedAndUnchanged(user.id, () => registerOptions(h, token), 403, 'stale_session', /within the last 10 minutes/);
    const credential = authenticatorFor(h).create(options);
    await refusedAndUnchanged(user.id, () => postJson(h.api(PasskeyPath.register), { credential }, bearer(token)), 403, 'stale_session', /within the last 10 minutes/);
  });

  it('refuses enrolment from a session a passkey made: one passkey cannot beget another', async () => {
    const { userId, authenticator } = await userWithPasskey('begets');
    const session = await passkeySignIn(h, authenticator);
    assert.equal(session.status, 200);
    await refusedAndUnchanged(userId, () => registerOptions(h, session.body.session.token), 403, 'stale_session', /email code or link/);
  });

  it('refuses enrolment and the list with no session, or a made-up one (401)', async () => {
    await assertRefusedSafely(h, () => registerOptions(h, null), 401, 'unauthenticated');
    const credential = authenticatorFor(h).create({ rp: { id: '127.0.0.1' }, user: { id: 'eA' }, challenge: 'AAAA' });
    await assertRefusedSafely(h, () => postJson(h.api(PasskeyPath.register), { credential }), 401, 'unauthenticated');
    await assertRefusedSafely(h, () => postJson(h.api(PasskeyPath.register), { credential }, bearer('A'.repeat(43))), 401, 'unauthenticated');
    assertError(await listPasskeys(h, 'A'.repeat(43)), 401, 'unauthenticated');
  });

  it('answers a rename or removal of another user’s passkey as of one that does not exist, and changes nothing', async () => {
    const victim = await userWithPasskey('owner');
    const mallory = await signIn(h, freshEmail('thief'));
    await refusedAndUnchanged(victim.userId, () => itemCall(h, 'PATCH', mallory.token, victim.id, { name: 'mine now' }), 400, 'unknown_passkey', /No such passkey/);
    await refusedAndUnchanged(victim.userId, () => itemCall(h, 'DELETE', mallory.token, victim.id), 400, 'unknown_passkey', /No such passkey/);
    assertError(await itemCall(h, 'DELETE', mallory.token, 'never-registered-credential'), 400, 'unknown_passkey');
    assert.deepEqual((await listPasskeys(h, mallory.token)).body.passkeys, [], 'and lists nobody else’s');
  });

  it('refuses a removed passkey', async () => {
    const { token, userId, id, authenticator } = await userWithPasskey('removed');
    assert.equal((await itemCall(h, 'DELETE', token, id)).status, 204);
    await refusedAndUnchanged(userId, () => passkeySignIn(h, authenticator), 400, 'unknown_passkey', /No such passkey/);
  });

  it('refuses ceremonies from a foreign page (origin guard) and malformed answers (zod)', async () => {
    const { userId, authenticator } = await userWithPasskey('guard');
    const credential = authenticator.get(await signInOptions(h));
    await refusedAndUnchanged(userId, () => signInWith(credential, { Origin: 'https://evil.example' }), 403, 'forbidden_origin', /not allowed/);
    for (const bad of [{ ...credential, type: 'password' }, { ...credential, response: { ...credential.response, signature: 'not base64url!' } }, { ...credential, extra: 1 }, 'credential']) {
      await assertRefusedSafely(h, () => signInWith(bad), 400, 'invalid_request');
    }
  });

  it('refuses transports that are not transport names (a NUL once reached PostgreSQL as a 500)', async () => {
    const { token, user } = await signIn(h, freshEmail('transports'));
    for (const transports of [['\u0000'], ['USB'], ['x'.repeat(33)], ['usb', 'nfc', 'ble', 'hybrid', 'internal', 'smart-card', 'cable', 'usb', 'nfc']]) {
      const options = (await registerOptions(h, token)).body.options;
      const credential = authenticatorFor(h).create(options);
      const bent = { credential: { ...credential, response: { ...credential.response, transports } } };
      await refusedAndUnchanged(user.id, () => postJson(h.api(PasskeyPath.register), bent, bearer(token)), 400, 'invalid_request', /transport|at most/);
    }
  });
});

describe('attack: passkey sign-in under the per-IP limit', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ VERIFIES_PER_IP: '4' });
  });
  after(async () => {
    await h.close();
  });

  it('counts options and answers as verifies: the 5th call in the window is 429 with Retry-After', async () => {
    for (let i = 0; i < 4; i++) assert.equal((await postJson(h.api(PasskeyPath.signInOptions), {})).status, 200);
    const answer = await postJson(h.api(PasskeyPath.signInOptions), {});
    assertError(answer, 429, 'rate_limited');
    assert.ok(Number(answer.headers.get('retry-after')) > 0);
    assertError(await postJson(h.api(PasskeyPath.signIn), { credential: {} }), 429, 'rate_limited');
  });
});
