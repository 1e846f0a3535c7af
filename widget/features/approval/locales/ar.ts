import type { ApprovalMessages } from '../messages.ts';

const messages: ApprovalMessages = {
  pickThere: (number) => `هل ستفتح الرابط على جهاز آخر؟ اختر ${number} هناك.`,
  wrongPicked: 'اختير رقم خاطئ على الجهاز الآخر، لذا لم يتم تسجيل دخولك. لا يزال الرمز صالحًا.',
  deviceAsked: (device, ago) => `طلب ${device} تسجيل الدخول ${ago}.`,
  linkFor: (email) => `رابط تسجيل الدخول هذا مخصص لـ ${email}.`,
  approveThere: 'تسجيل الدخول على الجهاز الذي طلب',
  signInHere: 'تسجيل الدخول هنا',
  pickPrompt: 'اختر الرقم الذي يعرضه الجهاز الذي طلب.',
  approved: 'تم: سُجّل دخولك على الجهاز الآخر. يمكنك إغلاق هذه الصفحة.',
  approvedTitle: 'تم تسجيل الدخول على الجهاز الآخر',
  errors: {
    invalid_approval: 'لم يعد من الممكن الموافقة على تسجيل الدخول هذا من جهاز آخر. أدخل الرمز بدلًا من ذلك.',
    approval_refused: 'هذا ليس الرقم الذي يعرضه الجهاز الآخر، لذا لم يُسجَّل دخوله. لا يزال بإمكانك تسجيل الدخول هنا.',
    approval_not_waiting: 'توقف الجهاز الآخر عن الانتظار. لا يزال بإمكانك تسجيل الدخول هنا.',
  },
};

export default messages;
