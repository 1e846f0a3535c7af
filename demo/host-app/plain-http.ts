/**
 * A site on plain `node:http` (no Koa of its own) that serves its pages and hands `/auth/*` to the
 * passwordless backend. An Express app does the same with `app.use('/auth', (req, res) =>
 * passwordless.handler(req, res))` after restoring `req.url = req.originalUrl`, since Express strips
 * the mount path. Started by server/library/plain-http.test.ts.
 */
import { createServer, type Server } from 'node:http';
import { createPasswordless, type Passwordless, type PasswordlessOptions } from '../../server/index.ts';

export async function startHostApp(options: PasswordlessOptions & { port?: number } = {}): Promise<{ server: Server; passwordless: Passwordless }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 3000, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const passwordless = await createPasswordless({ publicUrl: `http://127.0.0.1:${port}`, ...options });
  server.on('request', (req, res) => {
    if (req.url?.startsWith(`${passwordless.config.basePath}/`)) return passwordless.handler(req, res);
    // The site's own pages: here, one that says who is signed in, from the bearer token.
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    void (token ? passwordless.service.findSession(token) : Promise.resolve(null)).then((session) => {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(session ? `Hello, ${session.user.email}` : 'Hello, stranger');
    });
  });
  return { server, passwordless };
}
