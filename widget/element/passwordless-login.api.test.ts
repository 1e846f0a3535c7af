import { expect, fixture, html } from '@open-wc/testing';
import '../module.ts';
import type { PasswordlessEventMap } from './events.ts';
import type { PasswordlessLogin } from './passwordless-login.ts';
import { mailCount, mailTo, uniqueEmail } from '../testing/backend.ts';
import { FakeClock } from '../testing/fake-clock.ts';

// The public methods and the tabs of one browser, against the real backend.

type EventName = keyof PasswordlessEventMap;
let events: Array<{ type: EventName; detail: unknown }> = [];
const names: EventName[] = ['passwordless-code-sent', 'passwordless-success', 'passwordless-error', 'passwordless-signed-out'];
const record = (event: Event) => events.push({ type: event.type as EventName, detail: (event as CustomEvent).detail });
const typesOf = () => events.map((e) => e.type);

beforeEach(() => {
  localStorage.clear();
  events = [];
  for (const name of names) document.addEventListener(name, record);
});
afterEach(() => {
  for (const name of names) document.removeEventListener(name, record);
});

async function mount() {
  const el = await fixture<PasswordlessLogin>(html`<passwordless-login></passwordless-login>`);
  const clock = new FakeClock(Date.now());
  el.clock = clock;
  await el.settled;
  return { el, clock };
}

