/**
 * Asking for a code: from the element (`requestLogin`), and from the host's server code
 * (`requestLoginToken`, `sendLoginTokenEmail`). One code and one link per request, mailed
 * together, under the same waits whoever asks.
 *
 * - Mail volume: one code per 60 s and 5 per hour per address, counted for unknown addresses too.
 * - Enumeration: known and unknown emails take the same path (a user lookup, one state write,
 *   the same answer); the mailer renders and sends only after the answer is written
 *   (`Mailer.dispatch` defers to setImmediate), and it is never awaited.
 * - A blocked user's address (an operator's block) is counted and answered like any other and
 *   gets no code and so no mail, exactly as a locked one.
 * - A locked address (100 wrong codes in a row, verify-login.ts) gets no code and so no mail: the
 *   lock cannot be turned into a way to flood the owner's mailbox. The answer stays the same.
 * - No promise that is not kept: the mail's place in the queue is taken first, before the store
 *   is read or written (mail/queue-room.ts). With the queue full the answer is `503 mail_busy`
 *   with `Retry-After`, for every address alike and without a store call (the condition is global
 *   and reveals nothing), and nothing is written: no code, no resend wait, no hourly count. A
 *   request that sends no mail after all (a wait, a lock, an unknown address) gives the place back.
 */
import { ApiError, type Locale, type RequestResponse } from '../../contract/index.ts';
import type { ApprovalRequestResponse } from '../../contract/approval.ts';
import { parseMailExtra, type MailExtra } from '../mail/mail-extra.ts';
import type { LoginMail } from '../mail/types.ts';
import { randomCode, randomId, randomToken } from '../secrets/random.ts';
import { parseEmailAddress, type EmailAddress } from './email-address.ts';
import { mayCreateUser } from './hooks.ts';
import type { LoginContext } from './login-context.ts';
import { LoginError, rateLimited } from './login-error.ts';
import { drawApprovalNumber, newApproval } from './approval-state.ts';
import { sealTicket } from './approval-ticket.ts';
import { emptyLoginState, isLocked, prune, requestWaitMs } from './login-state.ts';
import { buildMagicLink } from './magic-link.ts';
import { expiresInMinutes } from './rules.ts';

/** A request as the router hands it over: every field already checked. */
export interface LoginRequest {
  email: EmailAddress;
  /** Already checked against the allow-list. */
  redirectTo?: string | undefined;
  locale: Locale;
  userData?: Record<string, unknown> | undefined;
  clientHash?: string | undefined;
  /** Checked `extra` values for the mail (sendLoginTokenEmail). */
  extra?: MailExtra | undefined;
  /**
   * The asking browser may be approved from another device (approve-login.ts): `key` is the
   * base64url SHA-256 of the secret it keeps, `device` what its User-Agent says ("Chrome on macOS").
   */
  approval?: { key: string; device: string } | undefined;
}

/** Who a programmatic `requestLoginToken` is for: an address (a user or not yet), or an existing user. */
export type LoginTarget = { email: string } | { userId: string };

export interface LoginTokenOptions {
  userData?: Record<string, unknown>;
  /** Trusted as given: the redirect allow-list is the router's, so check user input against it first. */
  redirectTo?: string;
  locale?: Locale;
}

export interface SendLoginTokenEmailInput {
  userId: string;
  /** Must be the user's address when given (a user has one). */
  email?: string;
  /**
   * Values for this one mail that an operator's templates show as `{{extra.<key>}}` (HTML-escaped
   * in .html like every value): at most 20 strings or numbers of at most 500 characters, keys
   * like `plan` or `team_name` (mail-extra.ts). Anything else is a 400 saying what is wrong.
   */
  extra?: Record<string, string | number>;
  locale?: Locale;
}

export async function requestLogin(context: LoginContext, request: LoginRequest): Promise<ApprovalRequestResponse> {
  const place = context.mailer.reserve();
  if (place.busy) {
    context.metrics?.mailBusy.inc();
    throw rateLimited(place.retryAfter, ApiError.mailBusy);
  }
  try {
    return await requestWithPlace(context, request, place.send);
  } finally {
    place.release();
  }
}

