import type { Messages } from '../messages.ts';

const unavailable = '登入服務目前無法處理這項要求，請稍後再試。';

const messages: Messages = {
  title: '登入',
  emailLabel: '電子郵件地址',
  sendCode: '傳送驗證碼',
  codeSentTo: (email) => `驗證碼和登入連結已寄至 ${email}。`,
  codeSentRecently: (email) => `剛才已將驗證碼寄至 ${email}。請輸入該驗證碼，或在倒數結束後重新取得。`,
  codeLabel: '郵件中的驗證碼',
  verifyCode: '登入',
  resend: '重新傳送',
  resendIn: (n) => `${n} 秒後可重新傳送`,
  resendReady: '現在可以重新取得驗證碼了。',
  changeEmail: '使用其他電子郵件地址',
  linkTitle: '繼續登入',
  linkExplain: '你開啟了登入連結。繼續即可在這部裝置上登入。',
  linkExplainFor: (email) => `你開啟了 ${email} 的登入連結。繼續即可在這部裝置上登入。`,
  linkUsedSignedIn: (email) => `這個登入連結已無法再使用。你仍以 ${email} 登入。`,
  linkContinue: '繼續登入',
  linkFailed: '輸入電子郵件地址，即可取得新的驗證碼和登入連結。',
  signingIn: '正在登入…',
  signedInTitle: '已登入',
  signedInAs: (email) => `你已使用 ${email} 登入。`,
  signOut: '登出',
  backToEmail: '使用電子郵件登入',
  back: '返回',
  networkError: '無法連線至登入服務，請檢查網路連線後再試一次。',
  errors: {
    invalid_request: unavailable,
    unsupported_media_type: unavailable,
    payload_too_large: unavailable,
    invalid_email: '請輸入有效的電子郵件地址。',
    invalid_redirect: '這個網頁未獲准接收登入連結。',
    rate_limited: (e) => (e.retryAfter ? `要求次數過多，請於 ${e.retryAfter} 秒後再試。` : '要求次數過多，請稍後再試。'),
    invalid_code: (e) => (e.attemptsLeft === undefined ? '驗證碼錯誤。' : `驗證碼錯誤，還可以再試 ${e.attemptsLeft} 次。`),
    expired_code: '驗證碼或連結已過期，請重新取得。',
    too_many_attempts: '錯誤次數過多，請重新取得驗證碼。',
    invalid_link: '這個登入連結已失效，可能已經使用過了。',
    unauthenticated: '登入狀態已失效，請重新登入。',
    forbidden_origin: '這個網站未獲准使用此登入服務，需由網站擁有者將其加入 ALLOWED_ORIGINS。',
    not_found: unavailable,
    method_not_allowed: unavailable,
    internal_error: unavailable,
  },
};

export default messages;
