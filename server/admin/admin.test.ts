/**
 * The console's API over real HTTP, on the JSON store, Redis and PostgreSQL (each a real server
 * the test starts): who may call it (no session, an expired one, a non-admin, a foreign origin,
 * an allowed-but-not-own origin each refused, with nothing changed, read back from the store),
 * what each action changes (exactly that, and no other user), the audit entries it writes, the
 * queries it refuses, and no console at all when ADMIN_EMAILS is unset.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminPath } from '../../contract/admin.ts';
import { loadConfig } from '../bin/environment.ts';
import { ConfigError } from '../config.ts';
import { postJson, type JsonAnswer } from '../testing/api-client.ts';
import { SecondFactorPath } from '../../contract/second-factor.ts';
import { totpCodeAt } from '../second-factor/totp-codes.ts';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { assertError, freshEmail, requestCode, settle, signIn } from '../testing/attack-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres-server.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { startTestRedis, type TestRedis } from '../testing/redis-server.ts';

const DAY = 86_400_000;
const SHOP = 'https://shop.example';
const SECRET = 'admin-console-test-secret-0123456789abcdef';

interface Call {
  token?: string;
  /** Default: the backend's own origin, as the console's page sends it. */
  origin?: string | null;
  headers?: Record<string, string>;
}

