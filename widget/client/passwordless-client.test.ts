import { expect, fixture, html } from '@open-wc/testing';
import { isChallenge, PasswordlessClient, type PasswordlessLogin } from '../module.ts';
import { holdBusyMail, mailTo, releaseBusyMail, uniqueEmail } from '../testing/backend.ts';

// The headless client against the real backend (behind the test runner's proxy at /auth and,
// in cookie mode, /cookie-auth), as a site with its own sign-in form would use it.

const sessionKey = (api = '/auth') => `passwordless-login:session:${location.origin}${api}`;

beforeEach(() => {
  localStorage.clear();
  history.replaceState(null, '', location.pathname + location.search);
});

/** A client on a clock the test moves. */
function client(api?: string) {
  let now = Date.now();
  const c = new PasswordlessClient({ api, now: () => now });
  return { c, advance: (ms: number) => (now += ms) };
}

describe('PasswordlessClient', () => {
  it('passes mail_busy on with its retryAfter when the mail queue is full, and sends once it has room', async () => {
    await holdBusyMail();
    try {
      const email = uniqueEmail('client-busy');
      const { c } = client('/busy-auth');
      const busy = await c.requestCode(email);
      expect(busy.ok).to.equal(false);
      expect(!busy.ok && busy.status).to.equal(503);
      expect(!busy.ok && busy.error.code).to.equal('mail_busy');
      const seconds = busy.ok ? 0 : (busy.error.retryAfter ?? 0);
      expect(Number.isInteger(seconds) && seconds >= 1 && seconds <= 60, `retryAfter ${seconds}`).to.equal(true);
      await releaseBusyMail();
      expect((await c.requestCode(email)).ok).to.equal(true);
    } finally {
      await releaseBusyMail();
    }
  });

  it('signs in with a code: request, wrong code, right code, session kept', async () => {
    const email = uniqueEmail('client-code');
    const { c } = client();
    const requested = await c.requestCode(email, { userData: { plan: 'pro' } });
    expect(requested).to.deep.equal({ ok: true, data: { codeLength: 6, expiresIn: 600, retryAfter: 60 } });
    const { code } = await mailTo(email);
    const wrong = await c.verifyCode(email, code === '000000' ? '111111' : '000000');
    expect(wrong.ok).to.equal(false);
    expect(!wrong.ok && wrong.status).to.equal(401);
    expect(!wrong.ok && wrong.error.code).to.equal('invalid_code');
    expect(!wrong.ok && wrong.error.attemptsLeft).to.equal(4);
    expect(c.session, 'nothing kept after a wrong code').to.equal(null);
    const right = await c.verifyCode(email, `${code.slice(0, 3)}-${code.slice(3)}`);
    expect(right.ok && !isChallenge(right.data) && right.data.user.email).to.equal(email);
    expect(right.ok && !isChallenge(right.data) && right.data.user.data).to.deep.equal({ plan: 'pro' });
    expect(c.session?.user.email).to.equal(email);
    expect(c.session?.token).to.be.a('string');
    expect((await c.refreshSession()).ok).to.equal(true);
  });

  it('signs in with the magic link opened in the browser that asked, and takes it out of the address', async () => {
    const email = uniqueEmail('client-link');
    const { c } = client();
    await c.requestCode(email);
    const { link } = await mailTo(email);
    history.replaceState(null, '', new URL(link).hash);
    const magic = c.readMagicLink()!;
    expect(magic.fromThisBrowser).to.equal(true);
    expect(location.hash, 'the token left the address bar').to.equal('');
    expect(c.readMagicLink(), 'read once').to.equal(null);
    const signedIn = await c.verifyLink(magic.token);
    expect(signedIn.ok && !isChallenge(signedIn.data) && signedIn.data.user.email).to.equal(email);
    expect(c.session?.user.email).to.equal(email);
  });

  it('tells a link from another browser (or a mail scanner) apart, so the page asks before using it', async () => {
    const email = uniqueEmail('client-link-elsewhere');
    await client().c.requestCode(email);
    const { link } = await mailTo(email);
    localStorage.clear(); // another browser: none of the asking browser's storage
    history.replaceState(null, '', new URL(link).hash);
    expect(client().c.readMagicLink()?.fromThisBrowser).to.equal(false);
  });

  it('gives access tokens, reused until a minute before they expire, and none once signed out', async () => {
    const email = uniqueEmail('client-token');
    const { c, advance } = client();
    await c.requestCode(email);
    await c.verifyCode(email, (await mailTo(email)).code);
    const token = (await c.getAccessToken())!;
    const claims = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    expect(claims.email).to.equal(email);
    expect(await c.getAccessToken()).to.equal(token);
    advance(240_000);
    expect(await c.getAccessToken()).not.to.equal(token);
    await c.signOut();
    expect(c.session).to.equal(null);
    expect(await c.getAccessToken()).to.equal(null);
  });

  it('forgets a session the server has ended', async () => {
    const email = uniqueEmail('client-revoked');
    const { c } = client();
    await c.requestCode(email);
    await c.verifyCode(email, (await mailTo(email)).code);
    await fetch('/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${c.session!.token}` } });
    expect(await c.getAccessToken()).to.equal(null);
    expect(localStorage.getItem(sessionKey())).to.equal(null);
    expect((await c.refreshSession()).ok).to.equal(false);
  });

  it('answers network_error instead of throwing when the server cannot be reached', async () => {
    const { c } = client('http://127.0.0.1:9/auth');
    const result = await c.requestCode(uniqueEmail('client-offline'));
    expect(result).to.deep.equal({ ok: false, status: 0, error: { code: 'network_error' } });
  });

  it('shares the session with an element on the page', async () => {
    const email = uniqueEmail('client-element');
    const { c } = client();
    await c.requestCode(email);
    await c.verifyCode(email, (await mailTo(email)).code);
    const el = await fixture<PasswordlessLogin>(html`<passwordless-login></passwordless-login>`);
    await el.settled;
    expect(el.user?.email).to.equal(email);
    await el.signOut();
    expect(c.session).to.equal(null);
  });

  it('works in cookie mode: the session is an HttpOnly cookie, and tokens still come', async () => {
    const email = uniqueEmail('client-cookie');
    const { c } = client('/cookie-auth');
    await c.requestCode(email);
    const signedIn = await c.verifyCode(email, (await mailTo(email)).code);
    expect(signedIn.ok && !isChallenge(signedIn.data) && signedIn.data.session.token).to.equal(undefined);
    expect(c.session?.user.email).to.equal(email);
    expect(localStorage.getItem(sessionKey('/cookie-auth'))).not.to.contain('token');
    expect(await c.getAccessToken()).to.be.a('string');
    await c.signOut();
    expect((await fetch('/cookie-auth/session', { credentials: 'include' })).status).to.equal(401);
  });
});
