import type { ApprovalErrorCode } from '../../../contract/approval.ts';

/**
 * The approval module's sentences. Like the passkey module's, they are not in the languages'
 * catalogs: English is in the module, every other language a file of its own (locales/<tag>.ts,
 * built beside it as `features/approval-<tag>.js`), fetched with it only where the element speaks
 * that language, so only pages whose server has approvals on pay for them, for one language.
 */
export interface ApprovalMessages {
  /** Beside the code field of the device that asked: "Opening the link on another device? Pick 47 there." */
  pickThere: (number: number) => string;
  /** Instead, once a wrong number was picked on the other device: the approval is over, the code is not. */
  wrongPicked: string;
  /**
   * On the other device (the link opened there): what asked and when. `device` is the server's
   * English ("Chrome on macOS", "a browser"); `ago` is already in the language ("2 minutes ago",
   * `Intl.RelativeTimeFormat`).
   */
  deviceAsked: (device: string, ago: string) => string;
  /** Above what asked, once the server has named the address the link signs in (the link module's `POST /auth/link-address`). */
  linkFor: (email: string) => string;
  /** The choice that shows the three numbers. */
  approveThere: string;
  /** The choice that signs in this device: the link module's "Continue". */
  signInHere: string;
  /** Over the three numbers. */
  pickPrompt: string;
  /** The right number: the device that asked is signed in, this one is not. */
  approved: string;
  /** The heading over `approved`. */
  approvedTitle: string;
  errors: Record<ApprovalErrorCode, string>;
}
