import type { ErrorMessage } from '../../i18n/messages.ts';

/** The sentences of the magic-link step (see i18n/messages.ts: every language's catalog has them too). */
export interface LinkMessages {
  linkTitle: string;
  linkExplain: string;
  /** Instead of `linkExplain` in another browser, once the server has named the address the link signs in. */
  linkExplainFor: (email: string) => string;
  /** A used or expired link opened while signed in: the one sentence shown, without an error. */
  linkUsedSignedIn: (email: string) => string;
  linkContinue: string;
  /** Instead of `linkExplain` once the link is used or expired, with no session kept: only a new one helps. */
  linkFailed: string;
  signingIn: string;
  /** On a failed link with no session kept: back to the email step. */
  backToEmail: string;
  /** On a failed link while a session is kept: back to the signed-in step. */
  back: string;
  errors: {
    /** A link used already, or one that never was. */
    invalid_link: ErrorMessage;
  };
}
