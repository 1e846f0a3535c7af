/**
 * The real backend for the browser tests, behind the test runner's own origin.
 *
 * `serverStart` starts server/testing/test-server.ts twice (each with a fresh JSON store, a manual
 * clock, the dev mailbox): once as configured by default (bearer tokens), once with
 * `SESSION_COOKIE=on`; and it builds the widget (the script-tag file and the modules beside it)
 * with widget/build/build-widget.ts. The middleware then
 * - proxies `/auth/*` to the default backend, so the element under test talks to the real API from
 *   the page's own origin (no CORS to set up, and the default API base `origin + /auth` just works);
 * - proxies `/cookie-auth/*` to the cookie-mode backend's `/auth/*`, passing `Cookie` and
 *   `Set-Cookie` through unchanged (the page is on http://localhost, a secure context, so the
 *   browser keeps the `Secure` `__Host-` session cookie);
 * - proxies `/foreign-auth/*` to the default backend's `/auth/*` with the `Origin` of a site the
 *   backend does not allow, as if a foreign page called it (its state-changing calls get 403);
 * - proxies `/production-auth/*` to a third backend started with `NODE_ENV=production` (a real
 *   SMTP sink for its mail), allowing only the test page's origin;
 * - proxies `/passkey-auth/*` to a backend with passkeys on (the others run with `PASSKEYS=off`,
 *   so their tests see the element as a server without passkeys shows it). A passkey's relying
 *   party ID must be the page's host (`localhost`; browsers refuse an IP address), so this one's
 *   public URL is the test page's own origin, which it answers at through this proxy;
 * - proxies `/no-account-auth/*` to a backend with both account changes off
 *   (`ACCOUNT_EMAIL_CHANGE=off`, `ACCOUNT_DELETION=off`: its config says `account: false`) and the
 *   second factor off (`TOTP=off`: `totp: false`), where the element must fetch neither module;
 * - proxies `/totp-auth/*` to a backend with authenticator-app codes on (`TOTP=on`, as by default on
 *   the others but `/no-account-auth`): the totp tests' own, whose clock `/__test/clock` reads;
 * - proxies `/busy-auth/*` to a fourth backend whose mail queue holds one mail
 *   (`MAIL_QUEUE_SIZE=1`), sent by a `sendMail` that waits while a test holds it: with one mail
 *   waiting, its next code request is `503 mail_busy`;
 * - and starts a second little HTTP server on another port (not a backend): its
 *   `/refused-page.html?api=…&lang=…` embeds the element from this server's bundle, so the browser
 *   calls the API from an origin the backends do not allow, and really refuses by CORS. The page
 *   asks for a code and posts the element's events and error sentence to its parent window.
 *   `GET /__test/refused-page-origin` says where it is;
 * - answers a few test-only routes that reach into the test servers directly:
 *   `GET /__test/mail?to=EMAIL[&all=1]` (the newest mail to EMAIL, or all of them, newest
 *   first, once mail in flight is sent; from the default, cookie-mode, passkey, approval, totp or no-account backend,
 *   or what the busy backend has sent),
 *   `POST /__test/clock/advance?ms=N` (moves the default, cookie-mode, passkey, approval, totp and no-account backends' clocks),
 *   `POST /__test/busy/hold` and `POST /__test/busy/release` (the busy backend's `sendMail` waits
 *   from the first until the second, which answers once its mail has gone),
 *   `GET /__test/session-cookie` (`{value}`: the last session cookie the cookie-mode backend set,
 *   as passed through the proxy; a test checks that no script-readable place holds it),
 *   `GET /__test/bundle.js` (the freshly built script-tag file) and
 *   `GET /__test/passwordless-login/<folder>/<name>.js` (the modules it fetches from beside itself),
 *   `GET /__test/html/*` (a 200 HTML page: an "API" that does not answer JSON).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

export function testBackend() {
  /** @type {import('../../server/testing/test-server.ts').TestServer | undefined} */
  let server;
  /** The same backend with `SESSION_COOKIE=on`. */
  let cookieServer;
  /** The same backend in production (NODE_ENV=production), and its SMTP sink. */
  let productionServer;
  let smtpSink;
  /** The backend with passkeys on, its relying party the test page's host. */
  let passkeyServer;
  /**
   * The approval tests' own backend (/approval-auth): every element that asks for a code on the
   * other backends waits for an approval too, and the server caps the waits begun from one IP
   * (60 a minute), which the whole run would reach.
   */
  let approvalServer;
  /** The backend with account changes and the second factor off (its config says `account: false`, `totp: false`). */
  let noAccountServer;
  /** The backend with authenticator-app codes on (`TOTP=on`). */
  let totpServer;
  /** The backend with a one-mail queue, and what its `sendMail` waits for. */
  let busyServer;
  let busyHold = Promise.resolve();
  let busyRelease = () => {};
  /** The mail the busy backend has sent, newest first, as the dev mailbox lists it. */
  const busyMails = [];
  /** The second origin's little page server, and its origin. */
  let pageServer;
  let pageOrigin;
  let bundleDir;
  /** The value of the last `__Host-pl_session` cookie a proxied answer set. */
  let lastSessionCookie = null;

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
      pageServer?.closeAllConnections();
      busyRelease();
      await Promise.all([server?.close(), cookieServer?.close(), noAccountServer?.close(), totpServer?.close(), passkeyServer?.close(), approvalServer?.close(), productionServer?.close(), busyServer?.close(), new Promise((done) => (pageServer ? pageServer.close(done) : done()))]);
      await smtpSink?.close();
      if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
    },
  };

  async function start(config) {
    const { startTestServer } = await tsImport('../../server/testing/test-server.ts', import.meta.url);
    const { startSmtpSink } = await tsImport('../../server/testing/smtp-sink.ts', import.meta.url);
    const origin = `http://${config.hostname}:${config.port}`;
    smtpSink = await startSmtpSink();
    pageServer = createServer((req, res) => servePage(req, res, origin));
    await new Promise((done) => pageServer.listen(0, '127.0.0.1', done));
    pageOrigin = `http://127.0.0.1:${pageServer.address().port}`;
    bundleDir = await mkdtemp(join(tmpdir(), 'passwordless-bundle-'));
    const { buildWidget } = await tsImport('../build/build-widget.ts', import.meta.url);
    [server, cookieServer, passkeyServer, approvalServer] = await Promise.all([
      // The test page's origin may embed the widget and receive magic links.
      startTestServer({ env: { ALLOWED_ORIGINS: origin, PASSKEYS: 'off' } }),
      startTestServer({ env: { ALLOWED_ORIGINS: origin, SESSION_COOKIE: 'on', PASSKEYS: 'off' } }),
      startTestServer({ env: { ALLOWED_ORIGINS: origin, PUBLIC_URL: origin } }),
      startTestServer({ env: { ALLOWED_ORIGINS: origin, PASSKEYS: 'off' } }),
      buildWidget({ outDir: bundleDir, esm: false }),
    ]);
    const { pickCodeAndLink } = await tsImport('../../server/mail/dev-mailbox.ts', import.meta.url);
    busyServer = await startTestServer({
      env: { ALLOWED_ORIGINS: origin, MAIL_QUEUE_SIZE: '1', PASSKEYS: 'off' },
      // Kept once sent, as the dev mailbox keeps its mail, so a test can sign in there (and then
      // meet a full queue signed in: the account module's code requests).
      sendMail: async (mail) => {
        await busyHold;
        busyMails.unshift({ ...mail, ...pickCodeAndLink(mail.text), id: String(busyMails.length + 1), receivedAt: new Date().toISOString() });
      },
    });
    noAccountServer = await startTestServer({ env: { ALLOWED_ORIGINS: origin, PASSKEYS: 'off', ACCOUNT_EMAIL_CHANGE: 'off', ACCOUNT_DELETION: 'off', TOTP: 'off' } });
    totpServer = await startTestServer({ env: { ALLOWED_ORIGINS: origin, PASSKEYS: 'off', TOTP: 'on' } });
    productionServer = await startTestServer({
      env: { ALLOWED_ORIGINS: origin, NODE_ENV: 'production', SECRET: 'widget-tests-production-secret-0123456789', SMTP_URL: smtpSink.url, PASSKEYS: 'off' },
    });
  }

  /** Path prefix on the test page's origin → the backend behind it, and an Origin to send instead of the page's. */
  const routes = () => [
    { prefix: '/auth', backend: server },
    { prefix: '/cookie-auth', backend: cookieServer },
    { prefix: '/foreign-auth', backend: server, origin: 'https://foreign.example' },
    { prefix: '/production-auth', backend: productionServer },
    { prefix: '/busy-auth', backend: busyServer },
    { prefix: '/no-account-auth', backend: noAccountServer },
    { prefix: '/totp-auth', backend: totpServer },
    { prefix: '/passkey-auth', backend: passkeyServer },
    { prefix: '/approval-auth', backend: approvalServer },
  ];

  async function middleware(ctx, next) {
    for (const route of routes()) {
      if (ctx.path === route.prefix || ctx.path.startsWith(`${route.prefix}/`)) return proxy(ctx, route);
    }
    if (ctx.path.startsWith('/__test/')) return testRoute(ctx);
    return next();
  }

  async function proxy(ctx, { prefix, backend, origin }) {
    const headers = {};
    // Origin and the preflight headers pass through so the backend's own CORS rules answer a
    // page on another origin (the bundle test loads the script from 127.0.0.1 on a localhost page).
    // Cookie passes through for the cookie-mode backend.
    // User-Agent: the approval page names the browser that asked.
    for (const name of ['accept', 'authorization', 'content-type', 'cookie', 'origin', 'user-agent', 'access-control-request-method', 'access-control-request-headers']) {
      if (ctx.get(name)) headers[name] = ctx.get(name);
    }
    if (origin) headers.origin = origin;
    const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(ctx.method);
    // A browser that hangs up (an approval's long poll called off) hangs up on the backend too.
    const hangUp = new AbortController();
    ctx.res.once('close', () => ctx.res.writableFinished || hangUp.abort());
    const response = await fetch(backend.url + '/auth' + ctx.url.slice(prefix.length), {
      method: ctx.method,
      headers,
      body: hasBody ? await readBody(ctx.req) : undefined,
      redirect: 'manual',
      signal: hangUp.signal,
    }).catch((error) => {
      if (hangUp.signal.aborted) return null;
      throw error;
    });
    if (!response) return;
    ctx.status = response.status;
    for (const [name, value] of response.headers) {
      if (name === 'content-type' || name === 'retry-after' || name === 'vary' || name.startsWith('access-control-')) {
        ctx.set(name, value);
      }
    }
    // Set-Cookie unchanged, one header per cookie, as the backend wrote it.
    const cookies = response.headers.getSetCookie();
    if (cookies.length) ctx.set('set-cookie', cookies);
    for (const cookie of cookies) {
      const match = /^__Host-pl_session=([^;]*)/.exec(cookie);
      if (match) lastSessionCookie = match[1];
    }
    const body = Buffer.from(await response.arrayBuffer());
    if (body.length) ctx.body = body;
  }

  async function testRoute(ctx) {
    if (ctx.method === 'GET' && ctx.path === '/__test/mail') {
      const backends = [server, cookieServer, passkeyServer, approvalServer, noAccountServer, totpServer];
      await Promise.all(backends.map((b) => b.backend.service.idle()));
      // Every test uses its own email with one backend: one list per backend is newest first enough.
      const mails = [...backends.flatMap((b) => b.mailbox.messages()), ...busyMails].filter((m) => m.to === ctx.query.to);
      ctx.status = ctx.query.all || mails.length ? 200 : 404;
      ctx.body = ctx.query.all ? mails : (mails[0] ?? { error: `no mail to ${ctx.query.to}` });
    } else if (ctx.method === 'POST' && ctx.path === '/__test/clock/advance') {
      for (const b of [server, cookieServer, passkeyServer, approvalServer, noAccountServer, totpServer]) b.clock.advance(Number(ctx.query.ms));
      ctx.status = 204;
    } else if (ctx.method === 'GET' && ctx.path === '/__test/clock') {
      // The totp backend's time: an authenticator app's code is of the server's 30-second step.
      ctx.body = { now: totpServer.clock.now() };
    } else if (ctx.method === 'POST' && ctx.path === '/__test/busy/hold') {
      busyHold = new Promise((resolve) => (busyRelease = resolve));
      ctx.status = 204;
    } else if (ctx.method === 'POST' && ctx.path === '/__test/busy/release') {
      busyRelease();
      await busyServer.backend.service.idle();
      ctx.status = 204;
    } else if (ctx.method === 'GET' && ctx.path === '/__test/approval-waits') {
      // The approval backend's waits in progress (`?backend=auth`: the default backend's): a test
      // knows a wait has reached the server, or has ended there.
      ctx.body = { waits: (ctx.query.backend === 'auth' ? server : approvalServer).backend.approvals.size };
    } else if (ctx.method === 'GET' && ctx.path === '/__test/refused-page-origin') {
      ctx.body = { origin: pageOrigin };
    } else if (ctx.method === 'GET' && ctx.path === '/__test/session-cookie') {
      ctx.body = { value: lastSessionCookie };
    } else if (ctx.method === 'GET' && ctx.path === '/__test/bundle.js') {
      ctx.type = 'text/javascript';
      ctx.body = await readFile(join(bundleDir, 'passwordless-login.js'));
    } else if (ctx.method === 'GET' && /^\/__test\/passwordless-login\/[a-z]+\/[A-Za-z-]+\.js$/.test(ctx.path)) {
      // As the backend serves them: `import()` from the bundle's origin (127.0.0.1) is cross-origin here.
      ctx.type = 'text/javascript';
      ctx.set('Access-Control-Allow-Origin', '*');
      ctx.body = await readFile(join(bundleDir, ctx.path.slice('/__test/'.length)));
    } else if (ctx.path.startsWith('/__test/html/')) {
      ctx.type = 'text/html';
      ctx.body = '<!doctype html><title>Not an API</title>';
    } else {
      ctx.status = 404;
    }
  }

  return { plugin, middleware };
}

/**
 * The second origin's page: the element from the test runner's origin (`origin`), pointed at
 * `api` there, asks for a code on load and tells the parent window what it showed.
 */
function servePage(req, res, origin) {
  const url = new URL(req.url, 'http://page');
  if (url.pathname !== '/refused-page.html') {
    res.writeHead(404).end();
    return;
  }
  const attribute = (value) => String(value).replace(/[^\w/:.-]/g, '');
  const api = attribute(url.searchParams.get('api') ?? '/auth');
  const lang = attribute(url.searchParams.get('lang') ?? 'en');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html>
<html lang="${lang}"><title>A page the API does not allow</title>
<script src="${origin}/__test/bundle.js"></script>
<passwordless-login api="${origin}${api}"></passwordless-login>
<script type="module">
  const el = document.querySelector('passwordless-login');
  const errors = [];
  el.addEventListener('passwordless-error', (event) => errors.push(event.detail));
  await customElements.whenDefined('passwordless-login');
  await el.settled;
  await el.requestCode('refused@example.com');
  await el.settled;
  const alert = el.shadowRoot.querySelector('[role="alert"]');
  parent.postMessage({ origin: location.origin, errors, alert: alert && alert.textContent.trim() }, '*');
</script>`);
}

async function readBody(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
