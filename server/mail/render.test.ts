import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LOCALES, RTL_LOCALES } from '../../contract/index.ts';
import { pickCodeAndLink } from './dev-mailbox.ts';
import { DEFAULT_TEMPLATES_DIR, loadMailTemplates, renderLoginMail, TemplateError } from './render.ts';
import type { LoginMail } from './types.ts';

const mail: LoginMail = {
  to: 'alice@example.com',
  locale: 'en',
  code: '482913',
  link: 'https://auth.example.com/auth/link#pl_token=q1w2e3r4t5y6u7i8o9p0aSdFgHjKlZx',
  expiresInMinutes: 10,
};

const temporaryDirs: string[] = [];
/** A copy of the real templates to break one file at a time. */
function templatesCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pl-templates-'));
  temporaryDirs.push(dir);
  cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
  return dir;
}
after(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

describe('renderLoginMail', () => {
  for (const locale of LOCALES) {
    it(`renders the ${locale} subject, HTML and text with the code and the link`, () => {
      const rendered = renderLoginMail({ ...mail, locale });
      assert.match(rendered.subject, /482913/);
      assert.ok(rendered.html.includes('482913'), 'code in HTML');
      assert.ok(rendered.text.includes('482913'), 'code in text');
      assert.ok(rendered.html.includes(`href="${mail.link}"`), 'link as a button in HTML');
      assert.ok(rendered.text.includes(mail.link), 'raw link in text');
      assert.ok(rendered.html.includes(`lang="${locale}"`), 'lang on the HTML document');
      assert.doesNotMatch(rendered.html + rendered.text + rendered.subject, /\{\{|\}\}/, 'no placeholder left');
    });

    it(`puts the code and the link of a ${locale} text body on lines of their own`, () => {
      assert.deepEqual(pickCodeAndLink(renderLoginMail({ ...mail, locale }).text), { code: mail.code, link: mail.link });
    });
  }

  it('says how long the code is valid in each language, singular and plural', () => {
    assert.match(renderLoginMail({ ...mail, expiresInMinutes: 10 }).text, /valid for 10 minutes/);
    assert.match(renderLoginMail({ ...mail, expiresInMinutes: 1 }).text, /valid for 1 minute /);
    assert.match(renderLoginMail({ ...mail, locale: 'zh-CN', expiresInMinutes: 10 }).text, /10\s*分钟内有效/);
  });

  it('writes the English subject as "<code> is your sign-in code"', () => {
    assert.equal(renderLoginMail(mail).subject, '482913 is your sign-in code');
  });

  it('puts the code first in every subject, where a notification preview shows it', () => {
    for (const locale of LOCALES) {
      assert.ok(renderLoginMail({ ...mail, locale }).subject.startsWith('482913'), locale);
    }
  });

  it('says how long the code is valid in every locale, in the words of ICU', () => {
    for (const locale of LOCALES) {
      const duration = new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(10);
      const rendered = renderLoginMail({ ...mail, locale });
      assert.ok(rendered.text.includes(duration) && rendered.html.includes(duration), locale);
    }
  });

  it('writes an Arabic mail right to left and the others left to right', () => {
    assert.deepEqual(RTL_LOCALES, ['ar']);
    const arabic = renderLoginMail({ ...mail, locale: 'ar' }).html;
    assert.match(arabic, /<html lang="ar" dir="rtl">/);
    assert.match(arabic, /<td dir="rtl" /, 'on the body cell too, for clients that drop the <html> attributes');
    for (const locale of LOCALES.filter((l) => !RTL_LOCALES.includes(l))) {
      const html = renderLoginMail({ ...mail, locale }).html;
      assert.ok(html.includes(`dir="ltr"`) && !html.includes('dir="rtl"'), locale);
    }
  });

  it('HTML-escapes a hostile link and address in text and in attributes', () => {
    const rendered = renderLoginMail({
      ...mail,
      to: `"><script>alert(1)</script>'@example.com`,
      link: `https://example.com/a?x="><script>alert(2)</script>&y='#pl_token=abc`,
    });
    assert.doesNotMatch(rendered.html, /<script/i);
    assert.ok(!rendered.html.includes('x="'), 'no raw double quote from the link in the HTML');
    assert.ok(!rendered.html.includes(`y='`), 'no raw single quote from the link in the HTML');
    assert.ok(rendered.html.includes('href="https://example.com/a?x=&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;&amp;y=&#39;#pl_token=abc"'));
    assert.ok(rendered.html.includes('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;@example.com'));
  });

  for (const link of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://example.com/x', '/auth/link#pl_token=abc', 'https://example.com/a b']) {
    it(`refuses the link ${JSON.stringify(link)}`, () => {
      assert.throws(() => renderLoginMail({ ...mail, link }), TypeError);
    });
  }

  it('refuses a code that is not digits, without repeating it in the error', () => {
    assert.throws(
      () => renderLoginMail({ ...mail, code: '12<b>34' }),
      (error: Error) => error instanceof TypeError && !error.message.includes('12<b>34'),
    );
  });

  it('refuses a locale that has no templates', () => {
    assert.throws(() => renderLoginMail({ ...mail, locale: 'nl' as LoginMail['locale'] }), TemplateError);
  });

  it('reads the template files once, not for every mail', () => {
    const dir = templatesCopy();
    const first = renderLoginMail(mail, { templatesDir: dir });
    writeFileSync(join(dir, 'login.en.txt'), 'changed {{code}} {{link}}');
    assert.deepEqual(renderLoginMail(mail, { templatesDir: dir }), first);
  });
});

describe('loadMailTemplates', () => {
  it('finds every template for every locale in templates/', () => {
    const templates = loadMailTemplates();
    assert.deepEqual([...templates.locales.keys()], [...LOCALES]);
  });

  it('fails for a locale without its files, naming the missing file', () => {
    assert.throws(() => loadMailTemplates(DEFAULT_TEMPLATES_DIR, [...LOCALES, 'nl']), /subjects\.json.*"nl".*missing/);
    const dir = templatesCopy();
    writeFileSync(
      join(dir, 'subjects.json'),
      JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'subjects.json'), 'utf8')), nl: '{{code}} is je inlogcode' }),
    );
    assert.throws(() => loadMailTemplates(dir, [...LOCALES, 'nl']), /login\.nl\.html: file is missing/);
  });

  it('fails when a body has no {{code}} or no {{link}}', () => {
    const dir = templatesCopy();
    writeFileSync(join(dir, 'login.en.html'), '<p>{{code}}</p>');
    assert.throws(() => loadMailTemplates(dir), /login\.en\.html: missing placeholder \{\{link\}\}/);
    writeFileSync(join(dir, 'login.en.html'), '<a href="{{link}}">sign in</a>');
    assert.throws(() => loadMailTemplates(dir), /login\.en\.html: missing placeholder \{\{code\}\}/);
  });

  it('fails on an unknown or malformed placeholder', () => {
    const dir = templatesCopy();
    writeFileSync(join(dir, 'login.en.txt'), '{{code}} {{link}} {{cdoe}}');
    assert.throws(() => loadMailTemplates(dir), /login\.en\.txt: unknown placeholder \{\{cdoe\}\}/);
    writeFileSync(join(dir, 'login.en.txt'), '{{code}} {{link}} {{ code }');
    assert.throws(() => loadMailTemplates(dir), /login\.en\.txt: malformed placeholder/);
  });

  it('fails on a placeholder in an unquoted HTML attribute', () => {
    const dir = templatesCopy();
    writeFileSync(join(dir, 'login.en.html'), '{{code}} <a href={{link}}>sign in</a>');
    assert.throws(() => loadMailTemplates(dir), /unquoted attribute/);
  });

  it('fails when the layout has no {{content}}', () => {
    const dir = templatesCopy();
    writeFileSync(join(dir, 'layout.html'), '<html><body></body></html>');
    assert.throws(() => loadMailTemplates(dir), /layout\.html: missing placeholder \{\{content\}\}/);
  });
});
