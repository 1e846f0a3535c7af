import type { CoreMessages } from './messages.ts';

const seconds = (n: number) => (n === 1 ? '1 second' : `${n} seconds`);

/** English for the script-tag file's own steps; each feature module brings the English of its own. */
export const en: CoreMessages = {
  title: 'Sign in',
  emailLabel: 'Email address',
  sendCode: 'Email me a code',
  codeSentTo: (email) => `We sent a code and a sign-in link to ${email}.`,
  codeSentRecently: (email) => `A code was sent to ${email} a moment ago. Enter it, or ask for a new one when the timer ends.`,
  codeLabel: 'Code from the email',
  verifyCode: 'Sign in',
  resend: 'Resend code',
  resendIn: (n) => `Resend code in ${n} s`,
  resendReady: 'You can request a new code now.',
  changeEmail: 'Use a different email',
  signedInTitle: 'Signed in',
  signedInAs: (email) => `You are signed in as ${email}.`,
  signOut: 'Sign out',
  networkError: 'Could not reach the sign-in service. Check your connection and try again.',
  errors: {
    invalid_email: 'Please enter a valid email address.',
    invalid_redirect: 'This page is not allowed to receive sign-in links.',
    rate_limited: (e) =>
      e.retryAfter ? `Too many requests. Try again in ${seconds(e.retryAfter)}.` : 'Too many requests. Try again later.',
    mail_busy: (e) => `Too busy to send a code. Try again in ${e.retryAfter} s.`,
    invalid_code: (e) =>
      e.attemptsLeft === undefined
        ? 'Wrong code.'
        : `Wrong code, ${e.attemptsLeft} ${e.attemptsLeft === 1 ? 'attempt' : 'attempts'} left.`,
    expired_code: 'This code or link has expired. Please request a new one.',
    too_many_attempts: 'Too many wrong codes. Please request a new code.',
    unauthenticated: 'Your session has ended. Please sign in again.',
    // Not the person's doing, and only the site's owner can fix it: say who must act.
    forbidden_origin: 'This site is not allowed to use this sign-in service. Its owner must add it to ALLOWED_ORIGINS.',
    // Also the sentence of the answers a person cannot act on differently (a misconfigured page, a
    // bug, an outage: invalid_request, unsupported_media_type, payload_too_large, not_found,
    // method_not_allowed), which English leaves out (i18n/messages.ts UnavailableErrorCode).
    internal_error: 'The sign-in service could not handle this request. Please try again later.',
  },
};
