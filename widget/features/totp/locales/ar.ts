import type { TotpMessages } from '../messages.ts';

/** A date is left to right in some calendars: isolate it so it keeps its place in a right-to-left sentence. */
const isolate = (text: string) => `\u2068${text}\u2069`;

const messages: TotpMessages = {
  secondStepTitle: 'التحقق بخطوتين',
  enterCode: 'أدخل الرمز الظاهر في تطبيق المصادقة.',
  appCodeLabel: 'رمز من 6 أرقام',
  verify: 'تحقّق',
  useRecoveryCode: 'استخدام رمز استرداد',
  useApp: 'استخدام تطبيق المصادقة',
  recoveryLabel: 'رمز الاسترداد',
  twoStep: 'التحقق بخطوتين',
  offWhy: 'طلب رمز من تطبيق المصادقة بعد كل تسجيل دخول بالبريد.',
  turnOn: 'تفعيل',
  scan: 'امسح رمز QR هذا بتطبيق المصادقة، أو أدخل المفتاح.',
  qrLabel: 'رمز QR للتطبيق',
  secretLabel: 'المفتاح',
  copy: 'نسخ المفتاح',
  copied: 'تم نسخ المفتاح.',
  confirmCode: 'ثم أدخل الرمز الذي يعرضه التطبيق.',
  cancel: 'إلغاء',
  codesTitle: 'رموز الاسترداد',
  codesWhy: 'كل رمز لتسجيل دخول واحد دون التطبيق. احفظها: لن تُعرض إلا الآن.',
  download: 'تنزيل كملف نصي',
  saved: 'لقد حفظتها',
  onSince: (date) => `مفعّل منذ ${isolate(date)}.`,
  codesLeft: (count) => `رموز الاسترداد المتبقية: ${count}.`,
  turnOff: 'إيقاف',
  newCodes: 'رموز استرداد جديدة',
  proveIt: 'أدخل رمزًا من تطبيقك، أو رمز استرداد.',
  turnedOff: 'تم إيقاف التحقق بخطوتين.',
  errors: {
    second_factor_required: 'يلزم رمز من تطبيق المصادقة، ولا تستطيع هذه الصفحة طلبه (يلزم https).',
    second_factor_setup_required: 'يطلب الموقع التحقق بخطوتين، ولم يُعدّ بعد.',
    invalid_second_factor: 'استغرق ذلك وقتًا طويلًا. يُرجى تسجيل الدخول مجددًا.',
    totp_already_enabled: 'التحقق بخطوتين مفعّل بالفعل.',
    totp_not_enabled: 'التحقق بخطوتين متوقف بالفعل.',
    invalid_totp_setup: 'انتهت صلاحية هذا الإعداد. يُرجى البدء من جديد.',
    stale_session: 'حفاظًا على أمانك، سجّل الدخول من جديد أولًا: يلزم دخول خلال آخر 10 دقائق.',
  },
};

export default messages;
