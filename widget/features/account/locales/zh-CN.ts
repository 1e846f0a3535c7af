import type { AccountMessages } from '../messages.ts';

const messages: AccountMessages = {
  account: '账户',
  changeEmail: '更改邮箱',
  newEmailLabel: '新的电子邮箱',
  sendCode: '发送验证码',
  codeSentTo: (email) => `验证码已发送至 ${email}。输入验证码以确认新邮箱。`,
  emailChanged: (email) => `您的邮箱已更改为 ${email}。`,
  deleteAccount: '删除账户',
  deleteWarning: '这将清除您的账户及其通行密钥，并在所有设备上退出登录。此操作无法撤销。',
  sendDeleteCode: '给我发送验证码',
  deleteCodeSentTo: (email) => `验证码已发送至 ${email}。输入验证码即可永久删除您的账户。`,
  confirmDelete: '删除我的账户',
  cancel: '取消',
  errors: {
    same_email: '这已经是您的邮箱。',
    email_taken: '该邮箱现已属于另一个账户。未做任何更改。',
    stale_session: '要更改地址，请先退出，再用电子邮件登录。',
  },
};

export default messages;
