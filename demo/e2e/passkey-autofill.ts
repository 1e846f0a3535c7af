/**
 * Passkey autofill as a person meets it. Chromium's virtual authenticator answers an autofill
 * (conditional) request at once, with no focus and no choice, where a person would first click
 * into the email field and pick the passkey among its suggestions; and an answer held back with
 * the protocol's presence simulation races the page (docs/contributing.md#passkeys-in-chromium).
 * So every page of a context made here holds each autofill request in the page until the test
 * says the person picked the passkey (`pickAutofillPasskey`), and only then hands it to the
 * browser, unchanged; the page's own abort (the element's, before its button's prompt) ends it
 * as the browser would. Requests that are not autofill go to the browser at once.
 */
import type { BrowserContext, Page } from 'playwright-core';

interface AutofillRecorder {
  /** The `mediation` of each `navigator.credentials.get`, in order (`'optional'` when the page set none). */
  calls: string[];
  /** Hands the autofill request waiting for the person to the browser; null when none waits. */
  waiting: (() => void) | null;
  /** That request's abort signal. */
  signal: AbortSignal | null;
}

declare global {
  interface Window {
    __autofill: AutofillRecorder;
  }
}

/** Makes every page of `context` hold its autofill requests for the person (call before opening pages). */
export async function holdAutofillForThePerson(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    // Functions here are assigned to properties only, never named: tsx would wrap a named one in
    // a helper the page does not have.
    const recorder: AutofillRecorder = { calls: [], waiting: null, signal: null };
    window.__autofill = recorder;
    // about:blank, where a new page starts, is no secure context: it has no navigator.credentials.
    if (!navigator.credentials) return;
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options) => {
      recorder.calls.push(options?.mediation ?? 'optional');
      if (options?.mediation !== 'conditional') return get(options);
      return new Promise((resolve, reject) => {
        const signal = options.signal ?? null;
        if (signal?.aborted) return reject(new DOMException('The operation was aborted.', 'AbortError'));
        recorder.signal = signal;
        recorder.waiting = () => void get(options).then(resolve, reject);
        signal?.addEventListener('abort', () => {
          if (recorder.signal === signal) recorder.waiting = recorder.signal = null;
          reject(new DOMException('The operation was aborted.', 'AbortError'));
        }, { once: true });
      });
    };
  });
}

/** Waits until the page's autofill request is waiting for the person. */
export async function autofillWaits(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__autofill.waiting !== null);
}

/** The person clicks into the email field and picks the passkey: the waiting request goes to the browser. */
export async function pickAutofillPasskey(page: Page): Promise<void> {
  await autofillWaits(page);
  await page.locator('passwordless-login [part~="email-input"]').focus();
  await page.evaluate(() => {
    const recorder = window.__autofill;
    const pick = recorder.waiting!;
    recorder.waiting = recorder.signal = null;
    pick();
  });
}

/** The mediation of each WebAuthn sign-in request the page made: `'conditional'` (autofill) or `'optional'` (a button's prompt). */
export function signInRequests(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__autofill.calls);
}
