/**
 * Passkeys over real HTTP on the JSON store: the store cases every store passes
 * (testing/passkey-contract.ts), and what is the same on every store: the configuration, the
 * related origins, the notice mail in a real SMTP sink, cookie mode, the audit trail and metrics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSKEY_WELL_KNOWN_PATH, PasskeyPath } from '../../contract/passkeys.ts';
import { getJson, postJson, tokenOf } from '../testing/api-client.ts';
import { freshEmail, requestCode, signIn } from '../testing/attack-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { passkeyContract } from '../testing/passkey-contract.ts';
import { addPasskey, authenticatorFor, bearer, passkeySignIn, register, takeNotice } from '../testing/passkey-kit.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import type { SmtpSinkOptions } from '../testing/smtp-sink.ts';

passkeyContract('the JSON file', () => startHarness());

const CHROME_ON_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('passkeys: configuration and related origins', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ ALLOWED_ORIGINS: 'https://shop.example,https://blog.example' });
  });
  after(async () => {
    await h.close();
  });

  it('says passkeys: true in /auth/config', async () => {
    assert.equal((await getJson(h.api('/config'))).body.passkeys, true);
  });

  it('lists the embedding sites and its own origin at /.well-known/webauthn, at the root, readable from any page', async () => {
    const answer = await getJson(`${h.server.url}${PASSKEY_WELL_KNOWN_PATH}`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { origins: ['https://shop.example', 'https://blog.example', h.server.url] });
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
  });

  it('accepts a ceremony run on an embedding site listed in ALLOWED_ORIGINS (a related origin)', async () => {
    const { token } = await signIn(h, freshEmail('related'));
    const shop = authenticatorFor(h);
    const options = { Origin: 'https://shop.example' };
    const answer = await register(h, token, shop, { origin: 'https://shop.example' }, {}, options);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    await takeNotice(h);
    assert.equal((await passkeySignIn(h, shop, undefined, { origin: 'https://shop.example' }, options)).status, 200);
  });

  it('asks for a discoverable credential with user verification, attestation none, excluding the user’s passkeys', async () => {
    const { token } = await signIn(h, freshEmail('options'));
    await addPasskey(h, token, authenticatorFor(h));
    const { options } = (await postJson(h.api(PasskeyPath.registerOptions), {}, bearer(token))).body;
    assert.equal(options.rp.id, '127.0.0.1');
    assert.equal(options.attestation, 'none');
    assert.deepEqual(options.authenticatorSelection, { residentKey: 'required', requireResidentKey: true, userVerification: 'required' });
    assert.equal(options.excludeCredentials.length, 1);
    const signInOptions = (await postJson(h.api(PasskeyPath.signInOptions), {})).body.options;
    assert.equal(signInOptions.userVerification, 'required');
    assert.equal(signInOptions.allowCredentials, undefined, 'no credential named: the browser offers the discoverable ones');
  });
});

describe('passkeys: PASSKEYS=off', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ PASSKEYS: 'off' });
  });
  after(async () => {
    await h.close();
  });

  it('mounts no passkey route and says passkeys: false', async () => {
    assert.equal((await getJson(h.api('/config'))).body.passkeys, false);
    assert.equal((await postJson(h.api(PasskeyPath.signInOptions), {})).status, 404);
    assert.equal((await getJson(`${h.server.url}${PASSKEY_WELL_KNOWN_PATH}`)).status, 404);
  });
});

describe('passkeys: the notice, the audit trail and the metrics', () => {
  let h: Harness;
  const { logger, entries } = recordingLogger();
  before(async () => {
    h = await startHarness({ METRICS_TOKEN: 'metrics-token-for-tests-0123456789' }, { logger });
  });
  after(async () => {
    await h.close();
  });

  it('mails "a passkey was added" with the device from the User-Agent and the time, in the language of the last sign-in', async () => {
    const email = freshEmail('notice');
    const { code } = await requestCode(h, email, { locale: 'de' });
    const { body } = await postJson(h.api('/verify'), { email, code });
    const answer = await register(h, body.session.token, authenticatorFor(h), {}, {}, { 'User-Agent': CHROME_ON_MAC });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.name, 'Chrome on macOS');
    const mail = await takeNotice(h);
    assert.deepEqual(mail.envelopeTo, [email]);
    assert.equal(mail.subject, 'Ihrem Konto wurde ein Passkey hinzugefügt');
    assert.match(mail.text, /Chrome on macOS/);
    const year = new Date(h.server.clock.now()).getUTCFullYear();
    assert.match(mail.text, new RegExp(`${year}.*UTC`));
    assert.match(mail.html, /<strong>Chrome on macOS<\/strong>/);
  });

  it('lets a session signed in by the magic link add a passkey, as one signed in by the code', async () => {
    const { link } = await requestCode(h, freshEmail('by-link'));
    const verify = await postJson(h.api('/verify'), { token: tokenOf(link) });
    assert.equal(verify.status, 200);
    const answer = await register(h, verify.body.session.token, authenticatorFor(h));
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    await takeNotice(h);
  });

  it('takes the name the person gave over the User-Agent’s', async () => {
    const { token } = await signIn(h, freshEmail('named'));
    const answer = await register(h, token, authenticatorFor(h), {}, { name: 'My YubiKey' }, { 'User-Agent': CHROME_ON_MAC });
    assert.equal(answer.body.name, 'My YubiKey');
    assert.match((await takeNotice(h)).text, /My YubiKey/);
  });

  it('audits passkey_added, sign_in with method passkey and passkey_removed, with user and credential ids only', async () => {
    const { token, user } = await signIn(h, freshEmail('audit'));
    const authenticator = authenticatorFor(h);
    const { id } = await addPasskey(h, token, authenticator);
    assert.equal((await passkeySignIn(h, authenticator)).status, 200);
    await fetch(h.api(`/passkeys/${id}`), { method: 'DELETE', headers: bearer(token) });
    const audit = entries.filter((entry) => entry.audit && entry.userId === user.id).map((entry) => [entry.event, entry.method ?? entry.credentialId]);
    assert.deepEqual(audit.slice(-4), [['sign_in', 'code'], ['passkey_added', id], ['sign_in', 'passkey'], ['passkey_removed', id]]);
  });

  it('counts ceremonies by outcome in passwordless_passkey_ceremonies_total', async () => {
    const { token } = await signIn(h, freshEmail('metrics'));
    const authenticator = authenticatorFor(h);
    await addPasskey(h, token, authenticator);
    await passkeySignIn(h, authenticator);
    await passkeySignIn(h, authenticator, undefined, { origin: 'https://evil.example' });
    const text = await (await fetch(`${h.server.url}/metrics`, { headers: bearer('metrics-token-for-tests-0123456789') })).text();
    const value = (labels: string) => Number(new RegExp(`passwordless_passkey_ceremonies_total\\{${labels}\\} (\\d+)`).exec(text)?.[1]);
    assert.ok(value('ceremony="register",outcome="ok"') >= 1);
    assert.ok(value('ceremony="sign_in",outcome="ok"') >= 1);
    assert.ok(value('ceremony="sign_in",outcome="invalid"') >= 1);
  });

  it('logs each invalid answer with its cause and credential, so a clone and a phishing page can be told apart', async () => {
    const { token } = await signIn(h, freshEmail('refusal-log'));
    const authenticator = authenticatorFor(h);
    const { id } = await addPasskey(h, token, authenticator);
    assert.equal((await passkeySignIn(h, authenticator)).status, 200);
    assert.equal((await passkeySignIn(h, authenticator)).status, 200);
    assert.equal((await passkeySignIn(h, authenticator, id, { counter: 1 })).status, 400);
    assert.equal((await passkeySignIn(h, authenticator, id, { origin: 'https://login-example.evil' })).status, 400);
    const refused = entries.filter((entry) => entry.event === 'passkey_refused' && entry.credentialId === id);
    assert.deepEqual(refused.map((entry) => entry.ceremony), ['sign_in', 'sign_in']);
    assert.match(String(refused[0]!.msg), /counter went back/);
    assert.match(String(refused[1]!.msg), /site this server does not serve/);
  });
});

describe('passkeys: a full mail queue', () => {
  it('refuses a registration whose notice could not be queued (503 mail_busy, Retry-After) and stores nothing', { timeout: 30_000 }, async () => {
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    // The sink reads `acceptAfter` as each mail arrives: the code mail of the sign-in goes through,
    // and the mail server stalls from then on.
    const smtp: SmtpSinkOptions = {};
    const busy = await startHarness({ MAIL_QUEUE_SIZE: '1' }, { smtp });
    try {
      const { token, user } = await signIn(busy, freshEmail('busy-enrol'));
      smtp.acceptAfter = stalled;
      assert.equal((await busy.request({ email: freshEmail('busy-fill') })).status, 202);
      const answer = await register(busy, token, authenticatorFor(busy));
      assert.equal(answer.status, 503, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'mail_busy');
      assert.ok(Number(answer.headers.get('retry-after')) >= 1, 'Retry-After says when to come back');
      assert.deepEqual(await busy.server.backend.store.listPasskeys(user.id), [], 'no passkey without its notice');
      release();
      await busy.server.backend.mailer.idle();
      assert.equal((await register(busy, token, authenticatorFor(busy))).status, 201, 'once mail flows, the same session enrols');
    } finally {
      release();
      await busy.close();
    }
  });
});

describe('passkeys: cookie mode', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ SESSION_COOKIE: 'on' });
  });
  after(async () => {
    await h.close();
  });

  it('answers a passkey sign-in with the session in the __Host- cookie and no token in the body', async () => {
    const email = freshEmail('cookie');
    const { code } = await requestCode(h, email);
    const verify = await postJson(h.api('/verify'), { email, code });
    const cookie = /^__Host-pl_session=([^;]+)/.exec(verify.headers.getSetCookie()[0] ?? '')![0];
    const authenticator = authenticatorFor(h);
    const options = await postJson(h.api(PasskeyPath.registerOptions), {}, { Cookie: cookie });
    assert.equal(options.status, 200, JSON.stringify(options.body));
    const added = await postJson(h.api(PasskeyPath.register), { credential: authenticator.create(options.body.options) }, { Cookie: cookie });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    await takeNotice(h);
    const answer = await passkeySignIn(h, authenticator);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.session.token, undefined);
    assert.match(answer.headers.getSetCookie()[0] ?? '', /^__Host-pl_session=[^;]+; .*HttpOnly/i);
  });
});
