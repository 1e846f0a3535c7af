/**
 * `extra` values: what `sendLoginTokenEmail` accepts, how templates show them, and the whole way
 * from a host's call to the mail an SMTP server receives.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../time/clock.ts';
import { parseEmailAddress } from '../login/email-address.ts';
import { createPasswordless } from '../index.ts';
import { silentLogger } from '../observability/logger.ts';
import { sampleMail as mail } from '../testing/sample-login-mail.ts';
import { codeIn, startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';
import { parseMailExtra } from './mail-extra.ts';
import { renderLoginMail } from './render.ts';

describe('parseMailExtra', () => {
  it('keeps strings and turns numbers into their text', () => {
    assert.deepEqual({ ...parseMailExtra({ plan: 'Pro', seats: 5, ratio: 0.5, team_name: '' }) }, { plan: 'Pro', seats: '5', ratio: '0.5', team_name: '' });
  });

  it('takes 20 values of 500 characters', () => {
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'x'.repeat(500)]));
    assert.equal(Object.keys(parseMailExtra(twenty)).length, 20);
  });

  const refused: [string, unknown, RegExp][] = [
    ['an array', ['Pro'], /plain object/],
    ['a string', 'Pro', /plain object/],
    ['null', null, /plain object/],
    ['a Map', new Map([['plan', 'Pro']]), /plain object/],
    ['21 values', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'x'])), /21 values; at most 20/],
    ['a nested object', { plan: { name: 'Pro' } }, /extra\.plan must be a string or a finite number/],
    ['a boolean', { trial: true }, /extra\.trial must be a string or a finite number/],
    ['NaN', { seats: Number.NaN }, /extra\.seats must be a string or a finite number/],
    ['501 characters', { note: 'x'.repeat(501) }, /extra\.note is longer than 500 characters/],
    ['a line break', { plan: 'Pro\r\nBcc: eve@example.com' }, /extra\.plan contains a line break/],
    ['a key with a dash', { 'team-name': 'A' }, /"team-name" must be a letter/],
    ['a key starting with a digit', { '1st': 'A' }, /"1st" must be a letter/],
    ['the key __proto__', JSON.parse('{"__proto__": "x"}'), /"__proto__" must be a letter/],
  ];
  for (const [what, extra, message] of refused) {
    it(`refuses ${what}`, () => assert.throws(() => parseMailExtra(extra), (error: Error) => error instanceof TypeError && message.test(error.message)));
  }

  it('does not repeat a refused value in its message', () => {
    assert.throws(() => parseMailExtra({ note: 'secret-value\n' }), (error: Error) => !error.message.includes('secret-value'));
  });
});

describe('extra values in templates', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pl-extra-'));
    await writeFile(join(dir, 'login.en.html'), '<p title="{{extra.plan}}">{{extra.plan}} ({{extra.seats}} seats){{extra.missing}}</p>{{code}} <a href="{{link}}">in</a>');
    await writeFile(join(dir, 'login.en.txt'), 'Plan: {{extra.plan}}|{{extra.missing}}|\n{{code}}\n{{link}}');
    await writeFile(join(dir, 'subjects.json'), '{"en": "{{code}} for {{extra.plan}}"}');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const extra = { plan: '<b>"Pro" & co</b>', seats: '5' };

  it('HTML-escapes them in .html, in text and in attributes', () => {
    const { html } = renderLoginMail({ ...mail, extra }, { templatesDir: dir });
    const escaped = '&lt;b&gt;&quot;Pro&quot; &amp; co&lt;/b&gt;';
    assert.ok(html.includes(`<p title="${escaped}">${escaped} (5 seats)</p>`), html);
  });

  it('puts them as they are in the text part and the subject', () => {
    const { text, subject } = renderLoginMail({ ...mail, extra }, { templatesDir: dir });
    assert.match(text, /^Plan: <b>"Pro" & co<\/b>\|\|$/m);
    assert.equal(subject, '730164 for <b>"Pro" & co</b>');
  });

  it('renders an extra the mail does not carry as nothing', () => {
    const { text, subject } = renderLoginMail(mail, { templatesDir: dir });
    assert.match(text, /^Plan: \|\|$/m);
    assert.equal(subject, '730164 for ');
  });

  it('refuses to render extras that were never checked', () => {
    assert.throws(() => renderLoginMail({ ...mail, extra: { plan: 'a\nb' } }, { templatesDir: dir }), TypeError);
  });

  it('leaves the built-in templates unchanged: they use no extra', () => {
    assert.deepEqual(renderLoginMail({ ...mail, extra }), renderLoginMail(mail));
  });
});

describe('sendLoginTokenEmail with extra, over SMTP', () => {
  let smtp: SmtpSink;
  let dir: string;
  let dataDir: string;
  before(async () => {
    smtp = await startSmtpSink();
    dataDir = await mkdtemp(join(tmpdir(), 'pl-extra-data-'));
    dir = await mkdtemp(join(tmpdir(), 'pl-extra-host-'));
    await writeFile(join(dir, 'login.en.html'), '<p class="plan">Your plan: {{extra.plan}}</p>{{code}} <a href="{{link}}">in</a>');
    await writeFile(join(dir, 'login.en.txt'), 'Your plan: {{extra.plan}}\n\n{{code}}\n\n{{link}}\n');
  });
  after(async () => {
    await smtp.close();
    await rm(dir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('carries the host\'s values into the mail, escaped in its HTML; refuses values it cannot carry', { timeout: 20_000 }, async () => {
    const clock = new ManualClock(Date.now());
    const pl = await createPasswordless({ dataFile: join(dataDir, 'data.json'), smtpUrl: smtp.url, templatesDir: dir, clock, logger: silentLogger });
    try {
      await pl.service.requestLoginToken({ email: 'gus@example.com' });
      const { user } = await pl.service.verifyCode(parseEmailAddress('gus@example.com')!, codeIn(await smtp.nextMail(10_000)));
      clock.advance(61_000);
      await assert.rejects(pl.service.sendLoginTokenEmail({ userId: user.id, extra: { plan: 'Pro\nBcc: eve@example.com' } }), (error: Error & { status?: number }) => error.status === 400 && /extra\.plan contains a line break/.test(error.message));
      await pl.service.sendLoginTokenEmail({ userId: user.id, extra: { plan: '<Pro & "Team">' } });
      const received = await smtp.nextMail(10_000);
      assert.deepEqual(received.envelopeTo, ['gus@example.com']);
      assert.ok(received.html.includes('<p class="plan">Your plan: &lt;Pro &amp; &quot;Team&quot;&gt;</p>'), received.html);
      assert.match(received.text, /^Your plan: <Pro & "Team">$/m);
    } finally {
      await pl.close();
    }
  });
});
