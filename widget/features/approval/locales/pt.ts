import type { ApprovalMessages } from '../messages.ts';

const messages: ApprovalMessages = {
  pickThere: (number) => `Vai abrir o link em outro dispositivo? Escolha ${number} lá.`,
  wrongPicked: 'O outro dispositivo escolheu um número errado, então você não entrou. O código continua valendo.',
  deviceAsked: (device, ago) => `${device} pediu para entrar ${ago}.`,
  linkFor: (email) => `Este link de entrada é para ${email}.`,
  approveThere: 'Entrar no dispositivo que pediu',
  signInHere: 'Entrar aqui',
  pickPrompt: 'Escolha o número que o dispositivo que pediu mostra.',
  approved: 'Pronto: você entrou no outro dispositivo. Pode fechar esta página.',
  approvedTitle: 'Você entrou no outro dispositivo',
  errors: {
    invalid_approval: 'Esta entrada não pode mais ser aprovada de outro dispositivo. Digite o código.',
    approval_refused: 'Esse não é o número que o outro dispositivo mostra, então ele não entrou. Você ainda pode entrar aqui.',
    approval_not_waiting: 'O outro dispositivo parou de esperar. Você ainda pode entrar aqui.',
  },
};

export default messages;