/** One call to the console's API, as the page makes it (bearer token, own Origin). */
async function call(h: Harness, method: 'GET' | 'POST', path: string, { token, origin, headers = {} }: Call = {}): Promise<JsonAnswer> {
  const all: Record<string, string> = { ...headers };
  if (token) all.Authorization = `Bearer ${token}`;
  const from = origin === undefined ? h.server.url : origin;
  if (from !== null) all.Origin = from;
  if (method === 'POST') all['Content-Type'] = 'application/json';
  const response = await fetch(`${h.server.url}${path}`, { method, headers: all, ...(method === 'POST' ? { body: '{}' } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
}

/** Every file of the JSON store (the snapshot, its journal, and any folder beside it), as text. */
async function storeFilesText(dataFile: string): Promise<string> {
  const dir = dirname(dataFile);
  const texts: string[] = [];
  const walk = async (path: string): Promise<void> => {
    if ((await stat(path)).isDirectory()) for (const name of await readdir(path)) await walk(join(path, name));
    else texts.push(await readFile(path, 'utf8'));
  };
  for (const name of await readdir(dir)) if (name.startsWith(basename(dataFile))) await walk(join(dir, name));
  return texts.join('\n');
}

const at = (path: string, id: string) => path.replace(':id', encodeURIComponent(id));

/** Every route of the API, as [method, path] for a target user. */
function everyRoute(id: string): ['GET' | 'POST', string][] {
  return [
    ['GET', AdminPath.overview],
    ['GET', AdminPath.users],
    ['GET', at(AdminPath.user, id)],
    ['POST', at(AdminPath.endSessions, id)],
    ['POST', at(AdminPath.block, id)],
    ['POST', at(AdminPath.unblock, id)],
    ['POST', at(AdminPath.delete, id)],
    ['GET', at(AdminPath.export, id)],
  ];
}

interface StoreUnderTest {
  name: string;
  env(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

function stores(): StoreUnderTest[] {
  let redis: TestRedis | undefined;
  let postgres: TestPostgres | undefined;
  return [
    { name: 'the JSON store', env: async () => ({}), stop: async () => {} },
    {
      name: 'Redis',
      env: async () => ((redis = await startTestRedis()), { REDIS_URL: redis.url, SECRET }),
      stop: async () => redis?.stop(),
    },
    {
      name: 'PostgreSQL',
      env: async () => ((postgres = await startTestPostgres()), { DATABASE_URL: await postgres.createDatabase(), SECRET }),
      stop: async () => postgres?.stop(),
    },
  ];
}

for (const subject of stores()) {
  describe(`the admin API on ${subject.name}`, () => {
    let h: Harness;
    const log = recordingLogger();
    const adminActions = () => log.entries.filter((entry) => entry.audit === true && entry.event === 'admin_action').map(({ action, userId, by }) => ({ action, userId, by }));
    let boss: { token: string; user: { id: string; email: string } };
    before(async () => {
      h = await startHarness({ ...(await subject.env()), ADMIN_EMAILS: 'Boss@Example.com, second@example.com', ALLOWED_ORIGINS: SHOP }, { logger: log.logger });
      boss = await signIn(h, 'boss@example.com');
    });
    after(async () => {
      await h?.close();
      await subject.stop();
    });

    const store = () => h.server.backend.store;
    /** What the store holds of a user: enough to see that a refused call changed nothing. */
    const stateOf = async (id: string) => {
      const user = await store().findUserById(id);
      return { user, sessions: (await store().listUserSessions(id)).length };
    };
    const sessionStatus = async (token: string) => (await fetch(h.api('/session'), { headers: { Authorization: `Bearer ${token}` } })).status;

    it('refuses every route without a session (401), to a non-admin (403 not_admin), from a foreign or a merely allowed origin (403 forbidden_origin), and changes nothing', async () => {
      const ann = await signIn(h, freshEmail('ann'));
      const before = await stateOf(ann.user.id);
      const actionsBefore = adminActions().length;
      for (const [method, path] of everyRoute(ann.user.id)) {
        assertError(await call(h, method, path), 401, 'unauthenticated');
        assertError(await call(h, method, path, { token: 'A'.repeat(43) }), 401, 'unauthenticated');
        assertError(await call(h, method, path, { token: ann.token }), 403, 'not_admin');
        assertError(await call(h, method, path, { token: boss.token, origin: 'https://evil.example' }), 403, 'forbidden_origin');
        // ALLOWED_ORIGINS may use the sign-in API, never the console's.
        assertError(await call(h, method, path, { token: boss.token, origin: SHOP }), 403, 'forbidden_origin');
        assertError(await call(h, method, path, { token: boss.token, origin: null, headers: { 'Sec-Fetch-Site': 'cross-site' } }), 403, 'forbidden_origin');
      }
      assert.deepEqual(await stateOf(ann.user.id), before, 'the user, their block state and their sessions are as they were');
      assert.equal(await sessionStatus(ann.token), 200);
      assert.equal(adminActions().length, actionsBefore, 'nothing audited as done');
    });

    it('refuses an expired session (the clock moved past its end) with 401, and changes nothing', async () => {
      const ann = await signIn(h, freshEmail('ann-expiry'));
      const admin = await signIn(h, 'second@example.com');
      assert.equal((await call(h, 'GET', AdminPath.overview, { token: admin.token })).status, 200);
      h.server.clock.advance(31 * DAY);
      const before = await stateOf(ann.user.id);
      for (const [method, path] of everyRoute(ann.user.id)) assertError(await call(h, method, path, { token: admin.token }), 401, 'unauthenticated');
      const afterwards = await stateOf(ann.user.id);
      assert.deepEqual(afterwards.user, before.user);
      assert.equal(afterwards.user?.blockedAt ?? null, null);
      boss = await signIn(h, 'boss@example.com');
    });

    it('lists users a page at a time, with search and sort, and refuses a bad query with 400 invalid_user_list_query', async () => {
      const tag = `list${process.pid}`;
      const people = [];
      for (let i = 0; i < 3; i++) {
        people.push(await signIn(h, `${tag}-${i}@example.com`));
        h.server.clock.advance(1_000); // each created a second apart: the order is the test's
      }
      const first = await call(h, 'GET', `${AdminPath.users}?search=${tag}&limit=2`, { token: boss.token });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(first.body.users.map((u: { email: string }) => u.email), [`${tag}-2@example.com`, `${tag}-1@example.com`], 'newest first');
      assert.equal(first.body.total, await store().countUsers());
      assert.deepEqual(Object.keys(first.body.users[0]).sort(), ['blockedAt', 'createdAt', 'email', 'id', 'lastLoginAt']);
      const second = await call(h, 'GET', `${AdminPath.users}?search=${tag}&limit=2&after=${first.body.next}`, { token: boss.token });
      assert.deepEqual(second.body.users.map((u: { email: string }) => u.email), [`${tag}-0@example.com`]);
      assert.equal(second.body.next, null);
      const bySignIn = await call(h, 'GET', `${AdminPath.users}?search=${tag.toUpperCase()}&sort=last_sign_in`, { token: boss.token });
      assert.equal(bySignIn.body.users.length, 3, 'the search ignores case');
      for (const query of ['limit=0', 'limit=101', 'limit=ten', 'sort=name', 'after=not-a-cursor', `after=${first.body.next}&sort=last_sign_in`, 'bogus=1', 'search=a&search=b', `search=${'a'.repeat(255)}`]) {
        assertError(await call(h, 'GET', `${AdminPath.users}?${query}`, { token: boss.token }), 400, 'invalid_user_list_query');
      }
    });

    it('shows one user: sessions and passkeys without a token, hash or key; 404 for an unknown id, 400 for a malformed one', async () => {
      const ann = await signIn(h, freshEmail('ann-detail'));
      const detail = await call(h, 'GET', at(AdminPath.user, ann.user.id), { token: boss.token });
      assert.equal(detail.status, 200, JSON.stringify(detail.body));
      assert.equal(detail.body.user.email, ann.user.email);
      assert.equal(detail.body.sessions.length, 1);
      assert.deepEqual(Object.keys(detail.body.sessions[0]).sort(), ['createdAt', 'expiresAt', 'method']);
      assert.equal(detail.body.sessions[0].method, 'code');
      assert.deepEqual(detail.body.passkeys, []);
      assert.ok(Array.isArray(detail.body.audit));
      assert.ok(!JSON.stringify(detail.body).includes(ann.token), 'no session token');
      // Whether the user has a second factor, and never its secret.
      assert.equal(detail.body.user.secondFactor, false);
      const setup = await postJson(h.api(SecondFactorPath.setup), {}, { Authorization: `Bearer ${ann.token}` });
      const mailsToAnn = () => h.smtp.received.filter((mail) => mail.envelopeTo.includes(ann.user.email)).length;
      const beforeNotice = mailsToAnn();
      const enabled = await postJson(h.api(SecondFactorPath.enable), { setupToken: setup.body.setupToken, code: totpCodeAt(setup.body.secret, h.server.clock.now()) }, { Authorization: `Bearer ${ann.token}` });
      assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
      // Turning it on mails Ann a notice, sent after the answer: it must land in this test, not
      // inside the next one's "exactly one mail per request" (it did once in three CI runs).
      for (const started = Date.now(); mailsToAnn() === beforeNotice && Date.now() - started < 5_000; ) await new Promise((resolve) => setTimeout(resolve, 10));
      const turnedOn = await call(h, 'GET', at(AdminPath.user, ann.user.id), { token: boss.token });
      assert.equal(turnedOn.body.user.secondFactor, true);
      assert.ok(!JSON.stringify(turnedOn.body).includes(setup.body.secret) && !JSON.stringify(turnedOn.body).includes('recoveryCodes'), 'no secret, no recovery code');
      assertError(await call(h, 'GET', at(AdminPath.user, 'no-such-user-id'), { token: boss.token }), 404, 'not_found');
      for (const bad of ['a b', 'x'.repeat(201), '..%2F..', '%00']) assertError(await call(h, 'GET', `/admin/api/users/${bad}`, { token: boss.token }), 400, 'invalid_request');
    });

    it('ends every session of one user, and only theirs, audited', async () => {
      const ann = await signIn(h, freshEmail('ann-end'));
      h.server.clock.advance(61_000);
      const annAgain = await signIn(h, ann.user.email);
      const bob = await signIn(h, freshEmail('bob-end'));
      const answer = await call(h, 'POST', at(AdminPath.endSessions, ann.user.id), { token: boss.token });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(answer.body, { sessions: 2 });
      assert.deepEqual([await sessionStatus(ann.token), await sessionStatus(annAgain.token), await sessionStatus(bob.token), await sessionStatus(boss.token)], [401, 401, 200, 200]);
      assert.equal((await stateOf(ann.user.id)).sessions, 0);
      assert.ok((await stateOf(ann.user.id)).user, 'the user is still there');
      assert.deepEqual(adminActions().at(-1), { action: 'end_sessions', userId: ann.user.id, by: boss.user.id });
    });

    it('blocks a user (sessions ended, blockedAt kept) and unblocks them, audited; never the admin themselves', async () => {
      const ann = await signIn(h, freshEmail('ann-block'));
      const bob = await signIn(h, freshEmail('bob-block'));
      const blocked = await call(h, 'POST', at(AdminPath.block, ann.user.id), { token: boss.token });
      assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
      assert.deepEqual(blocked.body, { sessions: 1 });
      assert.equal(await sessionStatus(ann.token), 401);
      assert.equal(await sessionStatus(bob.token), 200);
      assert.equal(typeof (await store().findUserById(ann.user.id))?.blockedAt, 'number');
      assert.equal((await store().findUserById(bob.user.id))?.blockedAt ?? null, null, 'no other user blocked');
      const listed = await call(h, 'GET', at(AdminPath.user, ann.user.id), { token: boss.token });
      assert.match(listed.body.user.blockedAt, /^\d{4}-\d{2}-\d{2}T/);
      assert.deepEqual(adminActions().at(-1), { action: 'block', userId: ann.user.id, by: boss.user.id });
      // The trail kept in the store, as the user's page shows it, newest first.
      assert.deepEqual(listed.body.audit.slice(0, 2).map((entry: { event: string; action?: string; by?: string }) => [entry.event, entry.action, entry.by]), [
        ['admin_action', 'block', boss.user.id],
        ['user_blocked', undefined, boss.user.id],
      ]);
      // A blocked address is answered like any other, and mailed nothing.
      await settle(h);
      const mails = h.smtp.received.length;
      h.server.clock.advance(61_000); // past the resend wait of the sign-in above
      assert.equal((await h.request({ email: ann.user.email })).status, 202);
      await settle(h);
      assert.equal(h.smtp.received.length, mails, 'no mail to a blocked address');

      const unblocked = await call(h, 'POST', at(AdminPath.unblock, ann.user.id), { token: boss.token });
      assert.equal(unblocked.status, 200, JSON.stringify(unblocked.body));
      assert.equal((await store().findUserById(ann.user.id))?.blockedAt ?? null, null);
      assert.deepEqual(adminActions().at(-1), { action: 'unblock', userId: ann.user.id, by: boss.user.id });

      const actions = adminActions().length;
      for (const path of [AdminPath.block, AdminPath.delete]) assertError(await call(h, 'POST', at(path, boss.user.id), { token: boss.token }), 400, 'invalid_request');
      assert.equal(adminActions().length, actions);
      assert.equal((await store().findUserById(boss.user.id))?.blockedAt ?? null, null);
      assert.equal(await sessionStatus(boss.token), 200);
    });

    it('deletes a user: the user, their sessions and passkeys gone, no other user touched, audited; 404 the second time', async () => {
      const ann = await signIn(h, freshEmail('ann-delete'));
      const bob = await signIn(h, freshEmail('bob-delete'));
      const users = await store().countUsers();
      const answer = await call(h, 'POST', at(AdminPath.delete, ann.user.id), { token: boss.token });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(answer.body, { sessions: 1, passkeys: 0 });
      assert.deepEqual(await stateOf(ann.user.id), { user: null, sessions: 0 });
      assert.equal(await sessionStatus(ann.token), 401);
      assert.equal(await store().countUsers(), users - 1);
      assert.ok(await store().findUserById(bob.user.id));
      assert.equal(await sessionStatus(bob.token), 200);
      assert.deepEqual(adminActions().at(-1), { action: 'delete', userId: ann.user.id, by: boss.user.id });
      const deletions = log.entries.filter((entry) => entry.event === 'user_deleted' && entry.userId === ann.user.id);
      assert.equal(deletions.length, 1);
      assert.ok(!JSON.stringify(deletions).includes(ann.user.email), 'the audit keeps no address');
      if (subject.name === 'the JSON store') {
        await settle(h);
        const files = await storeFilesText(h.server.dataFile);
        assert.ok(files.includes(bob.user.email), 'the files were read');
        assert.ok(!files.includes(ann.user.email), 'no trace of the address in the store\'s files');
      }
      assertError(await call(h, 'POST', at(AdminPath.delete, ann.user.id), { token: boss.token }), 404, 'not_found');
    });

    it('exports a user as a JSON download with no token, hash, key or counter, audited', async () => {
      const ann = await signIn(h, freshEmail('ann-export'));
      const response = await fetch(`${h.server.url}${at(AdminPath.export, ann.user.id)}`, { headers: { Authorization: `Bearer ${boss.token}` } });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-disposition') ?? '', new RegExp(`^attachment; filename="user-${ann.user.id}\\.json"$`));
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const text = await response.text();
      const data = JSON.parse(text);
      assert.equal(data.user.email, ann.user.email);
      assert.equal(data.user.blockedAt, null);
      assert.equal(data.sessions.length, 1);
      for (const secret of [ann.token, 'emailKey', 'tokenHash', 'publicKey', 'counter']) assert.ok(!text.includes(secret), `the export leaks ${secret}`);
      assert.deepEqual(adminActions().at(-1), { action: 'export', userId: ann.user.id, by: boss.user.id });
    });

    it('gives the overview: users, active sessions, and 30 days ending today', async () => {
      const answer = await call(h, 'GET', AdminPath.overview, { token: boss.token });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.users, await store().countUsers());
      assert.equal(answer.body.activeSessions, await store().countSessions(h.server.clock.now()));
      assert.ok(answer.body.activeSessions >= 1);
      assert.equal(answer.body.days.length, 30);
      assert.equal(answer.body.days.at(-1).day, new Date(h.server.clock.now()).toISOString().slice(0, 10));
      assert.deepEqual(Object.keys(answer.body.days[0]).sort(), ['day', 'mail', 'signIns']);
      assertError(await call(h, 'GET', `${AdminPath.overview}?x=1`, { token: boss.token }), 400, 'invalid_request');
    });

    it('refuses an action body with fields, or one that is not JSON', async () => {
      const ann = await signIn(h, freshEmail('ann-body'));
      const post = (body: string, type: string) => fetch(`${h.server.url}${at(AdminPath.endSessions, ann.user.id)}`, { method: 'POST', headers: { Authorization: `Bearer ${boss.token}`, Origin: h.server.url, 'Content-Type': type }, body });
      assert.equal((await post('{"all":true}', 'application/json')).status, 400);
      assert.equal((await post('x', 'text/plain')).status, 415);
      assert.equal(await sessionStatus(ann.token), 200, 'nothing was ended');
    });
  });
}

describe('ADMIN_EMAILS', () => {
  it('is read as sign-in addresses are (case, IDN, spaces, repeats), and a bad one stops the start naming the variable', () => {
    const config = loadConfig({ ADMIN_EMAILS: ' Ops@Example.com, ops@example.COM ,ana@bücher.example' });
    assert.deepEqual(config.adminEmails, ['ops@example.com', 'ana@xn--bcher-kva.example']);
    assert.deepEqual(loadConfig({}).adminEmails, []);
    assert.throws(() => loadConfig({ ADMIN_EMAILS: 'ops@example.com,Ops <ops@example.com>' }), (error: Error) => error instanceof ConfigError && /^ADMIN_EMAILS must list email addresses like ops@example.com, comma-separated, got "Ops <ops@example.com>"/.test(error.message));
  });
});

describe('the admin console with ADMIN_EMAILS unset', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('is not there: the page, its files and every API route are 404, even for a signed-in user', async () => {
    const { token, user } = await signIn(h, freshEmail('anyone'));
    for (const path of ['/admin', '/admin/admin.js', '/admin/admin.css']) assertError(await call(h, 'GET', path), 404, 'not_found');
    for (const [method, path] of everyRoute(user.id)) assertError(await call(h, method, path, { token }), 404, 'not_found');
    const { code } = await requestCode(h, freshEmail('still-works'));
    assert.match(code, /^\d{6}$/);
  });
});
