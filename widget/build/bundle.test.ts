import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { PasswordlessLogin } from '../element/passwordless-login.ts';
import { mailTo, uniqueEmail } from '../testing/backend.ts';

// The built script-tag file in a real browser, loaded from another origin than the page's, as a
// site embedding the widget would. The only test that catches a bundler emitting syntax Chromium
// cannot run: Vite 8 copies standard decorators into the bundle untouched, Chromium throws a
// SyntaxError, and the element is never defined, with no warning at build time. The test runner
// builds the widget at start (widget/build/build-widget.ts) and serves the script as
// /__test/bundle.js, its modules beside it.

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

describe('dist/passwordless-login.js', () => {
  before(async () => {
    const errors: string[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.message);
    window.addEventListener('error', onError);
    // Another origin than the page's (127.0.0.1 against localhost), as a site embedding the widget.
    await loadScript(`http://127.0.0.1:${location.port}/__test/bundle.js`);
    window.removeEventListener('error', onError);
    expect(errors, 'the bundle threw while loading').to.deep.equal([]);
  });

  it('defines <passwordless-login>', () => {
    expect(customElements.get('passwordless-login')).to.be.a('function');
  });

  it('talks to the API at its script origin + /auth by default, across origins', async () => {
    const el = await fixture(html`<passwordless-login></passwordless-login>`);
    await customElements.whenDefined('passwordless-login');
    const input = el.shadowRoot!.querySelector('input')!;
    input.value = uniqueEmail('bundle');
    const sent = oneEvent(el, 'passwordless-code-sent');
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="submit"]')!.click();
    const { detail } = await sent;
    expect(detail.email).to.equal(input.value);
  });

  it('fetches a feature module from beside itself, across origins: the link step of a link from another browser', async () => {
    const email = uniqueEmail('bundle-link');
    const asking = await fixture<PasswordlessLogin>(html`<passwordless-login></passwordless-login>`);
    await asking.requestCode(email);
    // The link module keeps this browser's request secret once it is fetched, after the answer:
    // wait for it, so the clear below really makes this another browser.
    await asking.settled;
    localStorage.clear(); // another browser: the link waits for "Continue"
    const pageUrl = location.href.split('#')[0]!;
    history.replaceState(null, '', (await mailTo(email)).link);
    try {
      const el = await fixture<PasswordlessLogin>(html`<passwordless-login></passwordless-login>`);
      await el.settled;
      const continueButton = el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="continue"]');
      expect(continueButton?.textContent?.trim()).to.equal('Continue signing in');
      const fetched = performance.getEntriesByType('resource').map((entry) => entry.name);
      expect(fetched).to.include(`http://127.0.0.1:${location.port}/__test/passwordless-login/features/link.js`);
      const signedIn = oneEvent(el, 'passwordless-success');
      continueButton!.click();
      expect((await signedIn).detail.user.email).to.equal(email);
    } finally {
      history.replaceState(null, '', pageUrl);
      localStorage.clear();
    }
  });
});
