import type { SecondFactorErrorCode } from '../../../contract/second-factor.ts';

/**
 * The totp module's sentences. Like the passkey and account modules', they are not in the
 * languages' catalogs: English is in the module, every other language a file of the module's own
 * (locales/<tag>.ts, built beside it as `features/totp-<tag>.js`), fetched with it only where the
 * element speaks that language. A page whose server has no second factor pays for none.
 *
 * The wrong-code sentences (`invalid_code` with the attempts left, `too_many_attempts`) are the
 * element's own, translated once in the catalogs.
 */
export interface TotpMessages {
  /** The heading of the second step. */
  secondStepTitle: string;
  /** Under it: what to type. */
  enterCode: string;
  /** The app code's field. */
  appCodeLabel: string;
  /** The second step's button, and the confirmation of the setup. */
  verify: string;
  /** Switches the field to a recovery code, and back. */
  useRecoveryCode: string;
  useApp: string;
  recoveryLabel: string;
  /** The disclosure on the signed-in step. */
  twoStep: string;
  /** In it, before it is on: what it does. */
  offWhy: string;
  turnOn: string;
  /** The setup: scan, or type the secret. */
  scan: string;
  /** The QR code's text alternative. */
  qrLabel: string;
  secretLabel: string;
  copy: string;
  copied: string;
  /** Over the confirmation's field. */
  confirmCode: string;
  cancel: string;
  /** The recovery codes, shown once: what they are for. */
  codesTitle: string;
  codesWhy: string;
  download: string;
  saved: string;
  /** On: since when (a date), and how many recovery codes are left. */
  onSince: (date: string) => string;
  codesLeft: (count: number) => string;
  turnOff: string;
  newCodes: string;
  /** Over the proof's field of a change: an app code or a recovery code. */
  proveIt: string;
  /** The polite status line once it is turned off. */
  turnedOff: string;
  /**
   * The second factor's own errors (the server's, contract/errors.ts): `invalid_second_factor`
   * (the 5 minutes of the second step are over, or its ticket was refused) is said back at the
   * start; `second_factor_required` and `second_factor_setup_required` where the first factor
   * ends; the others under the disclosure's form. `stale_session`: turning it on needs a sign-in
   * from the last 10 minutes (the passkey module says it its own way).
   */
  errors: Record<TotpErrorCode, string>;
}

/** The codes the module speaks itself; the others speak the element's sentences. */
export type TotpErrorCode = SecondFactorErrorCode | 'stale_session';
