/**
 * Attack: addresses built to send mail elsewhere, to add a recipient, or to make two keys for
 * one mailbox (or one key for two). Refused ones get 400 invalid_email and no mail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';
import { assertRefusedSafely, freshEmail, requestCode, settle } from '../testing/attack-kit.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

/** One minute and a bit: the per-email resend wait is over. */
const RESEND = 61_000;

async function refuse(email: string): Promise<void> {
  await assertRefusedSafely(h, () => h.request({ email }), 400, 'invalid_email');
  await assertRefusedSafely(h, () => h.verify({ email, code: '123456' }), 400, 'invalid_email');
}

describe('attack: email policy', () => {
  const refused: [string, string[]][] = [
    ['Cyrillic homoglyphs in the local part', ['\u0430dmin@example.com', 'p\u0430ypal@example.com']],
    ['lists', ['ana@example.com,eve@evil.example', 'ana@example.com;eve@evil.example', 'ana@example.com eve@evil.example']],
    ['display names', ['Ana <ana@example.com>', '"Ana" <ana@example.com>', '<ana@example.com>']],
    ['quoted local parts', ['"ana"@example.com', '"eve@evil.example"@example.com', '"a b"@example.com']],
    ['comments', ['ana(comment)@example.com', 'ana@example.com(eve@evil.example)', '(x)ana@example.com']],
    ['CR/LF header injection', ['ana@example.com\r\nBcc: eve@evil.example', 'ana@example.com\nBcc: eve@evil.example', 'ana@example.com\rX: y', 'ana@exa\r\nmple.com']],
    ['NUL and control characters', ['ana\u0000@example.com', 'ana@example.com\u0000eve@evil.example', 'ana\u0007@example.com', 'ana@example.com\u007f', 'ana\u0085@example.com', 'ana\t@example.com']],
    ['zero-width, soft hyphen and BOM', ['an\u200ba@example.com', 'ana@exa\u200dmple.com', 'an\u00ada@example.com', '\ufeffana@example.com', 'ana\u2060@example.com']],
    ['bidi overrides', ['\u202eana@example.com', 'ana@\u202emoc.elpmaxe', 'ana\u200f@example.com', 'ana@example.com\u2066']],
    ['IP-literal and dotless domains', ['ana@[127.0.0.1]', 'ana@127.0.0.1', 'ana@[IPv6:::1]', 'ana@localhost', 'ana@10.0.0.1']],
    ['source routes and two @', ['@evil.example:ana@example.com', 'ana@example.com@evil.example', 'ana@evil.example@example.com']],
    ['non-ASCII local parts', ['\u00f1and\u00fa@example.com', '\u7528\u6237@example.com']],
    ['bad dots and hyphens', ['.ana@example.com', 'ana.@example.com', 'a..na@example.com', 'ana@example..com', 'ana@example.com.', 'ana@-example.com', 'ana@example-.com']],
  ];
  for (const [name, emails] of refused) {
    it(`refuses ${name} with 400 invalid_email and sends nothing`, async () => {
      for (const email of emails) await refuse(email);
    });
  }

  it('refuses a 65-character local part and takes a 64-character one', async () => {
    await refuse(`${'a'.repeat(65)}@example.com`);
    const { mail } = await requestCode(h, `${'b'.repeat(64)}@example.com`);
    assert.deepEqual(mail.envelopeTo, [`${'b'.repeat(64)}@example.com`]);
  });

  it('refuses a 255-character address and takes a 254-character one', async () => {
    const domain = (length: number) => `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(length - 63 - 63 - 2 - 4)}.com`;
    const ok = `${'c'.repeat(64)}@${domain(189)}`;
    const tooLong = `${'c'.repeat(64)}@${domain(190)}`;
    assert.equal(ok.length, 254);
    assert.equal(tooLong.length, 255);
    await refuse(tooLong);
    // Accepted by the policy (the test SMTP sink itself refuses so long a recipient, so only the
    // answer is checked here).
    const answer = await h.request({ email: ok });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
  });

  it('refuses a 64-character domain label', async () => {
    await refuse(`ana@${'g'.repeat(64)}.com`);
  });

  it('treats case variants as one user and one resend limit', async () => {
    const local = `Case${Date.now()}`;
    const first = await requestCode(h, `${local}@Example.COM`);
    await settle(h);
    const mails = h.smtp.received.length;
    const again = await h.request({ email: `${local.toLowerCase()}@example.com` });
    assert.equal(again.status, 429, 'the second spelling shares the first one\'s resend wait');
    await settle(h);
    assert.equal(h.smtp.received.length, mails);
    const login = await h.verify({ email: `${local.toUpperCase()}@EXAMPLE.com`, code: first.code });
    assert.equal(login.status, 200);
    h.server.clock.advance(RESEND);
    const second = await requestCode(h, `${local.toLowerCase()}@example.com`);
    assert.deepEqual(second.mail.envelopeTo, [`${local}@example.com`], 'mail goes to the stored address only');
    const relogin = await h.verify({ email: `${local}@EXAMPLE.COM`, code: second.code });
    assert.equal(relogin.status, 200);
    assert.equal(relogin.body.user.id, login.body.user.id);
  });

  // (smtp-server reports envelope domains decoded to Unicode, so the wire form is not checked here.)
  it('compares IDN domains as punycode: the Unicode and punycode spellings are one user', async () => {
    const local = `idn${Date.now()}`;
    const unicode = `${local}@b\u00fccher.example`;
    const puny = `${local}@xn--bcher-kva.example`;
    const first = await requestCode(h, unicode);
    const a = await h.verify({ email: puny, code: first.code });
    assert.equal(a.status, 200);
    h.server.clock.advance(RESEND);
    const second = await requestCode(h, puny);
    const b = await h.verify({ email: unicode, code: second.code });
    assert.equal(b.status, 200);
    assert.equal(a.body.user.id, b.body.user.id);
  });

  it('maps IDN full stops in the domain (\u3002, \uff0e) to "." so they cannot make a second key', async () => {
    const local = `dots${Date.now()}`;
    const { code } = await requestCode(h, `${local}@example\u3002com`);
    await settle(h);
    const mails = h.smtp.received.length;
    const again = await h.request({ email: `${local}@example\uff0ecom` });
    assert.equal(again.status, 429, 'fullwidth dot is the same address as the ideographic one');
    await settle(h);
    assert.equal(h.smtp.received.length, mails);
    const login = await h.verify({ email: `${local}@example.com`, code });
    assert.equal(login.status, 200);
    assert.equal(login.body.user.email, `${local}@example.com`);
  });

  it('keeps a Cyrillic look-alike domain apart from the Latin one (a different punycode user)', async () => {
    const local = `glyph${Date.now()}`;
    const latin = await requestCode(h, `${local}@example.com`);
    const cyrillic = await requestCode(h, `${local}@\u0435xample.com`);
    assert.notDeepEqual(cyrillic.mail.envelopeTo, latin.mail.envelopeTo);
    const cross = await h.verify({ email: `${local}@example.com`, code: cyrillic.code });
    assert.equal(cross.status, 401, 'the look-alike domain\'s code does not sign in the Latin address');
  });

  it('answers known and unknown addresses with the same status and body', async () => {
    const known = freshEmail('known');
    const { code } = await requestCode(h, known);
    assert.equal((await h.verify({ email: known, code })).status, 200);
    h.server.clock.advance(RESEND);
    const a = await h.request({ email: known });
    const b = await h.request({ email: freshEmail('unknown') });
    assert.equal(a.status, b.status);
    assert.deepEqual(a.body, b.body);
    const va = await h.verify({ email: known, code: '000000' === code ? '111111' : '000000' });
    const vb = await h.verify({ email: freshEmail('unknown'), code: '000000' });
    assert.equal(va.status, vb.status);
    assert.deepEqual(va.body, vb.body);
  });
});
