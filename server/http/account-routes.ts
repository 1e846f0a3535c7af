/**
 * The account routes (contract/account.ts, docs/http-api.md#account), mounted by the router
 * beside the others when ACCOUNT_EMAIL_CHANGE or ACCOUNT_DELETION is on, behind the same guards:
 * the origin guard on every call (each changes something), the per-IP limit (the starts count as
 * code requests, the confirms and the undo as verifies: each is a guess), JSON only, then zod.
 * Every call but the undo needs a live session, and starting a change of address a fresh one
 * (signed in by an email code or link within 10 minutes: a stolen session may not move the
 * account); the undo's token is its own proof (it goes to
 * the old address, whose owner may have no session left).
 *
 * And the undo page (`GET <base>/account/email/undo`): the old address's link lands there. A GET
 * only shows it, and its button POSTs: mail scanners fetch links to look at them, and a fetch
 * must not undo anything.
 */
import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { AccountPath, EMAIL_CHANGE_UNDO_PAGE, type AccountDeletedResponse, type EmailChangeResponse, type EmailChangeUndoResponse } from '../../contract/account.ts';
import type { Locale, SessionResponse } from '../../contract/index.ts';
import type { AccountService } from '../account/account-service.ts';
import { AccountCodeSchema, DeletionStartSchema, EmailChangeConfirmSchema, EmailChangeStartSchema, EmailChangeUndoSchema } from './account-schemas.ts';
import { clearSessionCookie } from './session-token.ts';
import { UNDO_SCRIPT_PATH, undoPage, undoScript, type UndoPageOptions } from './undo-page.ts';
import { parseBody } from './validate.ts';

/** Which of the two features are served (ACCOUNT_EMAIL_CHANGE, ACCOUNT_DELETION). */
export interface AccountFeatures {
  emailChange: boolean;
  deletion: boolean;
}

export interface AccountRouteParts {
  account: AccountService;
  features: AccountFeatures;
  guard: Middleware;
  /** JSON only, then the body parser. */
  json: Middleware[];
  /** The same for calls whose body may be empty. */
  optionalJson: Middleware[];
  /** The per-IP limits of code requests and of verifies. */
  limitRequests: Middleware;
  limitVerifies: Middleware;
  /** The session the request carries, or a 401. */
  liveSession(ctx: Context): Promise<SessionResponse>;
  /** The session token the request carries (bearer or cookie): a change of address checks it is fresh. */
  sessionToken(ctx: Context): string | null;
  cookieMode: boolean;
  /** The undo page's stylesheet, script and language. */
  page: UndoPageOptions;
}

/** The paths to give a preflight route, as the router does for its own. */
export function accountPaths(features: AccountFeatures): string[] {
  return [
    ...(features.emailChange ? [AccountPath.emailChangeStart, AccountPath.emailChangeConfirm, AccountPath.emailChangeUndo] : []),
    ...(features.deletion ? [AccountPath.deletionStart, AccountPath.deletionConfirm] : []),
  ];
}

export function mountAccountRoutes(router: Router, parts: AccountRouteParts): void {
  const { account, features, guard, json, optionalJson, limitRequests, limitVerifies, liveSession } = parts;

  if (features.emailChange) {
    router.post(AccountPath.emailChangeStart, guard, limitRequests, ...json, async (ctx) => {
      await liveSession(ctx);
      const input = parseBody(EmailChangeStartSchema, ctx.request.body);
      ctx.body = await account.startEmailChange(parts.sessionToken(ctx), input.email, input.locale as Locale | undefined);
      ctx.status = 202;
    });

    router.post(AccountPath.emailChangeConfirm, guard, limitVerifies, ...json, async (ctx) => {
      const { user } = await liveSession(ctx);
      const { email, code } = parseBody(EmailChangeConfirmSchema, ctx.request.body);
      const body: EmailChangeResponse = { user: await account.confirmEmailChange(user.id, email, code) };
      ctx.body = body;
    });

    router.post(AccountPath.emailChangeUndo, guard, limitVerifies, ...json, async (ctx) => {
      const { token } = parseBody(EmailChangeUndoSchema, ctx.request.body);
      const body: EmailChangeUndoResponse = await account.undoEmailChange(token);
      ctx.body = body;
    });

    // The same path: a GET is the page, the POST above the undo.
    router.get(EMAIL_CHANGE_UNDO_PAGE, undoPage(parts.page));
    router.get(UNDO_SCRIPT_PATH, undoScript);
  }

  if (features.deletion) {
    router.post(AccountPath.deletionStart, guard, limitRequests, ...optionalJson, async (ctx) => {
      const { user } = await liveSession(ctx);
      const input = parseBody(DeletionStartSchema, ctx.request.body ?? {});
      ctx.body = await account.startDeletion(user.id, input.locale as Locale | undefined);
      ctx.status = 202;
    });

    router.post(AccountPath.deletionConfirm, guard, limitVerifies, ...json, async (ctx) => {
      const { user } = await liveSession(ctx);
      const { code } = parseBody(AccountCodeSchema, ctx.request.body);
      await account.confirmDeletion(user.id, code);
      // The session is gone with the user; the cookie goes with it.
      if (parts.cookieMode) clearSessionCookie(ctx);
      const body: AccountDeletedResponse = { deleted: true };
      ctx.body = body;
    });
  }
}
