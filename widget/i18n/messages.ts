/**
 * The shape of a string catalog. A catalog missing a key, or an error code, fails the type check.
 *
 * The sentences of the script-tag file's own steps are here; each feature module declares its
 * own beside it (features/<name>/messages.ts), and `Messages` is all of them: every language's
 * catalog translates every sentence, while English is split, the core's in the script-tag file
 * and each feature's in its module.
 */
import type { ErrorCode } from '../../contract/index.ts';
import type { AdminErrorCode } from '../../contract/admin.ts';
import type { AccountErrorCode } from '../../contract/account.ts';
import type { ApprovalErrorCode } from '../../contract/approval.ts';
import type { PasskeyErrorCode } from '../../contract/passkeys.ts';
import type { SecondFactorErrorCode } from '../../contract/second-factor.ts';
import type { LinkMessages } from '../features/link/messages.ts';
import type { FlowError } from '../flow/flow.ts';

/** An error's sentence; a function when it says more (the seconds to wait, the attempts left). */
export type ErrorMessage = string | ((error: FlowError) => string);

/**
 * The answers a person cannot act on differently (a misconfigured page, a bug, an outage): a
 * catalog may leave them out, and they then speak `internal_error`'s sentence (i18n/index.ts
 * `errorMessage`). English does: five copies of one sentence were 56 B gzip of the script-tag file.
 */
export type UnavailableErrorCode = 'invalid_request' | 'unsupported_media_type' | 'payload_too_large' | 'not_found' | 'method_not_allowed';

/** Every feature's sentences; its error sentences are under `errors`. */
type FeatureMessages = LinkMessages;

/** Codes a catalog may leave out: the modules' own (they bring their sentences), the admin console's (the element never meets them), and the ones that fall back to `internal_error`. */
type Optional = PasskeyErrorCode | ApprovalErrorCode | AccountErrorCode | SecondFactorErrorCode | UnavailableErrorCode | AdminErrorCode | 'invalid_user_list_query';

export interface Messages extends CoreMessages, Omit<FeatureMessages, 'errors'> {
  /** Passkey and approval errors come with their modules' own sentences, so a catalog may leave them out. */
  errors: Record<Exclude<ErrorCode, Optional>, ErrorMessage> & Partial<Record<Optional, ErrorMessage>>;
}

export interface CoreMessages {
  /** The heading over each step. */
  title: string;
  emailLabel: string;
  sendCode: string;
  /** Over the code field: where the code went. */
  codeSentTo: (email: string) => string;
  /** Instead of it, when the server refused a new code because one went to this address moments ago. */
  codeSentRecently: (email: string) => string;
  codeLabel: string;
  verifyCode: string;
  resend: string;
  /** The disabled "Resend" button while the countdown runs. Not a live region. */
  resendIn: (seconds: number) => string;
  /** Announced once (politely) when "Resend" unlocks. */
  resendReady: string;
  changeEmail: string;
  signedInTitle: string;
  signedInAs: (email: string) => string;
  signOut: string;
  /** The fetch failed or the answer was not the API's JSON. */
  networkError: string;
  /** The sentence for each error code, except those of the features; those of {@link UnavailableErrorCode} may be left out. */
  errors: Record<Exclude<ErrorCode, keyof FeatureMessages['errors'] | Optional>, ErrorMessage> & Partial<Record<UnavailableErrorCode, ErrorMessage>>;
}
