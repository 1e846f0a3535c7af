import type { Messages } from '../messages.ts';

const seconds = (n: number) => (n === 1 ? '1 segundo' : `${n} segundos`);
const unavailable = 'El servicio de inicio de sesión no pudo procesar esta solicitud. Inténtalo de nuevo más tarde.';

const messages: Messages = {
  title: 'Iniciar sesión',
  emailLabel: 'Correo electrónico',
  sendCode: 'Enviarme un código',
  codeSentTo: (email) => `Hemos enviado un código y un enlace de acceso a ${email}.`,
  codeSentRecently: (email) =>
    `Acabamos de enviar un código a ${email}. Escríbelo o pide uno nuevo cuando termine el temporizador.`,
  codeLabel: 'Código del correo',
  verifyCode: 'Iniciar sesión',
  resend: 'Reenviar código',
  resendIn: (n) => `Reenviar código en ${n} s`,
  resendReady: 'Ya puedes pedir un código nuevo.',
  changeEmail: 'Usar otro correo',
  linkTitle: 'Continuar con el inicio de sesión',
  linkExplain: 'Has abierto un enlace de acceso. Continúa para iniciar sesión en este dispositivo.',
  linkExplainFor: (email) => `Has abierto un enlace de acceso para ${email}. Continúa para iniciar sesión en este dispositivo.`,
  linkUsedSignedIn: (email) => `Este enlace de acceso ya no se puede usar. Sigues con la sesión iniciada como ${email}.`,
  linkContinue: 'Continuar',
  linkFailed: 'Escribe tu correo para recibir un código y un enlace de acceso nuevos.',
  signingIn: 'Iniciando sesión…',
  signedInTitle: 'Sesión iniciada',
  signedInAs: (email) => `Has iniciado sesión como ${email}.`,
  signOut: 'Cerrar sesión',
  backToEmail: 'Iniciar sesión con tu correo',
  back: 'Volver',
  networkError: 'No se pudo conectar con el servicio de inicio de sesión. Revisa tu conexión e inténtalo de nuevo.',
  errors: {
    invalid_request: unavailable,
    unsupported_media_type: unavailable,
    payload_too_large: unavailable,
    invalid_email: 'Escribe una dirección de correo válida.',
    invalid_redirect: 'Esta página no tiene permiso para recibir enlaces de acceso.',
    rate_limited: (e) =>
      e.retryAfter
        ? `Demasiadas solicitudes. Inténtalo de nuevo en ${seconds(e.retryAfter)}.`
        : 'Demasiadas solicitudes. Inténtalo de nuevo más tarde.',
    mail_busy: (e) => `El servicio está ocupado y no puede enviar el código ahora. Inténtalo de nuevo en ${e.retryAfter} s.`,
    invalid_code: (e) =>
      e.attemptsLeft === undefined
        ? 'Código incorrecto.'
        : e.attemptsLeft === 1
          ? 'Código incorrecto. Te queda 1 intento.'
          : `Código incorrecto. Te quedan ${e.attemptsLeft} intentos.`,
    expired_code: 'Este código o enlace ha expirado. Pide uno nuevo.',
    too_many_attempts: 'Demasiados códigos incorrectos. Pide un código nuevo.',
    invalid_link: 'Este enlace de acceso ya no es válido. Es posible que ya se haya usado.',
    unauthenticated: 'Tu sesión ha finalizado. Vuelve a iniciar sesión.',
    forbidden_origin:
      'Este sitio no tiene permiso para usar este servicio de inicio de sesión. Su propietario debe añadirlo a ALLOWED_ORIGINS.',
    not_found: unavailable,
    method_not_allowed: unavailable,
    internal_error: unavailable,
  },
};

export default messages;
