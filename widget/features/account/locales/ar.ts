import type { AccountMessages } from '../messages.ts';

const messages: AccountMessages = {
  account: 'الحساب',
  changeEmail: 'تغيير البريد الإلكتروني',
  newEmailLabel: 'عنوان البريد الإلكتروني الجديد',
  sendCode: 'إرسال رمز إلى بريدي',
  codeSentTo: (email) => `أرسلنا رمزًا إلى ${email}. أدخله لتأكيد عنوانك الجديد.`,
  emailChanged: (email) => `عنوانك الآن ${email}.`,
  deleteAccount: 'حذف الحساب',
  deleteWarning: 'سيؤدي هذا إلى محو حسابك ومفاتيح المرور الخاصة به، وتسجيل خروجك من كل الأجهزة. لا يمكن التراجع عن ذلك.',
  sendDeleteCode: 'أرسل إليّ رمزًا',
  deleteCodeSentTo: (email) => `أرسلنا رمزًا إلى ${email}. أدخله لحذف حسابك نهائيًا.`,
  confirmDelete: 'حذف حسابي',
  cancel: 'إلغاء',
  errors: {
    same_email: 'هذا هو عنوانك بالفعل.',
    email_taken: 'أصبح هذا العنوان تابعًا لحساب آخر. لم يتغيّر شيء.',
    stale_session: 'لتغيير عنوانك، سجّل الخروج ثم سجّل الدخول ببريدك الإلكتروني.',
  },
};

export default messages;
