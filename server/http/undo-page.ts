/**
 * The page the old address's undo link lands on (`GET <base>/account/email/undo#token=…`): what
 * the link does, and a button. The GET changes nothing (mail scanners open links to look at
 * them); the button POSTs the token, read from the fragment (which browsers never send), to
 * `POST <base>/account/email/undo`, and the page says what came of it. Under the strict CSP: no
 * inline script or style, its script is `<base>/account/email/undo.js` (same origin), its look
 * the pages' stylesheet, and its sentences travel as `data-` attributes.
 *
 * In the language the browser asks for (Accept-Language, among the 12 locales), as the link page.
 */
import type { Middleware } from 'koa';
import { AccountPath } from '../../contract/account.ts';
import { RTL_LOCALES, type Locale } from '../../contract/index.ts';
import { escapeHtml } from '../mail/render.ts';
import { servePerLocale } from './page-locale.ts';

export interface UndoPageOptions {
  /** The API's base path: the script POSTs to `<base>/account/email/undo`. */
  apiBase: string;
  stylesheetUrl: string;
}

/** The page's script, beside the page. */
export const UNDO_SCRIPT_PATH = '/account/email/undo.js';

interface UndoWords {
  title: string;
  intro: string;
  button: string;
  /** `{email}` stands for the address restored. */
  done: string;
  invalid: string;
  taken: string;
  failed: string;
}

const WORDS: Record<Locale, UndoWords> = {
  en: { title: 'Undo the change of address', intro: 'The address of your account was changed. If you did not make this change, undo it: your account gets this address back and every session of it ends.', button: 'Undo the change', done: 'Done: your account has its address {email} back, and every session ended. Sign in again with it.', invalid: 'This link is not valid, has expired or was already used.', taken: 'The old address belongs to another account now, so the change cannot be undone.', failed: 'Something went wrong. Try again in a moment.' },
  'zh-CN': { title: '撤销邮箱地址更改', intro: '您账户的地址已被更改。如果这不是您本人的更改，请撤销：您的账户将恢复为此地址，并结束其所有会话。', button: '撤销更改', done: '完成：您的账户已恢复地址 {email}，所有会话均已结束。请用该地址重新登录。', invalid: '此链接无效、已过期或已被使用。', taken: '旧地址现在属于另一个账户，因此无法撤销更改。', failed: '出了点问题，请稍后再试。' },
  'zh-TW': { title: '復原電子郵件地址變更', intro: '你帳戶的地址已被變更。如果這不是你本人的變更，請復原：你的帳戶將恢復為此地址，並結束其所有工作階段。', button: '復原變更', done: '完成：你的帳戶已恢復地址 {email}，所有工作階段均已結束。請用該地址重新登入。', invalid: '此連結無效、已過期或已被使用。', taken: '舊地址現在屬於另一個帳戶，因此無法復原變更。', failed: '發生問題，請稍後再試。' },
  ja: { title: 'アドレス変更の取り消し', intro: 'アカウントのアドレスが変更されました。ご自身の変更でなければ取り消してください。アカウントはこのアドレスに戻り、すべてのセッションが終了します。', button: '変更を取り消す', done: '完了しました。アカウントのアドレスは {email} に戻り、すべてのセッションが終了しました。このアドレスでもう一度サインインしてください。', invalid: 'このリンクは無効か、期限切れか、すでに使われています。', taken: '元のアドレスは現在別のアカウントのものなので、変更を取り消せません。', failed: '問題が発生しました。しばらくしてからもう一度お試しください。' },
  ko: { title: '주소 변경 취소', intro: '계정 주소가 변경되었습니다. 직접 변경하지 않았다면 취소하세요. 계정이 이 주소로 돌아오고 모든 세션이 종료됩니다.', button: '변경 취소', done: '완료: 계정 주소가 {email}(으)로 돌아왔고 모든 세션이 종료되었습니다. 이 주소로 다시 로그인하세요.', invalid: '이 링크는 유효하지 않거나 만료되었거나 이미 사용되었습니다.', taken: '이전 주소는 이제 다른 계정의 것이므로 변경을 취소할 수 없습니다.', failed: '문제가 발생했습니다. 잠시 후 다시 시도하세요.' },
  es: { title: 'Deshacer el cambio de dirección', intro: 'Se cambió la dirección de tu cuenta. Si no hiciste este cambio, deshazlo: tu cuenta recupera esta dirección y se cierran todas sus sesiones.', button: 'Deshacer el cambio', done: 'Listo: tu cuenta vuelve a tener la dirección {email} y se cerraron todas las sesiones. Inicia sesión de nuevo con ella.', invalid: 'Este enlace no es válido, ha caducado o ya se usó.', taken: 'La dirección anterior pertenece ahora a otra cuenta, así que el cambio no se puede deshacer.', failed: 'Algo salió mal. Inténtalo de nuevo en un momento.' },
  fr: { title: 'Annuler le changement d’adresse', intro: 'L’adresse de votre compte a été modifiée. Si vous n’êtes pas à l’origine de cette modification, annulez-la : votre compte retrouve cette adresse et toutes ses sessions prennent fin.', button: 'Annuler la modification', done: 'C’est fait : votre compte a retrouvé l’adresse {email} et toutes les sessions ont pris fin. Reconnectez-vous avec elle.', invalid: 'Ce lien n’est pas valide, a expiré ou a déjà été utilisé.', taken: 'L’ancienne adresse appartient maintenant à un autre compte : la modification ne peut pas être annulée.', failed: 'Un problème est survenu. Réessayez dans un instant.' },
  de: { title: 'Adressänderung rückgängig machen', intro: 'Die Adresse Ihres Kontos wurde geändert. Wenn Sie das nicht waren, machen Sie es rückgängig: Ihr Konto erhält diese Adresse zurück, und alle seine Sitzungen werden beendet.', button: 'Änderung rückgängig machen', done: 'Erledigt: Ihr Konto hat wieder die Adresse {email}, und alle Sitzungen wurden beendet. Melden Sie sich damit erneut an.', invalid: 'Dieser Link ist ungültig, abgelaufen oder wurde bereits verwendet.', taken: 'Die alte Adresse gehört jetzt zu einem anderen Konto, daher lässt sich die Änderung nicht rückgängig machen.', failed: 'Etwas ist schiefgelaufen. Versuchen Sie es gleich noch einmal.' },
  pt: { title: 'Desfazer a alteração de endereço', intro: 'O endereço da sua conta foi alterado. Se não foi você, desfaça: a sua conta volta a ter este endereço e todas as sessões dela são encerradas.', button: 'Desfazer a alteração', done: 'Pronto: a sua conta voltou a ter o endereço {email} e todas as sessões foram encerradas. Entre novamente com ele.', invalid: 'Este link não é válido, expirou ou já foi usado.', taken: 'O endereço antigo agora pertence a outra conta, então a alteração não pode ser desfeita.', failed: 'Algo deu errado. Tente novamente em instantes.' },
  it: { title: 'Annulla il cambio di indirizzo', intro: 'L’indirizzo del tuo account è stato cambiato. Se non sei stato tu, annulla la modifica: il tuo account torna a questo indirizzo e tutte le sue sessioni vengono chiuse.', button: 'Annulla la modifica', done: 'Fatto: il tuo account ha di nuovo l’indirizzo {email} e tutte le sessioni sono state chiuse. Accedi di nuovo con questo indirizzo.', invalid: 'Questo link non è valido, è scaduto o è già stato usato.', taken: 'Il vecchio indirizzo ora appartiene a un altro account, quindi la modifica non può essere annullata.', failed: 'Qualcosa è andato storto. Riprova tra un momento.' },
  ru: { title: 'Отмена смены адреса', intro: 'Адрес вашего аккаунта изменён. Если это сделали не вы, отмените изменение: аккаунту вернётся этот адрес, а все его сеансы завершатся.', button: 'Отменить изменение', done: 'Готово: аккаунту возвращён адрес {email}, все сеансы завершены. Войдите снова с этим адресом.', invalid: 'Ссылка недействительна, устарела или уже использована.', taken: 'Старый адрес теперь принадлежит другому аккаунту, поэтому изменение нельзя отменить.', failed: 'Что-то пошло не так. Попробуйте ещё раз чуть позже.' },
  ar: { title: 'التراجع عن تغيير العنوان', intro: 'تم تغيير عنوان حسابك. إذا لم تُجرِ هذا التغيير، فتراجع عنه: سيستعيد حسابك هذا العنوان وتنتهي كل جلساته.', button: 'تراجع عن التغيير', done: 'تم: استعاد حسابك العنوان {email} وانتهت كل الجلسات. سجّل الدخول به مجددًا.', invalid: 'هذا الرابط غير صالح أو منتهي الصلاحية أو استُخدم من قبل.', taken: 'العنوان القديم يخص حسابًا آخر الآن، لذلك لا يمكن التراجع عن التغيير.', failed: 'حدث خطأ ما. حاول مرة أخرى بعد قليل.' },
};

