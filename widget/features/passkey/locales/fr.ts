import type { PasskeyMessages } from '../messages.ts';

const messages: PasskeyMessages = {
  signInWithPasskey: 'Se connecter avec une clé d’accès',
  offer: 'Connectez-vous plus vite la prochaine fois avec une clé d’accès',
  addPasskey: 'Ajouter une clé d’accès',
  notNow: 'Plus tard',
  added: 'Clé d’accès ajoutée. La prochaine fois, connectez-vous avec elle.',
  passkeys: 'Clés d’accès',
  none: 'Aucune clé d’accès pour l’instant.',
  created: (date) => `Créée le ${date}`,
  lastUsed: (date) => `Dernière utilisation le ${date}`,
  neverUsed: 'Pas encore utilisée',
  synced: 'Synchronisée',
  thisDevice: 'Sur cet appareil uniquement',
  rename: 'Renommer',
  nameLabel: 'Nom',
  save: 'Enregistrer',
  cancel: 'Annuler',
  remove: 'Supprimer',
  confirmRemove: (name) => `Supprimer «\u00a0${name}\u00a0»\u00a0? Vous ne pourrez plus vous connecter avec elle.`,
  removed: 'Clé d’accès supprimée.',
  failed: 'Cet appareil n’a pas pu utiliser de clé d’accès. Réessayez, ou connectez-vous avec votre adresse e-mail.',
  exists: 'Cet appareil a déjà une clé d’accès pour vous.',
  errors: {
    invalid_passkey: 'Cette clé d’accès n’a pas pu être vérifiée. Veuillez réessayer.',
    unknown_passkey: 'Cette clé d’accès n’est plus enregistrée ici. Connectez-vous avec votre adresse e-mail.',
    stale_session:
      'Pour ajouter une clé d’accès, il faut vous être connecté il y a moins de 10\u00a0minutes. Déconnectez-vous, reconnectez-vous avec votre adresse e-mail, puis ajoutez-la.',
    too_many_passkeys: 'Vous avez atteint le nombre maximal de clés d’accès. Supprimez-en une pour en ajouter une autre.',
  },
};

export default messages;
