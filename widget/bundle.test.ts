import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { uniqueEmail } from './testing/backend.ts';

// The built dist bundle in a real browser: the only test that catches a bundler emitting syntax
// Chromium cannot run (Vite 8 and TC39 decorators: docs/contributing.md#vite-8-and-tc39-decorators).
// The test runner builds it with vite at start and serves it as /__test/bundle.js.

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
});