/** The page's script: reads the token from the fragment, POSTs it on the button, says the outcome. */
export const UNDO_SCRIPT = `(() => {
  const main = document.querySelector('main[data-api]');
  const button = document.getElementById('undo');
  const status = document.getElementById('status');
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const say = (text) => { status.textContent = text; };
  if (!token) { button.disabled = true; say(main.dataset.invalid); return; }
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const answer = await fetch(main.dataset.api, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) });
      const body = await answer.json().catch(() => ({}));
      if (answer.ok) { history.replaceState(null, '', location.pathname); say(main.dataset.done.replace('{email}', body.email)); return; }
      const code = body.error && body.error.code;
      say(code === 'email_taken' ? main.dataset.taken : code === 'invalid_undo_link' ? main.dataset.invalid : main.dataset.failed);
      if (code !== 'invalid_undo_link' && code !== 'email_taken') button.disabled = false;
    } catch {
      say(main.dataset.failed);
      button.disabled = false;
    }
  });
})();
`;

export function renderUndoPage({ apiBase, stylesheetUrl }: UndoPageOptions, locale: Locale): string {
  const words = WORDS[locale];
  const data = (name: keyof UndoWords) => `data-${name}="${escapeHtml(words[name])}"`;
  return `<!doctype html>
<html lang="${locale}" dir="${RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(words.title)}</title>
<link rel="stylesheet" href="${escapeHtml(stylesheetUrl)}">
<script src="${escapeHtml(apiBase + UNDO_SCRIPT_PATH)}" defer></script>
</head>
<body class="pl-page">
<main class="landing" data-api="${escapeHtml(apiBase + AccountPath.emailChangeUndo)}" ${data('done')} ${data('invalid')} ${data('taken')} ${data('failed')}>
<h1>${escapeHtml(words.title)}</h1>
<p>${escapeHtml(words.intro)}</p>
<p><button type="button" id="undo">${escapeHtml(words.button)}</button></p>
<p id="status" role="status" aria-live="polite"></p>
</main>
</body>
</html>
`;
}

/** The page for each locale, rendered once; and its script. */
export function undoPage(options: UndoPageOptions): Middleware {
  return servePerLocale((locale) => renderUndoPage(options, locale));
}

export const undoScript: Middleware = (ctx) => {
  ctx.type = 'application/javascript';
  ctx.body = UNDO_SCRIPT;
};
