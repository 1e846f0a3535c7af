import type { ApprovalMessages } from '../messages.ts';

const messages: ApprovalMessages = {
  pickThere: (number) => `¿Vas a abrir el enlace en otro dispositivo? Elige allí el ${number}.`,
  wrongPicked: 'En el otro dispositivo se eligió un número incorrecto, así que no se inició tu sesión. El código sigue funcionando.',
  deviceAsked: (device, ago) => `${device} pidió iniciar sesión ${ago}.`,
  linkFor: (email) => `Este enlace de inicio de sesión es para ${email}.`,
  approveThere: 'Iniciar sesión en el dispositivo que lo pidió',
  signInHere: 'Iniciar sesión aquí',
  pickPrompt: 'Elige el número que muestra el dispositivo que lo pidió.',
  approved: 'Listo: has iniciado sesión en el otro dispositivo. Puedes cerrar esta página.',
  approvedTitle: 'Sesión iniciada en el otro dispositivo',
  errors: {
    invalid_approval: 'Este inicio de sesión ya no se puede aprobar desde otro dispositivo. Introduce el código.',
    approval_refused: 'Ese no es el número que muestra el otro dispositivo, así que no se inició su sesión. Aún puedes iniciar sesión aquí.',
    approval_not_waiting: 'El otro dispositivo dejó de esperar. Aún puedes iniciar sesión aquí.',
  },
};

export default messages;
