import type { AccountMessages } from '../messages.ts';

const messages: AccountMessages = {
  account: 'Account',
  changeEmail: 'Cambia indirizzo email',
  newEmailLabel: 'Nuovo indirizzo email',
  sendCode: 'Inviami un codice',
  codeSentTo: (email) => `Abbiamo inviato un codice all’indirizzo ${email}. Inseriscilo per confermare il nuovo indirizzo.`,
  emailChanged: (email) => `Il tuo indirizzo ora è ${email}.`,
  deleteAccount: 'Elimina account',
  deleteWarning: 'L’account verrà cancellato, insieme alle sue passkey, e verrai disconnesso ovunque. L’operazione è irreversibile.',
  sendDeleteCode: 'Inviami un codice',
  deleteCodeSentTo: (email) => `Abbiamo inviato un codice all’indirizzo ${email}. Inseriscilo per eliminare definitivamente l’account.`,
  confirmDelete: 'Elimina il mio account',
  cancel: 'Annulla',
  errors: {
    same_email: 'Questo è già il tuo indirizzo.',
    email_taken: 'Questo indirizzo ora appartiene a un altro account. Non è stato modificato nulla.',
    stale_session: 'Per cambiare indirizzo, esci e accedi di nuovo con la tua email.',
  },
};

export default messages;
