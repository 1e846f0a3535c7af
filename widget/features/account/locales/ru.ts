import type { AccountMessages } from '../messages.ts';

const messages: AccountMessages = {
  account: 'Аккаунт',
  changeEmail: 'Сменить адрес почты',
  newEmailLabel: 'Новый адрес электронной почты',
  sendCode: 'Получить код по почте',
  codeSentTo: (email) => `Мы отправили код на ${email}. Введите его, чтобы подтвердить новый адрес.`,
  emailChanged: (email) => `Теперь ваш адрес — ${email}.`,
  deleteAccount: 'Удалить аккаунт',
  deleteWarning: 'Аккаунт будет стёрт вместе с ключами доступа, а вы выйдете на всех устройствах. Отменить это нельзя.',
  sendDeleteCode: 'Отправить мне код',
  deleteCodeSentTo: (email) => `Мы отправили код на ${email}. Введите его, чтобы удалить аккаунт навсегда.`,
  confirmDelete: 'Удалить мой аккаунт',
  cancel: 'Отмена',
  errors: {
    same_email: 'Это и так ваш адрес.',
    email_taken: 'Этот адрес уже принадлежит другому аккаунту. Ничего не изменилось.',
    stale_session: 'Чтобы сменить адрес, выйдите и снова войдите по почте.',
  },
};

export default messages;
