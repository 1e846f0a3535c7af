/**
 * A site's own Koa backend with the login service mounted in it, and one route of its own that
 * only signed-in visitors may call. This file is the README's "Integrate with your backend"
 * example, and server/library/protected-route.test.ts runs it.
 */
import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import { Router } from '@koa/router';
import { createPasswordless, type Passwordless, type PasswordlessOptions } from '../../server/index.ts';
import { requireAccessToken, type AccessTokenUser } from './require-access-token.ts';

export interface KoaHost {
  server: Server;
  passwordless: Passwordless;
  /** `http://127.0.0.1:PORT`. */
  url: string;
}

export async function startKoaHost(options: PasswordlessOptions & { port?: number } = {}): Promise<KoaHost> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 3000, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const passwordless = await createPasswordless({ publicUrl: url, ...options });
  const app = new Koa();
  // The login API under /auth, and the key set at /.well-known/jwks.json.
  app.use(passwordless.middleware);

  const api = new Router({ prefix: '/api' });
  // Any backend can do this, in this process or another: it needs only the key set's URL.
  api.use(
    requireAccessToken({
      jwksUrl: `${url}/.well-known/jwks.json`,
      issuer: passwordless.config.publicUrl,
      audience: passwordless.config.accessTokenAudience,
      now: options.clock && (() => options.clock!.now()),
    }),
  );
  api.get('/profile', (ctx) => {
    const user = ctx.state.user as AccessTokenUser;
    ctx.body = { id: user.id, email: user.email, greeting: `Hello, ${user.email}` };
  });
  app.use(api.routes());
  app.use(api.allowedMethods());

  server.on('request', app.callback());
  return { server, passwordless, url };
}
