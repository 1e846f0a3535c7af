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
      for (const path of [MAIL_PREVIEW_PATH, `${MAIL_PREVIEW_PATH}/en.html`, `${MAIL_PREVIEW_PATH}/en.txt`]) {
        assert.equal((await fetch(`${s.url}${path}`)).status, 404, path);
      }
    } finally {
      await s.close();
      await smtp.close();
    }
  });
});
