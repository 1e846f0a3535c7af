/**
 * Attack: a blocked user's other ways in. A passkey registered before the block and an approval
 * asked for before it no longer sign in, and answer as an unknown passkey or link would; after an
 * unblock the same passkey signs in again. (The code, the link and the mail are in account.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError, freshEmail, signIn, storeOnDisk } from '../testing/attack-kit.ts';
import { approve, askWithApproval, waitFor } from '../testing/approval-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { addPasskey, authenticatorFor, passkeySignIn } from '../testing/passkey-kit.ts';

describe('attack: a blocked user', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('cannot sign in with a passkey registered before the block (unknown_passkey, as one never registered); unblocked, it works again', async () => {
    const { token, user } = await signIn(h, freshEmail('blocked-passkey'));
    const authenticator = authenticatorFor(h);
    const { id } = await addPasskey(h, token, authenticator);
    assert.equal((await passkeySignIn(h, authenticator, id)).status, 200, 'it signs in before the block');
    await h.server.backend.service.blockUser(user.id);
    const refused = await passkeySignIn(h, authenticator, id);
    assertError(refused, 400, 'unknown_passkey');
    // The same answer as a passkey this server never registered.
    const stranger = authenticatorFor(h);
    const { token: otherToken, user: other } = await signIn(h, freshEmail('erased-passkey'));
    const { id: strangerId } = await addPasskey(h, otherToken, stranger);
    await h.server.backend.service.deleteUser(other.id);
    const unknown = await passkeySignIn(h, stranger, strangerId);
    assertError(unknown, 400, 'unknown_passkey');
    assert.equal(refused.body.error.message, unknown.body.error.message);
    assert.equal(Object.values((await storeOnDisk(h)).sessions).filter((s: any) => s.userId === user.id).length, 0, 'no session made');
    await h.server.backend.service.unblockUser(user.id);
    assert.equal((await passkeySignIn(h, authenticator, id)).status, 200, 'unblocked: the passkey signs in again');
  });

  it('gets no session from an approval asked for before the block: the waiting browser is refused as for a spent link', async () => {
    const email = freshEmail('blocked-approval');
    const { user } = await signIn(h, email);
    h.server.clock.advance(61_000);
    const asked = await askWithApproval(h, email);
    await h.server.backend.service.blockUser(user.id);
    // The phone may pick the number (it proves nothing but holding the link); the browser gets nothing.
    await approve(h, asked.token, asked.number);
    const waited = await waitFor(h, asked.id, asked.secret);
    assertError(waited, 401, 'invalid_link');
    assert.equal(Object.values((await storeOnDisk(h)).sessions).filter((s: any) => s.userId === user.id).length, 0, 'no session made');
  });
});
