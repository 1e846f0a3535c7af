import type { AccountMessages } from '../messages.ts';

const messages: AccountMessages = {
  account: '계정',
  changeEmail: '이메일 주소 변경',
  newEmailLabel: '새 이메일 주소',
  sendCode: '이메일로 코드 받기',
  codeSentTo: (email) => `인증 코드를 ${email} 주소로 보냈습니다. 코드를 입력해 새 주소를 확인하세요.`,
  emailChanged: (email) => `이제 이메일 주소는 ${email}입니다.`,
  deleteAccount: '계정 삭제',
  deleteWarning: '계정과 계정의 패스키가 삭제되고 모든 기기에서 로그아웃됩니다. 되돌릴 수 없습니다.',
  sendDeleteCode: '코드 보내기',
  deleteCodeSentTo: (email) => `인증 코드를 ${email} 주소로 보냈습니다. 코드를 입력하면 계정이 영구히 삭제됩니다.`,
  confirmDelete: '내 계정 삭제',
  cancel: '취소',
  errors: {
    same_email: '현재 사용 중인 주소와 같습니다.',
    email_taken: '이 주소는 이제 다른 계정에서 사용 중입니다. 변경된 내용은 없습니다.',
    stale_session: '주소를 변경하려면 로그아웃한 뒤 이메일로 다시 로그인하세요.',
  },
};

export default messages;
