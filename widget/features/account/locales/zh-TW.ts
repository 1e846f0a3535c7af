import type { AccountMessages } from '../messages.ts';

const messages: AccountMessages = {
  account: '帳戶',
  changeEmail: '變更電子郵件',
  newEmailLabel: '新的電子郵件地址',
  sendCode: '傳送驗證碼',
  codeSentTo: (email) => `驗證碼已寄至 ${email}。請輸入驗證碼以確認新地址。`,
  emailChanged: (email) => `你的電子郵件地址已變更為 ${email}。`,
  deleteAccount: '刪除帳戶',
  deleteWarning: '這會清除你的帳戶及其密碼金鑰，並在所有裝置上登出。此動作無法復原。',
  sendDeleteCode: '寄驗證碼給我',
  deleteCodeSentTo: (email) => `驗證碼已寄至 ${email}。輸入驗證碼即可永久刪除你的帳戶。`,
  confirmDelete: '刪除我的帳戶',
  cancel: '取消',
  errors: {
    same_email: '這已經是你的電子郵件地址。',
    email_taken: '這個地址現在屬於另一個帳戶。沒有任何變更。',
    stale_session: '要變更地址，請先登出，再用電子郵件登入。',
  },
};

export default messages;
