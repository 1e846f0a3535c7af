import type { AccountMessages } from '../messages.ts';

const messages: AccountMessages = {
  account: 'Konto',
  changeEmail: 'E-Mail-Adresse ändern',
  newEmailLabel: 'Neue E-Mail-Adresse',
  sendCode: 'Code per E-Mail senden',
  codeSentTo: (email) => `Wir haben einen Code an ${email} gesendet. Geben Sie ihn ein, um Ihre neue Adresse zu bestätigen.`,
  emailChanged: (email) => `Ihre Adresse ist jetzt ${email}.`,
  deleteAccount: 'Konto löschen',
  deleteWarning: 'Damit werden Ihr Konto und seine Passkeys gelöscht, und Sie werden überall abgemeldet. Das lässt sich nicht rückgängig machen.',
  sendDeleteCode: 'Code senden',
  deleteCodeSentTo: (email) => `Wir haben einen Code an ${email} gesendet. Geben Sie ihn ein, um Ihr Konto endgültig zu löschen.`,
  confirmDelete: 'Mein Konto löschen',
  cancel: 'Abbrechen',
  errors: {
    same_email: 'Das ist bereits Ihre Adresse.',
    email_taken: 'Diese Adresse gehört inzwischen zu einem anderen Konto. Es wurde nichts geändert.',
    stale_session: 'Um Ihre Adresse zu ändern, melden Sie sich zuerst ab und mit Ihrer E-Mail wieder an.',
  },
};

export default messages;
