/**
 * Every error code the API answers with. The widget maps each to a translated sentence, so a
 * code added here without a sentence there fails the widget's type check.
 */
export const ErrorCode = {
  /** The body is not valid JSON or does not match the schema (see `fields`). */
  invalid_request: 'invalid_request',
  /** POST bodies must be `application/json` (415). */
  unsupported_media_type: 'unsupported_media_type',
  /** The body is larger than the server accepts (413). */
  payload_too_large: 'payload_too_large',
  invalid_email: 'invalid_email',
  /** `redirectTo` is not on the configured allow-list. */
  invalid_redirect: 'invalid_redirect',
  /** Too many requests; `retryAfter` seconds and the `Retry-After` header say when to retry. */
  rate_limited: 'rate_limited',
  /**
   * Mail cannot keep up: the server's mail queue is full, so it sent nothing and wrote nothing
   * (503). The same for every address; `retryAfter` seconds and `Retry-After` say when to retry.
   */
  mail_busy: 'mail_busy',
  /** The code is wrong (or no code is live for this email); `attemptsLeft` says how many remain. */
  invalid_code: 'invalid_code',
  /** The code or link was right but its lifetime is over. */
  expired_code: 'expired_code',
  /**
   * Too many wrong codes, or a code of a burnt sequence: `attemptsLeft` 0 when no code of this
   * email is live (ask for a new one), 1 when a newer one is; `retryAfter`, seconds until a new
   * code may be asked for (0 right after the wrong code that reached the cap).
   */
  too_many_attempts: 'too_many_attempts',
  /** The magic link is unknown, already used or burnt. */
  invalid_link: 'invalid_link',
  /** No valid session token was presented. */
  unauthenticated: 'unauthenticated',
  /**
   * A state-changing call from a browser on a site not in ALLOWED_ORIGINS (403): a foreign page
   * may not request codes, sign a visitor in, or sign anyone out.
   */
  forbidden_origin: 'forbidden_origin',
  not_found: 'not_found',
  /** The path exists but not with this method (405). */
  method_not_allowed: 'method_not_allowed',
  /**
   * A passkey's answer does not check out: its challenge expired, was used or never issued here,
   * or its origin, RP ID, signature or signature counter is wrong. Nothing was stored.
   */
  invalid_passkey: 'invalid_passkey',
  /** No passkey with this credential ID is registered here (never, or removed since). */
  unknown_passkey: 'unknown_passkey',
  /**
   * Adding a passkey needs a fresh session: signed in by an email code or link within the last
   * 10 minutes, so a stolen or old session cannot plant one (403).
   */
  stale_session: 'stale_session',
  /** The user has as many passkeys as the server allows; remove one first (409). */
  too_many_passkeys: 'too_many_passkeys',
  /**
   * A cross-device approval's wait (`POST /approval/wait`) names no wait issued here, its secret is
   * not the one the asking browser keeps, or its session was already collected (401).
   */
  invalid_approval: 'invalid_approval',
  /** The number picked on the other device was wrong: this approval is refused for good; the link still signs in there (403). */
  approval_refused: 'approval_refused',
  /** The device that asked is no longer waiting (tab closed, or it never asked for an approval): sign in on this device instead (409). */
  approval_not_waiting: 'approval_not_waiting',
  /** The admin console's API (contract/admin.ts): the session's address is not in ADMIN_EMAILS (403). */
  not_admin: 'not_admin',
  /** Changing the address to the one the account already has (400): nothing to confirm, no code sent. */
  same_email: 'same_email',
  /**
   * The address is another account's now (409): an undo link whose old address became another
   * user's since the change, or a confirmed change whose new address became a user meanwhile.
   */
  email_taken: 'email_taken',
  /** The old address's undo link is not one of ours, has expired (7 days) or was already used (401). */
  invalid_undo_link: 'invalid_undo_link',
  /** An operator's listing of users (the admin console) with a bad limit, sort, search or cursor (400). */
  invalid_user_list_query: 'invalid_user_list_query',
  /**
   * The account has a second factor (contract/second-factor.ts) and the first factor's body
   * carried no `secondFactorKey`: no session and no ticket (403). An old client is never half signed in.
   */
  second_factor_required: 'second_factor_required',
  /**
   * The site demands a second factor of this account (`requireSecondFactor`) and it has none yet:
   * no session (403). The site enrols the person while they are signed in by other means.
   */
  second_factor_setup_required: 'second_factor_setup_required',
  /**
   * A second step's ticket (`POST /second-factor`) is not one of ours, has expired (5 minutes),
   * was used, died at the attempt cap, or its secret is not the browser's that did the first factor (401).
   */
  invalid_second_factor: 'invalid_second_factor',
  /** Setting up authenticator-app codes that are on already: turn them off first (409). */
  totp_already_enabled: 'totp_already_enabled',
  /** Turning off (or renewing the recovery codes of) authenticator-app codes that are off (409). */
  totp_not_enabled: 'totp_not_enabled',
  /** The `setupToken` of `POST /totp/enable` is not one of ours, is another user's, or has expired (10 minutes): start again (400). */
  invalid_totp_setup: 'invalid_totp_setup',
  /** A bug or an outage on the server (5xx); never an answer to bad input. */
  internal_error: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    /** A sentence a person can read (English); the widget shows its own translation. */
    message: string;
    /** On `invalid_code`; on `too_many_attempts`, 0 or 1. */
    attemptsLeft?: number;
    /** On `rate_limited` and `mail_busy`, in seconds, equal to the `Retry-After` header; on `too_many_attempts`, until a new code may be asked for. */
    retryAfter?: number;
    /** On `invalid_request`: which fields were wrong and why. */
    fields?: Record<string, string>;
  };
}

