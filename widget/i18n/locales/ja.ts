import type { Messages } from '../messages.ts';

const unavailable = 'ログインサービスでこのリクエストを処理できませんでした。しばらくしてからもう一度お試しください。';

const messages: Messages = {
  title: 'ログイン',
  emailLabel: 'メールアドレス',
  sendCode: 'メールでコードを受け取る',
  codeSentTo: (email) => `${email} に確認コードとログイン用リンクを送信しました。`,
  codeSentRecently: (email) =>
    `${email} には先ほどコードを送信しました。そのコードを入力するか、タイマーが終わってから新しいコードをリクエストしてください。`,
  codeLabel: 'メールに記載されたコード',
  verifyCode: 'ログイン',
  resend: 'コードを再送信',
  resendIn: (n) => `${n} 秒後に再送信できます`,
  resendReady: '新しいコードをリクエストできるようになりました。',
  changeEmail: '別のメールアドレスを使う',
  linkTitle: 'ログインを続ける',
  linkExplain: 'ログイン用リンクが開かれました。続行すると、このデバイスでログインします。',
  linkExplainFor: (email) => `${email} のログイン用リンクが開かれました。続行すると、このデバイスでログインします。`,
  linkUsedSignedIn: (email) => `このログイン用リンクはもう使えません。引き続き ${email} でログインしています。`,
  linkContinue: 'ログインを続ける',
  linkFailed: 'メールアドレスを入力すると、新しいコードとログイン用リンクが届きます。',
  signingIn: 'ログインしています…',
  signedInTitle: 'ログイン済み',
  signedInAs: (email) => `${email} でログインしています。`,
  signOut: 'ログアウト',
  backToEmail: 'メールアドレスでログイン',
  back: '戻る',
  networkError: 'ログインサービスに接続できませんでした。インターネット接続を確認して、もう一度お試しください。',
  errors: {
    invalid_request: unavailable,
    unsupported_media_type: unavailable,
    payload_too_large: unavailable,
    invalid_email: '有効なメールアドレスを入力してください。',
    invalid_redirect: 'このページはログイン用リンクの受け取りを許可されていません。',
    rate_limited: (e) =>
      e.retryAfter
        ? `リクエストが多すぎます。${e.retryAfter} 秒後にもう一度お試しください。`
        : 'リクエストが多すぎます。しばらくしてからもう一度お試しください。',
    mail_busy: (e) => `混み合っているため、コードを送信できません。${e.retryAfter} 秒後にもう一度お試しください。`,
    invalid_code: (e) =>
      e.attemptsLeft === undefined
        ? 'コードが正しくありません。'
        : `コードが正しくありません。あと ${e.attemptsLeft} 回入力できます。`,
    expired_code: 'コードまたはリンクの有効期限が切れています。新しいコードをリクエストしてください。',
    too_many_attempts: '誤ったコードが何度も入力されました。新しいコードをリクエストしてください。',
    invalid_link: 'このログイン用リンクは無効です。すでに使用された可能性があります。',
    unauthenticated: 'セッションが終了しました。もう一度ログインしてください。',
    forbidden_origin:
      'このサイトはこのログインサービスの利用を許可されていません。サイトの管理者が ALLOWED_ORIGINS に追加する必要があります。',
    not_found: unavailable,
    method_not_allowed: unavailable,
    internal_error: unavailable,
  },
};

export default messages;
