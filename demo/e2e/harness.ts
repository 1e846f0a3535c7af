/**
 * What every end-to-end test needs: the real backend serving the built bundle and the demo page,
 * a headless Chromium, and a recorder in each page for the element's events, CSP violations and
 * uncaught errors. Tests wait for conditions (an element, an event, a mail), never for time.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../widget/testing/chromium.mjs';
import { FRAMEWORK_DIST_DIR, FRAMEWORKS, mountDemo } from '../demo-routes.ts';
import { DEFAULT_WIDGET_FILE } from '../../server/assets/widget-files.ts';
import type { DevMail } from '../../server/mail/types.ts';
import { startTestServer, type TestServer } from '../../server/testing/test-server.ts';

/** A step that should take milliseconds; long enough for a loaded 2-core CI machine. */
export const STEP_TIMEOUT_MS = 10_000;

export const SCREENSHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** Chromium with the flags of every test (`widget/testing/chromium.mjs`), plus `extraArgs`. */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No browser at ${chromiumPath}: install Chromium (apt-get install chromium, or bash .ci/run) or set CHROME_PATH.`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs, ...extraArgs] });
}

export interface DemoServer {
  /** `http://127.0.0.1:PORT`: the demo page at `/`, the API under `/auth`, the bundle at `/passwordless-login.js`. */
  url: string;
  testServer: TestServer;
  /** Resolves with the next mail to `to` that arrives after this call: call it before the click that sends it. */
  nextMailTo(to: string): Promise<DevMail>;
  close(): Promise<void>;
}

/**
 * The backend exactly as `npm start` composes it (through `startTestServer`), with the demo
 * mounted; `env` as operators set it (`PUBLIC_URL`, `ALLOWED_ORIGINS`, …) over the test defaults.
 */
export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  if (!existsSync(DEFAULT_WIDGET_FILE)) throw new Error(`${DEFAULT_WIDGET_FILE} is missing: run \`npm run build\` first.`);
  for (const name of FRAMEWORKS) {
    const index = `${FRAMEWORK_DIST_DIR}${name}/index.html`;
    if (!existsSync(index)) throw new Error(`${index} is missing: run \`npm run build:demos\` first (npm run test:e2e does).`);
  }
  const testServer = await startTestServer({
    env,
    mount: (app, backend, { config, clock }) => mountDemo(app, { mailbox: backend.mailbox, publicUrl: config.publicUrl, audience: config.accessTokenAudience, clock }),
  });
  return {
    url: testServer.url,
    testServer,
    nextMailTo: (to) => testServer.mailbox.waitForMail((mail) => mail.to === to, { timeoutMs: STEP_TIMEOUT_MS }),
    close: () => testServer.close(),
  };
}

/**
 * The demo server and a browser for one test file: started before its first test, closed after
 * its last. Read `server` and `browser` inside tests (they exist once the `before` hook ran).
 */
export function useDemo(): { readonly server: DemoServer; readonly browser: Browser } {
  const demo = {} as { server: DemoServer; browser: Browser };
  before(async () => {
    demo.server = await startDemoServer();
    demo.browser = await launchBrowser();
  });
  after(async () => {
    await demo.browser?.close();
    await demo.server?.close();
  });
  return demo;
}

export interface RecordedEvent {
  name: string;
  detail: unknown;
}

export interface CspViolation {
  directive: string;
  blockedURI: string;
  sample: string;
}

interface Recorder {
  events: RecordedEvent[];
  csp: CspViolation[];
}

declare global {
  interface Window {
    __e2e: Recorder;
  }
}

/** A context whose every page records the element's events and CSP violations from its first byte. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  await context.addInitScript(() => {
    const recorder: Recorder = { events: [], csp: [] };
    window.__e2e = recorder;
    const names = ['passwordless-code-sent', 'passwordless-success', 'passwordless-error', 'passwordless-signed-out', 'passwordless-step-change'];
    for (const name of names) {
      document.addEventListener(name, (event) => recorder.events.push({ name, detail: (event as CustomEvent).detail }));
    }
    document.addEventListener('securitypolicyviolation', (event) => {
      recorder.csp.push({ directive: event.effectiveDirective, blockedURI: event.blockedURI, sample: event.sample });
    });
  });
  return context;
}

/** Uncaught errors in any page of the context: a test ends by checking there were none. */
export function collectPageErrors(context: BrowserContext): string[] {
  const errors: string[] = [];
  const watch = (page: Page) => page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  context.pages().forEach(watch);
  context.on('page', watch);
  return errors;
}

export async function recordedEvents(page: Page): Promise<RecordedEvent[]> {
  return page.evaluate(() => window.__e2e.events);
}

export async function cspViolations(page: Page): Promise<CspViolation[]> {
  return page.evaluate(() => window.__e2e.csp);
}

/** Waits until the page has heard `name` (from the element) and returns its detail. */
export async function waitForElementEvent(page: Page, name: string): Promise<unknown> {
  const handle = await page.waitForFunction((n) => window.__e2e.events.find((e) => e.name === n), name, { timeout: STEP_TIMEOUT_MS });
  return ((await handle.jsonValue()) as RecordedEvent).detail;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}

let emailCounter = 0;

/** A fresh address per test, so the per-email resend limit of one test never meets another. */
export function uniqueEmail(label: string): string {
  emailCounter += 1;
  return `${label}-${process.pid}-${emailCounter}@example.com`;
}

/** `GET /auth/session` with a bearer token, from outside any browser: the server's own answer. */
export async function sessionStatus(baseUrl: string, token: string): Promise<number> {
  const response = await fetch(`${baseUrl}/auth/session`, { headers: { Authorization: `Bearer ${token}` } });
  await response.body?.cancel();
  return response.status;
}

/** The bearer token of the element's `session` property (its public API), or null. */
export async function elementSessionToken(page: Page): Promise<string | null> {
  return page.evaluate(() => document.querySelector('passwordless-login')?.session?.token ?? null);
}

/** The mail's code, asserted present: every test mail carries one. */
export async function codeFrom(mail: Promise<DevMail>): Promise<string> {
  const { code } = await mail;
  if (!code) throw new Error('the mail carries no code');
  return code;
}

/** A code of the same length that is surely wrong (its last digit moved by one). */
export function wrongCode(code: string): string {
  return code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10);
}

/**
 * What has the keyboard focus, looking through shadow roots: `passwordless-login > input#email`,
 * `passwordless-login > button[part="button primary submit"]`, `body`.
 */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    // No named function in here: tsx would wrap it in a helper the page does not have.
    const path: string[] = [];
    let el: Element | null = document.activeElement;
    while (el) {
      const part = el.getAttribute('part');
      path.push(el.localName + (el.id ? `#${el.id}` : '') + (part ? `[part="${part}"]` : ''));
      el = el.shadowRoot?.activeElement ?? null;
    }
    return path.join(' > ');
  });
}
