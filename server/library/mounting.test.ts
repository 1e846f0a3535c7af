import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import Koa from 'koa';
import { startHostApp } from '../../demo/host-app/plain-http.ts';
import { createPasswordless } from '../index.ts';
import { silentLogger } from '../observability/logger.ts';
import { getJson, postJson } from '../testing/api-client.ts';
import { codeIn, startSmtpSink } from '../testing/smtp-sink.ts';

/** Stops a host server, its passwordless instance, the SMTP sink, and removes the data. */
async function stopAll(server: Server, passwordless: { close(): Promise<void> }, smtp: { close(): Promise<void> }, dir: string): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await passwordless.close();
  await smtp.close();
  await rm(dir, { recursive: true, force: true });
}

it('serves the API from a host Koa app under a custom prefix, with real HTTP and SMTP, hooks included', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'passwordless-host-'));
  const smtp = await startSmtpSink();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const logins: unknown[] = [];
  const passwordless = await createPasswordless({ publicUrl: url, basePath: '/api/login', dataFile: join(dir, 'data.json'), smtpUrl: smtp.url, logger: silentLogger, onLogin: (e) => void logins.push(e) });
  const app = new Koa();
  app.use(passwordless.middleware);
  app.use((ctx) => {
    ctx.body = { host: ctx.path };
  });
  server.on('request', app.callback());
  try {
    assert.equal((await postJson(`${url}/api/login/request`, { email: 'ana@example.com' })).status, 202);
    const code = codeIn(await smtp.nextMail());
    const verified = await postJson(`${url}/api/login/verify`, { email: 'ana@example.com', code });
    assert.equal(verified.status, 200);
    assert.deepEqual(logins, [{ user: verified.body.user, method: 'code' }]);
    const session = await getJson(`${url}/api/login/session`, { Authorization: `Bearer ${verified.body.session.token}` });
    assert.equal(session.body.user.email, 'ana@example.com');
    // The API's errors are its JSON answers; the host's own routes are untouched.
    const wrong = await postJson(`${url}/api/login/verify`, { email: 'ana@example.com', code: 'x' });
    assert.equal(wrong.status, 400);
    assert.equal(typeof wrong.body.error.code, 'string');
    assert.deepEqual((await getJson(`${url}/dashboard`)).body, { host: '/dashboard' });
  } finally {
    await stopAll(server, passwordless, smtp, dir);
  }
});

it('runs the plain node:http example of demo/host-app end to end', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'passwordless-plain-'));
  const smtp = await startSmtpSink();
  const { server, passwordless } = await startHostApp({ port: 0, dataFile: join(dir, 'data.json'), smtpUrl: smtp.url, logger: silentLogger });
  const url = passwordless.config.publicUrl;
  try {
    assert.equal((await postJson(`${url}/auth/request`, { email: 'bo@example.com' })).status, 202);
    const code = codeIn(await smtp.nextMail());
    const verified = await postJson(`${url}/auth/verify`, { email: 'bo@example.com', code });
    assert.equal(verified.status, 200);
    const page = await fetch(`${url}/`, { headers: { Authorization: `Bearer ${verified.body.session.token}` } });
    assert.equal(await page.text(), 'Hello, bo@example.com');
    assert.equal(await (await fetch(`${url}/`)).text(), 'Hello, stranger');
  } finally {
    await stopAll(server, passwordless, smtp, dir);
  }
});
