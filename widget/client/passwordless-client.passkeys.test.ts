import { expect } from '@open-wc/testing';
import { PasswordlessClient } from '../module.ts';
import { advanceServerClock, mailTo, uniqueEmail } from '../testing/backend.ts';
import { addAuthenticator, authenticatorCredentials, setUserVerified } from '../testing/passkeys.ts';

// The headless client's passkey methods against the real backend with passkeys on
// (/passkey-auth) and Chromium's virtual authenticator (widget/testing/virtual-authenticator.mjs).

const API = '/passkey-auth';

beforeEach(async () => {
  localStorage.clear();
  await addAuthenticator();
});

async function signedInClient(email: string): Promise<PasswordlessClient> {
  const client = new PasswordlessClient({ api: API });
  await advanceServerClock(61_000);
  expect((await client.requestCode(email)).ok).to.equal(true);
  expect((await client.verifyCode(email, (await mailTo(email)).code)).ok).to.equal(true);
  return client;
}

describe('PasswordlessClient and passkeys', () => {
  it('adds, lists, renames, signs in with and removes a passkey', async () => {
    const email = uniqueEmail('client-pk');
    const client = await signedInClient(email);
    const added = await client.addPasskey({ name: 'Test device' });
    expect(added.ok && added.data.name).to.equal('Test device');
    expect(await authenticatorCredentials()).to.have.length(1);

    const listed = await client.listPasskeys();
    expect(listed.ok && listed.data.passkeys.map((p) => [p.name, p.lastUsedAt])).to.deep.equal([['Test device', null]]);
    const id = added.ok ? added.data.id : '';

    const renamed = await client.renamePasskey(id, 'Renamed');
    expect(renamed.ok && renamed.data.name).to.equal('Renamed');

    await client.signOut();
    expect(client.session).to.equal(null);
    const signedIn = await client.signInWithPasskey();
    expect(signedIn.ok && signedIn.data.user.email).to.equal(email);
    expect(client.session?.method).to.equal('passkey');

    expect((await client.removePasskey(id)).ok).to.equal(true);
    const empty = await client.listPasskeys();
    expect(empty.ok && empty.data.passkeys).to.deep.equal([]);

    await client.signOut();
    const refused = await client.signInWithPasskey();
    expect(!refused.ok && [refused.status, refused.error.code]).to.deep.equal([400, 'unknown_passkey']);
    expect(client.session).to.equal(null);
  });

  it('answers passkey_cancelled, status 0, when the prompt ends without a passkey', async () => {
    const client = await signedInClient(uniqueEmail('client-pk-cancel'));
    expect((await client.addPasskey()).ok).to.equal(true);
    await client.signOut();
    await setUserVerified(false);
    const cancelled = await client.signInWithPasskey();
    expect(!cancelled.ok && [cancelled.status, cancelled.error.code]).to.deep.equal([0, 'passkey_cancelled']);
    expect(client.session).to.equal(null);
  });

  it('answers stale_session when the sign-in by email is older than 10 minutes', async () => {
    const client = await signedInClient(uniqueEmail('client-pk-stale'));
    await advanceServerClock(11 * 60_000);
    const stale = await client.addPasskey();
    expect(!stale.ok && [stale.status, stale.error.code]).to.deep.equal([403, 'stale_session']);
    expect(await authenticatorCredentials()).to.deep.equal([]);
  });

  it('lists nothing without a session', async () => {
    const listed = await new PasswordlessClient({ api: API }).listPasskeys();
    expect(!listed.ok && [listed.status, listed.error.code]).to.deep.equal([401, 'unauthenticated']);
  });
});
