import type { Messages } from '../messages.ts';

const seconds = (n: number) => (n === 1 ? '1 segundo' : `${n} segundos`);
const unavailable = 'O serviço de login não conseguiu processar esta solicitação. Tente novamente mais tarde.';

const messages: Messages = {
  title: 'Entrar',
  emailLabel: 'Endereço de e-mail',
  sendCode: 'Receber código por e-mail',
  codeSentTo: (email) => `Enviamos um código e um link de acesso para ${email}.`,
  codeSentRecently: (email) => `Acabamos de enviar um código para ${email}. Digite-o ou peça um novo quando o tempo acabar.`,
  codeLabel: 'Código recebido por e-mail',
  verifyCode: 'Entrar',
  resend: 'Reenviar código',
  resendIn: (n) => `Reenviar código em ${n} s`,
  resendReady: 'Você já pode pedir um novo código.',
  changeEmail: 'Usar outro e-mail',
  linkTitle: 'Continuar o login',
  linkExplain: 'Você abriu um link de acesso. Continue para entrar neste dispositivo.',
  linkExplainFor: (email) => `Você abriu um link de acesso para ${email}. Continue para entrar neste dispositivo.`,
  linkUsedSignedIn: (email) => `Este link de acesso não pode mais ser usado. Você continua conectado como ${email}.`,
  linkContinue: 'Continuar o login',
  linkFailed: 'Digite seu e-mail para receber um novo código e um novo link de acesso.',
  signingIn: 'Entrando…',
  // "Conectado/conectada" would assume a gender.
  signedInTitle: 'Sessão iniciada',
  signedInAs: (email) => `Você entrou como ${email}.`,
  signOut: 'Sair',
  backToEmail: 'Entrar com seu e-mail',
  back: 'Voltar',
  networkError: 'Não foi possível acessar o serviço de login. Verifique sua conexão e tente novamente.',
  errors: {
    invalid_request: unavailable,
    unsupported_media_type: unavailable,
    payload_too_large: unavailable,
    invalid_email: 'Digite um endereço de e-mail válido.',
    invalid_redirect: 'Esta página não tem permissão para receber links de acesso.',
    rate_limited: (e) =>
      e.retryAfter
        ? `Muitas solicitações. Tente novamente em ${seconds(e.retryAfter)}.`
        : 'Muitas solicitações. Tente novamente mais tarde.',
    mail_busy: (e) => `O serviço está ocupado e não pode enviar o código agora. Tente novamente em ${e.retryAfter} s.`,
    invalid_code: (e) =>
      e.attemptsLeft === undefined
        ? 'Código incorreto.'
        : e.attemptsLeft === 1
          ? 'Código incorreto. Resta 1 tentativa.'
          : `Código incorreto. Restam ${e.attemptsLeft} tentativas.`,
    expired_code: 'Este código ou link expirou. Peça um novo.',
    too_many_attempts: 'Muitos códigos incorretos. Peça um novo código.',
    invalid_link: 'Este link de acesso não é mais válido. Talvez ele já tenha sido usado.',
    unauthenticated: 'Sua sessão terminou. Entre novamente.',
    forbidden_origin:
      'Este site não tem permissão para usar este serviço de login. O proprietário precisa adicioná-lo a ALLOWED_ORIGINS.',
    not_found: unavailable,
    method_not_allowed: unavailable,
    internal_error: unavailable,
  },
};

export default messages;