/**
 * The HTTP status each code is answered with: one per code, so a client may rely on either. The
 * one exception is an outage (`internal_error` as 503: the element's script not built), which a
 * registry entry says with its own `status`.
 */
export const ErrorStatus = {
  invalid_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  invalid_email: 400,
  invalid_redirect: 400,
  rate_limited: 429,
  mail_busy: 503,
  invalid_code: 401,
  expired_code: 401,
  too_many_attempts: 429,
  invalid_link: 401,
  unauthenticated: 401,
  forbidden_origin: 403,
  not_found: 404,
  method_not_allowed: 405,
  invalid_passkey: 400,
  unknown_passkey: 400,
  stale_session: 403,
  too_many_passkeys: 409,
  invalid_approval: 401,
  approval_refused: 403,
  approval_not_waiting: 409,
  not_admin: 403,
  same_email: 400,
  email_taken: 409,
  invalid_undo_link: 401,
  invalid_user_list_query: 400,
  second_factor_required: 403,
  second_factor_setup_required: 403,
  invalid_second_factor: 401,
  totp_already_enabled: 409,
  totp_not_enabled: 409,
  invalid_totp_setup: 400,
  internal_error: 500,
} as const satisfies Record<ErrorCode, number>;

/** One refusal the API can answer with: its code and the English sentence of its `message`. */
export interface ApiErrorEntry {
  code: ErrorCode;
  message: string;
  /** Only where it is not the code's (`ErrorStatus`). */
  status?: number;
}

/**
 * Every refusal the server answers with, by situation, each with its code and sentence: the one
 * place the API's `message`s are written, so the same refusal reads the same wherever it is
 * thrown (`LoginError.of(ApiError.wrongCode, …)`). Sentences that name a value are functions.
 * The element shows its own translated sentence per code instead (widget/i18n/).
 */
