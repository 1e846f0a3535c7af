import type { Messages } from '../messages.ts';

const unavailable = '로그인 서비스에서 이 요청을 처리할 수 없습니다. 나중에 다시 시도하세요.';

const messages: Messages = {
  title: '로그인',
  emailLabel: '이메일 주소',
  sendCode: '이메일로 코드 받기',
  // "주소로" / "계정으로" after the address: the right particle after an arbitrary address is unknowable.
  codeSentTo: (email) => `인증 코드와 로그인 링크를 ${email} 주소로 보냈습니다.`,
  codeSentRecently: (email) => `방금 ${email} 주소로 코드를 보냈습니다. 받은 코드를 입력하거나, 타이머가 끝난 후 새 코드를 요청하세요.`,
  codeLabel: '이메일로 받은 코드',
  verifyCode: '로그인',
  resend: '코드 다시 보내기',
  resendIn: (n) => `${n}초 후 다시 보내기`,
  resendReady: '이제 새 코드를 요청할 수 있습니다.',
  changeEmail: '다른 이메일 사용',
  linkTitle: '로그인 계속하기',
  linkExplain: '로그인 링크를 열었습니다. 계속하면 이 기기에서 로그인됩니다.',
  linkExplainFor: (email) => `${email} 계정의 로그인 링크를 열었습니다. 계속하면 이 기기에서 로그인됩니다.`,
  linkUsedSignedIn: (email) => `이 로그인 링크는 더 이상 사용할 수 없습니다. 계속 ${email} 계정으로 로그인되어 있습니다.`,
  linkContinue: '로그인 계속하기',
  linkFailed: '이메일 주소를 입력하면 새 코드와 로그인 링크를 받을 수 있습니다.',
  signingIn: '로그인하는 중…',
  signedInTitle: '로그인됨',
  signedInAs: (email) => `${email} 계정으로 로그인했습니다.`,
  signOut: '로그아웃',
  backToEmail: '이메일로 로그인',
  back: '뒤로',
  networkError: '로그인 서비스에 연결할 수 없습니다. 인터넷 연결을 확인한 후 다시 시도하세요.',
  errors: {
    invalid_request: unavailable,
    unsupported_media_type: unavailable,
    payload_too_large: unavailable,
    invalid_email: '올바른 이메일 주소를 입력하세요.',
    invalid_redirect: '이 페이지는 로그인 링크를 받을 수 있도록 허용되지 않았습니다.',
    rate_limited: (e) =>
      e.retryAfter ? `요청이 너무 많습니다. ${e.retryAfter}초 후에 다시 시도하세요.` : '요청이 너무 많습니다. 나중에 다시 시도하세요.',
    mail_busy: (e) => `요청이 많아 지금은 코드를 보낼 수 없습니다. ${e.retryAfter}초 후에 다시 시도하세요.`,
    invalid_code: (e) =>
      e.attemptsLeft === undefined
        ? '코드가 올바르지 않습니다.'
        : `코드가 올바르지 않습니다. ${e.attemptsLeft}번 더 시도할 수 있습니다.`,
    expired_code: '코드 또는 링크가 만료되었습니다. 새 코드를 요청하세요.',
    too_many_attempts: '잘못된 코드를 너무 많이 입력했습니다. 새 코드를 요청하세요.',
    invalid_link: '이 로그인 링크는 더 이상 유효하지 않습니다. 이미 사용된 링크일 수 있습니다.',
    unauthenticated: '세션이 만료되었습니다. 다시 로그인하세요.',
    forbidden_origin: '이 사이트는 이 로그인 서비스를 사용할 수 없습니다. 사이트 소유자가 ALLOWED_ORIGINS에 추가해야 합니다.',
    not_found: unavailable,
    method_not_allowed: unavailable,
    internal_error: unavailable,
  },
};

export default messages;
