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
  /** Back at the start: the 5 minutes of the second step are over (or its ticket was refused). */
  expired: string;
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
  /** Turning it on needs a session signed in within 10 minutes (`stale_session`). */
  stale: string;
  /** The polite status line once it is turned off. */
  turnedOff: string;
}
