import type { ApprovalMessages } from '../messages.ts';

const messages: ApprovalMessages = {
  pickThere: (number) => `別のデバイスでリンクを開きますか？そこで ${number} を選んでください。`,
  wrongPicked: '別のデバイスで違う数字が選ばれたため、サインインしませんでした。コードは引き続き使えます。',
  deviceAsked: (device, ago) => `${device} が${ago}にサインインを求めました。`,
  linkFor: (email) => `このサインインリンクは ${email} 用です。`,
  approveThere: '求めたデバイスでサインイン',
  signInHere: 'ここでサインイン',
  pickPrompt: '求めたデバイスに表示されている数字を選んでください。',
  approved: '完了：別のデバイスでサインインしました。このページは閉じてかまいません。',
  approvedTitle: '別のデバイスでサインインしました',
  errors: {
    invalid_approval: 'このサインインは別のデバイスから承認できなくなりました。代わりにコードを入力してください。',
    approval_refused: '別のデバイスに表示されている数字ではないため、サインインしませんでした。ここでサインインすることはできます。',
    approval_not_waiting: '別のデバイスは待機をやめました。ここでサインインすることはできます。',
  },
};

export default messages;
