/**
 * `GET /passwordless-login.js` (the script tag any site may load) and the modules it fetches
 * from beside itself, `GET /passwordless-login/<folder>/<name>.js` (assets/widget-files.ts).
 */
import type { Context, Middleware } from 'koa';
import { ApiError } from '../../contract/index.ts';
import { LoginError } from '../login/login-error.ts';
import { WIDGET_MODULE_FOLDERS, type WidgetFiles, type WidgetModuleFolder } from '../assets/widget-files.ts';
import type { Logger } from '../observability/logger.ts';

export const WIDGET_PATH = '/passwordless-login.js';
const MODULE_PATH = /^\/passwordless-login\/([a-z]+)\/([A-Za-z-]{2,20})\.js$/;

export function widgetAssets(files: WidgetFiles, logger: Logger): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET') return next();
    if (ctx.path === WIDGET_PATH) {
      ctx.state.route = WIDGET_PATH;
      if (files.script === null) {
        logger.error({ msg: 'widget bundle missing: run `npm run build`' });
        throw LoginError.of(ApiError.widgetNotBuilt);
      }
      servePublicScript(ctx, files.script);
      return;
    }
    const [, folder, name] = MODULE_PATH.exec(ctx.path) ?? [];
    const module = folder && name ? files.modules.get(folder as WidgetModuleFolder)?.get(name) : undefined;
    if (module === undefined) return next();
    ctx.state.route = WIDGET_MODULE_FOLDERS[folder as WidgetModuleFolder];
    // `import()` fetches modules in CORS mode; these are public files with no credentials.
    ctx.set('Access-Control-Allow-Origin', '*');
    servePublicScript(ctx, module);
  };
}

function servePublicScript(ctx: Context, body: string): void {
  ctx.type = 'text/javascript; charset=utf-8';
  // Any site may load these; a short cache keeps deploys visible within minutes.
  ctx.set('Cache-Control', 'public, max-age=300');
  ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
  ctx.body = body;
}
