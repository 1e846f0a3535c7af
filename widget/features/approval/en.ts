import type { ApprovalMessages } from './messages.ts';

export const en: ApprovalMessages = {
  pickThere: (number) => `Opening the link on another device? Pick ${number} there.`,
  wrongPicked: 'The other device picked a wrong number, so it did not sign you in. The code still works.',
  deviceAsked: (device, ago) => `${device} asked to sign in ${ago}.`,
  linkFor: (email) => `This sign-in link is for ${email}.`,
  approveThere: 'Sign in on the device that asked',
  signInHere: 'Sign in here',
  pickPrompt: 'Pick the number the device that asked shows.',
  approved: 'Done: you are signed in on the other device. You can close this page.',
  approvedTitle: 'Signed in on the other device',
  errors: {
    invalid_approval: 'This sign-in cannot be approved from another device any more. Enter the code instead.',
    approval_refused: 'That is not the number the other device shows, so it was not signed in. You can still sign in here.',
    approval_not_waiting: 'The other device stopped waiting. You can still sign in here.',
  },
};
