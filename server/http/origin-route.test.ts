/** `GET /auth/origin` and the refused-origin log, through the real backend (`npm start`'s composition). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJson, postJson } from '../testing/api-client.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { recordingLogger } from '../testing/recording-logger.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

const ALLOWED = 'http://localhost:8099';
const REFUSED = 'http://127.0.0.1:8099';

describe('GET /auth/origin outside production', () => {
  let s: TestServer;
  const { logger, entries } = recordingLogger();
  before(async () => {
    s = await startTestServer({ env: { ALLOWED_ORIGINS: ALLOWED }, logger });
  });
  after(async () => {
    await s.close();
  });
  const refusals = () => entries.filter((e) => e.origin === REFUSED);

  it('tells a refused page its origin and the variable to add it to, readable from any origin', async () => {
    const answer = await getJson(`${s.url}/auth/origin`, { Origin: REFUSED });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    assert.equal(answer.headers.get('access-control-allow-credentials'), null);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.body.allowed, false);
    assert.equal(answer.body.origin, REFUSED);
    assert.match(answer.body.message, /http:\/\/127\.0\.0\.1:8099.*ALLOWED_ORIGINS/);
  });

  it('says allowed to an allowed page, and to a request with no Origin (same origin, or not a browser)', async () => {
    assert.deepEqual((await getJson(`${s.url}/auth/origin`, { Origin: ALLOWED })).body, { allowed: true });
    assert.deepEqual((await getJson(`${s.url}/auth/origin`)).body, { allowed: true });
  });

  it('logs a refused origin once, with the fix, however many calls it makes; the clock moved 10 minutes logs it again', async () => {
    const before = refusals().length;
    for (let i = 0; i < 5; i++) {
      await fetch(`${s.url}/auth/request`, { method: 'OPTIONS', headers: { Origin: REFUSED, 'Access-Control-Request-Method': 'POST' } });
      await postJson(`${s.url}/auth/request`, { email: 'ana@example.com' }, { Origin: REFUSED });
      await getJson(`${s.url}/auth/config`, { Origin: REFUSED });
    }
    const logged = refusals().slice(before);
    assert.ok(logged.length <= 1, `logged ${logged.length} times`);
    assert.equal(refusals().length, 1, 'once since the server started');
    const [entry] = refusals();
    assert.equal(entry!.level, 'warn');
    assert.equal(entry!.variable, 'ALLOWED_ORIGINS');
    assert.ok((entry!.allowedOrigins as string[]).includes(ALLOWED));
    s.clock.advance(10 * 60_000);
    await getJson(`${s.url}/auth/config`, { Origin: REFUSED });
    assert.equal(refusals().length, 2);
  });

  it('logs nothing for an allowed origin or a request without one', async () => {
    const before = entries.length;
    await getJson(`${s.url}/auth/config`, { Origin: ALLOWED });
    await getJson(`${s.url}/auth/config`);
    assert.equal(entries.length, before);
  });
});

describe('GET /auth/origin in production', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ NODE_ENV: 'production', SECRET: 's'.repeat(40), ALLOWED_ORIGINS: ALLOWED });
  });
  after(async () => {
    await h.close();
  });

  it('tells a refused page only that it is refused: no origin, no variable', async () => {
    const answer = await getJson(h.api('/origin'), { Origin: REFUSED });
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(answer.body, { allowed: false });
    assert.deepEqual((await getJson(h.api('/origin'), { Origin: ALLOWED })).body, { allowed: true });
  });
});
