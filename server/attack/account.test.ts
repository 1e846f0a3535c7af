/**
 * Attack: the account routes (change my email, its undo link, delete my account). Without a
 * session, from another origin, with a code of the other purpose or a sign-in code, by brute
 * force, with a replayed, forged or expired undo token, an undo after the old address was taken.
 * Every refusal is read back from the store: nothing changed. And the answers that must not tell
 * whether an address has an account, or is blocked, are compared byte for byte.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { AccountPath } from '../../contract/account.ts';
import { SecondFactorPath } from '../../contract/second-factor.ts';
import { totpCodeAt } from '../second-factor/totp-codes.ts';
import { postJson, type JsonAnswer } from '../testing/api-client.ts';
import { assertError, assertRefusedSafely, freshEmail, requestCode, settle, signIn, storeOnDisk, wrongCode } from '../testing/attack-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { addPasskey, authenticatorFor, listPasskeys, passkeySignIn } from '../testing/passkey-kit.ts';
import { codeIn, linkIn, type ReceivedMail } from '../testing/smtp-sink.ts';

const DAY_MS = 86_400_000;

/** POST to an account path with the session's bearer token (or none). */
function call(h: Harness, path: string, body: unknown, token?: string, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  return postJson(h.api(path), body, { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers });
}

/** The mails sent since `before`, once the queue is idle. */
async function mailsSince(h: Harness, before: number): Promise<ReceivedMail[]> {
  await settle(h);
  return h.smtp.received.slice(before);
}

/** Starts a change to `to` and returns the code from the one mail it sent there. */
async function startChange(h: Harness, token: string, to: string): Promise<string> {
  const before = h.smtp.received.length;
  const answer = await call(h, AccountPath.emailChangeStart, { email: to }, token);
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
  const mails = await mailsSince(h, before);
  assert.equal(mails.length, 1);
  assert.deepEqual(mails[0]!.envelopeTo, [to]);
  return codeIn(mails[0]!);
}

/** The undo token in the link of an old address's notice. */
function undoTokenIn(notice: ReceivedMail): string {
  return new URLSearchParams(new URL(linkIn(notice)).hash.slice(1)).get('token')!;
}

/** Changes the session's account to `to` (start and confirm); returns the undo token mailed to the address it left. */
async function moveTo(h: Harness, token: string, to: string): Promise<string> {
  const code = await startChange(h, token, to);
  const before = h.smtp.received.length;
  const confirm = await call(h, AccountPath.emailChangeConfirm, { email: to, code }, token);
  assert.equal(confirm.status, 200, JSON.stringify(confirm.body));
  const [notice] = await mailsSince(h, before);
  return undoTokenIn(notice!);
}

/** A full change from `from` to `to`; returns the session, the user and the undo token from the old address's notice. */
async function changed(h: Harness, from: string, to: string) {
  const { token, user } = await signIn(h, from);
  const code = await startChange(h, token, to);
  const before = h.smtp.received.length;
  const confirm = await call(h, AccountPath.emailChangeConfirm, { email: to, code }, token);
  assert.equal(confirm.status, 200, JSON.stringify(confirm.body));
  const [notice] = await mailsSince(h, before);
  assert.deepEqual(notice!.envelopeTo, [from]);
  const undoToken = new URLSearchParams(new URL(linkIn(notice!)).hash.slice(1)).get('token')!;
  return { token, user, undoToken };
}

async function userOnDisk(h: Harness, id: string) {
  return (await storeOnDisk(h)).users[id];
}

