/**
 * The login flow as data: which step the element is on, and the one pure function that moves it.
 *
 * `render()` switches on `step`; every side effect (fetch, storage, events, timers) lives in the
 * element, which feeds the outcome back in as an action. Keeping this free of I/O is what lets
 * `flow.test.ts` check every transition as a table.
 */
import type { ErrorCode, User } from '../../contract/index.ts';

/** What went wrong, as the element shows it: a contract code, or one the client makes up. */
export type WidgetErrorCode = ErrorCode | 'network_error';

export interface FlowError {
  code: WidgetErrorCode;
  /** On `invalid_code`: wrong codes left before every live code is burnt; on `too_many_attempts`, 0 when none is live. */
  attemptsLeft?: number;
  /** On `rate_limited`, `mail_busy` and `too_many_attempts`: seconds until the server takes another code request. */
  retryAfter?: number;
  /**
   * On `forbidden_origin` found after a `network_error` (api/origin-check.ts), outside production:
   * the server's English sentence for the site's owner, shown instead of the catalog's.
   */
  hint?: string;
}

interface Common {
  /** A request is in flight: submit buttons are disabled until it answers. */
  busy: boolean;
  error: FlowError | null;
}

export type FlowState =
  | (Common & { step: 'email'; email: string })
  /** `recent`: no new code was sent, as one went to this email moments ago (the server said wait). */
  | (Common & { step: 'code'; email: string; codeLength: number; recent?: true })
  /** The page was opened from a magic link; `token` waits for a verify (automatic or a click). */
  | (Common & { step: 'link'; token: string })
  | (Common & { step: 'signed-in'; user: User })
  /**
   * The totp module's second step (features/totp): the first factor is done, the account asks for
   * an authenticator app's code; no session yet. Only the module enters and leaves it.
   */
  | (Common & { step: 'second-factor' });

export type Step = FlowState['step'];

export type FlowAction =
  /** A request leaves: busy, and the previous error goes away (so a repeated one is announced again). */
  | { type: 'submit' }
  | { type: 'code-sent'; email: string; codeLength: number }
  /** The email step got `rate_limited`: a code went there moments ago, so ask for it. */
  | { type: 'code-pending'; email: string; codeLength: number }
  | { type: 'failed'; error: FlowError }
  /** The wait a `mail_busy` asked for is over: its sentence goes, and the person may ask again. */
  | { type: 'wait-over' }
  | { type: 'signed-in'; user: User }
  | { type: 'link-opened'; token: string }
  /** Back to the email step: "use a different email", sign out, `reset()`, a failed link with no session. */
  | { type: 'restart'; email: string };

export function initialState(email = ''): FlowState {
  return { step: 'email', email, busy: false, error: null };
}

export function transition(state: FlowState, action: FlowAction): FlowState {
  switch (action.type) {
    case 'submit':
      return { ...state, busy: true, error: null };
    case 'code-sent':
      return { step: 'code', email: action.email, codeLength: action.codeLength, busy: false, error: null };
    case 'code-pending':
      return { step: 'code', email: action.email, codeLength: action.codeLength, busy: false, error: null, recent: true };
    case 'failed':
      return { ...state, busy: false, error: action.error };
    case 'wait-over':
      return { ...state, error: null };
    case 'signed-in':
      return { step: 'signed-in', user: action.user, busy: false, error: null };
    case 'link-opened':
      return { step: 'link', token: action.token, busy: false, error: null };
    case 'restart':
      return initialState(action.email);
  }
}
