import { expect, fixture, html } from '@open-wc/testing';
import '../module.ts';
import { setModuleLoader, type ModuleLoader } from '../on-demand/on-demand.ts';
import type { PasswordlessEventMap } from './events.ts';
import type { PasswordlessLogin } from './passwordless-login.ts';
import { mailTo, uniqueEmail } from '../testing/backend.ts';
import { FakeClock } from '../testing/fake-clock.ts';

// The element with its feature modules out of reach (offline, a deploy half done): it says so in
// a sentence, or degrades, and never stays an empty box; the next use fetches again. Its own page
// (web-test-runner runs each file in one), so no other test has fetched a feature before; the
// tests share the page's module cache, in this order: the link module fails twice, then comes in.

type EventName = keyof PasswordlessEventMap;
let events: Array<{ type: EventName; detail: unknown }> = [];
const names: EventName[] = ['passwordless-error', 'passwordless-step-change', 'passwordless-signed-out', 'passwordless-success'];
const record = (event: Event) => events.push({ type: event.type as EventName, detail: (event as CustomEvent).detail });
const pageUrl = location.href.split('#')[0]!;
const networkError = 'Could not reach the sign-in service. Check your connection and try again.';

/** The ES module build's loader, with the feature modules failing while `offline` is true. */
let offline = false;
const fetched: string[] = [];
/** The link module's fetches (the approval module is fetched too, with the config: this backend has approvals on). */
const linkFetches = () => fetched.filter((name) => name === 'link');
setModuleLoader(((folder: string, name: string) => {
  if (folder === 'locales') return import(`../i18n/locales/${name}.ts`);
  fetched.push(name);
  return offline ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : import(`../features/${name}/index.ts`);
}) as ModuleLoader);

beforeEach(() => {
  localStorage.clear();
  events = [];
  fetched.length = 0;
  for (const name of names) document.addEventListener(name, record);
});

afterEach(() => {
  offline = false;
  history.replaceState(null, '', pageUrl);
  for (const name of names) document.removeEventListener(name, record);
});

async function mount(): Promise<PasswordlessLogin> {
  const el = await fixture<PasswordlessLogin>(html`<passwordless-login></passwordless-login>`);
  el.clock = new FakeClock(Date.now());
  await el.settled;
  return el;
}

const $ = (el: PasswordlessLogin, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const text = (el: PasswordlessLogin, selector: string) => $(el, selector)?.textContent?.trim() ?? null;

async function signIn(el: PasswordlessLogin, email: string): Promise<void> {
  await el.requestCode(email);
  await el.verifyCode((await mailTo(email)).code);
  expect(el.user?.email).to.equal(email);
}

describe('<passwordless-login> with its feature modules out of reach', () => {
  it('still mails a code without the link module: only the same-browser shortcut of the link is lost', async () => {
    offline = true;
    const el = await mount();
    await el.requestCode(uniqueEmail('no-link-module'));
    expect($(el, '#code'), 'the code step').to.not.equal(null);
    expect(text(el, '[role="alert"]')).to.equal(null);
    expect(linkFetches()).to.deep.equal(['link']);
    expect(localStorage.getItem(`passwordless-login:pending:${location.origin}/auth`), 'no clientHash kept').to.equal(null);
  });

  it('leaves a link step it cannot draw for the email step, with the sentence that says why', async () => {
    offline = true;
    history.replaceState(null, '', `${pageUrl}#pl_token=unused-token&pl_client=another-browser`);
    const el = await mount();
    expect(location.hash, 'the token left the address bar all the same').to.equal('');
    expect(linkFetches()).to.deep.equal(['link']);
    expect($(el, '#email'), 'the email step').to.not.equal(null);
    expect(text(el, '[role="alert"]')).to.equal(networkError);
    expect($(el, '[part~="base"]')!.getAttribute('aria-busy')).to.equal('false');
    const steps = events.filter((e) => e.type === 'passwordless-step-change').map((e) => (e.detail as { step: string }).step);
    expect(steps).to.deep.equal(['link', 'email']);
    expect(events.filter((e) => e.type === 'passwordless-error').map((e) => e.detail)).to.deep.equal([
      { code: 'network_error', message: networkError },
    ]);
    await expect(el).to.be.accessible();
  });

  it('fetches the module again at the next link, and shows the link step', async () => {
    // Well formed, but no mail carried it: the module asks the server whose it is, and says it is not valid.
    const unknown = `${pageUrl}#pl_token=${'u'.repeat(43)}&pl_client=another-browser`;
    offline = true;
    history.replaceState(null, '', unknown);
    await mount();
    offline = false;
    history.replaceState(null, '', unknown);
    const el = await mount();
    expect(linkFetches()).to.deep.equal(['link', 'link']);
    expect(text(el, '[role="alert"]')).to.equal('This sign-in link is not valid any more. It may have been used already.');
    expect(text(el, 'button[part~="back"]')).to.equal('Sign in with your email');
  });

  it('keeps the clientHash once the link module is in', async () => {
    const el = await mount();
    await el.requestCode(uniqueEmail('link-module'));
    const pending = JSON.parse(localStorage.getItem(`passwordless-login:pending:${location.origin}/auth`) ?? '[]') as unknown[];
    expect(pending).to.have.length(1);
  });

  it('answers getAccessToken() with null when its module cannot be fetched, and keeps the session', async () => {
    const el = await mount();
    await signIn(el, uniqueEmail('no-token-module'));
    offline = true;
    expect(await el.getAccessToken()).to.equal(null);
    expect(el.user, 'still signed in').to.not.equal(null);
    expect(events.filter((e) => e.type === 'passwordless-signed-out')).to.deep.equal([]);
    offline = false;
    expect(await el.getAccessToken()).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(fetched.filter((name) => name === 'access-token')).to.deep.equal(['access-token', 'access-token']);
  });

  it('fetches no module for getAccessToken() while no one is signed in', async () => {
    const el = await mount();
    expect(await el.getAccessToken()).to.equal(null);
    expect(fetched).to.deep.equal([]);
  });
});
