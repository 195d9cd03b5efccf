/** Reply texts in Korean (default) and English. Plain text: adapters escape it for their platform. */
import type { AlertKind, Locale } from '../store/types.js';

const KIND_NAMES: Record<Locale, Record<AlertKind, string>> = {
  ko: { star: '별풍선', ad: '애드벌룬', video: '영상풍선', subscription: '구독', mission: '미션', live: '방송 시작', offline: '방송 종료', chat: '키워드 채팅' },
  en: { star: 'star balloons', ad: 'ad balloons', video: 'video balloons', subscription: 'subscriptions', mission: 'missions', live: 'stream start', offline: 'stream end', chat: 'keyword chats' },
};

export function kindNames(locale: Locale, kinds: readonly AlertKind[]): string {
  return kinds.map((k) => KIND_NAMES[locale][k]).join(', ');
}

export const STATE_TEXT: Record<Locale, Record<string, string>> = {
  ko: {
    live: '방송 중',
    password: '비밀번호 방송 중 (채팅을 읽을 수 없음)',
    offline: '방송 중 아님 (또는 없는 스트리머)',
    adult: '19세 방송: 로그인이 필요해 채팅을 읽을 수 없음',
    adultPassword: '19세 + 비밀번호 방송: 채팅을 읽을 수 없음',
    subscribersOnly: '구독자 전용 방송: 채팅을 읽을 수 없음',
    unknown: '알 수 없는 상태',
    starting: '시작 중',
    checking: '방송 상태 확인 중',
    restricted: '제한된 방송 (채팅을 읽을 수 없음)',
    connecting: '채팅 서버 연결 중',
    joined: '채팅 수신 중',
    reconnecting: '재연결 대기 중',
    ended: '방송 종료됨',
    stopped: '중지됨',
  },
  en: {
    live: 'live',
    password: 'live with a password (chat cannot be read)',
    offline: 'offline (or no such streamer)',
    adult: '19+ stream: needs a login, chat cannot be read',
    adultPassword: '19+ and password protected: chat cannot be read',
    subscribersOnly: 'subscribers-only stream: chat cannot be read',
    unknown: 'unknown state',
    starting: 'starting',
    checking: 'checking whether the stream is live',
    restricted: 'restricted stream (chat cannot be read)',
    connecting: 'connecting to the chat server',
    joined: 'reading the chat',
    reconnecting: 'waiting to reconnect',
    ended: 'stream ended',
    stopped: 'stopped',
  },
};

export function t(locale: Locale, ko: string, en: string): string {
  return locale === 'en' ? en : ko;
}

export function formatTime(locale: Locale, epochMs: number | undefined): string {
  if (epochMs === undefined) return t(locale, '없음', 'never');
  return new Date(epochMs).toLocaleString(locale === 'en' ? 'en-GB' : 'ko-KR', { timeZone: 'Asia/Seoul' }) + ' KST';
}
