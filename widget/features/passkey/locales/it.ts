import type { PasskeyMessages } from '../messages.ts';

const messages: PasskeyMessages = {
  signInWithPasskey: 'Accedi con una passkey',
  offer: 'La prossima volta accedi più in fretta con una passkey',
  addPasskey: 'Aggiungi una passkey',
  notNow: 'Non ora',
  added: 'Passkey aggiunta. La prossima volta accedi con questa.',
  passkeys: 'Passkey',
  none: 'Ancora nessuna passkey.',
  created: (date) => `Creata il ${date}`,
  lastUsed: (date) => `Ultimo utilizzo il ${date}`,
  neverUsed: 'Non ancora usata',
  synced: 'Sincronizzata',
  thisDevice: 'Solo su questo dispositivo',
  rename: 'Rinomina',
  nameLabel: 'Nome',
  save: 'Salva',
  cancel: 'Annulla',
  remove: 'Rimuovi',
  confirmRemove: (name) => `Rimuovere «${name}»? Non potrai più accedere con questa passkey.`,
  removed: 'Passkey rimossa.',
  failed: 'Questo dispositivo non è riuscito a usare una passkey. Riprova oppure accedi con la tua email.',
  exists: 'Questo dispositivo ha già una tua passkey.',
  errors: {
    invalid_passkey: 'Non è stato possibile verificare questa passkey. Riprova.',
    unknown_passkey: 'Questa passkey non è più registrata qui. Accedi con la tua email.',
    stale_session:
      'Per aggiungere una passkey devi aver effettuato l’accesso negli ultimi 10 minuti. Esci, accedi di nuovo con la tua email e poi aggiungila.',
    too_many_passkeys: 'Hai raggiunto il numero massimo di passkey. Rimuovine una per aggiungerne un’altra.',
  },
};

export default messages;
