import type { AccountMessages } from './messages.ts';

export const en: AccountMessages = {
  account: 'Account',
  changeEmail: 'Change email',
  newEmailLabel: 'New email address',
  sendCode: 'Email me a code',
  codeSentTo: (email) => `We sent a code to ${email}. Enter it to confirm your new address.`,
  emailChanged: (email) => `Your address is now ${email}.`,
  deleteAccount: 'Delete account',
  deleteWarning: 'This erases your account, with its passkeys, and signs you out everywhere. It cannot be undone.',
  sendDeleteCode: 'Send me a code',
  deleteCodeSentTo: (email) => `We sent a code to ${email}. Enter it to delete your account for good.`,
  confirmDelete: 'Delete my account',
  cancel: 'Cancel',
  errors: {
    same_email: 'This is already your address.',
    email_taken: 'That address belongs to another account now. Nothing was changed.',
    stale_session: 'To change your address, sign out and sign in again with your email first.',
  },
};
