import type { AccountMessages } from '../messages.ts';

const messages: AccountMessages = {
  account: 'Conta',
  changeEmail: 'Alterar e-mail',
  newEmailLabel: 'Novo endereço de e-mail',
  sendCode: 'Receber código por e-mail',
  codeSentTo: (email) => `Enviamos um código para ${email}. Digite-o para confirmar seu novo endereço.`,
  emailChanged: (email) => `Seu endereço agora é ${email}.`,
  deleteAccount: 'Excluir conta',
  deleteWarning: 'Isso apaga sua conta, com as chaves de acesso dela, e encerra sua sessão em todos os lugares. Não é possível desfazer.',
  sendDeleteCode: 'Enviar um código',
  deleteCodeSentTo: (email) => `Enviamos um código para ${email}. Digite-o para excluir sua conta definitivamente.`,
  confirmDelete: 'Excluir minha conta',
  cancel: 'Cancelar',
  errors: {
    same_email: 'Este já é o seu endereço.',
    email_taken: 'Esse endereço agora pertence a outra conta. Nada foi alterado.',
    stale_session: 'Para mudar o seu endereço, saia e entre de novo com o seu e-mail.',
  },
};

export default messages;
