import type { Messages } from '../messages.ts';

// A no-break space between a number and its unit; in French 0 and 1 take the singular.
const seconds = (n: number) => (n < 2 ? `${n}\u00a0seconde` : `${n}\u00a0secondes`);
const unavailable = 'Le service de connexion n’a pas pu traiter cette demande. Veuillez réessayer plus tard.';

const messages: Messages = {
  title: 'Connexion',
  emailLabel: 'Adresse e-mail',
  sendCode: 'Recevoir un code par e-mail',
  codeSentTo: (email) => `Nous avons envoyé un code et un lien de connexion à ${email}.`,
  codeSentRecently: (email) =>
    `Un code vient d’être envoyé à ${email}. Saisissez-le, ou demandez-en un nouveau à la fin du compte à rebours.`,
  codeLabel: 'Code reçu par e-mail',
  verifyCode: 'Se connecter',
  resend: 'Renvoyer le code',
  resendIn: (n) => `Renvoyer le code dans ${n}\u00a0s`,
  resendReady: 'Vous pouvez maintenant demander un nouveau code.',
  changeEmail: 'Utiliser une autre adresse e-mail',
  linkTitle: 'Poursuivre la connexion',
  linkExplain: 'Vous avez ouvert un lien de connexion. Continuez pour vous connecter sur cet appareil.',
  linkExplainFor: (email) => `Vous avez ouvert un lien de connexion pour ${email}. Continuez pour vous connecter sur cet appareil.`,
  linkUsedSignedIn: (email) => `Ce lien de connexion ne peut plus être utilisé. Vous utilisez toujours le compte ${email}.`,
  linkContinue: 'Poursuivre la connexion',
  linkFailed: 'Saisissez votre adresse e-mail pour recevoir un nouveau code et un nouveau lien de connexion.',
  signingIn: 'Connexion en cours…',
  // Neither "connecté" nor "connectée": a phrasing that does not assume a gender.
  signedInTitle: 'Session ouverte',
  signedInAs: (email) => `Vous utilisez le compte ${email}.`,
  signOut: 'Se déconnecter',
  backToEmail: 'Se connecter avec votre adresse e-mail',
  back: 'Retour',
  networkError: 'Impossible de joindre le service de connexion. Vérifiez votre connexion Internet et réessayez.',
  errors: {
    invalid_request: unavailable,
    unsupported_media_type: unavailable,
    payload_too_large: unavailable,
    invalid_email: 'Veuillez saisir une adresse e-mail valide.',
    invalid_redirect: 'Cette page n’est pas autorisée à recevoir des liens de connexion.',
    rate_limited: (e) =>
      e.retryAfter ? `Trop de demandes. Réessayez dans ${seconds(e.retryAfter)}.` : 'Trop de demandes. Réessayez plus tard.',
    mail_busy: (e) => `Le service est occupé et ne peut pas envoyer de code pour l’instant. Réessayez dans ${e.retryAfter}\u00a0s.`,
    invalid_code: (e) =>
      e.attemptsLeft === undefined
        ? 'Code incorrect.'
        : `Code incorrect. Il vous reste ${e.attemptsLeft}\u00a0${e.attemptsLeft < 2 ? 'tentative' : 'tentatives'}.`,
    expired_code: 'Ce code ou ce lien a expiré. Veuillez en demander un nouveau.',
    too_many_attempts: 'Trop de codes incorrects. Veuillez demander un nouveau code.',
    invalid_link: 'Ce lien de connexion n’est plus valide. Il a peut-être déjà été utilisé.',
    unauthenticated: 'Votre session a expiré. Veuillez vous reconnecter.',
    forbidden_origin:
      'Ce site n’est pas autorisé à utiliser ce service de connexion. Son propriétaire doit l’ajouter à ALLOWED_ORIGINS.',
    not_found: unavailable,
    method_not_allowed: unavailable,
    internal_error: unavailable,
  },
};

export default messages;
