/**
 * The element inside React 19 and Vue 3 apps built with Vite from the ESM entry
 * (widget/module.ts): each framework sets a property on it (`strings`, an object, so it cannot
 * be an attribute), listens to its events in its own idiom, and renders the email it received
 * from `passwordless-success`. Both pages are served under the backend's strict CSP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageOverrides } from '../../widget/module.ts';
import type { SuccessDetail } from '../../widget/element/events.ts';
import { CONTENT_SECURITY_POLICY } from '../../server/http/security-headers.ts';
import {
  codeFrom,
  collectPageErrors,
  cspViolations,
  elementSessionToken,
  newContext,
  recordedEvents,
  screenshot,
  sessionStatus,
  uniqueEmail,
  useDemo,
  waitForElementEvent,
  wrongCode,
} from './harness.ts';

const APPS = [
  { name: 'React', path: '/demo/react/', strings: { title: 'Sign in to the React demo', sendCode: 'Send my React code' } },
  { name: 'Vue', path: '/demo/vue/', strings: { title: 'Sign in to the Vue demo', sendCode: 'Send my Vue code' } },
] as const satisfies readonly { name: string; path: string; strings: MessageOverrides }[];

describe('framework embeds', () => {
  const demo = useDemo();

  for (const app of APPS) {
    it(`${app.name}: the property it sets reaches the element, and it receives passwordless-success`, async () => {
      const context = await newContext(demo.browser);
      const errors = collectPageErrors(context);
      const page = await context.newPage();
      const response = await page.goto(demo.server.url + app.path);
      assert.equal(response?.status(), 200);
      assert.equal(response?.headers()['content-security-policy'], CONTENT_SECURITY_POLICY, 'served under the strict CSP of every page');
      const status = page.getByTestId('framework-status');
      await status.getByText(`${app.name} is waiting for the element.`).waitFor();

      // The property the framework set: on the element, and in what it shows.
      assert.deepEqual(await page.evaluate(() => document.querySelector('passwordless-login')?.strings), app.strings);
      await page.getByRole('heading', { name: app.strings.title }).waitFor();
      const email = uniqueEmail(app.name.toLowerCase());
      await page.getByLabel('Email address').fill(email);
      const sent = demo.server.nextMailTo(email);
      await page.getByRole('button', { name: app.strings.sendCode }).click();
      const code = await codeFrom(sent);
      // The framework's own listener for passwordless-code-sent ran and re-rendered.
      await status.getByText(`${app.name} received passwordless-code-sent for ${email}`).waitFor();

      const codeField = page.getByLabel('Code from the email');
      await codeField.fill(wrongCode(code));
      await page.getByRole('alert').filter({ hasText: 'Wrong code, 4 attempts left.' }).waitFor();
      await codeField.fill(code);
      await page.getByRole('heading', { name: 'Signed in' }).waitFor();

      // The framework heard passwordless-success and rendered the email from its detail.
      await status.getByText(`${app.name} received passwordless-success for ${email}`).waitFor();
      const success = (await waitForElementEvent(page, 'passwordless-success')) as SuccessDetail;
      assert.equal(success.user.email, email);
      assert.equal(success.method, 'code');
      assert.equal(await elementSessionToken(page), success.session.token);
      assert.equal(await sessionStatus(demo.server.url, success.session.token!), 200);
      assert.equal((await recordedEvents(page)).filter((e) => e.name === 'passwordless-success').length, 1, 'one success, not one per render');
      await screenshot(page, `framework-${app.name.toLowerCase()}-signed-in`);

      // The language chunks the bundler split off load on demand, under the same CSP.
      await page.evaluate(() => document.querySelector('passwordless-login')!.setAttribute('lang', 'zh-CN'));
      await page.getByRole('heading', { name: '已登录' }).waitFor();
      await page.getByRole('button', { name: '退出登录' }).waitFor();
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
