import type { AccountMessages } from '../messages.ts';

const messages: AccountMessages = {
  account: 'アカウント',
  changeEmail: 'メールアドレスを変更',
  newEmailLabel: '新しいメールアドレス',
  sendCode: 'メールでコードを受け取る',
  codeSentTo: (email) => `${email} に確認コードを送信しました。入力して新しいアドレスを確定してください。`,
  emailChanged: (email) => `メールアドレスを ${email} に変更しました。`,
  deleteAccount: 'アカウントを削除',
  deleteWarning: 'アカウントとそのパスキーが消去され、すべての端末からログアウトします。元に戻すことはできません。',
  sendDeleteCode: 'コードを送信',
  deleteCodeSentTo: (email) => `${email} に確認コードを送信しました。入力するとアカウントが完全に削除されます。`,
  confirmDelete: 'アカウントを削除する',
  cancel: 'キャンセル',
  errors: {
    same_email: 'これは現在のメールアドレスです。',
    email_taken: 'このアドレスは別のアカウントで使われています。何も変更されていません。',
    stale_session: 'アドレスを変更するには、ログアウトしてメールアドレスで再度ログインしてください。',
  },
};

export default messages;
