/**
 * The demo, mounted by `npm start` outside production: a page with the element dropped in by one
 * script tag, an event log, and the dev mailbox, so the whole flow can be tried without SMTP.
 * Beside it: a page under exactly `default-src 'self'; script-src 'self'` (/demo/csp.html), and
 * the React 19 and Vue 3 embeds built by `npm run build:demos` (/demo/react/, /demo/vue/).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type Koa from 'koa';
import type { Clock } from '../server/time/clock.ts';
import type { DevMailbox } from '../server/mail/dev-mailbox.ts';
import { packagePath } from '../server/assets/package-files.ts';
import { JWKS_WELL_KNOWN_PATH } from '../contract/index.ts';
import { requireAccessToken, type AccessTokenUser } from './host-app/require-access-token.ts';

// From the package root: this file also runs compiled, from dist/demo/ (npm start).
const DEMO_DIR = packagePath('demo/public/');
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'html' },
  '/demo/demo.js': { file: 'demo.js', type: 'text/javascript; charset=utf-8' },
  '/demo/demo.css': { file: 'demo.css', type: 'text/css; charset=utf-8' },
  '/demo/csp.html': { file: 'csp.html', type: 'html' },
  '/demo/csp.css': { file: 'csp.css', type: 'text/css; charset=utf-8' },
  '/demo/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
  // For the pages that link no icon (the framework embeds): browsers ask for this one by name.
  '/favicon.ico': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** The policy the issue names, word for word: the strict-CSP page is served with exactly this. */
export const STRICT_CSP_PAGE = '/demo/csp.html';
export const STRICT_CSP = "default-src 'self'; script-src 'self'";

/** Where `npm run build:demos` writes the framework embeds, one folder each, served at /demo/<name>/. */
export const FRAMEWORK_DIST_DIR = packagePath('dist/demo/');
export const FRAMEWORKS = ['react', 'vue'] as const;

const TYPES: Record<string, string> = {
  '.html': 'html',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface StaticFile {
  body: string;
  type: string;
}

/** Every file of each built framework app, by the path it is served at (its index also at the folder). */
function readFrameworkApps(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of FRAMEWORKS) {
    const dir = join(FRAMEWORK_DIST_DIR, name);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const type = TYPES[extname(entry.name)];
      if (!entry.isFile() || !type) continue;
      const file = join(entry.parentPath, entry.name);
      const path = `/demo/${name}/${relative(dir, file).split('\\').join('/')}`;
      files.set(path, { body: readFileSync(file, 'utf8'), type });
      if (path.endsWith('/index.html')) files.set(path.slice(0, -'index.html'.length), files.get(path)!);
    }
  }
  return files;
}

/** The demo's "protected API": what a site's backend answers only with a valid access token. */
export const PROTECTED_API_PATH = '/demo/api/me';

export interface DemoOptions {
  mailbox: DevMailbox | null;
  /** The backend's PUBLIC_URL: its key set is at `/.well-known/jwks.json` there. */
  publicUrl: string;
  /** ACCESS_TOKEN_AUDIENCE. */
  audience: string;
  /** The backend's clock (tests run it by hand); default the system's. */
  clock?: Clock;
}

export function mountDemo(app: Koa, { mailbox, publicUrl, audience, clock }: DemoOptions): void {
  // Read once at start: the demo files are small and do not change while it runs.
  const contents = new Map(Object.entries(FILES).map(([path, { file, type }]) => [path, { body: readFileSync(DEMO_DIR + file, 'utf8'), type }]));
  for (const [path, file] of readFrameworkApps()) contents.set(path, file);

  // Verified as a separate backend would: against the published key set, fetched over HTTP.
  const guard = requireAccessToken({
    jwksUrl: publicUrl + JWKS_WELL_KNOWN_PATH,
    issuer: publicUrl,
    audience,
    now: clock && (() => clock.now()),
  });
  const protectedApi: Koa.Middleware = (ctx) =>
    guard(ctx, async () => {
      const user = ctx.state.user as AccessTokenUser;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { message: `Hello, ${user.email}: your access token checked out.`, user };
    });

  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET') return next();
    const page = contents.get(ctx.path);
    if (page) {
      // The strict-CSP page gets exactly the policy instead of the backend's longer default.
      if (ctx.path === STRICT_CSP_PAGE) ctx.set('Content-Security-Policy', STRICT_CSP);
      ctx.type = page.type;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = page.body;
      return;
    }
    const framework = FRAMEWORKS.find((name) => ctx.path === `/demo/${name}` || ctx.path.startsWith(`/demo/${name}/`));
    if (framework && ctx.path === `/demo/${framework}`) {
      ctx.redirect(`/demo/${framework}/`);
      return;
    }
    if (framework && !contents.has(`/demo/${framework}/`)) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `The ${framework} demo has not been built: run \`npm run build:demos\`.\n`;
      return;
    }
    if (ctx.path === PROTECTED_API_PATH) return protectedApi(ctx, next);
    if (ctx.path === '/demo/api/mailbox') {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { enabled: mailbox !== null, messages: mailbox?.messages() ?? [] };
      return;
    }
    await next();
  });
}
