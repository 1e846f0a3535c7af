/**
 * The console's API (contract/admin.ts `AdminPath`), a @koa/router at the root of the backend's
 * origin, mounted only when ADMIN_EMAILS names someone. Every route sits behind `adminAccess`
 * (own origin, live session, admin address now), validates its path and query with zod, and each
 * call that changes something, or hands a user's data out (export), writes one `admin_action`
 * audit entry naming the action, the target user and the admin. No CORS: the console is served
 * from this origin, so no other origin needs to read these answers, and browsers refuse to.
 */
import { bodyParser } from '@koa/bodyparser';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { AdminPath, type AdminAction, type AdminActionResponse, type AdminUserDetail, type AdminUserPage } from '../../contract/admin.ts';
import { ApiError } from '../../contract/index.ts';
import { jsonIfAny } from '../http/json-only.ts';
import { parseBody } from '../http/validate.ts';
import { LoginError } from '../login/login-error.ts';
import type { LoginService } from '../login/login-service.ts';
import type { AuditLog } from '../observability/audit.ts';
import type { Store, UserRecord } from '../store/types.ts';
import { InvalidUserListQuery, MAX_PAGE } from '../store/user-list.ts';
import { adminAccess, adminOf, type AdminAccessOptions } from './admin-access.ts';
import { exportUser, passkeyView, sessionView, userSummary } from './admin-views.ts';
import type { AdminRecords } from './admin-records.ts';

export interface AdminApiOptions extends AdminAccessOptions {
  service: Pick<LoginService, 'findSession' | 'revokeUserSessions' | 'deleteUser' | 'blockUser' | 'unblockUser'>;
  store: Store;
  audit: Pick<AuditLog, 'adminAction'>;
  /** The overview's numbers and a user's audit entries, where the store keeps them. */
  records: AdminRecords;
}

/** A page of the list: a screen of rows; the store allows up to MAX_PAGE. */
const DEFAULT_PAGE = 25;
/** The newest entries of a user on their page (contract: at most 50). */
const USER_AUDIT_ENTRIES = 50;

// A user id as the stores make them (secrets/random.ts: 16 base64url characters); the bound is
// the user list cursor's, so no id that could be stored is refused.
const IdParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a user id') });
const UsersQuery = z.strictObject({
  search: z.string().max(254).optional(),
  sort: z.enum(['created', 'last_sign_in']).default('created'),
  after: z.string().max(1_000).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
});
/** `POST {}` or no body, and the overview's empty query: nothing but the id in the path is taken. */
const NoFields = z.strictObject({});

export function createAdminApi(options: AdminApiOptions): Router {
  const { service, store, audit, records } = options;
  const router = new Router();
  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  const access = adminAccess(options);
  // 1 KB: the actions take `{}`; anything larger is not a request of this console.
  const body = [jsonIfAny, bodyParser({ enableTypes: ['json'], jsonLimit: '1kb', jsonStrict: true })];

  /** The user the path names, or a 404. */
  const target = async (ctx: Context): Promise<UserRecord> => {
    const { id } = parseBody(IdParams, { ...ctx.params });
    const user = await store.findUserById(id);
    if (!user) throw LoginError.of(ApiError.noSuchUserHere);
    return user;
  };
  const audited = (ctx: Context, action: AdminAction, userId: string) => audit.adminAction({ action, userId, by: adminOf(ctx) });
  /** An action the admin may not take on their own account: they would lock themselves out. */
  const notSelf = (ctx: Context, user: UserRecord, action: string) => {
    if (user.id === adminOf(ctx)) throw LoginError.of(ApiError.adminSelf(action));
  };
  const noFields = (ctx: Context) => parseBody(NoFields, ctx.request.body ?? {});

  router.get(AdminPath.overview, ...access, async (ctx) => {
    parseBody(NoFields, { ...ctx.query });
    ctx.body = await records.overview();
  });

  router.get(AdminPath.users, ...access, async (ctx) => {
    // Every bad query is one code (invalid_user_list_query), whether zod or the store's cursor finds it.
    const parsed = UsersQuery.safeParse({ ...ctx.query });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw LoginError.of(ApiError.invalidUserListQuery(`${issue.path.join('.') || 'the query'} ${issue.message}`));
    }
    const query = parsed.data;
    try {
      const [page, total] = await Promise.all([store.listUsers(query), store.countUsers()]);
      const answer: AdminUserPage = { users: page.users.map(userSummary), next: page.next, total };
      ctx.body = answer;
    } catch (error) {
      if (error instanceof InvalidUserListQuery) throw LoginError.of(ApiError.invalidUserListQuery(error.message));
      throw error;
    }
  });

  router.get(AdminPath.user, ...access, async (ctx) => {
    const user = await target(ctx);
    const [sessions, passkeys, entries] = await Promise.all([store.listUserSessions(user.id), store.listPasskeys(user.id), records.userAudit(user.id, USER_AUDIT_ENTRIES)]);
    const answer: AdminUserDetail = { user: { ...userSummary(user), secondFactor: Boolean(user.totp) }, sessions: sessions.map(sessionView), passkeys: passkeys.map(passkeyView), audit: entries };
    ctx.body = answer;
  });

  router.post(AdminPath.endSessions, ...access, ...body, async (ctx) => {
    noFields(ctx);
    const user = await target(ctx);
    const answer: AdminActionResponse = { sessions: await service.revokeUserSessions(user.id) };
    audited(ctx, 'end_sessions', user.id);
    ctx.body = answer;
  });

  router.post(AdminPath.block, ...access, ...body, async (ctx) => {
    noFields(ctx);
    const user = await target(ctx);
    notSelf(ctx, user, 'block');
    // Blocking ends every session (login/blocking.ts): those live now are the ones it ends.
    const sessions = (await store.listUserSessions(user.id)).length;
    if (!(await service.blockUser(user.id, { by: adminOf(ctx) }))) throw LoginError.of(ApiError.noSuchUserHere);
    audited(ctx, 'block', user.id);
    const answer: AdminActionResponse = { sessions };
    ctx.body = answer;
  });

  router.post(AdminPath.unblock, ...access, ...body, async (ctx) => {
    noFields(ctx);
    const user = await target(ctx);
    if (!(await service.unblockUser(user.id, { by: adminOf(ctx) }))) throw LoginError.of(ApiError.noSuchUserHere);
    audited(ctx, 'unblock', user.id);
    const answer: AdminActionResponse = {};
    ctx.body = answer;
  });

  router.post(AdminPath.delete, ...access, ...body, async (ctx) => {
    noFields(ctx);
    const user = await target(ctx);
    notSelf(ctx, user, 'delete');
    const erased = await service.deleteUser(user.id);
    // Erased by a concurrent call between the lookup and now: that call was audited.
    if (!erased) throw LoginError.of(ApiError.noSuchUserHere);
    audited(ctx, 'delete', user.id);
    const answer: AdminActionResponse = { sessions: erased.sessions, passkeys: erased.passkeys };
    ctx.body = answer;
  });

  router.get(AdminPath.export, ...access, async (ctx) => {
    const user = await target(ctx);
    const data = await exportUser(store, user, await records.userAudit(user.id, Number.MAX_SAFE_INTEGER));
    audited(ctx, 'export', user.id);
    ctx.set('Content-Disposition', `attachment; filename="user-${user.id}.json"`);
    ctx.type = 'application/json';
    ctx.body = `${JSON.stringify(data, null, 2)}\n`;
  });

  return router;
}
