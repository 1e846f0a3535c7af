import type { AccountMessages } from '../messages.ts';

const messages: AccountMessages = {
  account: 'Cuenta',
  changeEmail: 'Cambiar correo electrónico',
  newEmailLabel: 'Nuevo correo electrónico',
  sendCode: 'Enviarme un código',
  codeSentTo: (email) => `Hemos enviado un código a ${email}. Escríbelo para confirmar tu nueva dirección.`,
  emailChanged: (email) => `Tu dirección ahora es ${email}.`,
  deleteAccount: 'Eliminar cuenta',
  deleteWarning: 'Esto borra tu cuenta, con sus llaves de acceso, y cierra tu sesión en todas partes. No se puede deshacer.',
  sendDeleteCode: 'Enviarme un código',
  deleteCodeSentTo: (email) => `Hemos enviado un código a ${email}. Escríbelo para eliminar tu cuenta definitivamente.`,
  confirmDelete: 'Eliminar mi cuenta',
  cancel: 'Cancelar',
  errors: {
    same_email: 'Esta ya es tu dirección.',
    email_taken: 'Esa dirección ya pertenece a otra cuenta. No se ha cambiado nada.',
    stale_session: 'Para cambiar tu dirección, cierra sesión y vuelve a iniciarla con tu correo.',
  },
};

export default messages;
