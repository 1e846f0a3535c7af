import type { ApprovalMessages } from '../messages.ts';

const messages: ApprovalMessages = {
  pickThere: (number) => `要在另一台设备上打开链接？请在那里选择 ${number}。`,
  wrongPicked: '另一台设备选择了错误的数字，因此未登录。验证码仍然有效。',
  deviceAsked: (device, ago) => `${device} 于${ago}请求登录。`,
  linkFor: (email) => `此登录链接用于 ${email}。`,
  approveThere: '在发起请求的设备上登录',
  signInHere: '在此登录',
  pickPrompt: '请选择发起请求的设备上显示的数字。',
  approved: '完成：您已在另一台设备上登录。可以关闭此页面。',
  approvedTitle: '已在另一台设备上登录',
  errors: {
    invalid_approval: '此登录已无法从另一台设备批准。请改为输入验证码。',
    approval_refused: '这不是另一台设备显示的数字，因此它未登录。您仍可在此登录。',
    approval_not_waiting: '另一台设备已停止等待。您仍可在此登录。',
  },
};

export default messages;
