import { expect, fixture, html } from '@open-wc/testing';
import type { User } from '../../contract/index.ts';
import { ApiClient, type ApiResult } from '../api/api-client.ts';
import { requestCode } from '../api/request-code.ts';
import { PasswordlessClient, type PasswordlessLogin } from '../module.ts';
import { mailTo, uniqueEmail } from '../testing/backend.ts';
import { getAccessToken } from './access-tokens.ts';
import { SessionKeeper } from './session-keeper.ts';
import type { StoredSession } from './stored-session.ts';

// The one session module the element and PasswordlessClient share: against the real backend
// where the server's answer matters, against a scripted API where only the keeping does.

const base = `${location.origin}/auth`;
const sessionKey = `passwordless-login:session:${base}`;
const user: User = { id: 'u1', email: 'ada@example.com', emailVerified: true, createdAt: '2026-01-01T00:00:00.000Z', lastLoginAt: '2026-01-01T00:00:00.000Z', data: {} };
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

beforeEach(() => localStorage.clear());

/** A keeper for the test backend, signed in with a code; `changes` records its onChange calls. */
async function signedInKeeper(label: string) {
  const changes: Array<StoredSession | null> = [];
  const keeper = new SessionKeeper(new ApiClient(base), Date.now, (before) => changes.push(before));
  const email = uniqueEmail(label);
  await requestCode(keeper.api, { email }, () => {});
  const result = await keeper.verify({ email, code: (await mailTo(email)).code }, 'code');
  expect(result.ok).to.equal(true);
  return { keeper, changes, email };
}

describe('SessionKeeper', () => {
  it('keeps the session it signs in with where the element and PasswordlessClient both read it', async () => {
    const { keeper, changes, email } = await signedInKeeper('keeper-shared');
    expect(keeper.stored).to.include({ method: 'code' });
    expect(keeper.stored!.user.email).to.equal(email);
    expect(changes, 'its own sign-in is the caller’s to announce').to.deep.equal([]);
    expect(new PasswordlessClient().session?.token).to.equal(keeper.stored!.token);
    const el = await fixture<PasswordlessLogin>(html`<passwordless-login></passwordless-login>`);
    await el.settled;
    expect(el.session?.token).to.equal(keeper.stored!.token);
  });

  it('renews the session when the server still holds it, and tells onChange', async () => {
    const { keeper, changes } = await signedInKeeper('keeper-renew');
    const before = keeper.stored!;
    keeper.keep({ ...before, expiresAt: inAnHour() });
    const kept = keeper.stored;
    expect((await keeper.refresh()).ok).to.equal(true);
    expect(changes).to.deep.equal([kept]);
    expect(keeper.stored!.expiresAt, 'the server’s end, not ours').to.equal(before.expiresAt);
    expect(JSON.parse(localStorage.getItem(sessionKey)!).expiresAt).to.equal(before.expiresAt);
  });

  it('forgets a session the server has ended, here and in storage, and tells onChange', async () => {
    const { keeper, changes } = await signedInKeeper('keeper-ended');
    const kept = keeper.stored;
    // Signed out from elsewhere: another keeper of the same browser.
    await new SessionKeeper(new ApiClient(base)).end();
    localStorage.setItem(sessionKey, JSON.stringify(kept));
    const result = await keeper.refresh();
    expect(result).to.include({ ok: false, status: 401 });
    expect(keeper.stored).to.equal(null);
    expect(localStorage.getItem(sessionKey)).to.equal(null);
    expect(changes).to.deep.equal([kept]);
  });

  it('keeps the session through an outage: only the server may end it', async () => {
    const outage = `${location.origin}/__test/html/auth`;
    localStorage.setItem(`passwordless-login:session:${outage}`, JSON.stringify({ token: 't', expiresAt: inAnHour(), user }));
    const changes: unknown[] = [];
    const keeper = new SessionKeeper(new ApiClient(outage), Date.now, (before) => changes.push(before));
    const result = await keeper.refresh();
    expect(result.ok ? null : result.error.code).to.equal('network_error');
    expect(keeper.stored?.token).to.equal('t');
    expect(changes).to.deep.equal([]);
  });

  it('answers 401 without asking when nothing is kept', async () => {
    const api = new ApiClient(base);
    let asked = 0;
    api.call = (async () => (asked++, { ok: true, data: null })) as ApiClient['call'];
    expect(await new SessionKeeper(api).refresh()).to.deep.equal({ ok: false, status: 401, error: { code: 'unauthenticated' } });
    expect(asked).to.equal(0);
  });

  it('hears the other tabs while connected: their sign-in when none is kept, their sign-out, nothing else', () => {
    const changes: Array<StoredSession | null> = [];
    const keeper = new SessionKeeper(new ApiClient(base), Date.now, (before) => changes.push(before));
    const otherTab = (key: string | null, value: StoredSession | null) => {
      if (!key) localStorage.clear();
      else if (value) localStorage.setItem(key, JSON.stringify(value));
      else localStorage.removeItem(key);
      window.dispatchEvent(new StorageEvent('storage', { key }));
    };
    const theirs = { token: 'theirs', expiresAt: inAnHour(), user };
    otherTab(sessionKey, theirs);
    expect(keeper.stored, 'not listening before the host connects').to.equal(null);

    keeper.hostConnected();
    otherTab('passwordless-login:pending:whatever', theirs);
    expect(keeper.stored).to.equal(null);
    otherTab(sessionKey, theirs);
    expect(keeper.stored?.token).to.equal('theirs');
    expect(changes).to.deep.equal([null]);
    // Their session check writes a new end: no second sign-in here.
    otherTab(sessionKey, { ...theirs, token: 'renewed' });
    expect(keeper.stored?.token).to.equal('theirs');
    expect(changes).to.have.length(1);
    otherTab(null, null); // storage cleared
    expect(keeper.stored).to.equal(null);
    expect(changes).to.have.length(2);

    keeper.hostDisconnected();
    otherTab(sessionKey, theirs);
    expect(keeper.stored, 'not listening once the host left').to.equal(null);
  });

  it('keeps the session in memory when storage refuses it; PasswordlessClient, which reads storage, sees none', () => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      const keeper = new SessionKeeper(new ApiClient(base));
      keeper.keep({ token: 'mine', expiresAt: inAnHour(), user });
      expect(keeper.stored?.token).to.equal('mine');
      expect(new PasswordlessClient().session).to.equal(null);
    } finally {
      Storage.prototype.setItem = setItem;
    }
  });
});

