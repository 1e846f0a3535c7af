import { expect } from '@open-wc/testing';
import { PasswordlessClient } from '../module.ts';
import { approvalWaits, mailTo, uniqueEmail } from '../testing/backend.ts';

// The headless client's cross-device approval against the real backend (/approval-auth, the
// approval tests' own: widget/testing/test-backend.mjs). The other device is this test over HTTP,
// with the token of the link the backend mailed.

const API = '/approval-auth';
const sessionKey = `passwordless-login:session:${location.origin}${API}`;

beforeEach(() => localStorage.clear());

const approve = async (link: string, number: number) => {
  const token = new URLSearchParams(new URL(link).hash.slice(1)).get('pl_token');
  const response = await fetch(`${API}/approval/approve`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, number }) });
  return response.status;
};

describe('PasswordlessClient: cross-device approval', () => {
  it('asks with an approval, and waitForApproval() resolves with the session once the right number is picked', async () => {
    const email = uniqueEmail('client-approve');
    const c = new PasswordlessClient({ api: API });
    const requested = await c.requestCode(email, { approval: true });
    expect(requested.ok).to.equal(true);
    const ticket = requested.ok ? requested.data.approval! : null;
    expect(ticket?.number).to.be.within(10, 99);
    expect(ticket?.id).to.be.a('string');

    const waiting = c.waitForApproval();
    expect(await approve((await mailTo(email)).link, ticket!.number)).to.equal(200);
    const result = await waiting;
    expect(result?.ok && result.data.status).to.equal('approved');
    expect(result?.ok && result.data.status === 'approved' && result.data.user.email).to.equal(email);
    expect(c.session?.user.email).to.equal(email);
    expect(c.session?.method).to.equal('link');
    expect(JSON.parse(localStorage.getItem(sessionKey)!).user.email).to.equal(email);
    // Collected once: there is nothing left to wait for.
    const again = await c.waitForApproval();
    expect(again?.ok === false && again.error.code).to.equal('invalid_approval');
  });

  it('resolves with refused after a wrong number, and the code still signs in', async function () {
    // A wrong number reaches the wait at its next look at the store (every 5 s).
    this.timeout(12_000);
    const email = uniqueEmail('client-refused');
    const c = new PasswordlessClient({ api: API });
    const requested = await c.requestCode(email, { approval: true });
    const number = requested.ok ? requested.data.approval!.number : 0;
    const { link, code } = await mailTo(email);
    const waiting = c.waitForApproval();
    expect(await approve(link, number === 99 ? 10 : number + 1)).to.equal(403);
    const result = await waiting;
    expect(result).to.deep.equal({ ok: true, data: { status: 'refused' } });
    expect(c.session).to.equal(null);
    expect((await c.verifyCode(email, code)).ok).to.equal(true);
  });

  it('asks without an approval by default, and then has nothing to wait for', async () => {
    const c = new PasswordlessClient({ api: API });
    const requested = await c.requestCode(uniqueEmail('client-no-approval'));
    expect(requested.ok && 'approval' in requested.data).to.equal(false);
    const result = await c.waitForApproval();
    expect(result?.ok === false && result.error.code).to.equal('invalid_approval');
  });

  it('hangs up when the signal aborts, resolves to null, and may wait again', async () => {
    const email = uniqueEmail('client-abort');
    const c = new PasswordlessClient({ api: API });
    const requested = await c.requestCode(email, { approval: true });
    const number = requested.ok ? requested.data.approval!.number : 0;
    const before = await approvalWaits();
    const stop = new AbortController();
    const waiting = c.waitForApproval({ signal: stop.signal });
    await new Promise<void>(async (resolve) => {
      while ((await approvalWaits()) === before) await new Promise((r) => setTimeout(r, 20));
      resolve();
    });
    stop.abort();
    expect(await waiting).to.equal(null);
    // The wait was hung up on the server too.
    for (let i = 0; (await approvalWaits()) !== before; i++) {
      if (i > 100) throw new Error('the wait never ended on the server');
      await new Promise((r) => setTimeout(r, 20));
    }
    const again = c.waitForApproval();
    expect(await approve((await mailTo(email)).link, number)).to.equal(200);
    expect((await again)?.ok).to.equal(true);
    expect(c.session?.user.email).to.equal(email);
  });
});
