import type { ApprovalMessages } from '../messages.ts';

const messages: ApprovalMessages = {
  pickThere: (number) => `要在另一部裝置上開啟連結？請在那裡選擇 ${number}。`,
  wrongPicked: '另一部裝置選了錯誤的數字，因此未登入。驗證碼仍然有效。',
  deviceAsked: (device, ago) => `${device} 於${ago}要求登入。`,
  linkFor: (email) => `此登入連結適用於 ${email}。`,
  approveThere: '在提出要求的裝置上登入',
  signInHere: '在這裡登入',
  pickPrompt: '請選擇提出要求的裝置上顯示的數字。',
  approved: '完成：您已在另一部裝置上登入。可以關閉此頁面。',
  approvedTitle: '已在另一部裝置上登入',
  errors: {
    invalid_approval: '此登入已無法從另一部裝置核准。請改為輸入驗證碼。',
    approval_refused: '這不是另一部裝置顯示的數字，因此它未登入。您仍可在這裡登入。',
    approval_not_waiting: '另一部裝置已停止等待。您仍可在這裡登入。',
  },
};

export default messages;
