/**
 * The magic link's landing page and the pages' stylesheet on a real backend: the site's name as
 * the heading, the way back to the site, the browser's language and direction, a stylesheet
 * served under the strict CSP, and nothing inline.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';
import { PAGE_STYLES } from './page-styles.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

describe('the landing page', () => {
  let s: TestServer;
  let named: TestServer;
  before(async () => {
    s = await startTestServer();
    named = await startTestServer({ env: { SITE_NAME: 'Tom & Jerry <Shop>', ALLOWED_ORIGINS: 'https://shop.example.com,https://other.example.com' } });
  });
  after(async () => {
    await Promise.all([s.close(), named.close()]);
  });

  const page = async (server: TestServer, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}/auth/link`, { headers });
    assert.equal(response.status, 200);
    return { response, html: await response.text() };
  };

  it('is headed by the site\'s name, by default the host of PUBLIC_URL, and leads back to the site', async () => {
    const host = new URL(s.url).host;
    const { html } = await page(s);
    assert.match(html, new RegExp(`<header class="site"><h1 class="site-name" dir="auto">${host}</h1></header>`), 'no letter mark for an address that starts with a digit');
    assert.match(html, /<title>127\.0\.0\.1:\d+<\/title>/);
    assert.ok(html.includes(`<a class="back" href="${s.url}/">Back to ${host}</a>`), html);
    assert.match(html, /<passwordless-login api="\/auth"><\/passwordless-login>/);
  });

  it('takes SITE_NAME, escaped, and leads back to the first allowed origin', async () => {
    const { html } = await page(named);
    assert.ok(html.includes('<span class="site-mark" aria-hidden="true">T</span><h1 class="site-name" dir="auto">Tom &amp; Jerry &lt;Shop&gt;</h1>'), html);
    assert.ok(html.includes('<a class="back" href="https://shop.example.com/">Back to Tom &amp; Jerry &lt;Shop&gt;</a>'), html);
    assert.ok(!html.includes('<Shop>'));
  });

  it('links the stylesheet and has no inline script, style or handler', async () => {
    const { html, response } = await page(s);
    assert.match(html, /<link rel="stylesheet" href="\/auth\/pages\.css">/);
    assert.doesNotMatch(html, /<script>|<style|style=|\son[a-z]+=/i);
    assert.equal(response.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  });

  it('speaks the browser\'s language, right to left in Arabic, so the element follows it', async () => {
    const arabic = await page(s, { 'Accept-Language': 'ar-EG,ar;q=0.9,en;q=0.5' });
    assert.match(arabic.html, /<html lang="ar" dir="rtl">/);
    assert.match(arabic.html, /العودة إلى/);
    assert.match(arabic.response.headers.get('vary') ?? '', /Accept-Language/);
    assert.match((await page(s, { 'Accept-Language': 'zh-TW' })).html, /<html lang="zh-TW" dir="ltr">.*返回/s);
    assert.match((await page(s, { 'Accept-Language': 'de-AT, fr;q=0.8' })).html, /<html lang="de" dir="ltr">.*Zurück zu/s);
    assert.match((await page(s)).html, /<html lang="en" dir="ltr">/);
  });
});

describe('the pages\' stylesheet', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  it('is served as CSS under the base path, cacheable, with nosniff', async () => {
    const response = await fetch(`${s.url}/auth/pages.css`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await response.text(), PAGE_STYLES);
  });

  it('has a dark scheme and turns around right to left with logical properties only', () => {
    assert.match(PAGE_STYLES, /@media \(prefers-color-scheme: dark\)/);
    assert.match(PAGE_STYLES, /\[dir='rtl'\] \.back::before/);
    assert.doesNotMatch(PAGE_STYLES, /(^|[\s;{])(margin|padding|border)-(left|right)|text-align:\s*(left|right)|\b(left|right):/m);
  });
});
