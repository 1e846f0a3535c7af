import type { LinkMessages } from './messages.ts';

export const en: LinkMessages = {
  linkTitle: 'Continue signing in',
  linkExplain: 'You opened a sign-in link. Continue to sign in on this device.',
  linkExplainFor: (email) => `You opened a sign-in link for ${email}. Continue to sign in on this device.`,
  linkUsedSignedIn: (email) => `This sign-in link cannot be used again. You are still signed in as ${email}.`,
  linkContinue: 'Continue signing in',
  linkFailed: 'Enter your email to get a new code and sign-in link.',
  signingIn: 'Signing you in…',
  backToEmail: 'Sign in with your email',
  back: 'Back',
  errors: {
    invalid_link: 'This sign-in link is not valid any more. It may have been used already.',
  },
};