export const ApiError = {
  // The request itself
  notJsonBody: { code: 'unsupported_media_type', message: 'Send the body as application/json.' },
  invalidJson: { code: 'invalid_request', message: 'The body is not valid JSON.' },
  notAnObject: { code: 'invalid_request', message: 'The body must be a JSON object.' },
  tooDeep: (levels: number) => ({ code: 'invalid_request', message: `The body nests deeper than ${levels} levels.` }),
  invalidField: (field: string, problem: string) => ({ code: 'invalid_request', message: `Invalid request: ${field} ${problem}.` }),
  payloadTooLarge: { code: 'payload_too_large', message: 'The request body is too large.' },
  methodNotAllowed: { code: 'method_not_allowed', message: 'This address does not take that method.' },
  notFound: { code: 'not_found', message: 'There is nothing here.' },
  invalidEmail: { code: 'invalid_email', message: 'That does not look like an email address.' },
  invalidRedirect: { code: 'invalid_redirect', message: 'The page to return to is not on the list of allowed addresses.' },
  forbiddenOrigin: { code: 'forbidden_origin', message: 'This site is not allowed to use this sign-in service.' },
  // Limits
  rateLimited: { code: 'rate_limited', message: 'Too many requests. Try again later.' },
  rateLimitedNetwork: { code: 'rate_limited', message: 'Too many requests from this network. Try again later.' },
  codeSentMomentsAgo: { code: 'rate_limited', message: 'A code was sent to this address a moment ago. Wait before asking for another.' },
  mailBusy: { code: 'mail_busy', message: 'Too many sign-in mails are waiting to go out. Nothing was sent: try again in a moment.' },
  // Codes, links and sessions
  wrongCode: { code: 'invalid_code', message: 'That code is not right.' },
  expiredCode: { code: 'expired_code', message: 'That code or link has expired. Ask for a new one.' },
  tooManyAttempts: { code: 'too_many_attempts', message: 'Too many wrong codes: every code sent to this address is now void. Ask for a new one.' },
  invalidLink: { code: 'invalid_link', message: 'This sign-in link is not valid or was already used. Ask for a new one.' },
  unauthenticated: { code: 'unauthenticated', message: 'You are not signed in, or the session has ended.' },
  metricsTokenNeeded: { code: 'unauthenticated', message: 'This address needs the metrics token.' },
  // Cross-device approval (contract/approval.ts)
  invalidApproval: { code: 'invalid_approval', message: 'This approval is not known here, or this browser is not the one that asked.' },
  approvalCollected: { code: 'invalid_approval', message: 'This approval was already used to sign in.' },
  approvalRefused: { code: 'approval_refused', message: 'That was not the number on the other device, so it was not signed in. You can still sign in here.' },
  approvalsPaused: { code: 'approval_refused', message: 'A wrong number was picked on an earlier sign-in mail, so approving another device is paused until you sign in. You can still sign in here.' },
  approvalRefusedLastAttempt: { code: 'approval_refused', message: 'That was not the number on the other device, and it was the last wrong attempt allowed: every code sent to this address is now void. Ask for a new one.' },
  approvalNotWaiting: { code: 'approval_not_waiting', message: 'The other device stopped waiting. You can still sign in here.' },
  tooManyWaits: { code: 'rate_limited', message: 'Too many sign-in approvals are being waited for from this network. Try again later.' },
  // Calls from the host's server code (the library)
  noSuchUser: { code: 'invalid_request', message: 'No such user, or not a valid email address.' },
  notTheUsersEmail: { code: 'invalid_request', message: "That is not this user's email address." },
  notUsableInMail: (reason: string) => ({ code: 'invalid_request', message: `Not usable in a mail: ${reason}.` }),
  // Passkeys: every failed check of an answer is `invalid_passkey`, with the cause in its sentence
  passkeyChallengeUnknown: { code: 'invalid_passkey', message: 'This passkey answer is not to a challenge this server issued.' },
  passkeyChallengeExpired: { code: 'invalid_passkey', message: 'The passkey request has expired. Try again.' },
  passkeyChallengeUsed: { code: 'invalid_passkey', message: 'This passkey answer was already used. Try again.' },
  passkeyChallengeOtherCeremony: { code: 'invalid_passkey', message: 'This passkey answer belongs to another step (signing in or adding a passkey). Try again.' },
  passkeyChallengeOtherUser: { code: 'invalid_passkey', message: 'This passkey request was made for another account.' },
  passkeyNotVerified: (cause: string) => ({ code: 'invalid_passkey', message: `The passkey's answer does not check out: ${cause}.` }),
  passkeyCloned: { code: 'invalid_passkey', message: "The passkey's signature counter went back: it may have been copied. Sign in with an email code and remove this passkey." },
  passkeyUserMismatch: { code: 'invalid_passkey', message: 'The passkey does not belong to the account it names.' },
  passkeyAlreadyRegistered: { code: 'invalid_passkey', message: 'This passkey is already registered.' },
  unknownPasskey: { code: 'unknown_passkey', message: 'No such passkey is registered here.' },
  staleSession: { code: 'stale_session', message: 'To add a passkey, sign in with an email code or link first (within the last 10 minutes).' },
  tooManyPasskeys: (max: number) => ({ code: 'too_many_passkeys', message: `You have ${max} passkeys, the most allowed. Remove one to add another.` }),
  // The admin console (contract/admin.ts)
  notAdmin: { code: 'not_admin', message: 'This account is not an administrator of this server (ADMIN_EMAILS).' },
  noSuchUserHere: { code: 'not_found', message: 'There is no user with this id (erased, or never here).' },
  adminSelf: (action: string) => ({ code: 'invalid_request', message: `An administrator may not ${action} their own account here: another administrator, or the command line, can.` }),
  // Changing the address, deleting the account (contract/account.ts)
  staleSessionForEmailChange: { code: 'stale_session', message: 'To change your address, sign in with an email code or link first (within the last 10 minutes).' },
  sameEmail: { code: 'same_email', message: 'That is already the address of this account.' },
  newEmailTaken: { code: 'email_taken', message: 'That address belongs to another account now. Nothing was changed.' },
  oldEmailTaken: { code: 'email_taken', message: 'The old address belongs to another account now, so the change cannot be undone. Nothing was changed.' },
  undoInProgress: { code: 'rate_limited', message: 'This account is being restored already. Try again in a few seconds.' },
  invalidUndoLink: { code: 'invalid_undo_link', message: 'This link is not valid, has expired or was already used.' },
  // An operator's calls (the admin console)
  invalidUserListQuery: (problem: string) => ({ code: 'invalid_user_list_query', message: `Invalid user listing: ${problem}.` }),
  // The second factor (contract/second-factor.ts)
  secondFactorRequired: { code: 'second_factor_required', message: 'This account asks for a code from an authenticator app after the email code, and this client cannot ask for one.' },
  secondFactorSetupRequired: { code: 'second_factor_setup_required', message: 'This site asks this account for two-step verification, which is not set up yet.' },
  invalidSecondFactor: { code: 'invalid_second_factor', message: 'This second sign-in step has expired, was used, or belongs to another browser. Sign in again.' },
  wrongTotpCode: { code: 'invalid_code', message: 'That code from the authenticator app is not right, or was used already.' },
  wrongRecoveryCode: { code: 'invalid_code', message: 'That recovery code is not right, or was used already.' },
  totpAlreadyEnabled: { code: 'totp_already_enabled', message: 'Two-step verification is on already. Turn it off first to set it up again.' },
  totpNotEnabled: { code: 'totp_not_enabled', message: 'Two-step verification is not on for this account.' },
  invalidTotpSetup: { code: 'invalid_totp_setup', message: 'This setup has expired or is not yours. Start again.' },
  // The library's enableTotp with a host's own secret: it never reaches the element.
  invalidTotpSecret: { code: 'invalid_request', message: 'The authenticator-app secret must be base32 (A–Z, 2–7) of at least 128 bits: 26 characters or more.' },
  // The stored secret does not open with this SECRET (rotated since it was turned on): no code can be checked.
  totpUnreadable: { code: 'internal_error', status: 503, message: "Two-step verification of this account cannot be checked here since the server's key changed. Ask the site to turn it off for you." },
  staleSessionForTotp: { code: 'stale_session', message: 'To set up two-step verification, sign in with an email code or link first (within the last 10 minutes).' },
  // Ours
  internal: { code: 'internal_error', message: 'Something went wrong on our side. Try again in a moment.' },
  widgetNotBuilt: { code: 'internal_error', status: 503, message: 'The widget has not been built on this server.' },
  adminNotBuilt: { code: 'internal_error', status: 503, message: 'The admin console has not been built on this server.' },
} as const satisfies Record<string, ApiErrorEntry | ((...values: never[]) => ApiErrorEntry)>;
