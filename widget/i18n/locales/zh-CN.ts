import type { Messages } from '../messages.ts';

const unavailable = '登录服务暂时无法处理此请求，请稍后重试。';

const messages: Messages = {
  title: '登录',
  emailLabel: '电子邮箱',
  sendCode: '发送验证码',
  codeSentTo: (email) => `验证码和登录链接已发送至 ${email}。`,
  codeSentRecently: (email) => `刚刚已向 ${email} 发送过验证码。请输入该验证码，或在倒计时结束后重新获取。`,
  codeLabel: '邮件中的验证码',
  verifyCode: '登录',
  resend: '重新发送',
  resendIn: (n) => `${n} 秒后可重新发送`,
  resendReady: '现在可以重新获取验证码了。',
  changeEmail: '使用其他邮箱',
  linkTitle: '继续登录',
  linkExplain: '您打开了登录链接。继续即可在此设备上登录。',
  linkExplainFor: (email) => `您打开了 ${email} 的登录链接。继续即可在此设备上登录。`,
  linkUsedSignedIn: (email) => `此登录链接已无法再次使用。您仍以 ${email} 登录。`,
  linkContinue: '继续登录',
  linkFailed: '输入邮箱即可获取新的验证码和登录链接。',
  signingIn: '正在登录…',
  signedInTitle: '已登录',
  signedInAs: (email) => `当前登录账号：${email}`,
  signOut: '退出登录',
  backToEmail: '使用邮箱登录',
  back: '返回',
  networkError: '无法连接登录服务，请检查网络后重试。',
  errors: {
    invalid_request: unavailable,
    unsupported_media_type: unavailable,
    payload_too_large: unavailable,
    invalid_email: '请输入有效的电子邮箱地址。',
    invalid_redirect: '此页面不允许接收登录链接。',
    rate_limited: (e) => (e.retryAfter ? `请求过于频繁，请 ${e.retryAfter} 秒后重试。` : '请求过于频繁，请稍后重试。'),
    invalid_code: (e) => (e.attemptsLeft === undefined ? '验证码错误。' : `验证码错误，还可尝试 ${e.attemptsLeft} 次。`),
    expired_code: '验证码或链接已过期，请重新获取。',
    too_many_attempts: '错误次数过多，请重新获取验证码。',
    invalid_link: '此登录链接已失效，可能已被使用。',
    unauthenticated: '会话已结束，请重新登录。',
    forbidden_origin: '此网站未获准使用该登录服务。需由网站所有者将其加入 ALLOWED_ORIGINS。',
    not_found: unavailable,
    method_not_allowed: unavailable,
    internal_error: unavailable,
  },
};

export default messages;
