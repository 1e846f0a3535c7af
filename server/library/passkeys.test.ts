/**
 * Passkeys through the library: the routes and `/.well-known/webauthn` in a host's Koa app through
 * `passwordless.middleware`, the `onPasskeyAdded` and `onLogin` hooks, and `listPasskeys` and
 * `removePasskey` from server code.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Koa from 'koa';
import { PASSKEY_WELL_KNOWN_PATH, PasskeyPath } from '../../contract/passkeys.ts';
import { createPasswordless, type OutgoingMail, type Passwordless } from '../index.ts';
import { getJson, postJson } from '../testing/api-client.ts';
import { SoftwareAuthenticator } from '../testing/software-authenticator.ts';
import { ManualClock } from '../time/clock.ts';

describe('createPasswordless: passkeys', () => {
  let dir: string;
  let server: Server;
  let url: string;
  let pl: Passwordless;
  const mails: OutgoingMail[] = [];
  const calls: [string, any][] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'passwordless-lib-passkeys-'));
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    pl = await createPasswordless({
      publicUrl: url,
      dataFile: join(dir, 'store.json'),
      allowedOrigins: ['https://shop.example'],
      sendMail: (mail) => void mails.push(mail),
      logger: { info() {}, warn() {}, error() {} },
      clock: new ManualClock(Date.now()),
      onPasskeyAdded: (event) => void calls.push(['added', event]),
      onLogin: (event) => void calls.push(['login', event]),
    });
    const app = new Koa();
    app.use(pl.middleware);
    server.on('request', app.callback());
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pl.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function signInByCode(email: string): Promise<{ token: string; userId: string }> {
    await postJson(`${url}/auth/request`, { email });
    await pl.service.idle();
    const code = /\b(\d{6})\b/.exec(mails.at(-1)!.text)![1];
    const answer = await postJson(`${url}/auth/verify`, { email, code });
    return { token: answer.body.session.token, userId: answer.body.user.id };
  }

  it('serves the related origins at the host app’s root', async () => {
    assert.deepEqual((await getJson(`${url}${PASSKEY_WELL_KNOWN_PATH}`)).body, { origins: ['https://shop.example', url] });
  });

  it('runs the ceremonies in a host’s app, calls onPasskeyAdded and onLogin (method passkey), and lists and removes from server code', async () => {
    const { token, userId } = await signInByCode('lib@example.com');
    const auth = { Authorization: `Bearer ${token}` };
    const authenticator = new SoftwareAuthenticator({ origin: url });
    const options = await postJson(`${url}/auth${PasskeyPath.registerOptions}`, {}, auth);
    const added = await postJson(`${url}/auth${PasskeyPath.register}`, { credential: authenticator.create(options.body.options), name: 'Desk key' }, auth);
    assert.equal(added.status, 201, JSON.stringify(added.body));
    await pl.service.idle();
    assert.equal(mails.at(-1)!.subject, 'A passkey was added to your account');
    const [name, event] = calls.find(([kind]) => kind === 'added')!;
    assert.equal(name, 'added');
    assert.equal(event.user.id, userId);
    assert.deepEqual(event.passkey, added.body);

    const signInOptions = await postJson(`${url}/auth${PasskeyPath.signInOptions}`, {});
    const signedIn = await postJson(`${url}/auth${PasskeyPath.signIn}`, { credential: authenticator.get(signInOptions.body.options) });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    assert.deepEqual(calls.at(-1), ['login', { user: signedIn.body.user, method: 'passkey' }]);

    assert.deepEqual((await pl.listPasskeys(userId)).map((p) => [p.id, p.name, p.lastUsedAt !== null]), [[added.body.id, 'Desk key', true]]);
    assert.equal(await pl.removePasskey('someone-else', added.body.id), false, 'only the owner’s passkey is removed');
    assert.equal(await pl.removePasskey(userId, added.body.id), true);
    assert.deepEqual(await pl.listPasskeys(userId), []);
    assert.equal(await pl.removePasskey(userId, added.body.id), false);
  });
});
