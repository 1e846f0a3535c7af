import type { Messages } from '../messages.ts';

const plural = new Intl.PluralRules('ru');
/** The form for `n` among one (1, 21), few (2–4, 22) and many (5–20, 25); `other` for fractions. */
const pick = (n: number, forms: Partial<Record<Intl.LDMLPluralRule, string>>, other: string) =>
  forms[plural.select(n)] ?? other;
/** "через 1 секунду / 2 секунды / 5 секунд": the accusative after "через". */
const seconds = (n: number) => `${n} ${pick(n, { one: 'секунду', few: 'секунды', many: 'секунд' }, 'секунды')}`;
const attemptsLeft = (n: number) =>
  pick(n, { one: `Осталась ${n} попытка`, few: `Осталось ${n} попытки`, many: `Осталось ${n} попыток` }, `Осталось попыток: ${n}`);
const unavailable = 'Служба входа не смогла обработать этот запрос. Попробуйте позже.';

const messages: Messages = {
  title: 'Вход',
  emailLabel: 'Электронная почта',
  sendCode: 'Получить код по почте',
  codeSentTo: (email) => `Мы отправили код и ссылку для входа на ${email}.`,
  codeSentRecently: (email) => `Код на ${email} только что был отправлен. Введите его или запросите новый, когда истечёт таймер.`,
  codeLabel: 'Код из письма',
  verifyCode: 'Войти',
  resend: 'Отправить код повторно',
  resendIn: (n) => `Повторная отправка через ${n} с`,
  resendReady: 'Теперь можно запросить новый код.',
  changeEmail: 'Указать другой адрес',
  linkTitle: 'Продолжить вход',
  linkExplain: 'Вы открыли ссылку для входа. Продолжите, чтобы войти на этом устройстве.',
  linkExplainFor: (email) => `Вы открыли ссылку для входа в аккаунт ${email}. Продолжите, чтобы войти на этом устройстве.`,
  linkUsedSignedIn: (email) => `Эту ссылку для входа больше нельзя использовать. Вы по-прежнему вошли как ${email}.`,
  linkContinue: 'Продолжить вход',
  linkFailed: 'Введите адрес электронной почты, чтобы получить новый код и ссылку для входа.',
  signingIn: 'Выполняется вход…',
  signedInTitle: 'Вход выполнен',
  signedInAs: (email) => `Вы вошли как ${email}.`,
  signOut: 'Выйти',
  backToEmail: 'Войти по электронной почте',
  back: 'Назад',
  networkError: 'Не удалось связаться со службой входа. Проверьте подключение к интернету и попробуйте ещё раз.',
  errors: {
    invalid_request: unavailable,
    unsupported_media_type: unavailable,
    payload_too_large: unavailable,
    invalid_email: 'Введите корректный адрес электронной почты.',
    invalid_redirect: 'Этой странице не разрешено получать ссылки для входа.',
    rate_limited: (e) =>
      e.retryAfter
        ? `Слишком много запросов. Повторите попытку через ${seconds(e.retryAfter)}.`
        : 'Слишком много запросов. Повторите попытку позже.',
    mail_busy: (e) => `Сервис перегружен. Повторите попытку через ${e.retryAfter} с.`,
    invalid_code: (e) =>
      e.attemptsLeft === undefined ? 'Неверный код.' : `Неверный код. ${attemptsLeft(e.attemptsLeft)}.`,
    expired_code: 'Срок действия кода или ссылки истёк. Запросите новый код.',
    too_many_attempts: 'Слишком много неверных кодов. Запросите новый код.',
    invalid_link: 'Эта ссылка для входа больше не действует. Возможно, ею уже воспользовались.',
    unauthenticated: 'Сеанс завершён. Войдите снова.',
    forbidden_origin:
      'Этому сайту не разрешено использовать эту службу входа. Владелец сайта должен добавить его в ALLOWED_ORIGINS.',
    not_found: unavailable,
    method_not_allowed: unavailable,
    internal_error: unavailable,
  },
};

export default messages;
