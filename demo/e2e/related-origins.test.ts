/**
 * Whether this machine's Chromium does WebAuthn Related Origin Requests in a test, with no
 * element and no server of ours in between: a page on `https://shop.test` uses the RP ID
 * `login.test` because `https://login.test/.well-known/webauthn` lists it, and a page on
 * `https://elsewhere.test`, not listed, is refused. passkeys.test.ts relies on it; when this file
 * fails, look here first (named-hosts.ts says how the host names and the certificate are made).
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { PASSKEY_WELL_KNOWN_PATH } from '../../contract/passkeys.ts';
import { launchBrowser, newContext } from './harness.ts';
import { namedHostArgs, selfSignedCertificate, startNamedHost, type NamedHost } from './named-hosts.ts';
import { addVirtualAuthenticator } from './virtual-authenticator.ts';
import { createCredential, getCredential } from './webauthn-calls.ts';

const RP_ID = 'login.test';

describe('WebAuthn Related Origin Requests in this Chromium', () => {
  let browser: Browser;
  let hosts: NamedHost[];
  const wellKnownFetches: string[] = [];

  /** Every host serves a blank page; login.test also its list of related origins. */
  function site(name: string) {
    return (request: IncomingMessage, response: ServerResponse) => {
      if (name === RP_ID && request.url === PASSKEY_WELL_KNOWN_PATH) {
        wellKnownFetches.push(request.headers['sec-fetch-site'] ?? '');
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ origins: ['https://shop.test'] }));
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><title>${name}</title>`);
    };
  }

  before(async () => {
    const names = [RP_ID, 'shop.test', 'elsewhere.test'];
    const certificate = await selfSignedCertificate(names);
    hosts = await Promise.all(names.map((name) => startNamedHost(name, certificate, site(name))));
    browser = await launchBrowser(namedHostArgs(hosts));
  });
  after(async () => {
    await browser?.close();
    await Promise.all((hosts ?? []).map((host) => host.close()));
  });

  it('lets a listed origin create and use a passkey of the RP ID, and the RP ID use it back', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('https://shop.test/');
    assert.equal(await page.evaluate(() => isSecureContext), true, 'the test certificate counts as secure');
    await addVirtualAuthenticator(page);

    const made = await createCredential(page, RP_ID, 'ada@example.com');
    assert.ok(made.ok, JSON.stringify(made));
    assert.ok(wellKnownFetches.length > 0, 'Chromium asked login.test which origins it trusts');

    await page.goto(`https://${RP_ID}/`);
    const home = await getCredential(page, RP_ID);
    assert.ok(home.ok && home.id === made.id, JSON.stringify(home));
    await page.goto('https://shop.test/');
    const back = await getCredential(page, RP_ID);
    assert.ok(back.ok && back.id === made.id, JSON.stringify(back));
    await context.close();
  });

  it('refuses an origin the list does not name', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto('https://elsewhere.test/');
    await addVirtualAuthenticator(page);
    const refused = await createCredential(page, RP_ID, 'bo@example.com');
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error, 'SecurityError');
    const alsoRefused = await getCredential(page, RP_ID);
    assert.equal(!alsoRefused.ok && alsoRefused.error, 'SecurityError');
    await context.close();
  });
});
