import type { PasskeyMessages } from '../messages.ts';

const messages: PasskeyMessages = {
  signInWithPasskey: '使用通行密钥登录',
  offer: '下次使用通行密钥更快登录',
  addPasskey: '添加通行密钥',
  notNow: '以后再说',
  added: '已添加通行密钥。下次请用它登录。',
  passkeys: '通行密钥',
  none: '还没有通行密钥。',
  created: (date) => `创建于 ${date}`,
  lastUsed: (date) => `上次使用于 ${date}`,
  neverUsed: '尚未使用',
  synced: '已同步',
  thisDevice: '仅限此设备',
  rename: '重命名',
  nameLabel: '名称',
  save: '保存',
  cancel: '取消',
  remove: '移除',
  confirmRemove: (name) => `要移除“${name}”吗？移除后将无法再用它登录。`,
  removed: '已移除通行密钥。',
  failed: '此设备无法使用通行密钥。请重试，或使用电子邮件登录。',
  exists: '此设备上已有您的通行密钥。',
  errors: {
    invalid_passkey: '无法验证此通行密钥。请重试。',
    unknown_passkey: '此通行密钥已不再在此注册。请使用电子邮件登录。',
    stale_session: '添加通行密钥需要在最近 10 分钟内登录。请退出，再用电子邮件登录，然后添加。',
    too_many_passkeys: '您的通行密钥已达上限。请先移除一个再添加。',
  },
};

export default messages;
