/**
 * What the mail preview (mail-preview.ts) fills each mail with: samples addressed to nobody, whose
 * code, link or undo link does nothing, and a fixed time, so a reload shows the same mail. Each
 * mail goes by its templates' file name (`templates/<name>.<locale>.html`), the name an operator
 * editing one looks for.
 */
import { EMAIL_CHANGE_UNDO_PAGE } from '../../contract/account.ts';
import type { Locale } from '../../contract/index.ts';
import type { MailExtra } from '../mail/mail-extra.ts';
import type { Mail } from '../mail/types.ts';

/** Every mail the backend sends, the login mail first. */
export const PREVIEW_MAILS = ['login', 'passkey-added', 'email-change-code', 'email-changed', 'email-taken', 'deletion-code', 'totp-enabled', 'totp-disabled'] as const;
export type PreviewMail = (typeof PREVIEW_MAILS)[number];

/** What each mail is, in the preview's own words (a page for developers, in English). */
export const PREVIEW_LABELS: Record<PreviewMail, string> = {
  login: 'Login',
  'passkey-added': 'Passkey added',
  'email-change-code': 'Address change code',
  'email-changed': 'Address changed',
  'email-taken': 'Address taken',
  'deletion-code': 'Deletion code',
  'totp-enabled': 'Two-step on',
  'totp-disabled': 'Two-step off',
};

/** The line above each sample: what in it would work in a real mail, and does not here. */
export const SAMPLE_NOTICES: Record<PreviewMail, string> = {
  login: 'Sample mail: the code and the link sign nobody in.',
  'passkey-added': 'Sample mail: sent to nobody.',
  'email-change-code': 'Sample mail: the code confirms nothing.',
  'email-changed': 'Sample mail: the link undoes nothing.',
  'email-taken': 'Sample mail: sent to nobody.',
  'deletion-code': 'Sample mail: the code confirms nothing.',
  'totp-enabled': 'Sample mail: sent to nobody.',
  'totp-disabled': 'Sample mail: sent to nobody.',
};

export interface SampleValues {
  /** The magic link's landing page: the sample link points there with a token that is not one. */
  landingPage: string;
  /** `<PUBLIC_URL><base>`: the sample undo link is under it, as a real one is. */
  publicBase: string;
  codeLength: number;
  expiresInMinutes: number;
}

const TO = 'someone@example.com';
const NOT_A_TOKEN = 'SAMPLE-not-a-real-token';
/** 15 January 2026, 09:30 UTC. */
const SAMPLE_TIME = Date.UTC(2026, 0, 15, 9, 30);

/** `name`'s sample in `locale`; `extra` fills the login mail's `{{extra.<key>}}` (the other mails have none). */
export function sampleMail(name: PreviewMail, locale: Locale, extra: MailExtra, values: SampleValues): Mail {
  const code = '1234567890'.slice(0, values.codeLength);
  switch (name) {
    case 'login':
      return { to: TO, locale, code, link: `${values.landingPage}#pl_token=${NOT_A_TOKEN}`, expiresInMinutes: values.expiresInMinutes, extra };
    case 'passkey-added':
      return { kind: 'passkey_added', to: TO, locale, deviceName: 'Chrome on macOS', addedAt: SAMPLE_TIME };
    case 'email-change-code':
    case 'deletion-code':
      return { kind: name === 'deletion-code' ? 'deletion_code' : 'email_change_code', to: TO, locale, code, expiresInMinutes: values.expiresInMinutes };
    case 'email-changed':
      return { kind: 'email_changed', to: TO, locale, newEmail: 'someone.new@example.com', link: `${values.publicBase}${EMAIL_CHANGE_UNDO_PAGE}#token=${NOT_A_TOKEN}`, changedAt: SAMPLE_TIME };
    case 'email-taken':
      return { kind: 'email_taken', to: TO, locale };
    case 'totp-enabled':
    case 'totp-disabled':
      return { kind: name === 'totp-enabled' ? 'totp_enabled' : 'totp_disabled', to: TO, locale, at: SAMPLE_TIME };
  }
}
