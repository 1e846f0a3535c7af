import { expect } from '@open-wc/testing';
import { PasswordlessClient } from '../module.ts';
import { advanceServerClock, codeTo, mailsTo, mailTo, uniqueEmail } from '../testing/backend.ts';

// The headless client's account methods against the real backend (/auth, and /cookie-auth in
// cookie mode), as a site with its own account page would use them.

beforeEach(() => {
  localStorage.clear();
});

async function signedInClient(email: string, api = '/auth'): Promise<PasswordlessClient> {
  const client = new PasswordlessClient({ api });
  expect((await client.requestCode(email)).ok).to.equal(true);
  expect((await client.verifyCode(email, (await mailTo(email)).code)).ok).to.equal(true);
  return client;
}

describe('PasswordlessClient account calls', () => {
  for (const api of ['/auth', '/cookie-auth']) {
    it(`changes the address with the new address's code, and keeps the new user (${api})`, async () => {
      const old = uniqueEmail('client-acct-old');
      const next = uniqueEmail('client-acct-new');
      const client = await signedInClient(old, api);
      const id = client.session!.user.id;

      const same = await client.changeEmail(old);
      expect(!same.ok && same.error.code).to.equal('same_email');

      const sent = await client.changeEmail(` ${next} `, { locale: 'fr' });
      expect(sent.ok && sent.data.codeLength).to.be.a('number');
      const mail = (await mailsTo(next))[0]!;
      expect(mail.code).to.be.a('string');
      // The right code with its last digit changed.
      const wrong = await client.confirmEmailChange(mail.code!.slice(0, -1) + ((Number(mail.code!.at(-1)) + 1) % 10));
      expect(!wrong.ok && wrong.error.code).to.equal('invalid_code');
      const changed = await client.confirmEmailChange(mail.code!);
      expect(changed.ok && changed.data.user).to.include({ id, email: next });
      expect(client.session!.user).to.include({ id, email: next });
      // Another client of the page (or a reload) reads the same kept session, and the server agrees.
      const refreshed = await new PasswordlessClient({ api }).refreshSession();
      expect(refreshed.ok && refreshed.data.user.email).to.equal(next);
    });

    it(`deletes the account with its code and forgets the session (${api})`, async () => {
      const email = uniqueEmail('client-acct-delete');
      const client = await signedInClient(email, api);
      const id = client.session!.user.id;
      // Right after the sign-in: the resend wait is per purpose.
      expect((await client.deleteAccount()).ok).to.equal(true);
      const deleted = await client.confirmAccountDeletion(await codeTo(email));
      expect(deleted.ok && deleted.data).to.deep.equal({ deleted: true });
      expect(client.session).to.equal(null);

      // Signing up again with the address makes another user.
      await advanceServerClock(61_000);
      const again = await signedInClient(email, api);
      expect(again.session!.user.id).to.not.equal(id);
    });
  }

  it('answers unauthenticated when no one is signed in', async () => {
    const client = new PasswordlessClient();
    const result = await client.changeEmail(uniqueEmail('client-acct-nobody'));
    expect(!result.ok && result.error.code).to.equal('unauthenticated');
  });
});
