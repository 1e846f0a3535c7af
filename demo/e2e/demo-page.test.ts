/**
 * The demo page's own parts around the element: the event log, the dev mailbox panel and the
 * language switch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newContext, screenshot, uniqueEmail, useDemo } from './harness.ts';

describe('the demo page', () => {
  const demo = useDemo();

  it('logs the element\'s events and lists the mail in the dev mailbox with its code and link', async () => {
    const context = await newContext(demo.browser);
    const page = await context.newPage();
    await page.goto(demo.server.url);
    const mailbox = page.getByRole('region', { name: 'Dev mailbox' });
    await mailbox.getByText('0 messages').waitFor();

    const email = uniqueEmail('panel');
    await page.getByLabel('Email address').fill(email);
    const sent = demo.server.nextMailTo(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await sent;

    const item = mailbox.getByRole('listitem').filter({ hasText: email });
    await item.getByText(mail.subject).waitFor();
    assert.equal((await item.locator('.mail-code').textContent())?.trim(), mail.code);
    const link = item.getByRole('link', { name: 'Open the sign-in link' });
    assert.equal(await link.getAttribute('href'), mail.link);
    assert.equal(await link.getAttribute('target'), '_blank');

    const log = page.getByRole('region', { name: 'Event log' });
    await log.getByText('passwordless-code-sent').waitFor();
    await log.getByText('passwordless-step-change').first().waitFor();
    await screenshot(page, 'demo-mailbox-and-log');
    await context.close();
  });

  it('switches the element to Simplified Chinese', async () => {
    const context = await newContext(demo.browser);
    const page = await context.newPage();
    await page.goto(demo.server.url);
    await page.getByLabel('Email address').waitFor();

    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByLabel('电子邮箱').waitFor();
    await page.getByRole('button', { name: '发送验证码' }).waitFor();
    assert.equal(await page.locator('passwordless-login').getAttribute('lang'), 'zh-CN');
    await screenshot(page, 'demo-zh-CN');

    // The email is written in the language the element shows.
    const email = uniqueEmail('zh');
    await page.getByLabel('电子邮箱').fill(email);
    const sent = demo.server.nextMailTo(email);
    await page.getByRole('button', { name: '发送验证码' }).click();
    const mail = await sent;
    await page.getByLabel('邮件中的验证码').waitFor();
    assert.match(mail.subject, /\p{Script=Han}/u, `a Chinese subject: ${mail.subject}`);
    await context.close();
  });

  it('has an icon (no 404 on load) and a snippet that shows the access token and its check on the server', async () => {
    const context = await newContext(demo.browser);
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(demo.server.url);
    await page.getByLabel('Email address').waitFor();
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    assert.equal(icon, '/demo/favicon.svg');
    for (const path of [icon, '/favicon.ico']) {
      const response = await fetch(`${demo.server.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), 'image/svg+xml', path);
      assert.match(await response.text(), /^<svg /);
    }
    const snippet = (await page.getByRole('region', { name: 'Put it on your site' }).textContent()) ?? '';
    assert.match(snippet, /await event\.target\.getAccessToken\(\)/);
    assert.match(snippet, /Authorization: `Bearer \$\{token\}`/);
    assert.match(snippet, /createRemoteJWKSet\(new URL\('https:\/\/auth\.example\.com\/\.well-known\/jwks\.json'\)\)/);
    assert.match(snippet, /jwtVerify\(token, keys, \{[^}]*issuer:[^}]*audience:[^}]*algorithms: \['ES256'\][^}]*typ: 'at\+jwt'/);
    assert.doesNotMatch(snippet, /session\.token/, 'the bearer session token is not what a site sends its API');
    assert.deepEqual(failed, []);
    await context.close();
  });
});
