import type { PasskeyMessages } from '../messages.ts';

const messages: PasskeyMessages = {
  signInWithPasskey: 'Entrar com uma chave de acesso',
  offer: 'Entre mais rápido da próxima vez com uma chave de acesso',
  addPasskey: 'Adicionar uma chave de acesso',
  notNow: 'Agora não',
  added: 'Chave de acesso adicionada. Da próxima vez, entre com ela.',
  passkeys: 'Chaves de acesso',
  none: 'Nenhuma chave de acesso ainda.',
  created: (date) => `Criada em ${date}`,
  lastUsed: (date) => `Último uso em ${date}`,
  neverUsed: 'Ainda não usada',
  synced: 'Sincronizada',
  thisDevice: 'Só neste dispositivo',
  rename: 'Renomear',
  nameLabel: 'Nome',
  save: 'Salvar',
  cancel: 'Cancelar',
  remove: 'Remover',
  confirmRemove: (name) => `Remover “${name}”? Você não poderá mais entrar com ela.`,
  removed: 'Chave de acesso removida.',
  failed: 'Este dispositivo não conseguiu usar uma chave de acesso. Tente de novo ou entre com seu e-mail.',
  exists: 'Este dispositivo já tem uma chave de acesso sua.',
  errors: {
    invalid_passkey: 'Não foi possível verificar esta chave de acesso. Tente de novo.',
    unknown_passkey: 'Esta chave de acesso não está mais registrada aqui. Entre com seu e-mail.',
    stale_session:
      'Para adicionar uma chave de acesso, você precisa ter entrado há menos de 10 minutos. Saia, entre de novo com seu e-mail e depois adicione-a.',
    too_many_passkeys: 'Você já tem o máximo de chaves de acesso permitido. Remova uma para adicionar outra.',
  },
};

export default messages;
