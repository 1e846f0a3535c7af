import type { PasskeyMessages } from '../messages.ts';

const messages: PasskeyMessages = {
  signInWithPasskey: '使用密碼金鑰登入',
  offer: '下次使用密碼金鑰更快登入',
  addPasskey: '新增密碼金鑰',
  notNow: '以後再說',
  added: '已新增密碼金鑰。下次請用它登入。',
  passkeys: '密碼金鑰',
  none: '還沒有密碼金鑰。',
  created: (date) => `建立於 ${date}`,
  lastUsed: (date) => `上次使用於 ${date}`,
  neverUsed: '尚未使用',
  synced: '已同步',
  thisDevice: '僅限此裝置',
  rename: '重新命名',
  nameLabel: '名稱',
  save: '儲存',
  cancel: '取消',
  remove: '移除',
  confirmRemove: (name) => `要移除「${name}」嗎？移除後將無法再用它登入。`,
  removed: '已移除密碼金鑰。',
  failed: '此裝置無法使用密碼金鑰。請再試一次，或使用電子郵件登入。',
  exists: '此裝置上已有您的密碼金鑰。',
  errors: {
    invalid_passkey: '無法驗證此密碼金鑰。請再試一次。',
    unknown_passkey: '此密碼金鑰已不再於此註冊。請使用電子郵件登入。',
    stale_session: '新增密碼金鑰需要在最近 10 分鐘內登入。請登出，再用電子郵件登入，然後新增。',
    too_many_passkeys: '您的密碼金鑰已達上限。請先移除一個再新增。',
  },
};

export default messages;
