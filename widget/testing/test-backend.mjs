/**
 * The real backend for the browser tests, behind the test runner's own origin.
 *
 * `serverStart` starts server/testing/test-server.ts (a fresh JSON store, a manual clock, the dev
 * mailbox) and builds the widget bundle with vite; the middleware then
 * - proxies `/auth/*` to the backend, so the element under test talks to the real API from the
 *   page's own origin (no CORS to set up, and the default API base `origin + /auth` just works);
 * - answers a few test-only routes that reach into the test server directly:
 *   `GET /__test/mail?to=EMAIL[&all=1]` (the newest mail to EMAIL, or all of them, newest
 *   first, once mail in flight is sent),
 *   `POST /__test/clock/advance?ms=N` (moves the backend's clock),
 *   `GET /__test/bundle.js` (the freshly built dist bundle),
 *   `GET /__test/html/*` (a 200 HTML page: an "API" that does not answer JSON).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

export function testBackend() {
  /** @type {import('../../server/testing/test-server.ts').TestServer | undefined} */
  let server;
  let bundleDir;

  const plugin = {
    name: 'passwordless-test-backend',
    async serverStart({ config }) {
      try {
        await start(config);
      } catch (error) {
        // No test ran: say so on the summary line CI reads (see summary-reporter.mjs).
        process.once('exit', () => process.stdout.write('\n0 passed, 1 failed\n'));
        throw error;
      }
    },
    async serverStop() {
      await server?.close();
      if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
    },
  };

  async function start(config) {
    const { startTestServer } = await tsImport('../../server/testing/test-server.ts', import.meta.url);
    const origin = `http://${config.hostname}:${config.port}`;
    bundleDir = await mkdtemp(join(tmpdir(), 'passwordless-bundle-'));
    const { build } = await import('vite');
    [server] = await Promise.all([
      // The test page's origin may embed the widget and receive magic links.
      startTestServer({ env: { ALLOWED_ORIGINS: origin } }),
      build({ logLevel: 'warn', build: { outDir: bundleDir, emptyOutDir: true } }),
    ]);
  }

  async function middleware(ctx, next) {
    if (ctx.path === '/auth' || ctx.path.startsWith('/auth/')) return proxy(ctx);
    if (ctx.path.startsWith('/__test/')) return testRoute(ctx);
    return next();
  }

  async function proxy(ctx) {
    const headers = {};
    // Origin and the preflight headers pass through so the backend's own CORS rules answer a
    // page on another origin (the bundle test loads the script from 127.0.0.1 on a localhost page).
    for (const name of ['accept', 'authorization', 'content-type', 'origin', 'access-control-request-method', 'access-control-request-headers']) {
      if (ctx.get(name)) headers[name] = ctx.get(name);
    }
    const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(ctx.method);
    const response = await fetch(server.url + ctx.url, {
      method: ctx.method,
      headers,
      body: hasBody ? await readBody(ctx.req) : undefined,
      redirect: 'manual',
    });
    ctx.status = response.status;
    for (const [name, value] of response.headers) {
      if (name === 'content-type' || name === 'retry-after' || name === 'vary' || name.startsWith('access-control-')) {
        ctx.set(name, value);
      }
    }
    const body = Buffer.from(await response.arrayBuffer());
    if (body.length) ctx.body = body;
  }

  async function testRoute(ctx) {
    if (ctx.method === 'GET' && ctx.path === '/__test/mail') {
      await server.backend.service.idle();
      const mails = server.mailbox.messages().filter((m) => m.to === ctx.query.to);
      ctx.status = ctx.query.all || mails.length ? 200 : 404;
      ctx.body = ctx.query.all ? mails : (mails[0] ?? { error: `no mail to ${ctx.query.to}` });
    } else if (ctx.method === 'POST' && ctx.path === '/__test/clock/advance') {
      server.clock.advance(Number(ctx.query.ms));
      ctx.status = 204;
    } else if (ctx.method === 'GET' && ctx.path === '/__test/bundle.js') {
      ctx.type = 'text/javascript';
      ctx.body = await readFile(join(bundleDir, 'passwordless-login.js'));
    } else if (ctx.path.startsWith('/__test/html/')) {
      ctx.type = 'text/html';
      ctx.body = '<!doctype html><title>Not an API</title>';
    } else {
      ctx.status = 404;
    }
  }

  return { plugin, middleware };
}

async function readBody(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
