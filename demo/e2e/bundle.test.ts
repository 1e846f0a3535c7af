/**
 * The built bundle in a real browser. Vite 8 can copy standard decorators into the bundle
 * unchanged, and then Chromium throws a SyntaxError and the element is never defined, with no
 * warning at build time (docs/contributing.md, "Toolchain notes"): only loading `dist/passwordless-login.js` catches that.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { DEFAULT_WIDGET_FILE } from '../../server/assets/widget-files.ts';
import { collectPageErrors, cspViolations, newContext, screenshot, useDemo } from './harness.ts';

describe('the built bundle', () => {
  const demo = useDemo();

  it('is what the server sends as /passwordless-login.js', async () => {
    const response = await fetch(`${demo.server.url}/passwordless-login.js`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
    assert.equal(await response.text(), await readFile(DEFAULT_WIDGET_FILE, 'utf8'));
  });

  it('defines <passwordless-login> and renders its email step on the demo page', async () => {
    const context = await newContext(demo.browser);
    const errors = collectPageErrors(context);
    const page = await context.newPage();
    await page.goto(demo.server.url);
    assert.equal(await page.evaluate(() => customElements.get('passwordless-login') !== undefined), true, 'the element is defined');
    await page.getByLabel('Email address').waitFor();
    await page.getByRole('button', { name: 'Email me a code' }).waitFor();
    assert.equal(await page.evaluate(() => document.querySelector('passwordless-login')?.shadowRoot !== null), true, 'it renders in a shadow root');
    await screenshot(page, 'bundle-demo-page');
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const [name, path] of [
    ['the demo page', '/'],
    ['the magic-link landing page', '/auth/link'],
  ] as const) {
    it(`runs ${name} with zero Content-Security-Policy violations`, async () => {
      const context = await newContext(demo.browser);
      const page = await context.newPage();
      const response = await page.goto(demo.server.url + path);
      assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/, 'the page is served under the strict CSP');
      await page.getByLabel('Email address').waitFor();
      // Styles, fonts and the mailbox poll have all had their chance once the page is idle.
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await cspViolations(page), []);

      // The recorder itself must be able to see a violation, or the check above proves nothing.
      await page.evaluate(() => document.body.setAttribute('style', 'outline: 1px solid red'));
      await page.waitForFunction(() => window.__e2e.csp.length > 0);
      assert.equal((await cspViolations(page))[0]?.directive, 'style-src-attr');
      await context.close();
    });
  }
});
