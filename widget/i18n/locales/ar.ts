import type { Messages } from '../messages.ts';

const plural = new Intl.PluralRules('ar');
/** The form for `n` among zero, one, two, few (3–10, 103…) and many (11–99); `other` for 100, 1000… */
const pick = (n: number, forms: Partial<Record<Intl.LDMLPluralRule, string>>, other: string) =>
  forms[plural.select(n)] ?? other;
/** After "بعد": ثانية واحدة، ثانيتين، 3–10 ثوانٍ، 11 ثانية فأكثر. */
const seconds = (n: number) => pick(n, { one: 'ثانية واحدة', two: 'ثانيتين', few: `${n} ثوانٍ` }, `${n} ثانية`);
const attemptsLeft = (n: number) =>
  pick(
    n,
    { zero: 'لم تتبقَّ أي محاولات', one: 'تبقّت محاولة واحدة', two: 'تبقّت محاولتان', few: `تبقّت ${n} محاولات` },
    `تبقّت ${n} محاولة`,
  );
const unavailable = 'تعذّر على خدمة تسجيل الدخول معالجة هذا الطلب. يُرجى المحاولة لاحقًا.';

const messages: Messages = {
  title: 'تسجيل الدخول',
  emailLabel: 'البريد الإلكتروني',
  sendCode: 'إرسال رمز إلى بريدي',
  codeSentTo: (email) => `أرسلنا رمزًا ورابط تسجيل دخول إلى ${email}.`,
  codeSentRecently: (email) => `أُرسل رمز إلى ${email} قبل لحظات. أدخله، أو اطلب رمزًا جديدًا عند انتهاء العدّ التنازلي.`,
  codeLabel: 'الرمز الوارد في الرسالة',
  verifyCode: 'تسجيل الدخول',
  resend: 'إعادة إرسال الرمز',
  resendIn: (n) => `إعادة الإرسال بعد ${n} ث`,
  resendReady: 'يمكنك الآن طلب رمز جديد.',
  changeEmail: 'استخدام بريد إلكتروني آخر',
  linkTitle: 'متابعة تسجيل الدخول',
  linkExplain: 'لقد فتحت رابط تسجيل الدخول. تابِع لتسجيل الدخول على هذا الجهاز.',
  linkExplainFor: (email) => `لقد فتحت رابط تسجيل الدخول لـ ${email}. تابِع لتسجيل الدخول على هذا الجهاز.`,
  linkUsedSignedIn: (email) => `لم يعد بالإمكان استخدام رابط تسجيل الدخول هذا. ما زلت مسجّل الدخول باسم ${email}.`,
  linkContinue: 'متابعة تسجيل الدخول',
  linkFailed: 'أدخل بريدك الإلكتروني للحصول على رمز ورابط تسجيل دخول جديدين.',
  signingIn: 'جارٍ تسجيل الدخول…',
  signedInTitle: 'تم تسجيل الدخول',
  signedInAs: (email) => `تم تسجيل دخولك باسم ${email}.`,
  signOut: 'تسجيل الخروج',
  backToEmail: 'تسجيل الدخول بالبريد الإلكتروني',
  back: 'رجوع',
  networkError: 'تعذّر الاتصال بخدمة تسجيل الدخول. تحقّق من اتصالك بالإنترنت وحاول مرة أخرى.',
  errors: {
    invalid_request: unavailable,
    unsupported_media_type: unavailable,
    payload_too_large: unavailable,
    invalid_email: 'يُرجى إدخال عنوان بريد إلكتروني صالح.',
    invalid_redirect: 'لا يُسمح لهذه الصفحة باستقبال روابط تسجيل الدخول.',
    rate_limited: (e) =>
      e.retryAfter
        ? `طلبات كثيرة جدًا. حاول مرة أخرى بعد ${seconds(e.retryAfter)}.`
        : 'طلبات كثيرة جدًا. حاول مرة أخرى لاحقًا.',
    mail_busy: (e) => `الخدمة مشغولة ولا يمكنها إرسال الرمز الآن. حاول مرة أخرى بعد ${e.retryAfter} ث.`,
    invalid_code: (e) =>
      e.attemptsLeft === undefined ? 'الرمز غير صحيح.' : `الرمز غير صحيح. ${attemptsLeft(e.attemptsLeft)}.`,
    expired_code: 'انتهت صلاحية هذا الرمز أو الرابط. يُرجى طلب رمز جديد.',
    too_many_attempts: 'أُدخلت رموز خاطئة مرات كثيرة. يُرجى طلب رمز جديد.',
    invalid_link: 'رابط تسجيل الدخول هذا لم يعد صالحًا، وربما استُخدم من قبل.',
    unauthenticated: 'انتهت جلستك. يُرجى تسجيل الدخول مرة أخرى.',
    forbidden_origin:
      'لا يُسمح لهذا الموقع باستخدام خدمة تسجيل الدخول هذه. على مالك الموقع إضافته إلى ALLOWED_ORIGINS.',
    not_found: unavailable,
    method_not_allowed: unavailable,
    internal_error: unavailable,
  },
};

export default messages;
