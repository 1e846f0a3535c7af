/**
 * Attack: the operators' console (`/admin`, `/admin/api/*`). Forged and stolen-looking tokens, a
 * non-admin's session, an admin who changed their address away from ADMIN_EMAILS, requests from
 * foreign pages (and from a site that may use the sign-in API), cross-origin reads, the session
 * cookie carried by a foreign page, odd ids and queries, other methods, big bodies. Each is
 * refused with its 4xx, nothing is changed, no mail goes out, and the service still works.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminPath } from '../../contract/admin.ts';
import { AccountPath } from '../../contract/account.ts';
import type { JsonAnswer } from '../testing/api-client.ts';
import { assertError, assertRefusedSafely, freshEmail, rawHttp, requestCode, signIn } from '../testing/attack-kit.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { codeIn } from '../testing/smtp-sink.ts';

const ADMIN = 'root@example.com';
const SHOP = 'https://shop.example';
const at = (path: string, id: string) => path.replace(':id', id);

async function send(h: Harness, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<JsonAnswer> {
  const response = await fetch(`${h.server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
}

describe('attack: the admin console (bearer sessions)', () => {
  let h: Harness;
  let admin: { token: string; user: { id: string } };
  let victim: { token: string; user: { id: string; email: string } };
  before(async () => {
    h = await startHarness({ ADMIN_EMAILS: ADMIN, ALLOWED_ORIGINS: SHOP });
    admin = await signIn(h, ADMIN);
    victim = await signIn(h, freshEmail('victim'));
  });
  after(async () => {
    await h.close();
  });

  const own = () => ({ Origin: h.server.url });
  const victimIntact = async () => {
    const user = await h.server.backend.store.findUserById(victim.user.id);
    assert.ok(user, 'the victim is still there');
    assert.equal(user.blockedAt ?? null, null, 'and not blocked');
    assert.equal((await h.server.backend.store.listUserSessions(victim.user.id)).length, 1, 'with their session');
  };

  it('refuses a made-up token, a session hash and a malformed Authorization header with 401', async () => {
    // What a stolen copy of the store holds: the session's keyed hash, never the token.
    const [stored] = await h.server.backend.store.listUserSessions(admin.user.id);
    assert.ok(stored);
    for (const auth of [`Bearer ${stored.tokenHash}`, `Bearer ${'A'.repeat(43)}`, 'Bearer', `bearer ${admin.token}`, `Basic ${admin.token}`, `Bearer ${admin.token}x`, `Bearer ${'x'.repeat(5000)}`]) {
      await assertRefusedSafely(h, () => send(h, 'POST', at(AdminPath.block, victim.user.id), { ...own(), Authorization: auth, 'Content-Type': 'application/json' }, '{}'), 401, 'unauthenticated');
    }
    await victimIntact();
  });

  it('refuses a signed-in user who is not an admin (403 not_admin), whatever they send', async () => {
    for (const path of [AdminPath.block, AdminPath.delete, AdminPath.endSessions]) {
      await assertRefusedSafely(h, () => send(h, 'POST', at(path, victim.user.id), { ...own(), Authorization: `Bearer ${victim.token}`, 'Content-Type': 'application/json' }, '{}'), 403, 'not_admin');
    }
    // Their own id, an admin's id: being named in the path grants nothing.
    await assertRefusedSafely(h, () => send(h, 'GET', at(AdminPath.user, admin.user.id), { ...own(), Authorization: `Bearer ${victim.token}` }), 403, 'not_admin');
    await victimIntact();
  });

  it('refuses a foreign page, a sandboxed frame, a cross-site fetch and even an allowed site (403 forbidden_origin)', async () => {
    const foreign: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { Origin: SHOP }, { 'Sec-Fetch-Site': 'cross-site' }, { Origin: h.server.url.replace('http:', 'https:') }];
    for (const headers of foreign) {
      await assertRefusedSafely(h, () => send(h, 'POST', at(AdminPath.delete, victim.user.id), { ...headers, Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' }, '{}'), 403, 'forbidden_origin');
    }
    await victimIntact();
  });

  it('gives a foreign page nothing to read: no CORS header on answers or preflights', async () => {
    const read = await send(h, 'GET', AdminPath.users, { Origin: SHOP, Authorization: `Bearer ${admin.token}` });
    assert.equal(read.headers.get('access-control-allow-origin'), null);
    const preflight = await send(h, 'OPTIONS', at(AdminPath.delete, victim.user.id), { Origin: SHOP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' });
    // Whatever the status, without Access-Control-Allow-Origin the browser sends nothing after it.
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.equal(preflight.headers.get('access-control-allow-headers'), null);
    assert.ok(preflight.status < 500, `never a 5xx, got ${preflight.status}`);
    await victimIntact();
  });

  it('refuses ids and queries that are not what they should be, with 4xx and never a 5xx', async () => {
    const headers = { ...own(), Authorization: `Bearer ${admin.token}` };
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '%00', 'a%20b', '__proto__%24', 'x'.repeat(300), '%F0%9F%92%A5']) {
      const answer = await send(h, 'GET', `/admin/api/users/${id}`, headers);
      assert.ok([400, 404].includes(answer.status), `${id}: ${answer.status}`);
      assertError(answer, answer.status, answer.status === 400 ? 'invalid_request' : 'not_found');
    }
    for (const query of ['limit=-1', 'limit=1e9', 'sort[]=created', 'search[$ne]=x', `after=${'A'.repeat(2000)}`, "search=' OR 1=1 --", 'after=eyJ4IjoxfQ', '__proto__[polluted]=1']) {
      const answer = await send(h, 'GET', `${AdminPath.users}?${query}`, headers);
      if (answer.status === 200) assert.ok(query.startsWith('search='), `${query} was answered`);
      else assertError(answer, 400, 'invalid_user_list_query');
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses other methods (405), a body that is not JSON (415), one with fields (400) or too big (413)', async () => {
    const headers = { ...own(), Authorization: `Bearer ${admin.token}` };
    for (const method of ['PUT', 'DELETE', 'PATCH']) assertError(await send(h, method, at(AdminPath.delete, victim.user.id), headers), 405, 'method_not_allowed');
    assertError(await send(h, 'POST', at(AdminPath.delete, victim.user.id), { ...headers, 'Content-Type': 'text/plain' }, '{}'), 415, 'unsupported_media_type');
    assertError(await send(h, 'POST', at(AdminPath.delete, victim.user.id), { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, 'confirm=1'), 415, 'unsupported_media_type');
    assertError(await send(h, 'POST', at(AdminPath.delete, victim.user.id), { ...headers, 'Content-Type': 'application/json' }, '{"__proto__":{"polluted":1}}'), 400, 'invalid_request');
    assertError(await send(h, 'POST', at(AdminPath.delete, victim.user.id), { ...headers, 'Content-Type': 'application/json' }, JSON.stringify({ pad: 'x'.repeat(4000) })), 413, 'payload_too_large');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    await victimIntact();
  });

  it('serves the page under the strict CSP, unframeable, and puts nothing from the request in it', async () => {
    const page = await rawHttp(`${h.server.url}/admin?<script>alert(1)</script>`, { headers: { Host: 'evil.example', 'Accept-Language': '"><script>' } });
    assert.equal(page.status, 200);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.ok(!page.text.includes('evil.example') && !page.text.includes('alert(1)') && !page.text.includes('"><script>'));
    assert.doesNotMatch(page.text, /<script>[^<]/, 'no inline script');
    assert.doesNotMatch(page.text, /style=/, 'no inline style');
  });

  it('drops an admin who changed their address away from ADMIN_EMAILS at their next call, with the same session', async () => {
    const other = await signIn(h, ADMIN.replace('root', 'root2'));
    assertError(await send(h, 'GET', AdminPath.overview, { ...own(), Authorization: `Bearer ${other.token}` }), 403, 'not_admin');
    assert.equal((await send(h, 'GET', AdminPath.overview, { ...own(), Authorization: `Bearer ${admin.token}` })).status, 200);
    const moved = freshEmail('moved');
    const started = await send(h, 'POST', `/auth${AccountPath.emailChangeStart}`, { ...own(), Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' }, JSON.stringify({ email: moved }));
    assert.equal(started.status, 202, JSON.stringify(started.body));
    await h.server.backend.service.idle();
    const code = codeIn(h.smtp.received.findLast((mail) => mail.envelopeTo.includes(moved))!);
    const confirmed = await send(h, 'POST', `/auth${AccountPath.emailChangeConfirm}`, { ...own(), Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' }, JSON.stringify({ email: moved, code }));
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assertError(await send(h, 'GET', AdminPath.overview, { ...own(), Authorization: `Bearer ${admin.token}` }), 403, 'not_admin');
    assertError(await send(h, 'POST', at(AdminPath.delete, victim.user.id), { ...own(), Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' }, '{}'), 403, 'not_admin');
    await victimIntact();
    // Someone who signs up with the address the admin left is, by the list, an admin: the list names addresses.
    h.server.clock.advance(61_000);
    await h.server.backend.service.idle(); // the old address's notice of the change has gone out
    const newcomer = await signIn(h, ADMIN);
    assert.notEqual(newcomer.user.id, admin.user.id);
    assert.equal((await send(h, 'GET', AdminPath.overview, { ...own(), Authorization: `Bearer ${newcomer.token}` })).status, 200);
  });
});

describe('attack: the admin console in cookie mode (SESSION_COOKIE=on)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ ADMIN_EMAILS: ADMIN, SESSION_COOKIE: 'on', ALLOWED_ORIGINS: SHOP });
  });
  after(async () => {
    await h.close();
  });

  it('takes the admin\'s cookie from the console\'s own origin only: a foreign page carrying it is refused', async () => {
    const { code } = await requestCode(h, ADMIN, {}, { Origin: h.server.url });
    const verified = await h.verify({ email: ADMIN, code }, { Origin: h.server.url });
    assert.equal(verified.status, 200);
    const cookie = /^(__Host-pl_session=[^;]+)/.exec(verified.headers.get('set-cookie') ?? '')![1]!;
    const victim = await signIn(h, freshEmail('cookie-victim'));
    const ok = await send(h, 'GET', AdminPath.overview, { Cookie: cookie, Origin: h.server.url });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const foreign: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { Origin: SHOP }, { 'Sec-Fetch-Site': 'cross-site' }];
    for (const headers of foreign) {
      await assertRefusedSafely(h, () => send(h, 'POST', at(AdminPath.delete, victim.user.id), { ...headers, Cookie: cookie, 'Content-Type': 'application/json' }, '{}'), 403, 'forbidden_origin');
    }
    assert.ok(await h.server.backend.store.findUserById(victim.user.id));
  });
});