describe('getAccessToken', () => {
  /** A keeper on a scripted API: `answers` are what the token route says, in order. */
  function scripted(answers: Array<ApiResult<{ accessToken: string; expiresIn: number }>>) {
    const api = new ApiClient(base);
    const asked: Array<string | undefined> = [];
    api.call = (async (_path: string, _body: unknown, token?: string) => (asked.push(token), answers.shift())) as ApiClient['call'];
    return { keeper: new SessionKeeper(api), asked };
  }
  const token = (accessToken: string) => ({ ok: true as const, data: { accessToken, expiresIn: 300 } });
  const t0 = Date.UTC(2026, 0, 1);

  it('is reused until a minute before it expires, then asked for again', async () => {
    const { keeper, asked } = scripted([token('a'), token('b')]);
    keeper.keep({ token: 's1', expiresAt: inAnHour(), user });
    expect(await getAccessToken(keeper, t0)).to.equal('a');
    expect(await getAccessToken(keeper, t0 + 239_999)).to.equal('a');
    expect(await getAccessToken(keeper, t0 + 240_000)).to.equal('b');
    expect(asked).to.deep.equal(['s1', 's1']);
  });

  it('is dropped with the session: the same user signing in again (cookie mode) gets a new one', async () => {
    const { keeper, asked } = scripted([token('a'), token('b')]);
    const marker = { expiresAt: inAnHour(), user };
    keeper.keep(marker);
    expect(await getAccessToken(keeper, t0)).to.equal('a');
    keeper.forget();
    expect(await getAccessToken(keeper, t0), 'signed out').to.equal(null);
    keeper.keep({ ...marker });
    expect(await getAccessToken(keeper, t0)).to.equal('b');
    expect(asked).to.have.length(2);
  });

  it('forgets the session on a 401, but not a newer one kept while it was asked', async () => {
    const ended = { ok: false as const, status: 401, error: { code: 'unauthenticated' as const } };
    const first = scripted([ended]);
    first.keeper.keep({ token: 's1', expiresAt: inAnHour(), user });
    expect(await getAccessToken(first.keeper, t0)).to.equal(null);
    expect(first.keeper.stored).to.equal(null);

    const second = scripted([]);
    second.keeper.keep({ token: 'old', expiresAt: inAnHour(), user });
    second.keeper.api.call = (async () => {
      second.keeper.keep({ token: 'new', expiresAt: inAnHour(), user });
      return ended;
    }) as ApiClient['call'];
    expect(await getAccessToken(second.keeper, t0)).to.equal(null);
    expect(second.keeper.stored?.token).to.equal('new');
  });
});
