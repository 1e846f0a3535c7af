import type { ApprovalMessages } from '../messages.ts';

const messages: ApprovalMessages = {
  pickThere: (number) => `Vous ouvrez le lien sur un autre appareil ? Choisissez-y ${number}.`,
  wrongPicked: 'L’autre appareil a choisi un mauvais nombre : vous n’avez pas été connecté. Le code fonctionne toujours.',
  deviceAsked: (device, ago) => `${device} a demandé une connexion ${ago}.`,
  linkFor: (email) => `Ce lien de connexion est destiné à ${email}.`,
  approveThere: 'Me connecter sur l’appareil qui a demandé',
  signInHere: 'Me connecter ici',
  pickPrompt: 'Choisissez le nombre affiché par l’appareil qui a demandé.',
  approved: 'C’est fait : vous êtes connecté sur l’autre appareil. Vous pouvez fermer cette page.',
  approvedTitle: 'Connecté sur l’autre appareil',
  errors: {
    invalid_approval: 'Cette connexion ne peut plus être approuvée depuis un autre appareil. Saisissez plutôt le code.',
    approval_refused: 'Ce n’est pas le nombre affiché par l’autre appareil : il n’a pas été connecté. Vous pouvez toujours vous connecter ici.',
    approval_not_waiting: 'L’autre appareil n’attend plus. Vous pouvez toujours vous connecter ici.',
  },
};

export default messages;
