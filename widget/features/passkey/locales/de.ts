import type { PasskeyMessages } from '../messages.ts';

const messages: PasskeyMessages = {
  signInWithPasskey: 'Mit einem Passkey anmelden',
  offer: 'Melden Sie sich nächstes Mal schneller mit einem Passkey an',
  addPasskey: 'Passkey hinzufügen',
  notNow: 'Nicht jetzt',
  added: 'Passkey hinzugefügt. Melden Sie sich nächstes Mal damit an.',
  passkeys: 'Passkeys',
  none: 'Noch keine Passkeys.',
  created: (date) => `Erstellt am ${date}`,
  lastUsed: (date) => `Zuletzt verwendet am ${date}`,
  neverUsed: 'Noch nicht verwendet',
  synced: 'Synchronisiert',
  thisDevice: 'Nur auf diesem Gerät',
  rename: 'Umbenennen',
  nameLabel: 'Name',
  save: 'Speichern',
  cancel: 'Abbrechen',
  remove: 'Entfernen',
  confirmRemove: (name) => `„${name}“ entfernen? Sie können sich dann nicht mehr damit anmelden.`,
  removed: 'Passkey entfernt.',
  failed: 'Dieses Gerät konnte keinen Passkey verwenden. Versuchen Sie es erneut oder melden Sie sich mit Ihrer E-Mail-Adresse an.',
  exists: 'Dieses Gerät hat bereits einen Passkey für Sie.',
  errors: {
    invalid_passkey: 'Dieser Passkey konnte nicht geprüft werden. Bitte versuchen Sie es erneut.',
    unknown_passkey: 'Dieser Passkey ist hier nicht mehr registriert. Melden Sie sich mit Ihrer E-Mail-Adresse an.',
    stale_session:
      'Zum Hinzufügen eines Passkeys muss Ihre Anmeldung weniger als 10 Minuten zurückliegen. Melden Sie sich ab, mit Ihrer E-Mail-Adresse wieder an und fügen Sie ihn dann hinzu.',
    too_many_passkeys: 'Sie haben die maximale Anzahl an Passkeys. Entfernen Sie einen, um einen neuen hinzuzufügen.',
  },
};

export default messages;