async function requestWithPlace(context: LoginContext, request: LoginRequest, send: (mail: LoginMail) => void): Promise<ApprovalRequestResponse> {
  const { store, clock, hash, rules } = context;
  const now = clock.now();
  const { key, address } = request.email;
  const user = await store.findUserByEmailKey(key);
  // A blocked user's address is answered as any other and mailed nothing (docs/security.md#blocking).
  const mayLogIn = user !== null ? !user.blockedAt : (rules.userCreation && (await mayCreateUser(context.hooks, context.logger, address, request.userData ?? {})));
  const code = randomCode(rules.codeLength);
  const token = randomToken();
  const id = randomId();
  const ttlMs = rules.codeTtlSeconds * 1000;
  // Drawn whether or not the sequence is stored: an unknown address gets a ticket of the same
  // shape for a sequence never written, and its wait just ends at the expiry.
  const approvalNumber = request.approval ? drawApprovalNumber() : 0;

  const outcome = await store.updateLogin(key, (current) => {
    const state = prune(current ?? emptyLoginState(key, address), now, rules);
    const waitMs = requestWaitMs(state, now, rules);
    if (waitMs > 0) return { next: state, result: { retryAfter: waitMs / 1000, send: false } };
    state.lastRequestAt = now;
    state.requestTimes.push(now);
    if (!mayLogIn || isLocked(state, now, rules.maxConsecutiveFailures, rules.lockoutSeconds * 1000)) {
      return { next: state, result: { retryAfter: 0, send: false } };
    }
    state.sequences.push({
      id,
      codeHash: hash(`code:${id}:${code}`),
      tokenHash: hash(`link:${token}`),
      createdAt: now,
      expiresAt: now + ttlMs,
      usedAt: null,
      burntAt: null,
      locale: request.locale,
      userData: request.userData ?? {},
      ...(request.approval ? { approval: newApproval(request.approval.key, approvalNumber, request.approval.device, now) } : {}),
    });
    return { next: state, result: { retryAfter: 0, send: true } };
  });
  if (outcome.retryAfter > 0) {
    context.metrics?.rateLimited.inc({ scope: 'email' });
    throw rateLimited(outcome.retryAfter, ApiError.codeSentMomentsAgo);
  }

  if (outcome.send) {
    context.metrics?.codesRequested.inc();
    const link = buildMagicLink(request.redirectTo ?? context.defaultLanding, token, request.clientHash);
    send({ to: user?.email ?? address, locale: request.locale, code, link, expiresInMinutes: expiresInMinutes(rules), extra: request.extra });
  }
  const answer: ApprovalRequestResponse = { codeLength: rules.codeLength, expiresIn: rules.codeTtlSeconds, retryAfter: rules.resendSeconds };
  if (request.approval) {
    answer.approval = { id: sealTicket(hash, { emailKey: key, sequenceId: id, expiresAt: now + ttlMs, keyHash: request.approval.key }), number: approvalNumber };
  }
  return answer;
}

/**
 * `requestLogin` for server code (Meteor's `requestLoginTokenForUser`): the same rules, waits and
 * answer. An unknown `userId` or an invalid address is a 400: the caller is trusted, not a client.
 */
export async function requestLoginToken(context: LoginContext, target: LoginTarget, options: LoginTokenOptions = {}): Promise<RequestResponse> {
  let email: EmailAddress | null;
  if ('userId' in target) {
    const user = await context.store.findUserById(target.userId);
    email = user && { address: user.email, key: user.emailKey };
  } else {
    email = parseEmailAddress(target.email);
  }
  if (!email) throw LoginError.of(ApiError.noSuchUser);
  return requestLogin(context, { email, redirectTo: options.redirectTo, locale: options.locale ?? 'en', userData: options.userData });
}

/** Mails an existing user a fresh code and link (Meteor's `sendLoginTokenEmail`), under the usual waits. */
export async function sendLoginTokenEmail(context: LoginContext, input: SendLoginTokenEmailInput): Promise<RequestResponse> {
  let extra: MailExtra | undefined;
  try {
    extra = input.extra === undefined ? undefined : parseMailExtra(input.extra);
  } catch (error) {
    throw LoginError.of(ApiError.notUsableInMail((error as Error).message));
  }
  const user = await context.store.findUserById(input.userId);
  if (!user) throw LoginError.of(ApiError.noSuchUser);
  if (input.email !== undefined && parseEmailAddress(input.email)?.key !== user.emailKey) {
    throw LoginError.of(ApiError.notTheUsersEmail);
  }
  return requestLogin(context, { email: { address: user.email, key: user.emailKey }, locale: input.locale ?? 'en', extra });
}
