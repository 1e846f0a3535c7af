/**
 * The backend's own origin (PUBLIC_URL) is always an allowed caller and landing place, whatever
 * ALLOWED_ORIGINS and REDIRECT_URLS list: setting them for the sites that embed the element must
 * not break the backend's own link landing page and demo. And that is all it adds: other origins
 * and other landing places are still refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../testing/harness.ts';
import { assertRefusedSafely, freshEmail } from '../testing/attack-kit.ts';

const SITE = 'https://site.example';

for (const [label, env] of [
  ['ALLOWED_ORIGINS set', { ALLOWED_ORIGINS: SITE }],
  ['ALLOWED_ORIGINS and REDIRECT_URLS set', { ALLOWED_ORIGINS: SITE, REDIRECT_URLS: `${SITE}/app/` }],
] as const) {
  describe(`the backend's own origin, with ${label}`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(env);
    });
    after(() => h.close());

    it('lets its own pages ask for a code that lands on its own demo page and on its link page, and the link lands there', async () => {
      const own = h.server.url;
      for (const redirectTo of [`${own}/`, `${own}/auth/link`]) {
        const { link } = await h.requestCode(freshEmail('own'), { redirectTo });
        assert.ok(link.startsWith(`${redirectTo}#`), link);
      }
      const answer = await h.request({ email: freshEmail('own') }, { Origin: own });
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      await h.smtp.nextMail();
      const preflight = await fetch(h.api('/request'), { method: 'OPTIONS', headers: { Origin: own, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
      assert.equal(preflight.headers.get('access-control-allow-origin'), own);
    });

    it('still refuses another origin, and a landing place on no allowed origin', async () => {
      await assertRefusedSafely(h, () => h.request({ email: freshEmail('foreign') }, { Origin: 'https://evil.example' }), 403, 'forbidden_origin');
      await assertRefusedSafely(h, () => h.request({ email: freshEmail('foreign'), redirectTo: 'https://evil.example/' }), 400, 'invalid_redirect');
      // The backend's own host on another port is another origin.
      const otherPort = h.server.url.replace(/:(\d+)$/, (_, port: string) => `:${Number(port) === 65535 ? 65534 : Number(port) + 1}`);
      await assertRefusedSafely(h, () => h.request({ email: freshEmail('foreign'), redirectTo: `${otherPort}/` }), 400, 'invalid_redirect');
    });

    it('names its own origin in the effective lists', () => {
      assert.ok(h.server.config.allowedOrigins.includes(SITE) && h.server.config.allowedOrigins.includes(h.server.url));
      assert.ok(h.server.config.redirectUrls.includes(`${h.server.url}/`));
    });
  });
}
