import type { ApprovalMessages } from '../messages.ts';

const messages: ApprovalMessages = {
  pickThere: (number) => `Öffnen Sie den Link auf einem anderen Gerät? Wählen Sie dort ${number}.`,
  wrongPicked: 'Auf dem anderen Gerät wurde eine falsche Zahl gewählt, daher wurden Sie nicht angemeldet. Der Code funktioniert weiterhin.',
  deviceAsked: (device, ago) => `${device} hat ${ago} eine Anmeldung angefordert.`,
  linkFor: (email) => `Dieser Anmeldelink gilt für ${email}.`,
  approveThere: 'Auf dem anfragenden Gerät anmelden',
  signInHere: 'Hier anmelden',
  pickPrompt: 'Wählen Sie die Zahl, die das anfragende Gerät anzeigt.',
  approved: 'Fertig: Sie sind auf dem anderen Gerät angemeldet. Sie können diese Seite schließen.',
  approvedTitle: 'Auf dem anderen Gerät angemeldet',
  errors: {
    invalid_approval: 'Diese Anmeldung kann nicht mehr von einem anderen Gerät bestätigt werden. Geben Sie stattdessen den Code ein.',
    approval_refused: 'Das ist nicht die Zahl, die das andere Gerät anzeigt, daher wurde es nicht angemeldet. Sie können sich weiterhin hier anmelden.',
    approval_not_waiting: 'Das andere Gerät wartet nicht mehr. Sie können sich weiterhin hier anmelden.',
  },
};

export default messages;
