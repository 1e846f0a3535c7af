import type { Messages } from '../messages.ts';

const seconds = (n: number) => (n === 1 ? '1 Sekunde' : `${n} Sekunden`);
const unavailable = 'Der Anmeldedienst konnte diese Anfrage nicht bearbeiten. Bitte versuchen Sie es später noch einmal.';

const messages: Messages = {
  title: 'Anmelden',
  emailLabel: 'E-Mail-Adresse',
  sendCode: 'Code per E-Mail senden',
  codeSentTo: (email) => `Wir haben einen Code und einen Anmeldelink an ${email} gesendet.`,
  codeSentRecently: (email) =>
    `An ${email} wurde gerade ein Code gesendet. Geben Sie ihn ein oder fordern Sie nach Ablauf des Timers einen neuen an.`,
  codeLabel: 'Code aus der E-Mail',
  verifyCode: 'Anmelden',
  resend: 'Code erneut senden',
  resendIn: (n) => `Erneut senden in ${n} s`,
  resendReady: 'Sie können jetzt einen neuen Code anfordern.',
  changeEmail: 'Andere E-Mail-Adresse verwenden',
  linkTitle: 'Anmeldung fortsetzen',
  linkExplain: 'Sie haben einen Anmeldelink geöffnet. Fahren Sie fort, um sich auf diesem Gerät anzumelden.',
  linkExplainFor: (email) => `Sie haben einen Anmeldelink für ${email} geöffnet. Fahren Sie fort, um sich auf diesem Gerät anzumelden.`,
  linkUsedSignedIn: (email) => `Dieser Anmeldelink kann nicht mehr verwendet werden. Sie sind weiterhin als ${email} angemeldet.`,
  linkContinue: 'Anmeldung fortsetzen',
  linkFailed: 'Geben Sie Ihre E-Mail-Adresse ein, um einen neuen Code und Anmeldelink zu erhalten.',
  signingIn: 'Sie werden angemeldet\u00a0…',
  signedInTitle: 'Angemeldet',
  signedInAs: (email) => `Sie sind als ${email} angemeldet.`,
  signOut: 'Abmelden',
  backToEmail: 'Mit E-Mail-Adresse anmelden',
  back: 'Zurück',
  networkError: 'Der Anmeldedienst ist nicht erreichbar. Prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
  errors: {
    invalid_request: unavailable,
    unsupported_media_type: unavailable,
    payload_too_large: unavailable,
    invalid_email: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
    invalid_redirect: 'Diese Seite darf keine Anmeldelinks empfangen.',
    rate_limited: (e) =>
      e.retryAfter
        ? `Zu viele Anfragen. Versuchen Sie es in ${seconds(e.retryAfter)} erneut.`
        : 'Zu viele Anfragen. Versuchen Sie es später erneut.',
    mail_busy: (e) => `Der Dienst ist ausgelastet und kann gerade keinen Code senden. Versuchen Sie es in ${e.retryAfter} s erneut.`,
    invalid_code: (e) =>
      e.attemptsLeft === undefined
        ? 'Falscher Code.'
        : `Falscher Code. Noch ${e.attemptsLeft} ${e.attemptsLeft === 1 ? 'Versuch' : 'Versuche'} übrig.`,
    expired_code: 'Dieser Code oder Link ist abgelaufen. Bitte fordern Sie einen neuen an.',
    too_many_attempts: 'Zu viele falsche Codes. Bitte fordern Sie einen neuen Code an.',
    invalid_link: 'Dieser Anmeldelink ist nicht mehr gültig. Möglicherweise wurde er bereits verwendet.',
    unauthenticated: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
    forbidden_origin:
      'Diese Website darf diesen Anmeldedienst nicht nutzen. Der Betreiber muss sie zu ALLOWED_ORIGINS hinzufügen.',
    not_found: unavailable,
    method_not_allowed: unavailable,
    internal_error: unavailable,
  },
};

export default messages;
