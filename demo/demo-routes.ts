/**
 * The demo, mounted by `npm start` outside production: a page with the element dropped in by one
 * script tag, an event log, and the dev mailbox, so the whole flow can be tried without SMTP.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Koa from 'koa';
import type { DevMailbox } from '../server/mail/dev-mailbox.ts';

const DEMO_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'html' },
  '/demo/demo.js': { file: 'demo.js', type: 'text/javascript; charset=utf-8' },
  '/demo/demo.css': { file: 'demo.css', type: 'text/css; charset=utf-8' },
};

export function mountDemo(app: Koa, { mailbox }: { mailbox: DevMailbox | null }): void {
  // Read once at start: the demo files are small and do not change while it runs.
  const contents = new Map(Object.entries(FILES).map(([path, { file, type }]) => [path, { body: readFileSync(DEMO_DIR + file, 'utf8'), type }]));
  app.use(async (ctx, next) => {
    if (ctx.method !== 'GET') return next();
    const page = contents.get(ctx.path);
    if (page) {
      ctx.type = page.type;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = page.body;
      return;
    }
    if (ctx.path === '/demo/api/mailbox') {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { enabled: mailbox !== null, messages: mailbox?.messages() ?? [] };
      return;
    }
    await next();
  });
}
