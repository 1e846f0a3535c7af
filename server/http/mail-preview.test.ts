/**
 * The mail preview on a real backend: every locale in HTML and text with its subject, samples
 * marked as such, no script anywhere, the templates read afresh from TEMPLATES_DIR, and nothing
 * at all in production.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LOCALES } from '../../contract/index.ts';
import { escapeHtml, DEFAULT_TEMPLATES_DIR } from '../mail/render.ts';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';
import { startSmtpSink } from '../testing/smtp-sink.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { MAIL_PREVIEW_PATH, MAIL_VIEW_CSP } from './mail-preview.ts';
import { PREVIEW_LABELS, PREVIEW_MAILS, SAMPLE_NOTICES } from './mail-preview-samples.ts';

const subjects = JSON.parse(await readFile(join(DEFAULT_TEMPLATES_DIR, 'subjects.json'), 'utf8')) as Record<string, string>;
/** The sample code is the first CODE_LENGTH digits of 1234567890. */
const subjectOf = (locale: string) => subjects[locale]!.replace('{{code}}', '123456');

describe('mail preview in development', () => {
  let s: TestServer;
  let templatesDir: string;
  before(async () => {
    templatesDir = await mkdtemp(join(tmpdir(), 'pl-preview-'));
    s = await startTestServer({ env: { TEMPLATES_DIR: templatesDir } });
  });
  after(async () => {
    await s.close();
    await rm(templatesDir, { recursive: true, force: true });
  });

  it('lists every locale with its subject and links to its HTML and text mail, under the app\'s CSP', async () => {
    const answer = await fetch(`${s.url}${MAIL_PREVIEW_PATH}`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    const page = await answer.text();
    for (const locale of LOCALES) {
      assert.ok(page.includes(escapeHtml(subjectOf(locale))), `the ${locale} subject is listed`);
      assert.ok(page.includes(`href="${MAIL_PREVIEW_PATH}/${locale}.html"`) && page.includes(`href="${MAIL_PREVIEW_PATH}/${locale}.txt"`));
    }
    assert.doesNotMatch(page, /<script|style=/i, 'nothing the strict CSP would block');
    assert.match(page, /<link rel="stylesheet" href="\/auth\/pages\.css">/, 'the look of the landing page');
  });

  for (const locale of LOCALES) {
    it(`shows the ${locale} mail in HTML and text, with its subject and marked as a sample`, async () => {
      const html = await fetch(`${s.url}${MAIL_PREVIEW_PATH}/${locale}.html`);
      assert.equal(html.status, 200);
      assert.match(html.headers.get('content-type') ?? '', /^text\/html/);
      const body = await html.text();
      assert.ok(body.includes(escapeHtml(subjectOf(locale))), 'the subject');
      assert.match(body, /Sample mail: the code and the link sign nobody in/);
      assert.match(body, /#pl_token=SAMPLE-not-a-real-token/);
      const text = await fetch(`${s.url}${MAIL_PREVIEW_PATH}/${locale}.txt`);
      assert.equal(text.status, 200);
      assert.match(text.headers.get('content-type') ?? '', /^text\/plain/);
      const plain = await text.text();
      assert.ok(plain.startsWith(`Sample mail: the code and the link sign nobody in. Subject: ${subjectOf(locale)}\n`), plain.slice(0, 200));
      assert.match(plain, /^\s*123456\s*$/m, 'the sample code on its line');
    });
  }

  it('serves the mail view with inline styles allowed and still no script, no network, no framing', async () => {
    const answer = await fetch(`${s.url}${MAIL_PREVIEW_PATH}/en.html`);
    const csp = answer.headers.get('content-security-policy') ?? '';
    assert.equal(csp, MAIL_VIEW_CSP);
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.doesNotMatch(await answer.text(), /<script/i);
  });

  it('reads TEMPLATES_DIR on every view and fills {{extra.*}} from the query, escaped', async () => {
    await writeFile(join(templatesDir, 'login.de.html'), '<p>Tarif: {{extra.plan}}</p>{{code}} <a href="{{link}}">Anmelden</a>');
    const page = await (await fetch(`${s.url}${MAIL_PREVIEW_PATH}/de.html?plan=%3CPro%3E`)).text();
    assert.match(page, /<p>Tarif: &lt;Pro&gt;<\/p>123456/);
    const list = await (await fetch(`${s.url}${MAIL_PREVIEW_PATH}?plan=Pro`)).text();
    assert.ok(list.includes('login.de.html'), 'the list names the files taken from TEMPLATES_DIR');
    assert.ok(list.includes(`href="${MAIL_PREVIEW_PATH}/de.html?plan=Pro"`), 'the links keep the extras');
  });

  it('shows a broken template\'s error, naming the file, and refuses extras it could not send', async () => {
    await writeFile(join(templatesDir, 'login.it.txt'), 'no code: {{link}}');
    try {
      const broken = await fetch(`${s.url}${MAIL_PREVIEW_PATH}/it.txt`);
      assert.equal(broken.status, 500);
      assert.match(await broken.text(), /login\.it\.txt: missing placeholder \{\{code\}\}/);
    } finally {
      await rm(join(templatesDir, 'login.it.txt'));
    }
    const bad = await fetch(`${s.url}${MAIL_PREVIEW_PATH}/en.html?1plan=x`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /extra key "1plan"/);
  });

  /** A mail's subject in a locale, from its subjects file, with the sample code. */
  const otherSubject = async (name: string, locale: string) => (JSON.parse(await readFile(join(DEFAULT_TEMPLATES_DIR, `${name}.subjects.json`), 'utf8')) as Record<string, string>)[locale]!.replace('{{code}}', '123456');

  it('links every mail from each mail\'s list, the one shown marked, under the app\'s CSP', async () => {
    for (const name of PREVIEW_MAILS) {
      const path = name === 'login' ? MAIL_PREVIEW_PATH : `${MAIL_PREVIEW_PATH}/${name}`;
      const answer = await fetch(`${s.url}${path}`);
      assert.equal(answer.status, 200, path);
      assert.equal(answer.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
      const page = await answer.text();
      assert.ok(page.includes(`<h1>${PREVIEW_LABELS[name]} mail preview</h1>`), path);
      for (const other of PREVIEW_MAILS) {
        const href = other === 'login' ? MAIL_PREVIEW_PATH : `${MAIL_PREVIEW_PATH}/${other}`;
        assert.ok(page.includes(`<a href="${href}"${other === name ? ' aria-current="page"' : ''}>${PREVIEW_LABELS[other]}</a>`), `${path} links ${other}`);
      }
      assert.equal(page.match(/aria-current/g)?.length, 1);
      assert.doesNotMatch(page, /<script|style=/i);
    }
  });

  for (const name of PREVIEW_MAILS.filter((n) => n !== 'login')) {
    it(`lists and shows the ${name} mail in every locale, in HTML and text, marked as a sample`, async () => {
      const list = await (await fetch(`${s.url}${MAIL_PREVIEW_PATH}/${name}`)).text();
      assert.ok(list.includes(`<code>${name}.subjects.json</code>`), 'names its template files');
      for (const locale of LOCALES) {
        const subject = await otherSubject(name, locale);
        assert.ok(list.includes(escapeHtml(subject)), `the ${locale} subject is listed`);
        assert.ok(list.includes(`href="${MAIL_PREVIEW_PATH}/${name}/${locale}.html"`) && list.includes(`href="${MAIL_PREVIEW_PATH}/${name}/${locale}.txt"`));
        const html = await fetch(`${s.url}${MAIL_PREVIEW_PATH}/${name}/${locale}.html`);
        assert.equal(html.status, 200);
        assert.equal(html.headers.get('content-security-policy'), MAIL_VIEW_CSP);
        const body = await html.text();
        assert.ok(body.includes(escapeHtml(subject)), `the ${locale} subject in the HTML view`);
        assert.ok(body.includes(escapeHtml(SAMPLE_NOTICES[name])));
        assert.match(body, new RegExp(`<html[^>]* lang="${locale}"`), 'the mail in its language');
        const plain = await (await fetch(`${s.url}${MAIL_PREVIEW_PATH}/${name}/${locale}.txt`)).text();
        assert.ok(plain.startsWith(`${SAMPLE_NOTICES[name]} Subject: ${subject}\n`), plain.slice(0, 200));
        assert.ok(plain.slice(plain.indexOf('\n\n')).trim().length > 40, 'the mail under the notice');
      }
    });
  }

  it('fills each mail with its samples: the code, the device, the undo link under PUBLIC_URL, the time', async () => {
    const text = async (name: string) => (await fetch(`${s.url}${MAIL_PREVIEW_PATH}/${name}/en.txt`)).text();
    assert.match(await text('email-change-code'), /^\s*123456\s*$/m);
    assert.match(await text('deletion-code'), /^\s*123456\s*$/m);
    assert.match(await text('passkey-added'), /Chrome on macOS/);
    const changed = await text('email-changed');
    assert.ok(changed.includes(`${s.url}/auth/account/email/undo#token=SAMPLE-not-a-real-token`), 'the undo link under PUBLIC_URL and the base path');
    assert.match(changed, /someone\.new@example\.com/);
    assert.match(await text('totp-enabled'), /2026/);
    assert.match(await text('totp-disabled'), /2026/);
  });

  it('gives the other mails no extras: the query changes nothing and is never refused', async () => {
    const plain = await fetch(`${s.url}${MAIL_PREVIEW_PATH}/email-taken/en.txt`);
    const queried = await fetch(`${s.url}${MAIL_PREVIEW_PATH}/email-taken/en.txt?1plan=x`);
    assert.equal(queried.status, 200);
    assert.equal(await queried.text(), await plain.text());
    const list = await (await fetch(`${s.url}${MAIL_PREVIEW_PATH}/email-taken?plan=Pro`)).text();
    assert.ok(list.includes(`href="${MAIL_PREVIEW_PATH}/email-taken/en.html"`), 'its links carry no query');
  });

  it('answers 404 for a mail it does not have, and for the login mail under a name (its pages have none)', async () => {
    for (const path of ['nope', 'nope/en.html', 'passkey-added/nl.html', 'passkey-added/en.pdf', 'Login', 'login', 'login/en.html', 'login/en.html/x']) {
      assert.equal((await fetch(`${s.url}${MAIL_PREVIEW_PATH}/${path}`)).status, 404, path);
    }
  });

  it('answers 404 for a locale it does not have', async () => {
    assert.equal((await fetch(`${s.url}${MAIL_PREVIEW_PATH}/nl.html`)).status, 404);
    assert.equal((await fetch(`${s.url}${MAIL_PREVIEW_PATH}/en.pdf`)).status, 404);
  });
});

describe('mail preview in production', () => {
  it('does not exist (404)', { timeout: 20_000 }, async () => {
    const smtp = await startSmtpSink();
    const s = await startTestServer({ env: { NODE_ENV: 'production', SECRET: 'x'.repeat(40), SMTP_URL: smtp.url } });
    try {
      for (const path of [MAIL_PREVIEW_PATH, `${MAIL_PREVIEW_PATH}/en.html`, `${MAIL_PREVIEW_PATH}/en.txt`, `${MAIL_PREVIEW_PATH}/passkey-added`, `${MAIL_PREVIEW_PATH}/email-changed/en.html`]) {
        assert.equal((await fetch(`${s.url}${path}`)).status, 404, path);
      }
    } finally {
      await s.close();
      await smtp.close();
    }
  });
});