describe('attack: the account routes', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });
  // A case may end with a notice still on its way: the next one counts only its own mail.
  afterEach(() => settle(h));

  it('refuses every account call without a session, or with a made-up one, with 401, changing nothing and mailing nothing', async () => {
    const email = freshEmail('nosession');
    const { user } = await signIn(h, email);
    for (const token of [undefined, 'A'.repeat(43)]) {
      await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeStart, { email: freshEmail('target') }, token), 401, 'unauthenticated');
      await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeConfirm, { email: freshEmail('target'), code: '123456' }, token), 401, 'unauthenticated');
      await assertRefusedSafely(h, () => call(h, AccountPath.deletionStart, {}, token), 401, 'unauthenticated');
      await assertRefusedSafely(h, () => call(h, AccountPath.deletionConfirm, { code: '123456' }, token), 401, 'unauthenticated');
    }
    assert.equal((await userOnDisk(h, user.id)).email, email);
  });

  it('refuses a foreign origin with 403 before the session is looked at, changing nothing', async () => {
    const email = freshEmail('origin');
    const { token, user } = await signIn(h, email);
    const foreign = { Origin: 'https://evil.example' };
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeStart, { email: freshEmail('target') }, token, foreign), 403, 'forbidden_origin');
    await assertRefusedSafely(h, () => call(h, AccountPath.deletionStart, {}, token, foreign), 403, 'forbidden_origin');
    await assertRefusedSafely(h, () => call(h, AccountPath.deletionConfirm, { code: '123456' }, token, foreign), 403, 'forbidden_origin');
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeUndo, { token: `${'a'.repeat(40)}.${'b'.repeat(43)}` }, undefined, foreign), 403, 'forbidden_origin');
    assert.equal((await userOnDisk(h, user.id)).email, email);
  });

  it('refuses the same address (same_email, whatever its case) and a bad one, mailing nothing', async () => {
    const email = freshEmail('same');
    const { token } = await signIn(h, email);
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeStart, { email: email.toUpperCase() }, token), 400, 'same_email');
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeStart, { email: 'not an address' }, token), 400, 'invalid_email');
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeStart, { email: freshEmail('x'), extra: 1 }, token), 400, 'invalid_request');
  });

  it('does not sign in with a change code, nor change or delete with a sign-in code or a code of the other purpose', async () => {
    const email = freshEmail('purpose');
    const target = freshEmail('purpose-target');
    const { token, user } = await signIn(h, email);
    const changeCode = await startChange(h, token, target);
    // The change code, typed at sign-in for the new address: no sign-in, and no user there.
    assertError(await h.verify({ email: target, code: changeCode }), 401, 'invalid_code');
    // A sign-in code of the current address, typed at the deletion's confirm.
    h.server.clock.advance(61_000);
    const { code: signInCode } = await requestCode(h, email);
    assertError(await call(h, AccountPath.deletionConfirm, { code: signInCode }, token), 401, 'invalid_code');
    // A deletion code typed at the change's confirm, and the change code at the deletion's.
    h.server.clock.advance(61_000);
    const before = h.smtp.received.length;
    assert.equal((await call(h, AccountPath.deletionStart, {}, token)).status, 202);
    const deletionCode = codeIn((await mailsSince(h, before))[0]!);
    assertError(await call(h, AccountPath.emailChangeConfirm, { email: target, code: deletionCode }, token), 401, 'invalid_code');
    assertError(await call(h, AccountPath.deletionConfirm, { code: changeCode }, token), 401, 'invalid_code');
    const stored = await userOnDisk(h, user.id);
    assert.equal(stored.email, email, 'nothing changed');
    assert.equal((await storeOnDisk(h)).userIdsByEmailKey[target], undefined, 'no user at the new address');
    // Each code still does its own job: the sign-in code signs in, the change code changes.
    assert.equal((await h.verify({ email, code: signInCode })).status, 200);
    assert.equal((await call(h, AccountPath.emailChangeConfirm, { email: target, code: changeCode }, token)).status, 200);
    assert.equal((await userOnDisk(h, user.id)).email, target);
  });

  it('confirms a change at the address the confirm names, whatever else that address’s login state saw meanwhile', async () => {
    const { token, user } = await signIn(h, freshEmail('named'));
    const target = freshEmail('named-target');
    const code = await startChange(h, token, target);
    // A sign-in request for the new address writes its login state (and its link index) again.
    h.server.clock.advance(61_000);
    await requestCode(h, target);
    assert.equal((await call(h, AccountPath.emailChangeConfirm, { email: target, code }, token)).status, 200);
    assert.equal((await userOnDisk(h, user.id)).email, target);
  });

  it('counts nothing at an address where this user started no change: a session cannot run up a stranger’s wrong-code count', async () => {
    const stranger = freshEmail('stranger');
    await signIn(h, stranger);
    const before = (await storeOnDisk(h)).logins?.[stranger]?.attempts;
    const { token } = await signIn(h, freshEmail('guesser'));
    for (let attempt = 0; attempt < 6; attempt++) {
      const answer = await call(h, AccountPath.emailChangeConfirm, { email: stranger, code: '123456' }, token);
      assertError(answer, 401, 'invalid_code');
      assert.equal(answer.body.error.attemptsLeft, 0);
    }
    const stored = await h.server.backend.store.updateLogin(stranger, (state) => ({ next: state, result: state?.attempts }));
    assert.equal(stored, before ?? 0, 'the stranger\'s count as it was');
  });

  it('caps guesses at the change confirm as at sign-in: the 5th wrong code burns the code, and the right one no longer works', async () => {
    const email = freshEmail('brute');
    const target = freshEmail('brute-target');
    const { token, user } = await signIn(h, email);
    const code = await startChange(h, token, target);
    for (let attempt = 1; attempt <= 4; attempt++) {
      const answer = await call(h, AccountPath.emailChangeConfirm, { email: target, code: wrongCode(code, attempt) }, token);
      assertError(answer, 401, 'invalid_code');
      assert.equal(answer.body.error.attemptsLeft, 5 - attempt);
    }
    assertError(await call(h, AccountPath.emailChangeConfirm, { email: target, code: wrongCode(code, 5) }, token), 429, 'too_many_attempts');
    assertError(await call(h, AccountPath.emailChangeConfirm, { email: target, code }, token), 429, 'too_many_attempts');
    assert.equal((await userOnDisk(h, user.id)).email, email, 'nothing changed');
    // The same cap at the deletion confirm.
    h.server.clock.advance(61_000);
    const before = h.smtp.received.length;
    await call(h, AccountPath.deletionStart, {}, token);
    const deletionCode = codeIn((await mailsSince(h, before))[0]!);
    for (let attempt = 1; attempt <= 4; attempt++) assertError(await call(h, AccountPath.deletionConfirm, { code: wrongCode(deletionCode, attempt) }, token), 401, 'invalid_code');
    assertError(await call(h, AccountPath.deletionConfirm, { code: wrongCode(deletionCode, 5) }, token), 429, 'too_many_attempts');
    assertError(await call(h, AccountPath.deletionConfirm, { code: deletionCode }, token), 429, 'too_many_attempts');
    assert.ok(await userOnDisk(h, user.id), 'not deleted');
  });

  it('holds the resend wait: a second start within 60 s is 429, and mails nothing', async () => {
    const { token } = await signIn(h, freshEmail('resend'));
    const target = freshEmail('resend-target');
    await startChange(h, token, target);
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeStart, { email: target }, token), 429, 'rate_limited');
  });

  it('answers a change to an address that has an account exactly as to one that has none, and mails that address a notice, no code', async () => {
    const taken = freshEmail('taken');
    await signIn(h, taken);
    const { token, user } = await signIn(h, freshEmail('mover'));
    // Past the resend wait of the sign-in above: the notice is under the taken address's limits, as a code would be.
    h.server.clock.advance(61_000);
    const before = h.smtp.received.length;
    const toTaken = await call(h, AccountPath.emailChangeStart, { email: taken }, token);
    h.server.clock.advance(61_000);
    const free = freshEmail('free');
    const toFree = await call(h, AccountPath.emailChangeStart, { email: free }, token);
    assert.equal(toTaken.status, 202);
    assert.equal(JSON.stringify(toTaken.body), JSON.stringify(toFree.body), 'the same answer, byte for byte');
    const mails = await mailsSince(h, before);
    assert.equal(mails.length, 2);
    const notice = mails.find((mail) => mail.envelopeTo[0] === taken)!;
    assert.match(notice.text, /already has an account/);
    assert.doesNotMatch(notice.text, /^\s*[0-9]{6}\s*$/m, 'no code in the notice');
    assert.equal((await userOnDisk(h, user.id)).email !== taken, true);
  });

  it('refuses a replayed undo token, a forged one, and an expired one (7 days + 1 s), changing nothing', async () => {
    const old = freshEmail('undo-old');
    const to = freshEmail('undo-new');
    const { user, undoToken } = await changed(h, old, to);
    // Forged: the body changed (another user id), or the MAC changed, or made up.
    const [body, mac] = undoToken.split('.') as [string, string];
    const forgedBody = Buffer.from(Buffer.from(body, 'base64url').toString('utf8').replace(user.id, 'someone-else')).toString('base64url');
    for (const forged of [`${forgedBody}.${mac}`, `${body}.${mac.slice(0, -2)}AA`, `${body}.${'A'.repeat(43)}`, `${'e30'}.${mac}`]) {
      await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeUndo, { token: forged }), 401, 'invalid_undo_link');
    }
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeUndo, { token: 'not a token' }), 400, 'invalid_request');
    assert.equal((await userOnDisk(h, user.id)).email, to);
    // Used once, then replayed.
    const undone = await call(h, AccountPath.emailChangeUndo, { token: undoToken });
    assert.equal(undone.status, 200, JSON.stringify(undone.body));
    assert.deepEqual(undone.body, { email: old });
    assert.equal((await userOnDisk(h, user.id)).email, old);
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeUndo, { token: undoToken }), 401, 'invalid_undo_link');
    // Expired: a second change, and the clock moved 7 days and 1 s.
    const later = await changed(h, freshEmail('expiry-old'), freshEmail('expiry-new'));
    h.server.clock.advance(7 * DAY_MS + 1000);
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeUndo, { token: later.undoToken }), 401, 'invalid_undo_link');
    assert.notEqual((await userOnDisk(h, later.user.id)).email, later.user.email, 'still at the new address');
  });

  it('refuses an undo after the old address became another user’s (409 email_taken), leaving both users as they are', async () => {
    const old = freshEmail('taken-old');
    const to = freshEmail('taken-new');
    const { user, undoToken } = await changed(h, old, to);
    h.server.clock.advance(61_000);
    const { user: newcomer } = await signIn(h, old);
    assert.notEqual(newcomer.id, user.id);
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeUndo, { token: undoToken }), 409, 'email_taken');
    const disk = await storeOnDisk(h);
    assert.equal(disk.users[user.id].email, to);
    assert.equal(disk.users[newcomer.id].email, old);
  });

  it('leaves the undo link working when the move back fails (the old address taken in the instant between): spent only once the account is back', async () => {
    const old = freshEmail('failed-old');
    const { user, undoToken } = await changed(h, old, freshEmail('failed-new'));
    const store = h.server.backend.store;
    // Another request takes the old address between the undo's check and its move.
    store.changeUserEmail = async () => {
      delete (store as Partial<typeof store>).changeUserEmail;
      return 'taken';
    };
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeUndo, { token: undoToken }), 409, 'email_taken');
    // One undo of a user at a time: within 5 s the next is told to wait.
    assertError(await call(h, AccountPath.emailChangeUndo, { token: undoToken }), 429, 'rate_limited');
    h.server.clock.advance(5_000);
    const undone = await call(h, AccountPath.emailChangeUndo, { token: undoToken });
    assert.equal(undone.status, 200, JSON.stringify(undone.body));
    assert.equal((await userOnDisk(h, user.id)).email, old);
  });

  it('ends every session on undo: whoever changed the address is signed out', async () => {
    const { token, undoToken } = await changed(h, freshEmail('signout-old'), freshEmail('signout-new'));
    assert.equal((await fetch(h.api('/session'), { headers: { Authorization: `Bearer ${token}` } })).status, 200);
    assert.equal((await call(h, AccountPath.emailChangeUndo, { token: undoToken })).status, 200);
    assert.equal((await fetch(h.api('/session'), { headers: { Authorization: `Bearer ${token}` } })).status, 401);
  });

  it('refuses to start a change from a session signed in 11 minutes ago (403 stale_session), mailing nothing', async () => {
    const email = freshEmail('stale');
    const { token, user } = await signIn(h, email);
    h.server.clock.advance(11 * 60_000);
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeStart, { email: freshEmail('stale-target') }, token), 403, 'stale_session');
    assert.equal((await userOnDisk(h, user.id)).email, email);
    // Signed in again by email: fresh, and the change starts.
    h.server.clock.advance(61_000);
    const again = await signIn(h, email);
    await startChange(h, again.token, freshEmail('fresh-target'));
  });

  it('brings the old address back with its link after A→B→C, and B’s link is dead from then on', async () => {
    const a = freshEmail('chain-a');
    const b = freshEmail('chain-b');
    const c = freshEmail('chain-c');
    const { token, user } = await signIn(h, a);
    const linkOfA = await moveTo(h, token, b);
    h.server.clock.advance(61_000);
    const linkOfB = await moveTo(h, token, c);
    assert.equal((await userOnDisk(h, user.id)).email, c);
    const undone = await call(h, AccountPath.emailChangeUndo, { token: linkOfA });
    assert.equal(undone.status, 200, JSON.stringify(undone.body));
    assert.deepEqual(undone.body, { email: a });
    assert.equal((await userOnDisk(h, user.id)).email, a);
    // The thief's own link (in B's mailbox) no longer moves the account, nor does A's again.
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeUndo, { token: linkOfB }), 401, 'invalid_undo_link');
    await assertRefusedSafely(h, () => call(h, AccountPath.emailChangeUndo, { token: linkOfA }), 401, 'invalid_undo_link');
    assert.equal((await userOnDisk(h, user.id)).email, a);
    // A change made after the undo has a link that works.
    h.server.clock.advance(61_000);
    const owner = await signIn(h, a);
    const later = await moveTo(h, owner.token, freshEmail('chain-d'));
    assert.equal((await call(h, AccountPath.emailChangeUndo, { token: later })).status, 200);
    assert.equal((await userOnDisk(h, user.id)).email, a);
  });

  it('removes on undo the passkeys added since the change (audited), keeps the older ones, and voids the pending deletion code', async () => {
    const a = freshEmail('pk-a');
    const b = freshEmail('pk-b');
    const { token, user } = await signIn(h, a);
    const owners = authenticatorFor(h);
    const older = await addPasskey(h, token, owners);
    h.server.clock.advance(1000);
    const undoToken = await moveTo(h, token, b);
    const thiefs = authenticatorFor(h);
    const planted = await addPasskey(h, token, thiefs);
    h.server.clock.advance(61_000);
    const before = h.smtp.received.length;
    assert.equal((await call(h, AccountPath.deletionStart, {}, token)).status, 202);
    const deletionCode = codeIn((await mailsSince(h, before))[0]!);
    assert.deepEqual((await listPasskeys(h, token)).body.passkeys.map((p: { id: string }) => p.id).sort(), [older.id, planted.id].sort());
    const mark = h.smtp.received.length;
    assert.equal((await call(h, AccountPath.emailChangeUndo, { token: undoToken })).status, 200);
    assert.equal((await mailsSince(h, mark)).length, 0, 'nothing more is mailed');
    assert.deepEqual((await h.server.backend.store.listPasskeys(user.id)).map((p) => p.id), [older.id], 'the one added since is gone');
    assertError(await passkeySignIn(h, thiefs, planted.id), 400, ['invalid_passkey', 'unknown_passkey']);
    assert.equal((await passkeySignIn(h, owners, older.id)).status, 200);
    // The deletion code mailed to B before the undo, with a fresh session at A: void.
    h.server.clock.advance(61_000);
    const owner = await signIn(h, a);
    assertError(await call(h, AccountPath.deletionConfirm, { code: deletionCode }, owner.token), 401, 'invalid_code');
    assert.ok(await userOnDisk(h, user.id), 'not deleted');
  });

  it('turns off on undo authenticator-app codes turned on since the change (audited by undo), mailing nobody, and keeps ones turned on before', async () => {
    const turnOn = async (token: string): Promise<void> => {
      const setup = await call(h, SecondFactorPath.setup, {}, token);
      assert.equal(setup.status, 200, JSON.stringify(setup.body));
      const before = h.smtp.received.length;
      const on = await call(h, SecondFactorPath.enable, { setupToken: setup.body.setupToken, code: totpCodeAt(setup.body.secret, h.server.clock.now()) }, token);
      assert.equal(on.status, 200, JSON.stringify(on.body));
      await mailsSince(h, before);
    };
    const auditOf = async (userId: string) => {
      await h.server.backend.auditTrail!.flush();
      return (await h.server.backend.store.listAudit({ userId, limit: 50 })).filter((r) => r.event === 'totp_disabled');
    };
    // The thief's: turned on with the stolen session after the move; the undo takes it.
    const a = freshEmail('totp-a');
    const { token, user } = await signIn(h, a);
    h.server.clock.advance(1000);
    const undoToken = await moveTo(h, token, freshEmail('totp-b'));
    await turnOn(token);
    assert.ok((await h.server.backend.store.findUserById(user.id))?.totp);
    const mark = h.smtp.received.length;
    assert.equal((await call(h, AccountPath.emailChangeUndo, { token: undoToken })).status, 200);
    assert.equal((await mailsSince(h, mark)).length, 0, 'nothing is mailed (the address it was turned on from is the thief’s)');
    assert.equal((await h.server.backend.store.findUserById(user.id))?.totp ?? null, null, 'the one turned on since is off');
    assert.deepEqual((await auditOf(user.id)).map((r) => r.by), ['undo']);
    // The owner signs in at A with the email code alone.
    h.server.clock.advance(61_000);
    const { code } = await requestCode(h, a);
    assert.equal((await h.verify({ email: a, code })).status, 200);
    // The owner's own, turned on before the change: it stays.
    const c = freshEmail('totp-c');
    const owner = await signIn(h, c);
    await turnOn(owner.token);
    h.server.clock.advance(1000);
    const ownersUndo = await moveTo(h, owner.token, freshEmail('totp-d'));
    assert.equal((await call(h, AccountPath.emailChangeUndo, { token: ownersUndo })).status, 200);
    assert.ok((await h.server.backend.store.findUserById(owner.user.id))?.totp, 'turned on before the change: kept');
    assert.deepEqual(await auditOf(owner.user.id), []);
  });

  it('mails a locked address nothing, not even the notice that someone tried to move an account there', async () => {
    const locked = freshEmail('locked');
    const { user: holder } = await signIn(h, locked);
    await h.server.backend.store.updateLogin(locked, (state) => ({ next: { ...state!, attempts: 100, lastFailureAt: h.server.clock.now() }, result: undefined }));
    const { token } = await signIn(h, freshEmail('to-locked'));
    h.server.clock.advance(61_000);
    const mark = h.smtp.received.length;
    assert.equal((await call(h, AccountPath.emailChangeStart, { email: locked }, token)).status, 202);
    assert.deepEqual((await mailsSince(h, mark)).map((mail) => mail.envelopeTo[0]), [], 'no notice to the locked address');
    assert.equal((await userOnDisk(h, holder.id)).email, locked);
  });

  it('answers a blocked address’s sign-in request byte for byte as an unknown address’s, and mails it nothing', async () => {
    const blocked = freshEmail('blocked');
    const { user } = await signIn(h, blocked);
    await h.server.backend.service.blockUser(user.id, { by: 'test' });
    h.server.clock.advance(61_000);
    await settle(h);
    const before = h.smtp.received.length;
    const blockedAnswer = await h.request({ email: blocked });
    const unknownAnswer = await h.request({ email: freshEmail('unknown') });
    assert.equal(blockedAnswer.status, 202);
    assert.equal(JSON.stringify(blockedAnswer.body), JSON.stringify(unknownAnswer.body));
    assert.deepEqual([...blockedAnswer.headers.keys()].sort(), [...unknownAnswer.headers.keys()].sort());
    const mails = await mailsSince(h, before);
    assert.deepEqual(mails.map((mail) => mail.envelopeTo[0]).filter((to) => to === blocked), [], 'no mail to the blocked address');
    // A change of another account to the blocked address: the same 202, and no notice either.
    const { token } = await signIn(h, freshEmail('to-blocked'));
    h.server.clock.advance(61_000);
    const mark = h.smtp.received.length;
    assert.equal((await call(h, AccountPath.emailChangeStart, { email: blocked }, token)).status, 202);
    assert.equal((await mailsSince(h, mark)).length, 0);
  });

  it('refuses a code and a link issued before the block, as unknown ones, and ends the sessions', async () => {
    const email = freshEmail('block-late');
    const { token, user } = await signIn(h, email);
    h.server.clock.advance(61_000);
    const { code, link } = await requestCode(h, email);
    await h.server.backend.service.blockUser(user.id);
    assert.equal((await fetch(h.api('/session'), { headers: { Authorization: `Bearer ${token}` } })).status, 401, 'sessions ended');
    assertError(await h.verify({ email, code }), 401, 'invalid_code');
    assertError(await h.verify({ token: new URLSearchParams(new URL(link).hash.slice(1)).get('pl_token') }), 401, 'invalid_link');
    assert.equal(Object.values((await storeOnDisk(h)).sessions).filter((s: any) => s.userId === user.id).length, 0, 'no session made');
    await h.server.backend.service.unblockUser(user.id);
    h.server.clock.advance(61_000);
    assert.equal((await signIn(h, email)).user.id, user.id, 'unblocked: signs in again');
  });
});
