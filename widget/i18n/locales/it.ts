import type { Messages } from '../messages.ts';

const seconds = (n: number) => (n === 1 ? '1 secondo' : `${n} secondi`);
const unavailable = 'Il servizio di accesso non è riuscito a gestire questa richiesta. Riprova più tardi.';

const messages: Messages = {
  title: 'Accedi',
  emailLabel: 'Indirizzo email',
  sendCode: 'Inviami un codice',
  codeSentTo: (email) => `Abbiamo inviato un codice e un link di accesso all’indirizzo ${email}.`,
  codeSentRecently: (email) =>
    `Abbiamo appena inviato un codice all’indirizzo ${email}. Inseriscilo o richiedine uno nuovo allo scadere del timer.`,
  codeLabel: 'Codice ricevuto via email',
  verifyCode: 'Accedi',
  resend: 'Invia di nuovo il codice',
  resendIn: (n) => `Invia di nuovo tra ${n} s`,
  resendReady: 'Ora puoi richiedere un nuovo codice.',
  changeEmail: 'Usa un altro indirizzo email',
  linkTitle: 'Continua l’accesso',
  linkExplain: 'Hai aperto un link di accesso. Continua per accedere su questo dispositivo.',
  linkExplainFor: (email) => `Hai aperto un link di accesso per ${email}. Continua per accedere su questo dispositivo.`,
  linkUsedSignedIn: (email) => `Questo link di accesso non può più essere usato. Hai ancora eseguito l’accesso come ${email}.`,
  linkContinue: 'Continua l’accesso',
  linkFailed: 'Inserisci il tuo indirizzo email per ricevere un nuovo codice e un nuovo link di accesso.',
  signingIn: 'Accesso in corso…',
  signedInTitle: 'Accesso effettuato',
  signedInAs: (email) => `Hai eseguito l’accesso come ${email}.`,
  signOut: 'Esci',
  backToEmail: 'Accedi con la tua email',
  back: 'Indietro',
  networkError: 'Impossibile raggiungere il servizio di accesso. Controlla la connessione e riprova.',
  errors: {
    invalid_request: unavailable,
    unsupported_media_type: unavailable,
    payload_too_large: unavailable,
    invalid_email: 'Inserisci un indirizzo email valido.',
    invalid_redirect: 'Questa pagina non è autorizzata a ricevere link di accesso.',
    rate_limited: (e) =>
      e.retryAfter ? `Troppe richieste. Riprova tra ${seconds(e.retryAfter)}.` : 'Troppe richieste. Riprova più tardi.',
    mail_busy: (e) => `Il servizio è occupato e non può inviare il codice ora. Riprova tra ${e.retryAfter} s.`,
    invalid_code: (e) =>
      e.attemptsLeft === undefined
        ? 'Codice errato.'
        : e.attemptsLeft === 1
          ? 'Codice errato. Ti resta 1 tentativo.'
          : `Codice errato. Ti restano ${e.attemptsLeft} tentativi.`,
    expired_code: 'Questo codice o link è scaduto. Richiedine uno nuovo.',
    too_many_attempts: 'Troppi codici errati. Richiedi un nuovo codice.',
    invalid_link: 'Questo link di accesso non è più valido. Potrebbe essere già stato usato.',
    unauthenticated: 'La sessione è scaduta. Accedi di nuovo.',
    forbidden_origin:
      'Questo sito non è autorizzato a usare questo servizio di accesso. Il proprietario deve aggiungerlo ad ALLOWED_ORIGINS.',
    not_found: unavailable,
    method_not_allowed: unavailable,
    internal_error: unavailable,
  },
};

export default messages;
