/**
 * The account routes as a person uses them (contract/account.ts): a change of address from start
 * to the old address's undo, a deletion, the options that switch them off, cookie mode, and the
 * undo page. Over HTTP, against a real SMTP sink and the JSON store read back from disk.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { AccountPath, EMAIL_CHANGE_UNDO_PAGE } from '../../contract/account.ts';
import { getJson, postJson, type JsonAnswer } from '../testing/api-client.ts';
import { freshEmail, requestCode, settle, signIn, storeOnDisk } from '../testing/attack-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { codeIn, linkIn } from '../testing/smtp-sink.ts';

function call(h: Harness, path: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  return postJson(h.api(path), body, headers);
}
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('the account routes', () => {
  let h: Harness;
  const { logger, entries } = recordingLogger();
  before(async () => {
    h = await startHarness({}, { logger });
  });
  after(async () => {
    await h.close();
  });
  // A case may end with a notice still on its way: the next one counts only its own mail.
  afterEach(() => settle(h));

  it('changes the address: a code to the new one in the asked language, then the user moved, audited, and the old one told in German with an undo link', async () => {
    const old = freshEmail('Change-Old');
    const to = freshEmail('change-new');
    // As typed: the local part kept as it is, the domain lower-cased (email-address.ts).
    const typed = to.replace(/^[^@]+/, (local) => local.toUpperCase());
    const { token, user } = await signIn(h, old);
    await settle(h);
    const before = h.smtp.received.length;
    const start = await call(h, AccountPath.emailChangeStart, { email: typed, locale: 'de' }, bearer(token));
    assert.equal(start.status, 202);
    assert.deepEqual(start.body, { codeLength: 6, expiresIn: 600, retryAfter: 60 });
    await settle(h);
    const [codeMail] = h.smtp.received.slice(before);
    assert.equal(h.smtp.received.length, before + 1, 'one mail, to the new address');
    assert.deepEqual(codeMail!.envelopeTo, [typed]);
    assert.match(codeMail!.subject, /Code zur Bestätigung Ihrer neuen Adresse/);
    const confirm = await call(h, AccountPath.emailChangeConfirm, { email: typed, code: codeIn(codeMail!) }, bearer(token));
    assert.equal(confirm.status, 200, JSON.stringify(confirm.body));
    assert.equal(confirm.body.user.id, user.id);
    assert.equal(confirm.body.user.email, typed);
    assert.equal(confirm.body.user.emailKey, undefined, 'the public user');
    await settle(h);
    const [notice] = h.smtp.received.slice(before + 1);
    assert.deepEqual(notice!.envelopeTo, [old]);
    assert.match(notice!.subject, /Die Adresse Ihres Kontos wurde geändert/);
    assert.ok(notice!.text.includes(typed), 'names the new address');
    assert.match(linkIn(notice!), new RegExp(`^${h.server.url}/auth${EMAIL_CHANGE_UNDO_PAGE}#token=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));
    // Stored: found by the new key, not the old; the session goes on.
    const disk = await storeOnDisk(h);
    assert.equal(disk.users[user.id].email, typed);
    assert.equal(disk.userIdsByEmailKey[to], user.id);
    assert.equal(disk.userIdsByEmailKey[old.toLowerCase()], undefined);
    assert.equal((await getJson(h.api('/session'), bearer(token))).body.user.email, typed);
    assert.ok(entries.some((entry) => entry.event === 'email_changed' && entry.userId === user.id));
    assert.ok(!JSON.stringify(entries.filter((entry) => entry.audit)).includes(to), 'no address in the audit trail');
    // The new address signs in to the same account; the old one is a stranger now.
    h.server.clock.advance(61_000);
    assert.equal((await signIn(h, to)).user.id, user.id);
  });

  it('undoes the change from the old address\'s link: the address back, every session ended, audited', async () => {
    const old = freshEmail('undo-old');
    const { token, user } = await signIn(h, old);
    const before = h.smtp.received.length;
    const to = freshEmail('undo-new');
    await call(h, AccountPath.emailChangeStart, { email: to }, bearer(token));
    await settle(h);
    await call(h, AccountPath.emailChangeConfirm, { email: to, code: codeIn(h.smtp.received[before]!) }, bearer(token));
    await settle(h);
    const link = linkIn(h.smtp.received[before + 1]!);
    const undoToken = new URLSearchParams(new URL(link).hash.slice(1)).get('token');
    const undo = await call(h, AccountPath.emailChangeUndo, { token: undoToken });
    assert.equal(undo.status, 200);
    assert.deepEqual(undo.body, { email: old });
    assert.equal((await storeOnDisk(h)).users[user.id].email, old);
    assert.equal((await getJson(h.api('/session'), bearer(token))).status, 401);
    assert.ok(entries.some((entry) => entry.event === 'email_change_undone' && entry.userId === user.id));
  });

  it('serves the undo page on GET without undoing anything: a button, its script from the same origin, the strict CSP, in the browser\'s language', async () => {
    const page = await fetch(`${h.api(EMAIL_CHANGE_UNDO_PAGE)}`, { headers: { 'Accept-Language': 'fr-CH, fr;q=0.9' } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.doesNotMatch(page.headers.get('content-security-policy') ?? '', /unsafe-inline/);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.match(html, /<html lang="fr"/);
    assert.match(html, /<button type="button" id="undo">Annuler la modification<\/button>/);
    assert.match(html, /<script src="\/auth\/account\/email\/undo\.js" defer><\/script>/);
    assert.doesNotMatch(html, /<script>|style=/, 'no inline script or style');
    const script = await fetch(h.api('/account/email/undo.js'));
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    assert.match(await script.text(), /method: 'POST'/);
  });

  it('deletes the account with a code to its address: erased from the store, every session ended, audited user_deleted', async () => {
    const email = freshEmail('delete-me');
    const { token, user } = await signIn(h, email);
    const other = await signIn(h, freshEmail('delete-other'));
    const before = h.smtp.received.length;
    assert.equal((await call(h, AccountPath.deletionStart, {}, bearer(token))).status, 202);
    await settle(h);
    const [mail] = h.smtp.received.slice(before);
    assert.deepEqual(mail!.envelopeTo, [email]);
    assert.match(mail!.subject, /code to delete your account/);
    const answer = await call(h, AccountPath.deletionConfirm, { code: codeIn(mail!) }, bearer(token));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { deleted: true });
    const disk = await storeOnDisk(h);
    assert.equal(disk.users[user.id], undefined);
    assert.equal(disk.logins[email], undefined);
    assert.equal(Object.values(disk.sessions).filter((s: any) => s.userId === user.id).length, 0);
    assert.ok(disk.users[other.user.id], 'another user untouched');
    assert.equal((await getJson(h.api('/session'), bearer(token))).status, 401);
    assert.ok(entries.some((entry) => entry.event === 'user_deleted' && entry.userId === user.id));
  });

  it('says in /config which account changes are served', async () => {
    assert.deepEqual((await getJson(h.api('/config'))).body.account, { emailChange: true, deletion: true });
  });
});

describe('the account options', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('ACCOUNT_EMAIL_CHANGE=off: its routes and page are 404, deletion still served, /config says so', async () => {
    h = await startHarness({ ACCOUNT_EMAIL_CHANGE: 'off' });
    const { token } = await signIn(h, freshEmail('opt'));
    assert.deepEqual((await getJson(h.api('/config'))).body.account, { emailChange: false, deletion: true });
    for (const path of [AccountPath.emailChangeStart, AccountPath.emailChangeConfirm, AccountPath.emailChangeUndo]) {
      assert.equal((await call(h, path, {}, bearer(token))).status, 404, path);
    }
    assert.equal((await fetch(h.api(EMAIL_CHANGE_UNDO_PAGE))).status, 404);
    assert.equal((await call(h, AccountPath.deletionStart, {}, bearer(token))).status, 202);
  });

  it('both off: no account route at all, and /config says account: false', async () => {
    h = await startHarness({ ACCOUNT_EMAIL_CHANGE: 'off', ACCOUNT_DELETION: 'off' });
    const { token } = await signIn(h, freshEmail('opt-both'));
    assert.equal((await getJson(h.api('/config'))).body.account, false);
    for (const path of Object.values(AccountPath)) assert.equal((await call(h, path, {}, bearer(token))).status, 404, path);
  });

  it('cookie mode: the session comes from the cookie, and the deletion clears it', async () => {
    h = await startHarness({ SESSION_COOKIE: 'on' });
    const email = freshEmail('cookie');
    const { code } = await requestCode(h, email);
    const verified = await h.verify({ email, code });
    const value = /^__Host-pl_session=([^;]+)/.exec(verified.headers.getSetCookie()[0] ?? '')?.[1];
    const cookie = { Cookie: `__Host-pl_session=${value}` };
    const before = h.smtp.received.length;
    assert.equal((await call(h, AccountPath.deletionStart, {}, cookie)).status, 202);
    await settle(h);
    const answer = await call(h, AccountPath.deletionConfirm, { code: codeIn(h.smtp.received[before]!) }, cookie);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.getSetCookie()[0] ?? '', /^__Host-pl_session=; .*Max-Age=0/);
    assert.equal((await getJson(h.api('/session'), cookie)).status, 401);
  });
});
