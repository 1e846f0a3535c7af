/**
 * The login service: the one object the router and the host's server code call. A facade over
 * request-login.ts (asking for a code), verify-login.ts (signing in with it or the link),
 * sessions.ts (who is signed in, signing out, the sweep) and users.ts. Plain TypeScript with the
 * store, mailer, clock and hasher injected (login-context.ts); it knows nothing of Koa.
 */
import type { RequestResponse, SessionResponse, User, VerifyResponse } from '../../contract/index.ts';
import type { ApprovalDescription, ApprovalRequestResponse } from '../../contract/approval.ts';
import type { FirstFactorResponse } from '../../contract/second-factor.ts';
import * as approvals from './approve-login.ts';
import type { ApprovalCheck } from './approve-login.ts';
import type { SealedTicket } from './approval-ticket.ts';
import type { EmailAddress } from './email-address.ts';
import { loginContext, type LoginContext, type LoginServiceOptions } from './login-context.ts';
import * as requests from './request-login.ts';
import type { LoginRequest, LoginTarget, LoginTokenOptions, SendLoginTokenEmailInput } from './request-login.ts';
import type { LoginRules } from './rules.ts';
import * as sessions from './sessions.ts';
import { eraseUser, type ErasedUser } from './erase-user.ts';
import { blockUser, unblockUser, type BlockOptions } from './blocking.ts';
import { findUser, listUsers, toPublicUser } from './users.ts';
import type { UserListQuery } from '../store/user-list.ts';
import * as verify from './verify-login.ts';

export type { LoginServiceOptions } from './login-context.ts';
export type { ApprovalCheck } from './approve-login.ts';
export type { SealedTicket } from './approval-ticket.ts';
export type { ErasedUser } from './erase-user.ts';
export type { BlockOptions } from './blocking.ts';
export type { UserListQuery, UserSort } from '../store/user-list.ts';
export type { LoginRequest, LoginTarget, LoginTokenOptions, SendLoginTokenEmailInput } from './request-login.ts';

export class LoginService {
  readonly #context: LoginContext;

  constructor(options: LoginServiceOptions) {
    this.#context = loginContext(options);
  }

  get rules(): LoginRules {
    return this.#context.rules;
  }

  /** Mails a code and a link (the element's request); the same answer for known and unknown addresses. */
  requestLogin(request: LoginRequest): Promise<ApprovalRequestResponse> {
    return requests.requestLogin(this.#context, request);
  }

  /** `requestLogin` for server code (Meteor's `requestLoginTokenForUser`): the same rules, waits and answer. */
  requestLoginToken(target: LoginTarget, options?: LoginTokenOptions): Promise<RequestResponse> {
    return requests.requestLoginToken(this.#context, target, options);
  }

  /** Mails an existing user a fresh code and link (Meteor's `sendLoginTokenEmail`), under the usual waits. */
  sendLoginTokenEmail(input: SendLoginTokenEmailInput): Promise<RequestResponse> {
    return requests.sendLoginTokenEmail(this.#context, input);
  }

  /**
   * A session; for an account with a second factor its ticket when `secondFactorKey` is given,
   * else `403 second_factor_required` (so without a key the answer is always a session).
   */
  verifyCode(email: EmailAddress, code: string): Promise<VerifyResponse>;
  verifyCode(email: EmailAddress, code: string, secondFactorKey: string | undefined): Promise<FirstFactorResponse>;
  verifyCode(email: EmailAddress, code: string, secondFactorKey?: string): Promise<FirstFactorResponse> {
    return verify.verifyCode(this.#context, email, code, secondFactorKey);
  }

  verifyLink(token: string): Promise<VerifyResponse>;
  verifyLink(token: string, secondFactorKey: string | undefined): Promise<FirstFactorResponse>;
  verifyLink(token: string, secondFactorKey?: string): Promise<FirstFactorResponse> {
    return verify.verifyLink(this.#context, token, secondFactorKey);
  }

  /** The address a magic link signs in, without using it; `invalid_link` for an unknown token. */
  linkAddress(token: string): Promise<string> {
    return verify.linkAddress(this.#context, token);
  }

  /** What is asking to be approved from the link `token`'s device (approve-login.ts); spends nothing. */
  describeApproval(token: string): Promise<ApprovalDescription> {
    return approvals.describeApproval(this.#context, token);
  }

  /** Approves the asking browser by its number; returns the sequence id its waits listen on. */
  approveLogin(token: string, number: number, wake?: (sequenceId: string) => Promise<void>): Promise<string> {
    return approvals.approveLogin(this.#context, token, number, wake);
  }

  /** The ticket of an approval wait, if `secret` is the asking browser's; `invalid_approval` otherwise. */
  openApproval(id: string, secret: string): SealedTicket {
    return approvals.openApproval(this.#context, id, secret);
  }

  /** One look by the waiting browser: still waiting, refused, or its session (made once). */
  checkApproval(ticket: SealedTicket, secondFactorKey?: string): Promise<ApprovalCheck> {
    return approvals.checkApproval(this.#context, ticket, secondFactorKey);
  }

  findUser(by: { id: string } | { email: string }): Promise<User | null> {
    return findUser(this.#context, by);
  }

  /** The session's user and expiry, or null when the token is unknown or expired. */
  findSession(token: string): Promise<SessionResponse | null> {
    return sessions.findSession(this.#context, token);
  }

  /** Revokes the session and returns whose it was (for the audit trail), or null when there was none. */
  logout(token: string): Promise<string | null> {
    return sessions.logout(this.#context, token);
  }

  /** Ends one session; returns whether there was one. */
  async revokeSession(token: string): Promise<boolean> {
    return (await this.logout(token)) !== null;
  }

  /** Ends every session of one user (a ban, "sign out everywhere"); returns how many it ended. */
  revokeUserSessions(userId: string): Promise<number> {
    return sessions.revokeUserSessions(this.#context, userId);
  }

  /**
   * Erases a user and everything about them (erase-user.ts): every session ended, then the user,
   * passkeys and login state gone; audited `user_deleted`, `onUserDeleted` told. Null when there
   * is no such user.
   */
  deleteUser(userId: string): Promise<ErasedUser | null> {
    return eraseUser(this.#context, userId);
  }

  /**
   * Blocks a user (blocking.ts): every session ends, the address is answered like any other and
   * mailed nothing, and no code, link, approval or passkey signs in. Audited `user_blocked`.
   * The user as stored, or null when there is no such user.
   */
  async blockUser(userId: string, options?: BlockOptions): Promise<User | null> {
    const user = await blockUser(this.#context, userId, options);
    return user && toPublicUser(user);
  }

  /** Lifts a block (audited `user_unblocked`); the user as stored, or null when there is no such user. */
  async unblockUser(userId: string, options?: BlockOptions): Promise<User | null> {
    const user = await unblockUser(this.#context, userId, options);
    return user && toPublicUser(user);
  }

  /** A page of users, newest first (store/user-list.ts); a bad query throws `InvalidUserListQuery`. */
  listUsers(query: UserListQuery): Promise<{ users: User[]; next: string | null }> {
    return listUsers(this.#context, query);
  }

  countUsers(): Promise<number> {
    return this.#context.store.countUsers();
  }

  /** Deletes expired sessions and login states that no longer matter; returns how many of each. */
  sweep(): Promise<{ logins: number; sessions: number }> {
    return sessions.sweep(this.#context);
  }

  /** Resolves once every mail handed over so far has been sent or has failed. */
  idle(): Promise<void> {
    return this.#context.mailer.idle();
  }
}
