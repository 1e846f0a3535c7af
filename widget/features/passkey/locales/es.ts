import type { PasskeyMessages } from '../messages.ts';

const messages: PasskeyMessages = {
  signInWithPasskey: 'Iniciar sesión con una llave de acceso',
  offer: 'Inicia sesión más rápido la próxima vez con una llave de acceso',
  addPasskey: 'Añadir una llave de acceso',
  notNow: 'Ahora no',
  added: 'Llave de acceso añadida. La próxima vez, inicia sesión con ella.',
  passkeys: 'Llaves de acceso',
  none: 'Aún no tienes llaves de acceso.',
  created: (date) => `Creada el ${date}`,
  lastUsed: (date) => `Último uso el ${date}`,
  neverUsed: 'Aún sin usar',
  synced: 'Sincronizada',
  thisDevice: 'Solo en este dispositivo',
  rename: 'Cambiar nombre',
  nameLabel: 'Nombre',
  save: 'Guardar',
  cancel: 'Cancelar',
  remove: 'Eliminar',
  confirmRemove: (name) => `¿Eliminar «${name}»? Ya no podrás iniciar sesión con ella.`,
  removed: 'Llave de acceso eliminada.',
  failed: 'Este dispositivo no pudo usar una llave de acceso. Inténtalo de nuevo o inicia sesión con tu correo electrónico.',
  exists: 'Este dispositivo ya tiene una llave de acceso tuya.',
  errors: {
    invalid_passkey: 'No se pudo comprobar esta llave de acceso. Inténtalo de nuevo.',
    unknown_passkey: 'Esta llave de acceso ya no está registrada aquí. Inicia sesión con tu correo electrónico.',
    stale_session:
      'Para añadir una llave de acceso, debes haber iniciado sesión hace menos de 10 minutos. Cierra sesión, vuelve a entrar con tu correo electrónico y añádela.',
    too_many_passkeys: 'Tienes el máximo de llaves de acceso permitido. Elimina una para añadir otra.',
  },
};

export default messages;
