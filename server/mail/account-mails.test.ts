/** The account mails (change and deletion codes, the two notices): every language, escaped values, right to left, override files. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LOCALES, type Locale } from '../../contract/index.ts';
import { pickCodeAndLink } from './dev-mailbox.ts';
import { loadMailTemplates, renderAccountMail, renderMail, TemplateError } from './render.ts';
import type { AccountCodeMail, AccountMail } from './types.ts';

const CHANGED_AT = Date.UTC(2026, 11, 7, 6, 45);
const UNDO = 'https://auth.example.com/auth/account/email/undo#token=eyJhIjoxfQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function mails(locale: Locale): AccountMail[] {
  return [
    { kind: 'email_change_code', to: 'new@example.com', locale, code: '482913', expiresInMinutes: 10 },
    { kind: 'deletion_code', to: 'ana@example.com', locale, code: '771204', expiresInMinutes: 10 },
    { kind: 'email_taken', to: 'taken@example.com', locale },
    { kind: 'email_changed', to: 'ana@example.com', locale, newEmail: 'new@example.com', link: UNDO, changedAt: CHANGED_AT },
  ];
}

describe('the account mails', () => {
  it('render in every locale, each kind with its own subject, the codes and the undo link on lines of their own, and no code where none belongs', () => {
    for (const kind of ['email_change_code', 'deletion_code', 'email_taken', 'email_changed'] as const) {
      const subjects = new Set<string>();
      for (const locale of LOCALES) {
        const mail = mails(locale).find((m) => m.kind === kind)!;
        const rendered = renderMail(mail);
        subjects.add(rendered.subject);
        assert.ok(rendered.text.includes(mail.to) && rendered.html.includes(mail.to), `${kind} ${locale}: the address`);
        const picked = pickCodeAndLink(rendered.text);
        if (mail.kind === 'email_change_code' || mail.kind === 'deletion_code') {
          assert.equal(picked.code, mail.code, `${kind} ${locale}: the code on a line of its own`);
          assert.ok(rendered.subject.includes(mail.code), `${kind} ${locale}: the code in the subject`);
          assert.equal(picked.link, null, `${kind} ${locale}: no link`);
        } else {
          assert.equal(picked.code, null, `${kind} ${locale}: no code`);
        }
        if (kind === 'email_changed') {
          assert.equal(picked.link, UNDO, `${locale}: the undo link`);
          assert.ok(rendered.html.includes(`href="${UNDO}"`), `${locale}: the button`);
          assert.ok(rendered.text.includes('new@example.com') && rendered.text.includes('2026') && rendered.text.includes('UTC'), `${locale}: the new address and the time`);
        }
        if (kind === 'email_taken') assert.equal(picked.link, null);
      }
      assert.equal(subjects.size, LOCALES.length, `${kind}: each language has its own subject`);
    }
  });

  it('writes Arabic right to left, and the time in the reader’s language', () => {
    for (const mail of mails('ar')) assert.match(renderMail(mail).html, /dir="rtl"/);
    assert.match(renderMail(mails('de')[3]!).text, /7\. Dezember 2026/);
  });

  it('escapes the new address in HTML and refuses values that must not go into a mail', () => {
    const templates = loadMailTemplates();
    const changed = mails('en')[3] as Extract<AccountMail, { kind: 'email_changed' }>;
    const html = renderAccountMail(templates, { ...changed, newEmail: '"<b>x</b>"@example.com' }).html;
    assert.ok(html.includes('&quot;&lt;b&gt;x&lt;/b&gt;&quot;@example.com'));
    assert.throws(() => renderMail({ ...changed, link: 'javascript:alert(1)' }), TypeError);
    assert.throws(() => renderMail({ ...changed, newEmail: 'a@example.com\nBcc: b@example.com' }), TypeError);
    const codeMail = mails('en')[0]! as AccountCodeMail;
    assert.throws(() => renderMail({ ...codeMail, code: '12ab56' }), TypeError);
    assert.throws(() => renderMail({ kind: 'email_taken', to: 'a@example.com, b@example.com', locale: 'en' }), TypeError);
  });

  it('takes its wording from an override directory, and refuses a change notice without {{link}}', () => {
    const dir = mkdtempSync(join(tmpdir(), 'passwordless-account-mail-'));
    try {
      writeFileSync(join(dir, 'email-changed.en.txt'), 'Moved to {{newEmail}}. Undo: {{link}}\n');
      writeFileSync(join(dir, 'deletion-code.subjects.json'), JSON.stringify({ en: 'Delete? {{code}}' }));
      const templates = loadMailTemplates(dir);
      assert.match(renderAccountMail(templates, mails('en')[3]!).text, /Moved to new@example\.com\. Undo: https:/);
      assert.equal(renderAccountMail(templates, mails('en')[1]!).subject, 'Delete? 771204');
      assert.deepEqual(templates.overridden, ['deletion-code.subjects.json', 'email-changed.en.txt']);
      writeFileSync(join(dir, 'email-changed.en.txt'), 'Moved to {{newEmail}}.\n');
      assert.throws(() => loadMailTemplates(dir), (error: TemplateError) => /email-changed\.en\.txt: missing placeholder \{\{link\}\}/.test(error.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
