import type { AccountMessages } from '../messages.ts';

const messages: AccountMessages = {
  account: 'Compte',
  changeEmail: 'Changer d’adresse e-mail',
  newEmailLabel: 'Nouvelle adresse e-mail',
  sendCode: 'Recevoir un code par e-mail',
  codeSentTo: (email) => `Nous avons envoyé un code à ${email}. Saisissez-le pour confirmer votre nouvelle adresse.`,
  emailChanged: (email) => `Votre adresse est désormais ${email}.`,
  deleteAccount: 'Supprimer le compte',
  deleteWarning: 'Cela efface votre compte, avec ses clés d’accès, et vous déconnecte partout. C’est irréversible.',
  sendDeleteCode: 'M’envoyer un code',
  deleteCodeSentTo: (email) => `Nous avons envoyé un code à ${email}. Saisissez-le pour supprimer définitivement votre compte.`,
  confirmDelete: 'Supprimer mon compte',
  cancel: 'Annuler',
  errors: {
    same_email: 'C’est déjà votre adresse.',
    email_taken: 'Cette adresse appartient désormais à un autre compte. Rien n’a été modifié.',
    stale_session: 'Pour changer d’adresse, déconnectez-vous puis reconnectez-vous avec votre e-mail.',
  },
};

export default messages;
