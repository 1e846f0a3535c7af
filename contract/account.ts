/**
 * The account part of the HTTP contract (issue: accounts for people and operators): a signed-in
 * person changes their address or deletes their account. Kept out of `ApiPath`, whose object the
 * core bundle carries byte for byte: only the account feature module imports these paths.
 *
 * Both changes are proved by a fresh code, never by the session alone:
 * - **Change my email:** the code goes to the *new* address (a typo can never hand the account to
 *   a stranger: whoever holds the code holds that mailbox). When it is entered, the address
 *   changes, and the old address gets a notice with a link that undoes the change for 7 days.
 *   A new address that already belongs to an account gets no code, but a notice saying so, and
 *   the answer is the same 202: the answer never tells whether an address has an account.
 * - **Delete my account:** the code goes to the current address; when it is entered, every
 *   session ends and the user, sessions, passkeys and login state are erased.
 *
 * The codes live in the login state of the address they were mailed to, so the login's limits
 * hold for them as they are (resend wait, codes per hour, wrong-code cap and lockout), and a code
 * of one purpose never does another's job: a change or deletion code never signs anyone in, and a
 * sign-in code never changes or deletes anything.
 */

/** Paths relative to the base path (default `/auth`); every one a `POST` with a JSON body. */
export const AccountPath = {
  /** Session. `EmailChangeStartBody` → `202 AccountCodeSent`: a code to the new address. */
  emailChangeStart: '/account/email',
  /** Session. `EmailChangeConfirmBody` → `200 EmailChangeResponse`: the address is changed; a notice goes to the old one. */
  emailChangeConfirm: '/account/email/confirm',
  /** No session. `EmailChangeUndoBody` (the token of the old address's link) → `200 EmailChangeUndoResponse`. */
  emailChangeUndo: '/account/email/undo',
  /** Session. `{}` → `202 AccountCodeSent`: a code to the current address. */
  deletionStart: '/account/delete',
  /** Session. `AccountCodeBody` → `200 AccountDeletedResponse`: erased; the session (and its cookie) is gone. */
  deletionConfirm: '/account/delete/confirm',
} as const;

/** Where the old address's undo link lands (a page of the backend, under the base path): a GET shows, a button POSTs. */
export const EMAIL_CHANGE_UNDO_PAGE = '/account/email/undo';

/** How long the old address's undo link works: 7 days. */
export const EMAIL_CHANGE_UNDO_SECONDS = 7 * 24 * 3600;

/**
 * The error codes only these routes answer with (contract/errors.ts): `same_email` (400, from the
 * change's start), `email_taken` (409, from its confirm and from the undo), `invalid_undo_link`
 * (401, from the undo). Beside them the login's own: `unauthenticated`, `stale_session` (403, from
 * the change's start: it needs a sign-in by email within 10 minutes), `forbidden_origin`,
 * `invalid_email`, `rate_limited`, `mail_busy`, `invalid_code`, `expired_code`, `too_many_attempts`.
 */
export type AccountErrorCode = 'same_email' | 'email_taken' | 'invalid_undo_link';

/** `POST /auth/account/email`. */
export interface EmailChangeStartBody {
  /** The new address (validated and normalised like a sign-in address). */
  email: string;
  /** The language of the code mail (and, later, of the old address's notice); default: the user's last. */
  locale?: string;
}

/** `202` from both starts: what the code step needs, as `RequestResponse` gives it for a sign-in. */
export interface AccountCodeSent {
  codeLength: number;
  /** Seconds the code stays valid. */
  expiresIn: number;
  /** Seconds before another code may be asked for. */
  retryAfter: number;
}

/** `POST /auth/account/delete/confirm`. */
export interface AccountCodeBody {
  code: string;
}

/**
 * `POST /auth/account/email/confirm`: the new address, as given to the start, and the code
 * mailed there. The code is looked up in that address's login state, among this user's change
 * codes: the server keeps no pointer from the user to a change in flight.
 */
export interface EmailChangeConfirmBody {
  email: string;
  code: string;
}

/** `200` from `POST /auth/account/email/confirm`: the user with the new address (the session goes on). */
export interface EmailChangeResponse {
  user: import('./bodies.ts').User;
}

/** `POST /auth/account/email/undo`. */
export interface EmailChangeUndoBody {
  token: string;
}

/**
 * `200` from `POST /auth/account/email/undo`: the old address is the account's again and every
 * session ended (whoever changed it is signed out); the owner signs in again with the old address.
 */
export interface EmailChangeUndoResponse {
  /** The address restored (the one the link was mailed to). */
  email: string;
}

/** `200` from `POST /auth/account/delete/confirm`. */
export interface AccountDeletedResponse {
  deleted: true;
}

/** What `GET /auth/config` says of these (`ConfigResponse.account`); `false` when both are off. */
export interface AccountOptions {
  /** ACCOUNT_EMAIL_CHANGE (default on). */
  emailChange: boolean;
  /** ACCOUNT_DELETION (default on). */
  deletion: boolean;
}
