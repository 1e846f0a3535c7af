/**
 * The four looks every step is photographed in (light, dark, a 375 px phone, Arabic right to
 * left), and the checks of what a person would notice first in a picture: nothing runs past the
 * right edge of the screen, the dark look is dark and the light one light, Arabic is laid out
 * right to left, and no CSP violation happened. screenshots.test.ts runs them on every step and
 * page; passkeys.test.ts on the passkey steps.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { cspViolations, SCREENSHOT_DIR } from './harness.ts';

export interface Look {
  name: 'light' | 'dark' | 'mobile' | 'arabic';
  options: BrowserContextOptions;
  /** The scheme the pages must show. */
  scheme: 'light' | 'dark';
  rtl: boolean;
}

const DESKTOP = { width: 1280, height: 860 };
export const LOOKS: Look[] = [
  { name: 'light', options: { viewport: DESKTOP, colorScheme: 'light', locale: 'en-US' }, scheme: 'light', rtl: false },
  { name: 'dark', options: { viewport: DESKTOP, colorScheme: 'dark', locale: 'en-US' }, scheme: 'dark', rtl: false },
  { name: 'mobile', options: { viewport: { width: 375, height: 740 }, colorScheme: 'light', locale: 'en-US', hasTouch: true }, scheme: 'light', rtl: false },
  { name: 'arabic', options: { viewport: DESKTOP, colorScheme: 'light', locale: 'ar' }, scheme: 'light', rtl: true },
];

/** What an element-only part of the page is called: playwright's CSS reaches into open shadow roots. */
export const part = (page: Page, name: string): Locator => page.locator(`passwordless-login [part~="${name}"]`).first();

/** Relative luminance of a computed CSS colour (`rgb(…)`/`rgba(…)`), 0 (black) to 1 (white). */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255);
  const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
}

export interface CaptureChecks {
  /** Check the element's direction and scheme (false on a page without it). Default true. */
  element?: boolean;
  /** Check the page's own background against the look (false for a page that has none of its own). Default true. */
  pageScheme?: boolean;
}

/**
 * Saves `demo/e2e/screenshots/<file>.png` (of `target`, default the whole page), then checks what it
 * shows in `look`.
 */
export async function captureInLook(page: Page, look: Look, file: string, target?: Locator, checks: CaptureChecks = {}): Promise<void> {
  const { element = true, pageScheme = true } = checks;
  const path = `${SCREENSHOT_DIR}${file}.png`;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  if (target) await target.screenshot({ path });
  else await page.screenshot({ path, fullPage: true });

  const layout = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth, bodyBg: getComputedStyle(document.body).backgroundColor, htmlBg: getComputedStyle(document.documentElement).backgroundColor }));
  assert.ok(layout.scrollWidth <= layout.innerWidth, `${file}: the page is ${layout.scrollWidth} px wide in a ${layout.innerWidth} px window`);
  if (pageScheme) {
    // A transparent body shows the root's background (the canvas): take whichever is painted.
    const painted = /rgba\(0, 0, 0, 0\)|transparent/.test(layout.bodyBg) ? layout.htmlBg : layout.bodyBg;
    const l = /rgba\(0, 0, 0, 0\)|transparent/.test(painted) ? (look.scheme === 'dark' ? NaN : 1) : luminance(painted);
    if (look.scheme === 'dark') assert.ok(l < 0.05, `${file}: the dark look's background is ${painted}`);
    else assert.ok(l > 0.8, `${file}: the light look's background is ${painted}`);
  }
  if (element) {
    const base = part(page, 'base');
    const [dir, background] = await base.evaluate((node) => [(node as HTMLElement).dir, getComputedStyle(node).backgroundColor]);
    assert.equal(dir, look.rtl ? 'rtl' : 'ltr', `${file}: the element's direction`);
    if (look.scheme === 'dark') assert.ok(luminance(background) < 0.05, `${file}: the element is dark (${background})`);
    else assert.ok(luminance(background) > 0.8, `${file}: the element is light (${background})`);
  }
  assert.deepEqual(await cspViolations(page), [], `${file}: no CSP violation`);
}

/** The demo page in `look`: Arabic through its language switch (the page itself is English). */
export async function openDemoInLook(page: Page, url: string, look: Look): Promise<void> {
  await page.goto(url);
  if (look.rtl) await page.locator('#lang-select').selectOption('ar');
  await part(page, 'email-input').waitFor();
  if (look.rtl) await page.locator('passwordless-login [part~="base"][dir="rtl"]').waitFor();
}
