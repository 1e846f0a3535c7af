/**
 * The passkey cases every store must pass, run once per store (the JSON file, Redis, PostgreSQL):
 * a real server with that store, a real SMTP sink, a software authenticator, over HTTP. What
 * depends on the store is here: the passkey stored and found by its credential ID, the counter
 * and last use written atomically, the list, the rename and removal, and the challenge spent once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJson } from './api-client.ts';
import { assertError, freshEmail, signIn } from './attack-kit.ts';
import type { Harness } from './harness.ts';
import { addPasskey, authenticatorFor, bearer, itemCall, listPasskeys, passkeySignIn, signInOptions } from './passkey-kit.ts';
import { postJson } from './api-client.ts';
import { PasskeyPath } from '../../contract/passkeys.ts';

export function passkeyContract(storeName: string, start: () => Promise<Harness>): void {
  describe(`passkeys on ${storeName}`, () => {
    let h: Harness;
    before(async () => {
      h = await start();
    });
    after(async () => {
      await h?.close();
    });

    it('adds a passkey after an email sign-in, then signs in with it alone: a session like an email one', async () => {
      const email = freshEmail('passkey');
      const { token, user } = await signIn(h, email);
      const authenticator = authenticatorFor(h);
      const added = await addPasskey(h, token, authenticator);
      assert.equal(added.id, authenticator.credentialIds[0]);
      assert.equal(added.lastUsedAt, null);
      assert.equal(added.synced, true);
      const answer = await passkeySignIn(h, authenticator);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.user.id, user.id);
      assert.equal(answer.body.user.email, email);
      const session = await getJson(h.api('/session'), bearer(answer.body.session.token));
      assert.equal(session.status, 200);
      assert.equal(session.body.user.id, user.id);
      const stored = await h.server.backend.store.findPasskey(added.id);
      assert.equal(stored?.userId, user.id);
      assert.equal(stored?.counter, 1, 'the counter the answer reported is stored');
      assert.equal(stored?.lastUsedAt, h.server.clock.now());
    });

    it('lists, renames and removes the user’s passkeys; a removed passkey no longer signs in', async () => {
      const { token } = await signIn(h, freshEmail('manage'));
      const phone = authenticatorFor(h);
      const laptop = authenticatorFor(h, { synced: false });
      const first = await addPasskey(h, token, phone);
      h.server.clock.advance(1000);
      const second = await addPasskey(h, token, laptop);
      const listed = await listPasskeys(h, token);
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.passkeys.map((p: any) => [p.id, p.synced]), [[first.id, true], [second.id, false]]);
      const renamed = await itemCall(h, 'PATCH', token, first.id, { name: '  Work phone ' });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.equal(renamed.body.name, 'Work phone');
      assert.equal((await listPasskeys(h, token)).body.passkeys[0].name, 'Work phone');
      assert.equal((await itemCall(h, 'DELETE', token, second.id)).status, 204);
      assert.deepEqual((await listPasskeys(h, token)).body.passkeys.map((p: any) => p.id), [first.id]);
      assertError(await passkeySignIn(h, laptop, second.id), 400, 'unknown_passkey');
      assert.equal((await passkeySignIn(h, phone, first.id)).status, 200, 'the other passkey still signs in');
    });

    it('spends a challenge once: the same answer sent again is refused and makes no session', async () => {
      const { token } = await signIn(h, freshEmail('replay'));
      // A synced passkey's counter stays 0, so only the spent challenge stops the replay.
      const authenticator = authenticatorFor(h, { counter: 'none' });
      await addPasskey(h, token, authenticator);
      const credential = authenticator.get(await signInOptions(h));
      const first = await postJson(h.api(PasskeyPath.signIn), { credential });
      assert.equal(first.status, 200);
      const again = await postJson(h.api(PasskeyPath.signIn), { credential });
      assertError(again, 400, 'invalid_passkey');
      assert.match(again.body.error.message, /already used/);
    });

    it('refuses a signature counter that goes back (a cloned authenticator) and keeps the stored counter', async () => {
      const { token } = await signIn(h, freshEmail('clone'));
      const authenticator = authenticatorFor(h);
      const { id } = await addPasskey(h, token, authenticator);
      assert.equal((await passkeySignIn(h, authenticator)).status, 200);
      assert.equal((await passkeySignIn(h, authenticator)).status, 200);
      const before = await h.server.backend.store.findPasskey(id);
      assert.equal(before?.counter, 2);
      const cloned = await passkeySignIn(h, authenticator, id, { counter: 1 });
      assertError(cloned, 400, 'invalid_passkey');
      assert.match(cloned.body.error.message, /counter went back/);
      assert.deepEqual(await h.server.backend.store.findPasskey(id), before);
    });

    it('an erased user’s passkeys no longer sign in, their sessions end, and the address signs up anew with none', async () => {
      const email = freshEmail('erased');
      const { token, user } = await signIn(h, email);
      const phone = authenticatorFor(h);
      const laptop = authenticatorFor(h, { synced: false });
      const first = await addPasskey(h, token, phone);
      const second = await addPasskey(h, token, laptop);
      const byPasskey = await passkeySignIn(h, phone, first.id);
      assert.equal(byPasskey.status, 200);
      assert.deepEqual(await h.server.backend.service.deleteUser(user.id), { sessions: 2, passkeys: 2 });
      for (const [authenticator, id] of [[phone, first.id], [laptop, second.id]] as const) assertError(await passkeySignIn(h, authenticator, id), 400, 'unknown_passkey');
      for (const session of [token, byPasskey.body.session.token as string]) assert.equal((await getJson(h.api('/session'), bearer(session))).status, 401);
      h.server.clock.advance(61_000);
      const again = await signIn(h, email);
      assert.notEqual(again.user.id, user.id);
      assert.deepEqual((await listPasskeys(h, again.token)).body.passkeys, []);
    });

    it('keeps no counter for synced passkeys that report 0 every time', async () => {
      const { token } = await signIn(h, freshEmail('synced'));
      const authenticator = authenticatorFor(h, { counter: 'none' });
      await addPasskey(h, token, authenticator);
      assert.equal((await passkeySignIn(h, authenticator)).status, 200);
      assert.equal((await passkeySignIn(h, authenticator)).status, 200);
    });
  });
}
