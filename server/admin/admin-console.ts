/**
 * The operators' console as the backend's app mounts it: the page and its files (admin-page.ts)
 * and the API (admin-api.ts), both at the root of the origin. The composition root mounts it only
 * when ADMIN_EMAILS names someone; otherwise `/admin` is a 404 like any unknown path, and nothing
 * tells a visitor that a console could exist.
 */
import type { Middleware } from 'koa';
import { createAdminApi, type AdminApiOptions } from './admin-api.ts';
import { adminPage, type AdminPageOptions } from './admin-page.ts';

export type AdminConsoleOptions = AdminApiOptions & AdminPageOptions;

/** The middleware to `app.use`, in order. */
export function createAdminConsole(options: AdminConsoleOptions): Middleware[] {
  const api = createAdminApi(options);
  // The router's middleware wants its own context type; Koa's app takes it as any middleware.
  return [adminPage(options), api.routes() as Middleware, api.allowedMethods({ throw: true }) as Middleware];
}
