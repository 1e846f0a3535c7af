import type { ApprovalMessages } from '../messages.ts';

const messages: ApprovalMessages = {
  pickThere: (number) => `다른 기기에서 링크를 여시나요? 그 기기에서 ${number}을(를) 선택하세요.`,
  wrongPicked: '다른 기기에서 잘못된 숫자를 선택해 로그인되지 않았습니다. 코드는 계속 사용할 수 있습니다.',
  deviceAsked: (device, ago) => `${device}에서 ${ago} 로그인을 요청했습니다.`,
  linkFor: (email) => `이 로그인 링크는 ${email} 계정용입니다.`,
  approveThere: '요청한 기기에서 로그인',
  signInHere: '여기에서 로그인',
  pickPrompt: '요청한 기기에 표시된 숫자를 선택하세요.',
  approved: '완료: 다른 기기에서 로그인되었습니다. 이 페이지를 닫아도 됩니다.',
  approvedTitle: '다른 기기에서 로그인됨',
  errors: {
    invalid_approval: '이 로그인은 더 이상 다른 기기에서 승인할 수 없습니다. 대신 코드를 입력하세요.',
    approval_refused: '다른 기기에 표시된 숫자가 아니어서 로그인되지 않았습니다. 여기에서는 계속 로그인할 수 있습니다.',
    approval_not_waiting: '다른 기기가 더 이상 기다리지 않습니다. 여기에서는 계속 로그인할 수 있습니다.',
  },
};

export default messages;
