import type { AccountErrorCode } from '../../../contract/account.ts';

/**
 * The account module's sentences. Like the passkey module's, they are not in the languages'
 * catalogs: English is in the module, every other language a file of the module's own
 * (locales/<tag>.ts, built beside it as `features/account-<tag>.js`), fetched with it only where
 * the element speaks that language. A page whose server has account changes off pays for none.
 *
 * The code field, "Resend code" and its countdown speak the element's own sentences (`codeLabel`,
 * `resend`, `resendIn`): the same words as the sign-in's code step, translated once.
 */
export interface AccountMessages {
  /** The disclosure on the signed-in step. */
  account: string;
  /** The heading over the new address's field, and the button that confirms its code. */
  changeEmail: string;
  newEmailLabel: string;
  /** Sends a code to the new address. */
  sendCode: string;
  /** Over the code field: the code went to the new address. */
  codeSentTo: (email: string) => string;
  /** Said, and shown, once the address is changed. */
  emailChanged: (email: string) => string;
  /** The heading of the deletion part. */
  deleteAccount: string;
  /** What a deletion does, before a code is asked for. */
  deleteWarning: string;
  /** Sends a code to the current address. */
  sendDeleteCode: string;
  /** Over the code field: the code went to the current address. */
  deleteCodeSentTo: (email: string) => string;
  /** The button that deletes, with the code. */
  confirmDelete: string;
  cancel: string;
  /**
   * The account routes' own errors the element can meet (`same_email`: the new address is the
   * account's already; `email_taken`: it became another account's between the code and its
   * confirmation; `stale_session`: a change of address needs a sign-in by email within 10
   * minutes); the others speak the element's sentences. `invalid_undo_link` is the undo page's,
   * which the backend draws.
   */
  errors: Record<Exclude<AccountErrorCode, 'invalid_undo_link'> | 'stale_session', string>;
}