const $ = (el: PasswordlessLogin, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const step = (el: PasswordlessLogin) =>
  $(el, '#email') ? 'email' : $(el, '#code') ? 'code' : $(el, 'button[part~="sign-out"]') ? 'signed-in' : 'other';
const sessionKey = `passwordless-login:session:${location.origin}/auth`;

/** What the browser fires in this tab when another tab of the origin changes localStorage. */
function otherTabWrites(key: string | null, value: string | null) {
  if (key) {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  }
  window.dispatchEvent(new StorageEvent('storage', { key, newValue: value, storageArea: localStorage }));
}

describe('<passwordless-login> methods', () => {
  it('requestCode(email) sends a code and resolves on the code step', async () => {
    const email = uniqueEmail('method-request');
    const { el } = await mount();
    await el.requestCode(email);
    await el.updateComplete;
    expect(step(el)).to.equal('code');
    expect(events.map((e) => e.detail)).to.deep.equal([{ email, expiresIn: 600, retryAfter: 60 }]);
  });

  it('requestCode() takes what is typed in the email field', async () => {
    const email = uniqueEmail('method-field');
    const { el } = await mount();
    ($(el, '#email') as HTMLInputElement).value = ` ${email} `;
    await el.requestCode();
    expect(typesOf()).to.deep.equal(['passwordless-code-sent']);
    expect(await mailCount(email)).to.equal(1);
  });

  it('verifyCode(code) signs in with a code written with spaces, and does nothing off the code step', async () => {
    const email = uniqueEmail('method-verify');
    const { el } = await mount();
    await el.verifyCode('123456');
    expect(typesOf(), 'no code step yet').to.deep.equal([]);
    await el.requestCode(email);
    const { code } = await mailTo(email);
    await el.verifyCode(`${code.slice(0, 3)} ${code.slice(3)}`);
    await el.updateComplete;
    expect(el.user?.email).to.equal(email);
    expect(step(el)).to.equal('signed-in');
    await el.requestCode(uniqueEmail('ignored'));
    expect(typesOf(), 'requestCode does nothing while signed in').to.deep.equal(['passwordless-code-sent', 'passwordless-success']);
  });

  it('resend() does nothing while the countdown runs, then sends a new code', async () => {
    const email = uniqueEmail('method-resend');
    const { el, clock } = await mount();
    await el.requestCode(email);
    await el.resend();
    expect(await mailCount(email)).to.equal(1);
    clock.advance(60_000);
    await fetch('/__test/clock/advance?ms=60000', { method: 'POST' });
    await el.resend();
    expect(await mailCount(email)).to.equal(2);
    expect(typesOf()).to.deep.equal(['passwordless-code-sent', 'passwordless-code-sent']);
  });

  it('signOut() does nothing when no one is signed in; reset() resolves on the email step', async () => {
    const { el } = await mount();
    await el.requestCode(uniqueEmail('method-reset'));
    await el.signOut();
    expect(typesOf()).to.deep.equal(['passwordless-code-sent']);
    await el.reset();
    await el.updateComplete;
    expect(step(el)).to.equal('email');
  });

  it('ignores the answer to a request that reset() left behind', async () => {
    const { el } = await mount();
    const sent = el.requestCode(uniqueEmail('method-stale'));
    await el.reset();
    await sent;
    await el.updateComplete;
    expect(step(el)).to.equal('email');
    expect(typesOf()).to.deep.equal([]);
  });
});

describe('<passwordless-login> across tabs', () => {
  async function signedInElsewhere(email: string) {
    // A real session, made by another element (as another tab would), then only its storage entry kept.
    const other = await mount();
    await other.el.requestCode(email);
    await other.el.verifyCode((await mailTo(email)).code);
    const entry = localStorage.getItem(sessionKey)!;
    other.el.remove();
    localStorage.removeItem(sessionKey);
    events = [];
    return entry;
  }

  it('signs in when another tab stores a session for this API, and stops the countdown', async () => {
    const email = uniqueEmail('tabs-in');
    const entry = await signedInElsewhere(email);
    const { el, clock } = await mount();
    await el.requestCode(email);
    otherTabWrites('unrelated', '1');
    await el.updateComplete;
    expect(step(el), 'another key changes nothing').to.equal('code');
    otherTabWrites(sessionKey, entry);
    await el.updateComplete;
    expect(step(el)).to.equal('signed-in');
    expect(el.user?.email).to.equal(email);
    const success = events.find((e) => e.type === 'passwordless-success')!.detail as PasswordlessEventMap['passwordless-success']['detail'];
    expect(success.method).to.equal('code');
    expect(success.session).to.deep.equal(el.session);
    expect(clock.pending, 'the countdown stopped').to.equal(0);
  });

  it('signs out when another tab removes the session, or clears storage', async () => {
    for (const key of [sessionKey, null]) {
      const email = uniqueEmail('tabs-out');
      const entry = await signedInElsewhere(email);
      localStorage.setItem(sessionKey, entry);
      const { el } = await mount();
      expect(step(el)).to.equal('signed-in');
      if (key === null) localStorage.clear();
      otherTabWrites(key, null);
      await el.updateComplete;
      expect(step(el)).to.equal('email');
      expect(el.session).to.equal(null);
      expect(typesOf()).to.deep.equal(['passwordless-signed-out']);
      el.remove();
    }
  });

  it('stops listening once removed from the page', async () => {
    const entry = await signedInElsewhere(uniqueEmail('tabs-removed'));
    const { el } = await mount();
    el.remove();
    otherTabWrites(sessionKey, entry);
    expect(typesOf()).to.deep.equal([]);
  });
});

describe('<passwordless-login> getAccessToken()', () => {
  async function signedIn(api = '') {
    const email = uniqueEmail('access');
    const el = await fixture<PasswordlessLogin>(html`<passwordless-login api=${api}></passwordless-login>`);
    const clock = new FakeClock(Date.now());
    el.clock = clock;
    await el.settled;
    await el.requestCode(email);
    await el.verifyCode((await mailTo(email)).code);
    events = [];
    return { el, clock, email };
  }

  /** What a host's API does with the token: the key by `kid` from the published set, then ECDSA P-256. */
  async function verifyWithKeySet(token: string, keySetUrl = '/auth/jwks.json') {
    const [head, body, signature] = token.split('.');
    const decode = (part: string) => Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const header = JSON.parse(new TextDecoder().decode(decode(head!)));
    const { keys } = (await (await fetch(keySetUrl)).json()) as { keys: Array<JsonWebKey & { kid: string }> };
    const jwk = keys.find((k) => k.kid === header.kid)!;
    const key = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const valid = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, decode(signature!), new TextEncoder().encode(`${head}.${body}`));
    expect(valid, 'the signature checks out against the published key').to.equal(true);
    expect(header.typ).to.equal('at+jwt');
    return JSON.parse(new TextDecoder().decode(decode(body!))) as { sub: string; email: string; exp: number; iat: number };
  }

  it('is null while no one is signed in, and asks the server nothing', async () => {
    const { el } = await mount();
    const fetchBefore = window.fetch;
    let calls = 0;
    window.fetch = (...args) => (calls++, fetchBefore(...args));
    try {
      expect(await el.getAccessToken()).to.equal(null);
    } finally {
      window.fetch = fetchBefore;
    }
    expect(calls).to.equal(0);
  });

  it('gives a token while the page-load session check is still under way', async () => {
    const { el: first, email } = await signedIn();
    first.remove();
    // A new page: the kept session is checked with the server, and the page asks for a token at once.
    const el = await fixture<PasswordlessLogin>(html`<passwordless-login></passwordless-login>`);
    const token = await el.getAccessToken();
    expect(token, 'not null: the check replaces the kept session with a fresh copy of the same one').to.be.a('string');
    expect((await verifyWithKeySet(token!)).email).to.equal(email);
  });

  it('never hands out the token of a session that has ended here', async () => {
    const { el, email } = await signedIn();
    const first = (await el.getAccessToken())!;
    await el.signOut();
    const other = uniqueEmail('access-other');
    await el.requestCode(other);
    await el.verifyCode((await mailTo(other)).code);
    const second = (await el.getAccessToken())!;
    expect(second).not.to.equal(first);
    expect((await verifyWithKeySet(second)).email).to.equal(other);
    expect(email).not.to.equal(other);
  });

  it('returns a signed token for the signed-in user and reuses it until a minute before it expires', async () => {
    const { el, clock, email } = await signedIn();
    const token = (await el.getAccessToken())!;
    const claims = await verifyWithKeySet(token);
    expect(claims.email).to.equal(email);
    expect(claims.sub).to.equal(el.user!.id);
    expect(claims.exp - claims.iat).to.equal(300);
    expect(await el.getAccessToken(), 'the same token while it is fresh').to.equal(token);
    clock.advance(239_000);
    expect(await el.getAccessToken(), '1 s before the last minute').to.equal(token);
    clock.advance(1_000);
    const next = (await el.getAccessToken())!;
    expect(next, 'a new one in its last minute').not.to.equal(token);
    expect((await verifyWithKeySet(next)).email).to.equal(email);
  });

  it('forgets the token on sign-out, and gives none after', async () => {
    const { el } = await signedIn();
    expect(await el.getAccessToken()).to.be.a('string');
    await el.signOut();
    expect(await el.getAccessToken()).to.equal(null);
  });

  it('signs out when the server says the session has ended', async () => {
    const { el } = await signedIn();
    const revoked = await fetch('/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${el.session!.token}` } });
    expect(revoked.status).to.equal(204);
    expect(await el.getAccessToken()).to.equal(null);
    await el.updateComplete;
    expect(step(el)).to.equal('email');
    expect(localStorage.getItem(sessionKey)).to.equal(null);
    expect(typesOf()).to.deep.equal(['passwordless-signed-out']);
  });

  it('keeps the session when the server cannot be reached', async () => {
    const ok = await signedIn();
    const fetchBefore = window.fetch;
    window.fetch = () => Promise.reject(new TypeError('offline'));
    try {
      expect(await ok.el.getAccessToken()).to.equal(null);
    } finally {
      window.fetch = fetchBefore;
    }
    expect(ok.el.user, 'still signed in').not.to.equal(null);
    expect(typesOf()).to.deep.equal([]);
  });

  it('works in cookie mode, where no script holds the session', async () => {
    const { el, email } = await signedIn('/cookie-auth');
    expect(el.session!.token).to.equal(undefined);
    const token = (await el.getAccessToken())!;
    expect((await verifyWithKeySet(token, '/cookie-auth/jwks.json')).email).to.equal(email);
  });
});
