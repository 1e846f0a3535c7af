/**
 * TEMPLATES_DIR over the built-in templates, with real directories: a file there replaces its
 * built-in twin and nothing else, a bad one stops the start naming the file, and the mail worker
 * sends with the same directory.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createBackend } from '../backend.ts';
import { loadConfig } from '../bin/environment.ts';
import { silentLogger } from '../observability/logger.ts';
import { sampleFrom as from, sampleMail as mail } from '../testing/sample-login-mail.ts';
import { startSmtpSink } from '../testing/smtp-sink.ts';
import { DEFAULT_TEMPLATES_DIR, loadMailTemplates, renderLoginMail, TemplateError } from './render.ts';
import { createWorkerMailer } from './worker/worker-mailer.ts';

const temporaryDirs: string[] = [];
/** A fresh directory holding `files` (name → text). */
function overrideDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pl-override-'));
  temporaryDirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
after(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

const builtIn = (locale: 'en' | 'fr') => renderLoginMail({ ...mail, locale });
const builtInSubjects = JSON.parse(readFileSync(join(DEFAULT_TEMPLATES_DIR, 'subjects.json'), 'utf8')) as Record<string, string>;

describe('templates override directory', () => {
  it('replaces only the files it has: one English text body, everything else built in', () => {
    const dir = overrideDir({ 'login.en.txt': 'Acme sign-in: {{code}}\n{{link}}\n' });
    const en = renderLoginMail(mail, { templatesDir: dir });
    assert.match(en.text, /^Acme sign-in: 730164$/m);
    assert.equal(en.html, builtIn('en').html);
    assert.equal(en.subject, builtIn('en').subject);
    assert.deepEqual(renderLoginMail({ ...mail, locale: 'fr' }, { templatesDir: dir }), builtIn('fr'));
    assert.deepEqual(loadMailTemplates(dir).overridden, ['login.en.txt']);
  });

  it('takes the layout from the directory for every locale', () => {
    const dir = overrideDir({ 'layout.html': '<html lang="{{lang}}"><body><div class="acme">{{content}}</div></body></html>' });
    for (const locale of ['en', 'fr'] as const) {
      const { html, text } = renderLoginMail({ ...mail, locale }, { templatesDir: dir });
      assert.match(html, new RegExp(`^<html lang="${locale}"><body><div class="acme">`));
      assert.equal(text, builtIn(locale).text);
    }
  });

  it('merges subjects.json locale by locale', () => {
    const dir = overrideDir({ 'subjects.json': JSON.stringify({ en: 'Acme code {{code}}' }) });
    assert.equal(renderLoginMail(mail, { templatesDir: dir }).subject, 'Acme code 730164');
    assert.equal(renderLoginMail({ ...mail, locale: 'fr' }, { templatesDir: dir }).subject, builtInSubjects.fr!.replace('{{code}}', '730164'));
  });

  it('is the built-in set when empty (dot files aside)', () => {
    const dir = overrideDir({ '.gitkeep': '' });
    assert.deepEqual(renderLoginMail(mail, { templatesDir: dir }), builtIn('en'));
  });

  const refusals: [string, Record<string, string>, RegExp][] = [
    ['a body without {{code}}', { 'login.en.html': '<a href="{{link}}">sign in</a>' }, /pl-override-[^/]+\/login\.en\.html: missing placeholder \{\{code\}\}/],
    ['an unknown placeholder', { 'login.de.txt': '{{code}} {{link}} {{nmae}}' }, /login\.de\.txt: unknown placeholder \{\{nmae\}\}/],
    ['a layout without {{content}}', { 'layout.txt': 'Acme' }, /layout\.txt: missing placeholder \{\{content\}\}/],
    ['a subjects.json that is not JSON', { 'subjects.json': '{ en: ' }, /subjects\.json: not valid JSON/],
    ['a subject for no locale', { 'subjects.json': '{"en-GB": "{{code}}"}' }, /subjects\.json: "en-GB" is not a locale/],
    ['a subject without {{code}}', { 'subjects.json': '{"ja": "sign in"}' }, /subjects\.json \["ja"\]: missing placeholder \{\{code\}\}/],
    ['a misspelt file name', { 'login.EN.html': '{{code}} <a href="{{link}}">x</a>' }, /login\.EN\.html: not a mail template/],
    ['a locale that does not exist', { 'login.nl.txt': '{{code}} {{link}}' }, /login\.nl\.txt: not a mail template/],
  ];
  for (const [what, files, message] of refusals) {
    it(`refuses ${what}, naming the file`, () => {
      const dir = overrideDir(files);
      assert.throws(() => loadMailTemplates(dir), (error: Error) => error instanceof TemplateError && message.test(error.message));
    });
  }

  it('refuses a directory that does not exist or is a file', () => {
    assert.throws(() => loadMailTemplates('/nonexistent/acme-templates'), /templates directory \/nonexistent\/acme-templates: does not exist/);
    const file = join(overrideDir({ 'layout.txt': '{{content}}' }), 'layout.txt');
    assert.throws(() => loadMailTemplates(file), /not a directory/);
  });

  it('refuses a subdirectory, which holds no template', () => {
    const dir = overrideDir();
    mkdirSync(join(dir, 'images'));
    assert.throws(() => loadMailTemplates(dir), /images: not a mail template/);
  });

  it('stops the start of the backend with a message naming the bad file', async () => {
    const dir = overrideDir({ 'login.fr.html': '<p>{{code}}</p>' });
    const dataDir = overrideDir();
    const config = loadConfig({ TEMPLATES_DIR: dir, DATA_FILE: join(dataDir, 'data.json') });
    await assert.rejects(createBackend(config, { logger: silentLogger }), (error: Error) => error instanceof TemplateError && error.message.includes(join(dir, 'login.fr.html')));
  });
});

describe('templates override directory on the mail worker', () => {
  it('sends over SMTP with the directory the main thread checked', { timeout: 20_000 }, async () => {
    const smtp = await startSmtpSink();
    const dir = overrideDir({ 'login.en.html': '<p class="acme">Acme: {{code}}</p><a href="{{link}}">in</a>', 'subjects.json': '{"en": "Acme {{code}}"}' });
    const mailer = await createWorkerMailer({ smtpUrl: smtp.url, from, logger: silentLogger, templatesDir: dir });
    try {
      const received = smtp.nextMail(10_000);
      mailer.dispatch(mail);
      const { subject, html, text } = await received;
      assert.equal(subject, 'Acme 730164');
      assert.match(html, /<p class="acme">Acme: 730164<\/p>/);
      assert.equal(text.trimEnd(), builtIn('en').text.trimEnd(), 'the text body is the built-in one');
    } finally {
      await mailer.close();
      await smtp.close();
    }
  });
});
