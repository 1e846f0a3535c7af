import type { PasskeyMessages } from '../messages.ts';

const messages: PasskeyMessages = {
  signInWithPasskey: '패스키로 로그인',
  offer: '다음에는 패스키로 더 빠르게 로그인하세요',
  addPasskey: '패스키 추가',
  notNow: '나중에',
  added: '패스키를 추가했습니다. 다음에는 패스키로 로그인하세요.',
  passkeys: '패스키',
  none: '아직 패스키가 없습니다.',
  created: (date) => `생성일: ${date}`,
  lastUsed: (date) => `마지막 사용일: ${date}`,
  neverUsed: '아직 사용하지 않음',
  synced: '동기화됨',
  thisDevice: '이 기기에만 있음',
  rename: '이름 변경',
  nameLabel: '이름',
  save: '저장',
  cancel: '취소',
  remove: '삭제',
  confirmRemove: (name) => `'${name}'을(를) 삭제할까요? 이 패스키로 더 이상 로그인할 수 없습니다.`,
  removed: '패스키를 삭제했습니다.',
  failed: '이 기기에서 패스키를 사용할 수 없습니다. 다시 시도하거나 이메일로 로그인하세요.',
  exists: '이 기기에 이미 회원님의 패스키가 있습니다.',
  errors: {
    invalid_passkey: '이 패스키를 확인할 수 없습니다. 다시 시도해 주세요.',
    unknown_passkey: '이 패스키는 더 이상 여기에 등록되어 있지 않습니다. 이메일로 로그인하세요.',
    stale_session: '패스키를 추가하려면 최근 10분 이내에 로그인해야 합니다. 로그아웃한 뒤 이메일로 다시 로그인하고 추가하세요.',
    too_many_passkeys: '패스키를 최대 개수만큼 가지고 있습니다. 새로 추가하려면 하나를 삭제하세요.',
  },
};

export default messages;
