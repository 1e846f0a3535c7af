import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../time/clock.ts';
import { parseEmailAddress } from '../login/email-address.ts';
import { createPasswordless, type OutgoingMail, type Passwordless, type PasswordlessOptions } from '../index.ts';
import { recordingLogger } from '../testing/recording-logger.ts';

const CODE = /\b(\d{6,10})\b/;

describe('createPasswordless hooks and calls', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'passwordless-lib-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function start(options: PasswordlessOptions = {}) {
    const mails: OutgoingMail[] = [];
    const { logger, entries } = recordingLogger();
    const clock = new ManualClock(Date.now());
    const pl: Passwordless = await createPasswordless({ dataFile: join(dir, `${Math.random()}.json`), sendMail: (m) => void mails.push(m), logger, clock, ...options });
    const signIn = async (email: string) => {
      await pl.service.requestLoginToken({ email });
      await pl.service.idle();
      const code = CODE.exec(mails.at(-1)!.text)![1]!;
      return pl.service.verifyCode(parseEmailAddress(email)!, code);
    };
    return { pl, mails, entries, clock, signIn };
  }

  it('hands sendMail the rendered mail instead of a transport', async () => {
    const { pl, mails } = await start({ mailFrom: 'Sign-in <no-reply@example.com>' });
    await pl.service.requestLoginToken({ email: 'ana@example.com' }, { locale: 'en' });
    await pl.service.idle();
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, 'ana@example.com');
    assert.equal(mails[0]!.from, 'Sign-in <no-reply@example.com>');
    assert.match(mails[0]!.subject, /\S/);
    assert.match(mails[0]!.text, CODE);
    assert.match(mails[0]!.html, /<html/i);
    await pl.close();
  });

  it('calls onUserCreated once, onLogin on every login and onLogout with plain data', async () => {
    const calls: [string, unknown][] = [];
    const { pl, signIn, clock } = await start({
      onUserCreated: (user) => void calls.push(['created', user]),
      onLogin: (event) => void calls.push(['login', event]),
      onLogout: (event) => void calls.push(['logout', event]),
    });
    const first = await signIn('bo@example.com');
    clock.advance(61_000);
    await signIn('bo@example.com');
    assert.deepEqual(
      calls.map(([name]) => name),
      ['created', 'login', 'login'],
    );
    assert.deepEqual(calls[0]![1], first.user);
    assert.deepEqual(calls[1]![1], { user: first.user, method: 'code' });
    assert.equal(await pl.service.revokeSession(first.session.token!), true);
    assert.deepEqual(calls.at(-1), ['logout', { userId: first.user.id }]);
    assert.equal(await pl.service.findSession(first.session.token!), null);
    assert.equal(await pl.service.revokeSession(first.session.token!), false);
    await pl.close();
  });

  it('passes validateNewUser the address and userData, and only for addresses with no user', async () => {
    const seen: unknown[] = [];
    const { pl, signIn, clock } = await start({ validateNewUser: (input) => (seen.push(input), true) });
    await pl.service.requestLoginToken({ email: 'cy@example.com' }, { userData: { plan: 'pro' } });
    assert.deepEqual(seen, [{ email: 'cy@example.com', userData: { plan: 'pro' } }]);
    clock.advance(61_000);
    await signIn('cy@example.com');
    clock.advance(61_000);
    await pl.service.requestLoginToken({ email: 'cy@example.com' });
    assert.equal(seen.length, 2);
    await pl.close();
  });

  for (const [name, options] of [
    ['a domain outside allowedEmailDomains', { allowedEmailDomains: ['example.org'] }],
    ['validateNewUser answering false', { validateNewUser: () => false }],
    ['validateNewUser giving a reason', { validateNewUser: async () => 'no free mail' }],
    ['validateNewUser throwing', { validateNewUser: () => { throw new Error('db down'); } }],
  ] as const) {
    it(`answers ${name} like an accepted new address and mails nothing`, async () => {
      const accepted = await start();
      const refused = await start(options);
      const yes = await accepted.pl.service.requestLoginToken({ email: 'di@example.com' });
      const no = await refused.pl.service.requestLoginToken({ email: 'di@example.com' });
      assert.deepEqual(no, yes);
      await refused.pl.service.idle();
      assert.equal(refused.mails.length, 0);
      assert.equal(await refused.pl.service.findUser({ email: 'di@example.com' }), null);
      await accepted.pl.close();
      await refused.pl.close();
    });
  }

  it('logs a throwing hook without secrets and still signs in', async () => {
    const { pl, signIn, entries, mails } = await start({ onLogin: () => { throw new Error('crm unreachable'); } });
    const answer = await signIn('ed@example.com');
    assert.ok(answer.session.token);
    const logged = entries.find((e) => e.hook === 'onLogin');
    assert.equal(logged?.err, 'crm unreachable');
    const code = CODE.exec(mails[0]!.text)![1]!;
    assert.ok(!JSON.stringify(entries).includes(code) && !JSON.stringify(entries).includes(answer.session.token!));
    await pl.close();
  });

  it('finds users by id and email, and mails an existing user with sendLoginTokenEmail under the resend wait', async () => {
    const { pl, signIn, mails, clock } = await start();
    const { user } = await signIn('fay@example.com');
    assert.deepEqual(await pl.service.findUser({ id: user.id }), user);
    assert.deepEqual(await pl.service.findUser({ email: 'FAY@example.com' }), user);
    assert.equal(await pl.service.findUser({ id: 'nobody' }), null);
    await assert.rejects(pl.service.sendLoginTokenEmail({ userId: user.id }), { status: 429 });
    clock.advance(61_000);
    await assert.rejects(pl.service.sendLoginTokenEmail({ userId: user.id, email: 'other@example.com' }), { status: 400 });
    await assert.rejects(pl.service.sendLoginTokenEmail({ userId: 'nobody' }), { status: 400 });
    await pl.service.sendLoginTokenEmail({ userId: user.id, email: 'fay@example.com', extra: { plan: 'pro' } });
    await pl.service.idle();
    assert.equal(mails.length, 2);
    assert.equal(mails[1]!.to, 'fay@example.com');
    await pl.close();
  });

  it('maps Meteor option names onto the login rules and names the option in errors', async () => {
    const { pl, mails } = await start({ tokenSequenceLength: 8, loginTokenExpirationHours: 0.5, userCreationDisabled: true });
    assert.equal(pl.config.codeLength, 8);
    assert.equal(pl.config.codeTtlSeconds, 1800);
    assert.equal(pl.config.userCreation, false);
    await pl.service.requestLoginToken({ email: 'gil@example.com' });
    await pl.service.idle();
    assert.equal(mails.length, 0);
    await pl.close();
    await assert.rejects(createPasswordless({ tokenSequenceLength: 4, dataFile: join(dir, 'x.json') }), /^ConfigError: tokenSequenceLength must be a whole number from 6 to 10, got 4$/);
  });

  it('checks Meteor\'s hours in hours, and lets the setting\'s own name win over Meteor\'s', async () => {
    await assert.rejects(createPasswordless({ loginTokenExpirationHours: 48, dataFile: join(dir, 'x.json') }), /^ConfigError: loginTokenExpirationHours must be a number of hours from 1\/60 \(a minute\) to 24, got 48$/);
    const { pl } = await start({ codeLength: 7, tokenSequenceLength: 9, codeTtlSeconds: 120, loginTokenExpirationHours: 2 });
    assert.deepEqual([pl.config.codeLength, pl.config.codeTtlSeconds], [7, 120]);
    await pl.close();
  });

  it('treats empty values as unset, as the environment does (`smtpUrl: process.env.SMTP_URL` with SMTP_URL empty)', async () => {
    const { pl } = await start({ smtpUrl: '', secret: '', allowedOrigins: [], redirectUrls: [], mailFrom: '' });
    assert.equal(pl.config.smtpUrl, null);
    assert.equal(pl.config.secret, null);
    assert.deepEqual(pl.config.allowedOrigins, ['http://localhost:3000', 'http://127.0.0.1:3000']);
    assert.deepEqual(pl.config.redirectUrls, ['http://localhost:3000/', 'http://127.0.0.1:3000/']);
    assert.equal(pl.config.mailFrom, 'Sign-in <no-reply@localhost>');
    await pl.close();
    await assert.rejects(createPasswordless({ userCreationDisabled: 'false' as unknown as boolean, dataFile: join(dir, 'x.json') }), /^ConfigError: userCreationDisabled must be true or false, got "false"$/);
  });

  it('takes every setting as a typed option, named as the option in errors', async () => {
    const { pl } = await start({ requestsPerIp: 7, trustProxy: 1, metricsToken: 'm'.repeat(16), rateLimits: false });
    assert.deepEqual([pl.config.ipLimits.requests, pl.config.trustProxy, pl.config.metricsToken, pl.config.rateLimits], [7, 1, 'm'.repeat(16), false]);
    await pl.close();
    await assert.rejects(createPasswordless({ dkim: { domainName: 'example.com', keySelector: 's1', privateKey: 'not a key' }, dataFile: join(dir, 'x.json') }), /^ConfigError: dkim\.privateKey must be a PEM private key \(-----BEGIN PRIVATE KEY-----\), got 9 characters$/);
    await assert.rejects(createPasswordless({ allowedOrigins: ['https://a.example', 'ftp://b.example'], dataFile: join(dir, 'x.json') }), /^ConfigError: allowedOrigins must list bare origins like https:\/\/app\.example\.com \(http or https, no path\), got "ftp:\/\/b\.example"$/);
    await assert.rejects(createPasswordless({ nodeEnv: 'production', publicUrl: 'https://auth.example.com', secret: 's'.repeat(32), dataFile: join(dir, 'x.json') }), /^ConfigError: smtpUrl is required when nodeEnv=production: set it to smtp:\/\/user:pass@mail\.example\.com:587$/);
  });
});
