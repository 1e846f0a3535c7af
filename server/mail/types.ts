import type { Locale } from '../../contract/index.ts';
import type { MailExtra } from './mail-extra.ts';

/** What the login service asks the mailer to send: one message carrying both the code and the link. */
export interface LoginMail {
  /** The stored address of the user (or the typed one, for a user not created yet). */
  to: string;
  locale: Locale;
  code: string;
  /** The full magic link, `<landing page>#pl_token=…`. */
  link: string;
  /** Lifetime of the code and link, in whole minutes, for the sentence "valid for N minutes". */
  expiresInMinutes: number;
  /** The host's values for `{{extra.<key>}}` (`sendLoginTokenEmail({ extra })`), already checked. */
  extra?: MailExtra;
}

/**
 * The notice to a user that a passkey was added to their account (it tells them at once if it was
 * not them: whoever holds a fresh session could add one). It carries no credential.
 */
export interface PasskeyAddedMail {
  kind: 'passkey_added';
  to: string;
  locale: Locale;
  /** The passkey's name ("Chrome on macOS"), as its owner will see it in the list. */
  deviceName: string;
  /** When it was added, ms since the epoch; written in the locale's words, in UTC. */
  addedAt: number;
}

/**
 * A code that confirms an account change (account/account-service.ts): moving the account to the
 * address it goes to (`email_change_code`), or erasing the account (`deletion_code`). No link:
 * it is typed where the change was asked for, by the signed-in person.
 */
export interface AccountCodeMail {
  kind: 'email_change_code' | 'deletion_code';
  to: string;
  locale: Locale;
  code: string;
  expiresInMinutes: number;
}

/** To an address that already has an account, when someone asked to move another account to it: no code. */
export interface EmailTakenMail {
  kind: 'email_taken';
  to: string;
  locale: Locale;
}

/** To the old address after a change of address: what it changed to, when, and the link that undoes it (7 days). */
export interface EmailChangedMail {
  kind: 'email_changed';
  to: string;
  locale: Locale;
  newEmail: string;
  /** `<PUBLIC_URL><base>/account/email/undo#token=…`. */
  link: string;
  /** Ms since the epoch; written in the locale's words, in UTC. */
  changedAt: number;
}

/**
 * To the user when two-step verification (authenticator-app codes) was turned on or off: whoever
 * held a fresh session (on) or a current app code (off) could do it, so the owner hears of it at once.
 */
export interface TotpNoticeMail {
  kind: 'totp_enabled' | 'totp_disabled';
  to: string;
  locale: Locale;
  /** Ms since the epoch; written in the locale's words, in UTC. */
  at: number;
}

/** The account mails, by `kind`. */
export type AccountMail = AccountCodeMail | EmailTakenMail | EmailChangedMail | TotpNoticeMail;

/** Every mail the mailer sends: the login mail, or a notice. */
export type Mail = LoginMail | PasskeyAddedMail | AccountMail;

/** A rendered email, ready for a transport. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** A message as a transport receives it. */
export interface OutgoingMail extends RenderedMail {
  to: string;
  from: string;
}

/** Where rendered mail goes: SMTP through nodemailer, or the in-memory dev mailbox. */
export interface MailTransport {
  send(message: OutgoingMail): Promise<void>;
  /**
   * Whether trying `error`'s send again later may succeed (SMTP: a 4xx reply or a lost connection,
   * not a 5xx refusal). Absent: every failure may pass, so every one is retried.
   */
  isTransient?(error: unknown): boolean;
  close?(): Promise<void>;
}

/**
 * The mailer the login service uses. `dispatch` never blocks the HTTP answer and never throws:
 * sending happens off the request path (so known and unknown emails answer in the same time) and
 * a failure is logged, not shown to the client.
 */
export interface Mailer {
  /** Hands a mail over; when the queue is full it is dropped and logged (`outcome: 'dropped'`). */
  dispatch(mail: Mail): void;
  /**
   * A place in the queue for one mail, taken before the request writes anything (queue-room.ts):
   * `send` hands the mail over and it is never dropped for want of room; `release` gives the
   * place back (no mail after all; after `send`, nothing). Busy when the queue is full, with the
   * seconds to wait.
   */
  reserve(): MailReservation;
  /**
   * Resolves when every message dispatched so far has been sent or has failed (tests, shutdown).
   * It does not sit out retry delays: a mail waiting to be tried again is tried once more at once,
   * and while anyone waits here a failure is final.
   */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export type MailReservation = { busy: false; send(mail: Mail): void; release(): void } | { busy: true; retryAfter: number };

/** A message kept by the dev mailbox, with the code and link picked out for the demo page. */
export interface DevMail {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  code: string | null;
  link: string | null;
  /** ISO 8601. */
  receivedAt: string;
}

/** DKIM signing of outgoing SMTP mail, as nodemailer's `dkim` option takes it. */
export interface DkimConfig {
  domainName: string;
  keySelector: string;
  /** PEM (the command line reads it from DKIM_PRIVATE_KEY_FILE at start). */
  privateKey: string;
}
