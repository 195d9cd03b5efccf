/** The command menu Telegram shows, in Korean (everyone) and English (users whose app is in English). */
import type { Locale } from './parse.js';

export interface MenuCommand {
  readonly command: string;
  readonly description: string;
}

const MENU: readonly (readonly [command: string, ko: string, en: string])[] = [
  ['subscribe', '스트리머 알림 시작: /subscribe <아이디> [키워드…]', 'Start alerts: /subscribe <streamer> [keywords…]'],
  ['unsubscribe', '알림 끄기: /unsubscribe <아이디>', 'Stop alerts: /unsubscribe <streamer>'],
  ['list', '이 채팅의 구독 목록 (버튼으로 멈춤/끄기)', 'What this chat watches (with buttons)'],
  ['keywords', '키워드 추가/삭제/보기', 'Add, remove or list keywords'],
  ['minballoons', '알릴 최소 풍선 수', 'Minimum balloons to alert'],
  ['pause', '알림 잠시 멈춤', 'Pause alerts'],
  ['resume', '알림 다시 시작', 'Resume alerts'],
  ['status', '스트리머 상태와 알림이 오지 않는 이유', 'Stream state, and why nothing arrives'],
  ['test', '테스트 알림 보내기', 'Send a test alert'],
  ['help', '도움말', 'Help'],
];

export function menuCommands(locale: Locale): MenuCommand[] {
  return MENU.map(([command, ko, en]) => ({ command, description: locale === 'en' ? en : ko }));
}
