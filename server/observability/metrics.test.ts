/**
 * `GET /metrics` over real HTTP: hidden without METRICS_TOKEN, refused with a wrong one, and in
 * Prometheus text format with counters that move with codes, verifies, sign-ins, rate limits,
 * mail outcomes and sign-outs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getJson, postJson } from '../testing/api-client.ts';
import { freePort as deadPort } from '../testing/free-port.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { startTestServer } from '../testing/test-server.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';

async function scrape(baseUrl: string, token = TOKEN): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return response.text();
}

/** The value of one sample, `name{labels}` exactly as rendered; NaN when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('does not exist without METRICS_TOKEN', async () => {
    const server = await startTestServer();
    try {
      const answer = await getJson(`${server.url}/metrics`, { Authorization: `Bearer ${TOKEN}` });
      assert.equal(answer.status, 404);
      assert.equal(answer.body.error.code, 'not_found');
    } finally {
      await server.close();
    }
  });

  it('refuses METRICS_TOKEN shorter than 16 characters at start', async () => {
    await assert.rejects(startTestServer({ env: { METRICS_TOKEN: 'short' } }), /^ConfigError: METRICS_TOKEN must be at least 16 characters/);
  });

  describe('with METRICS_TOKEN', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ METRICS_TOKEN: TOKEN });
    });
    after(() => h.close());

    it('answers 401 without the token or with a wrong one, and no counters', async () => {
      const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer wrong-token-of-some-length' }, { Authorization: `Bearer ${TOKEN}x` }, { Authorization: TOKEN }];
      for (const headers of attempts) {
        const response = await fetch(`${h.server.url}/metrics`, { headers });
        const text = await response.text();
        assert.equal(response.status, 401, JSON.stringify(headers));
        assert.equal(response.headers.get('www-authenticate'), 'Bearer');
        assert.doesNotMatch(text, /passwordless_/);
      }
    });

    it('renders the text format with HELP and TYPE for each metric, zeros included', async () => {
      const text = await scrape(h.server.url);
      for (const [name, type] of [
        ['passwordless_codes_requested_total', 'counter'],
        ['passwordless_verifies_total', 'counter'],
        ['passwordless_rate_limited_total', 'counter'],
        ['passwordless_mail_total', 'counter'],
        ['passwordless_sessions_revoked_total', 'counter'],
        ['passwordless_http_request_duration_seconds', 'histogram'],
      ]) {
        assert.match(text, new RegExp(`^# HELP ${name} \\S.*$`, 'm'));
        assert.match(text, new RegExp(`^# TYPE ${name} ${type}$`, 'm'));
      }
      assert.equal(sample(text, 'passwordless_rate_limited_total{scope="ip"}'), 0);
      assert.equal(sample(text, 'passwordless_verifies_total{method="link",outcome="invalid_link"}'), 0);
      assert.ok(text.endsWith('\n'));
    });

    it('counts codes, mail, wrong codes, sign-ins, per-email limits and sign-outs', async () => {
      const before = await scrape(h.server.url);
      // A histogram series appears with its first observation: absent before counts as 0.
      const moved = (text: string, series: string) => sample(text, series) - (sample(before, series) || 0);
      const email = 'metrics.person@example.org';
      const { code } = await h.requestCode(email);
      await h.server.backend.mailer.idle();
      const wrong = code === '000000' ? '111111' : '000000';
      assert.equal((await h.verify({ email, code: wrong })).status, 401);
      assert.equal((await h.request({ email })).status, 429);
      const signedIn = await h.verify({ email, code });
      assert.equal(signedIn.status, 200);
      assert.equal((await postJson(h.api('/logout'), {}, { Authorization: `Bearer ${signedIn.body.session.token}` })).status, 204);
      assert.equal((await h.verify({ token: 'A'.repeat(43) })).status, 401);

      const text = await scrape(h.server.url);
      assert.equal(moved(text, 'passwordless_codes_requested_total'), 1);
      assert.equal(moved(text, 'passwordless_mail_total{outcome="sent"}'), 1);
      assert.equal(moved(text, 'passwordless_verifies_total{method="code",outcome="invalid"}'), 1);
      assert.equal(moved(text, 'passwordless_verifies_total{method="code",outcome="ok"}'), 1);
      assert.equal(moved(text, 'passwordless_verifies_total{method="link",outcome="invalid_link"}'), 1);
      assert.equal(moved(text, 'passwordless_rate_limited_total{scope="email"}'), 1);
      assert.equal(moved(text, 'passwordless_rate_limited_total{scope="ip"}'), 0);
      assert.equal(moved(text, 'passwordless_sessions_revoked_total'), 1);
      const verify401 = 'passwordless_http_request_duration_seconds_count{route="/auth/verify",status="401"}';
      assert.equal(moved(text, verify401), 2);
      assert.equal(moved(text, 'passwordless_http_request_duration_seconds_bucket{route="/auth/verify",status="401",le="+Inf"}'), 2);
      assert.ok(sample(text, 'passwordless_http_request_duration_seconds_sum{route="/auth/verify",status="401"}') > 0);
      assert.equal(moved(text, 'passwordless_http_request_duration_seconds_count{route="/auth/request",status="202"}'), 1);
    });

    it('labels by route pattern and final status, never by the raw URL', async () => {
      await fetch(`${h.server.url}/auth/no-such-path/metrics.person%40example.org?secret=1`);
      await fetch(`${h.server.url}/health`);
      const text = await scrape(h.server.url);
      assert.ok(sample(text, 'passwordless_http_request_duration_seconds_count{route="unmatched",status="404"}') >= 1);
      assert.ok(sample(text, 'passwordless_http_request_duration_seconds_count{route="/health",status="200"}') >= 1);
      assert.doesNotMatch(text, /no-such-path|example\.org|secret=/);
    });
  });

  it('counts per-IP refusals', async () => {
    const server = await startTestServer({ env: { METRICS_TOKEN: TOKEN, REQUESTS_PER_IP: '1' } });
    try {
      assert.equal((await postJson(`${server.url}/auth/request`, { email: 'one@example.org' })).status, 202);
      assert.equal((await postJson(`${server.url}/auth/request`, { email: 'two@example.org' })).status, 429);
      const text = await scrape(server.url);
      assert.equal(sample(text, 'passwordless_rate_limited_total{scope="ip"}'), 1);
      assert.equal(sample(text, 'passwordless_rate_limited_total{scope="email"}'), 0);
      assert.equal(sample(text, 'passwordless_http_request_duration_seconds_count{route="/auth/request",status="429"}'), 1);
    } finally {
      await server.close();
    }
  });

  it('counts each session revokeUserSessions ends in passwordless_sessions_revoked_total', async () => {
    const h = await startHarness({ METRICS_TOKEN: TOKEN });
    try {
      const ada = await h.signIn('ada@example.com');
      h.server.clock.advance(61_000);
      await h.signIn('ada@example.com');
      assert.equal(await h.server.backend.service.revokeUserSessions(ada.user.id), 2);
      assert.equal(sample(await scrape(h.server.url), 'passwordless_sessions_revoked_total'), 2);
    } finally {
      await h.close();
    }
  });

  it('counts a mail that SMTP refused as failed, not sent', async () => {
    const server = await startTestServer({ env: { METRICS_TOKEN: TOKEN, SMTP_URL: `smtp://127.0.0.1:${await deadPort()}` } });
    try {
      assert.equal((await postJson(`${server.url}/auth/request`, { email: 'nobody@example.org' })).status, 202);
      await server.backend.mailer.idle();
      const text = await scrape(server.url);
      assert.equal(sample(text, 'passwordless_mail_total{outcome="failed"}'), 1);
      assert.equal(sample(text, 'passwordless_mail_total{outcome="sent"}'), 0);
      assert.equal(sample(text, 'passwordless_codes_requested_total'), 1);
    } finally {
      await server.close();
    }
  });
});
