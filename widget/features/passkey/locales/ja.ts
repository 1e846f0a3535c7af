import type { PasskeyMessages } from '../messages.ts';

const messages: PasskeyMessages = {
  signInWithPasskey: 'パスキーでログイン',
  offer: '次回はパスキーでもっと速くログインできます',
  addPasskey: 'パスキーを追加',
  notNow: '今はしない',
  added: 'パスキーを追加しました。次回はパスキーでログインしてください。',
  passkeys: 'パスキー',
  none: 'パスキーはまだありません。',
  created: (date) => `作成日: ${date}`,
  lastUsed: (date) => `最終使用日: ${date}`,
  neverUsed: '未使用',
  synced: '同期済み',
  thisDevice: 'このデバイスのみ',
  rename: '名前を変更',
  nameLabel: '名前',
  save: '保存',
  cancel: 'キャンセル',
  remove: '削除',
  confirmRemove: (name) => `「${name}」を削除しますか？このパスキーではログインできなくなります。`,
  removed: 'パスキーを削除しました。',
  failed: 'このデバイスではパスキーを使用できませんでした。もう一度お試しいただくか、メールアドレスでログインしてください。',
  exists: 'このデバイスにはすでにあなたのパスキーがあります。',
  errors: {
    invalid_passkey: 'このパスキーを確認できませんでした。もう一度お試しください。',
    unknown_passkey: 'このパスキーはここでは登録されていません。メールアドレスでログインしてください。',
    stale_session: 'パスキーの追加には10分以内のログインが必要です。ログアウトしてメールアドレスで再度ログインしてから追加してください。',
    too_many_passkeys: 'パスキーの数が上限に達しています。追加するには1つ削除してください。',
  },
};

export default messages;
