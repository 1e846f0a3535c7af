/** The second factor's notices ("two-step verification was turned on/off"): every language, the time and address, escaped, right to left, overridable. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LOCALES } from '../../contract/index.ts';
import { pickCodeAndLink } from './dev-mailbox.ts';
import { loadMailTemplates, renderAccountMail, renderMail } from './render.ts';

const AT = Date.UTC(2026, 11, 7, 6, 45);

describe('the second factor notices', () => {
  it('render in every locale with a subject of their own for on and off, the address and the time, and no code or link', () => {
    for (const kind of ['totp_enabled', 'totp_disabled'] as const) {
      const subjects = new Set<string>();
      for (const locale of LOCALES) {
        const rendered = renderMail({ kind, to: 'ana@example.com', locale, at: AT });
        subjects.add(rendered.subject);
        assert.ok(rendered.text.includes('ana@example.com') && rendered.html.includes('ana@example.com'), `${kind} ${locale}: the address`);
        assert.match(rendered.text, /UTC/, `${kind} ${locale}: the time, said to be UTC`);
        assert.deepEqual(pickCodeAndLink(rendered.text), { code: null, link: null }, `${kind} ${locale}: nothing to type or click`);
        if (locale === 'ar') assert.match(rendered.html, /dir="rtl"/);
      }
      assert.equal(subjects.size, LOCALES.length, `${kind}: a subject per language`);
    }
    assert.notEqual(renderMail({ kind: 'totp_enabled', to: 'a@example.com', locale: 'en', at: AT }).subject, renderMail({ kind: 'totp_disabled', to: 'a@example.com', locale: 'en', at: AT }).subject);
  });

  it('escapes the address in HTML, refuses a time that is not one, and takes an override file', () => {
    const html = renderMail({ kind: 'totp_enabled', to: 'a"<b>@example.com', locale: 'en', at: AT }).html;
    assert.ok(!html.includes('a"<b>@') && html.includes('a&quot;&lt;b&gt;@example.com'));
    assert.throws(() => renderMail({ kind: 'totp_disabled', to: 'a@example.com', locale: 'en', at: Number.NaN }), TypeError);
    const dir = mkdtempSync(join(tmpdir(), 'totp-templates-'));
    try {
      writeFileSync(join(dir, 'totp-disabled.en.txt'), 'Off since {{time}}.\n');
      const rendered = renderAccountMail(loadMailTemplates(dir), { kind: 'totp_disabled', to: 'a@example.com', locale: 'en', at: AT });
      assert.match(rendered.text, /Off since .+ UTC\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
