/**
 * The virtual authenticator the passkey tests stand on (virtual-authenticator.ts), on a blank
 * page at `http://localhost:<port>` (RP ID `localhost`: an IP address is never one): it makes a
 * discoverable credential with user verification, answers a sign-in with it, lists it, forgets
 * it, follows its tab to another origin, lends its passkeys to another tab, and answers an
 * autofill request at once or, when told, holds it as a person who has not chosen yet.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, newContext } from './harness.ts';
import { addVirtualAuthenticator, credentialIdBase64url } from './virtual-authenticator.ts';
import { createCredential, Flag, getCredential, startConditionalGet } from './webauthn-calls.ts';

/** A blank page on its own port: `http://localhost:<port>/`. */
async function blankSite(): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>blank</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://localhost:${(server.address() as { port: number }).port}/`, server };
}

describe('the virtual authenticator', () => {
  let browser: Browser;
  let context: BrowserContext;
  let sites: { url: string; server: Server }[];

  before(async () => {
    sites = [await blankSite(), await blankSite()];
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    for (const site of sites ?? []) site.server.close();
  });

  it('makes a discoverable, user-verified credential, lists it, and signs in with it', async () => {
    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(sites[0]!.url);
    const authenticator = await addVirtualAuthenticator(page);

    const made = await createCredential(page, 'localhost', 'ada@example.com');
    assert.ok(made.ok, JSON.stringify(made));
    assert.equal(made.flags & (Flag.userPresent | Flag.userVerified), Flag.userPresent | Flag.userVerified);
    assert.equal(made.flags & (Flag.backupEligible | Flag.backedUp), 0, 'a device-bound passkey by default');

    const [held, ...others] = await authenticator.credentials();
    assert.deepEqual(others, []);
    assert.equal(credentialIdBase64url(held!.credentialId), made.id);
    assert.equal(held!.isResidentCredential, true);
    assert.equal(held!.rpId, 'localhost');
    assert.equal(Buffer.from(held!.userHandle!, 'base64').toString(), 'ada@example.com');

    // No allow list: the authenticator finds the credential by the RP ID alone, as autofill does.
    const used = await getCredential(page, 'localhost');
    assert.ok(used.ok, JSON.stringify(used));
    assert.equal(used.id, made.id);
    assert.equal(used.userHandle, 'ada@example.com');
    assert.equal(used.flags & Flag.userVerified, Flag.userVerified);
    assert.ok((await authenticator.credentials())[0]!.signCount > held!.signCount, 'the signature counter moved');
    await context.close();
  });

  it('refuses a sign-in once the credential is removed, and fails user verification when told to', async () => {
    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(sites[0]!.url);
    const authenticator = await addVirtualAuthenticator(page);
    assert.ok((await createCredential(page, 'localhost', 'bo@example.com')).ok);

    await authenticator.setUserVerified(false);
    const unverified = await getCredential(page, 'localhost');
    assert.equal(unverified.ok, false);
    await authenticator.setUserVerified(true);

    await authenticator.removeCredential((await authenticator.credentials())[0]!.credentialId);
    assert.deepEqual(await authenticator.credentials(), []);
    const refused = await getCredential(page, 'localhost');
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error, 'NotAllowedError');
    await context.close();
  });

  it('answers an autofill request at once, or holds it until the page gives up', async () => {
    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(sites[0]!.url);
    const authenticator = await addVirtualAuthenticator(page);
    assert.ok((await createCredential(page, 'localhost', 'di@example.com')).ok);

    const atOnce = await startConditionalGet(page, 'localhost');
    await page.waitForFunction('window.__conditionalGet.settled !== null');
    assert.equal(await atOnce.settled(), 'ok', 'no click: the virtual authenticator picks the passkey itself');

    await authenticator.setAnswersAtOnce(false);
    const held = await startConditionalGet(page, 'localhost');
    await held.abort();
    assert.equal(await held.settled(), 'AbortError', 'still waiting for the person when the page aborted it');
    await authenticator.setAnswersAtOnce(true);
    assert.ok((await getCredential(page, 'localhost')).ok, 'a modal request after it is answered');
    await context.close();
  });

  it('stays with its tab on another origin of the same RP ID, and lends its passkeys to another tab', async () => {
    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(sites[0]!.url);
    const authenticator = await addVirtualAuthenticator(page, { synced: true });
    const made = await createCredential(page, 'localhost', 'cy@example.com');
    assert.ok(made.ok);
    assert.equal(made.flags & (Flag.backupEligible | Flag.backedUp), Flag.backupEligible | Flag.backedUp, 'synced: true makes a synced passkey');

    await page.goto(sites[1]!.url);
    const there = await getCredential(page, 'localhost');
    assert.ok(there.ok && there.id === made.id, JSON.stringify(there));

    // Another tab is another device to Chromium: it gets the same passkeys only by copy.
    const other = await context.newPage();
    await other.goto(sites[1]!.url);
    const copy = await authenticator.copyTo(other);
    const lent = await getCredential(other, 'localhost');
    assert.ok(lent.ok && lent.id === made.id, JSON.stringify(lent));
    assert.equal((await copy.credentials()).length, 1);

    await copy.remove();
    await authenticator.remove();
    await context.close();
  });
});
