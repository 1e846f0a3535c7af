/**
 * The element's events. All bubble and are composed (they cross shadow roots), so a page can
 * listen on `document` as well as on the element.
 */
import type { User } from '../../contract/index.ts';
import type { Step, WidgetErrorCode } from '../flow/flow.ts';
import type { Session, SignInMethod } from '../session/stored-session.ts';

export type { Session };

export interface CodeSentDetail {
  email: string;
  /** Seconds until the code and link expire. */
  expiresIn: number;
  /** Seconds until "Resend" unlocks. */
  retryAfter: number;
}

export interface SuccessDetail {
  /** Whether the person typed the code, followed the link or used a passkey. */
  method: SignInMethod;
  user: User;
  session: Session;
}

export interface ErrorDetail {
  code: WidgetErrorCode;
  /** The sentence the element shows, in its language. */
  message: string;
}

export interface EmailChangedDetail {
  /** The user with the new address (also `element.user` by now). */
  user: User;
  /** The address before. */
  previousEmail: string;
}

export interface AccountDeletedDetail {
  /** Who was signed in: the account that no longer exists. */
  user: User;
}

export interface StepChangeDetail {
  step: Step;
}

export interface PasswordlessEventMap {
  'passwordless-code-sent': CustomEvent<CodeSentDetail>;
  'passwordless-success': CustomEvent<SuccessDetail>;
  'passwordless-error': CustomEvent<ErrorDetail>;
  'passwordless-signed-out': CustomEvent<null>;
  'passwordless-step-change': CustomEvent<StepChangeDetail>;
  /** Fired by the account module (features/account/). */
  'passwordless-email-changed': CustomEvent<EmailChangedDetail>;
  'passwordless-account-deleted': CustomEvent<AccountDeletedDetail>;
}

declare global {
  interface GlobalEventHandlersEventMap extends PasswordlessEventMap {}
}

type DetailOf<K extends keyof PasswordlessEventMap> = PasswordlessEventMap[K] extends CustomEvent<infer D> ? D : never;

export function emit<K extends keyof PasswordlessEventMap>(target: EventTarget, name: K, detail: DetailOf<K>): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
