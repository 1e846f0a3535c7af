/**
 * The virtual authenticator the passkey tests stand on (virtual-authenticator.ts), on a blank
 * page at `http://localhost:<port>` (RP ID `localhost`: an IP address is never one): it makes a
 * discoverable credential with user verification, answers a sign-in with it, lists it, forgets
 * it, follows its tab to another origin, answers an autofill request by itself, and goes
 * with its passkeys when removed.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, newContext } from './harness.ts';
import { addVirtualAuthenticator, credentialIdBase64url } from './virtual-authenticator.ts';
import { createCredential, Flag, getCredential } from './webauthn-calls.ts';

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

  it('refuses a sign-in once the credential is removed', async () => {
    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(sites[0]!.url);
    const authenticator = await addVirtualAuthenticator(page);
    assert.ok((await createCredential(page, 'localhost', 'bo@example.com')).ok);

    await authenticator.removeCredential((await authenticator.credentials())[0]!.credentialId);
    assert.deepEqual(await authenticator.credentials(), []);
    const refused = await getCredential(page, 'localhost');
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error, 'NotAllowedError');
    await context.close();
  });

  it('answers an autofill request by itself, with no focus and no choice (why passkey-autofill.ts holds it)', async () => {
    context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(sites[0]!.url);
    await addVirtualAuthenticator(page);
    const made = await createCredential(page, 'localhost', 'di@example.com');
    assert.ok(made.ok);
    const picked = await getCredential(page, 'localhost', 'conditional');
    assert.ok(picked.ok && picked.id === made.id, JSON.stringify(picked));
    await context.close();
  });

  it('stays with its tab on another origin of the same RP ID, and makes synced passkeys when asked', async () => {
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

    // Removed, with an empty one in its place: nothing on the tab holds the passkey any more.
    await authenticator.remove();
    await addVirtualAuthenticator(page);
    const gone = await getCredential(page, 'localhost');
    assert.equal(!gone.ok && gone.error, 'NotAllowedError');
    await context.close();
  });
});
