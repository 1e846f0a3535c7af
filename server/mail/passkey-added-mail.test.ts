/** The "a passkey was added" notice: every language, escaped values, right to left, and its own override files. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LOCALES, type Locale } from '../../contract/index.ts';
import { loadMailTemplates, mailTemplates, renderMail, renderPasskeyAddedMail, TemplateError } from './render.ts';
import type { PasskeyAddedMail } from './types.ts';

const ADDED_AT = Date.UTC(2026, 11, 7, 6, 45);
const notice = (locale: Locale, deviceName = 'Chrome on macOS'): PasskeyAddedMail => ({ kind: 'passkey_added', to: 'ana@example.com', locale, deviceName, addedAt: ADDED_AT });

describe('the passkey-added notice', () => {
  it('renders in every locale with the device, the time in UTC and the address, and no code or link', () => {
    const subjects = new Set<string>();
    for (const locale of LOCALES) {
      const mail = renderMail(notice(locale));
      subjects.add(mail.subject);
      for (const body of [mail.text, mail.html]) {
        assert.ok(body.includes('Chrome on macOS'), `${locale}: the device`);
        assert.ok(body.includes('2026') && body.includes('UTC'), `${locale}: the time`);
        assert.ok(body.includes('ana@example.com'), `${locale}: the address`);
      }
      assert.doesNotMatch(mail.text, /https?:\/\//, `${locale}: no link`);
    }
    assert.equal(subjects.size, LOCALES.length, 'each language has its own subject');
  });

  it('writes Arabic right to left and the time in the reader’s language', () => {
    assert.match(renderMail(notice('ar')).html, /dir="rtl"/);
    assert.match(renderMail(notice('de')).text, /7\. Dezember 2026/);
    assert.match(renderMail(notice('en')).text, /December 7, 2026/);
  });

  it('escapes the passkey’s name in HTML and refuses one with a line break', () => {
    const html = renderPasskeyAddedMail(mailTemplates(), notice('en', '<img src=x onerror=alert(1)>')).html;
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!html.includes('<img src=x'));
    assert.throws(() => renderMail(notice('en', 'Phone\nBcc: x@example.com')), TypeError);
  });

  it('takes its wording from an override directory, and refuses a body without {{device}}', () => {
    const dir = mkdtempSync(join(tmpdir(), 'passwordless-notice-'));
    try {
      writeFileSync(join(dir, 'passkey-added.en.txt'), 'New passkey {{device}} at {{time}}.\n');
      writeFileSync(join(dir, 'passkey-added.subjects.json'), JSON.stringify({ en: 'New passkey: {{device}}' }));
      const templates = loadMailTemplates(dir);
      const mail = renderPasskeyAddedMail(templates, notice('en'));
      assert.equal(mail.subject, 'New passkey: Chrome on macOS');
      assert.match(mail.text, /New passkey Chrome on macOS at December 7, 2026/);
      assert.deepEqual(templates.overridden, ['passkey-added.en.txt', 'passkey-added.subjects.json']);
      writeFileSync(join(dir, 'passkey-added.en.txt'), 'A passkey was added at {{time}}.\n');
      assert.throws(() => loadMailTemplates(dir), (error: TemplateError) => /passkey-added\.en\.txt: missing placeholder \{\{device\}\}/.test(error.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
