import { expect } from '@open-wc/testing';
import { isChallenge, PasswordlessClient } from '../module.ts';
import { advanceServerClock, mailTo, serverNow, uniqueEmail } from '../testing/backend.ts';
import { totpCode } from '../testing/totp.ts';

// The headless client's second-factor calls against the real backend with authenticator-app codes
// on (/totp-auth), as a site with its own sign-in UI would use them; the app's codes computed here.

const API = '/totp-auth';

beforeEach(() => {
  localStorage.clear();
});

/** The app's code a step later than the last one used (each code works once). */
async function appCode(secret: string): Promise<string> {
  await advanceServerClock(30_000);
  return totpCode(secret, await serverNow());
}

async function firstFactor(client: PasswordlessClient, email: string) {
  await advanceServerClock(61_000);
  expect((await client.requestCode(email)).ok).to.equal(true);
  return client.verifyCode(email, (await mailTo(email)).code);
}

describe('PasswordlessClient second factor', () => {
  it('turns it on, then signs in with the app code or a recovery code, renews the recovery codes and turns it off', async () => {
    const email = uniqueEmail('client-totp');
    const client = new PasswordlessClient({ api: API });
    const plain = await firstFactor(client, email);
    expect(plain.ok && !isChallenge(plain.data) && plain.data.user.email).to.equal(email);
    expect((await client.totpStatus()).ok && (await client.totpStatus())).to.deep.include({ data: { enabled: false, enabledAt: null, recoveryCodesLeft: 0 } });

    const setup = await client.setupTotp();
    if (!setup.ok) throw new Error(setup.error.code);
    expect(setup.data.uri).to.match(/^otpauth:\/\/totp\//);
    expect(setup.data.qrSvg).to.contain('<svg');
    const wrong = await client.enableTotp(setup.data.setupToken, (await appCode(setup.data.secret)).replace(/./g, (d) => String((Number(d) + 5) % 10)));
    expect(!wrong.ok && wrong.error.code).to.equal('invalid_code');
    const on = await client.enableTotp(setup.data.setupToken, await appCode(setup.data.secret));
    if (!on.ok) throw new Error(on.error.code);
    expect(on.data.recoveryCodes).to.have.length(10);
    const status = await client.totpStatus();
    expect(status.ok && status.data.enabled).to.equal(true);
    await client.signOut();

    // The first factor answers with the second step, and keeps nothing.
    const challenged = await firstFactor(client, email);
    expect(challenged.ok && isChallenge(challenged.data) && challenged.data.secondFactor.expiresIn).to.equal(300);
    expect(client.session).to.equal(null);
    const bad = await client.completeSecondFactor({ code: '000000' === (await appCode(setup.data.secret)) ? '111111' : '000000' });
    expect(!bad.ok && bad.error.code).to.equal('invalid_code');
    const done = await client.completeSecondFactor({ code: await appCode(setup.data.secret) });
    expect(done.ok && done.data.user.email).to.equal(email);
    expect(client.session?.user.email).to.equal(email);
    expect(client.session?.method).to.equal('code');
    const again = await client.completeSecondFactor({ code: await appCode(setup.data.secret) });
    expect(!again.ok && again.error.code, 'nothing pending once done').to.equal('invalid_second_factor');
    await client.signOut();

    // A recovery code, as it is shown (any case, spaces around).
    await firstFactor(client, email);
    const recovered = await client.completeSecondFactor({ recoveryCode: ` ${on.data.recoveryCodes[0]!.toUpperCase()} ` });
    expect(recovered.ok).to.equal(true);

    const renewed = await client.newRecoveryCodes({ recoveryCode: on.data.recoveryCodes[1]! });
    if (!renewed.ok) throw new Error(renewed.error.code);
    expect(renewed.data.recoveryCodes).to.have.length(10);
    const stale = await client.disableTotp({ recoveryCode: on.data.recoveryCodes[2]! });
    expect(!stale.ok && stale.error.code, 'the old recovery codes stopped working').to.equal('invalid_code');
    expect((await client.disableTotp({ code: await appCode(setup.data.secret) })).ok).to.equal(true);
    await client.signOut();
    const plainAgain = await firstFactor(client, email);
    expect(plainAgain.ok && !isChallenge(plainAgain.data)).to.equal(true);
  });
});
