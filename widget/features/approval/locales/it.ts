import type { ApprovalMessages } from '../messages.ts';

const messages: ApprovalMessages = {
  pickThere: (number) => `Apri il link su un altro dispositivo? Lì scegli ${number}.`,
  wrongPicked: 'Sull’altro dispositivo è stato scelto un numero sbagliato, quindi l’accesso non è avvenuto. Il codice funziona ancora.',
  deviceAsked: (device, ago) => `${device} ha chiesto di accedere ${ago}.`,
  linkFor: (email) => `Questo link di accesso è per ${email}.`,
  approveThere: 'Accedi sul dispositivo che l’ha chiesto',
  signInHere: 'Accedi qui',
  pickPrompt: 'Scegli il numero mostrato dal dispositivo che l’ha chiesto.',
  approved: 'Fatto: hai effettuato l’accesso sull’altro dispositivo. Puoi chiudere questa pagina.',
  approvedTitle: 'Accesso effettuato sull’altro dispositivo',
  errors: {
    invalid_approval: 'Questo accesso non può più essere approvato da un altro dispositivo. Inserisci invece il codice.',
    approval_refused: 'Non è il numero mostrato dall’altro dispositivo, quindi l’accesso non è avvenuto. Puoi ancora accedere qui.',
    approval_not_waiting: 'L’altro dispositivo non è più in attesa. Puoi ancora accedere qui.',
  },
};

export default messages;
