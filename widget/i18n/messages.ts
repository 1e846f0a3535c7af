/** The shape of a string catalog. A catalog missing a key, or an error code, fails the type check. */
import type { ErrorCode } from '../../contract/index.ts';
import type { FlowError } from '../flow.ts';

export interface Messages {
  /** The heading over each step. */
  title: string;
  emailLabel: string;
  sendCode: string;
  /** Under the code field: where the code went. */
  codeSentTo: (email: string) => string;
  /** Under it, when the server refused a new code because one went to this address moments ago. */
  codeSentRecently: string;
  codeLabel: string;
  verifyCode: string;
  resend: string;
  /** The disabled "Resend" button while the countdown runs. Not a live region. */
  resendIn: (seconds: number) => string;
  /** Announced once (politely) when "Resend" unlocks. */
  resendReady: string;
  changeEmail: string;
  linkTitle: string;
  linkExplain: string;
  linkContinue: string;
  /** Instead of `linkExplain` once the link is used or expired, with no session kept: only a new one helps. */
  linkFailed: string;
  signingIn: string;
  signedInTitle: string;
  signedInAs: (email: string) => string;
  signOut: string;
  /** On a failed link with no session kept: back to the email step. */
  backToEmail: string;
  /** On a failed link while a session is kept: back to the signed-in step. */
  back: string;
  /** The fetch failed or the answer was not the API's JSON. */
  networkError: string;
  errors: Record<ErrorCode, string | ((error: FlowError) => string)>;
}
