/**
 * What the platforms show of the commands themselves: Discord slash command names, descriptions
 * and options (the Korean client sees the Korean ones), and the Telegram command menu.
 */
import { fixed, type Phrase } from './phrase.js';

/** A Discord command, subcommand or option: its Korean name and its description in both languages. */
export interface SlashText {
  readonly ko: string;
  readonly description: Phrase;
}

const slash = (ko: string, koDescription: string, enDescription: string): SlashText => ({ ko, description: fixed(koDescription, enDescription) });

export const SLASH_COMMANDS = {
  watch: slash('구독', '이 채널에 SOOP 스트리머의 후원과 키워드 채팅 알림을 보냅니다', 'Send this SOOP streamer’s donations and keyword chats to this channel'),
  unwatch: slash('구독해제', '이 채널의 스트리머 알림을 끕니다', 'Stop alerts for a streamer in this channel'),
  watches: slash('구독목록', '이 채널이 구독 중인 스트리머 목록', 'List the streamers watched in this channel'),
  keywords: slash('키워드', '구독의 키워드를 추가·삭제·확인합니다', 'Add, remove or list the keywords of a subscription'),
  pause: slash('일시정지', '이 채널의 알림을 잠시 멈춥니다 (한 스트리머 또는 전체)', 'Pause alerts here (one streamer, or all)'),
  resume: slash('재개', '멈춘 알림을 다시 시작합니다 (한 스트리머 또는 전체)', 'Resume paused alerts here (one streamer, or all)'),
  status: slash('상태', '연결 상태, 마지막 후원, 알림이 오지 않는 이유', 'Connection state, last donation, and why nothing arrives'),
  test: slash('테스트', '이 채널에 테스트 알림을 보냅니다', 'Send a test alert to this channel'),
  settings: slash('설정', '이 채널의 알림 설정', 'Settings of the alerts in this channel'),
  help: slash('도움말', '봇 사용법', 'How to use this bot'),
} as const;

export const SLASH_SUBCOMMANDS = {
  keywordsAdd: slash('추가', '키워드 추가', 'Add keywords'),
  keywordsRemove: slash('삭제', '키워드 삭제', 'Remove keywords'),
  keywordsList: slash('목록', '키워드 보기', 'Show the keywords'),
  settingsLanguage: slash('언어', '이 채널의 알림 언어 (비워 두면 지금 언어를 보여 줍니다)', 'The language of the alerts in this channel (leave empty to see it)'),
} as const;

export const SLASH_OPTIONS = {
  streamer: slash('스트리머', 'SOOP 스트리머 아이디 (또는 방송국 주소)', 'SOOP streamer id (or station URL)'),
  watchedStreamer: slash('스트리머', '이 채널이 구독 중인 스트리머', 'A streamer this channel watches'),
  words: slash('단어', '키워드 (쉼표로 구분)', 'Keywords, separated by commas'),
  keywords: slash('키워드', '이 단어가 들어간 채팅도 알림 (쉼표로 구분)', 'Also relay chats containing these words (comma separated)'),
  minBalloons: slash('최소풍선', '이 개수 이상의 후원만 알림', 'Only gifts of at least this many balloons'),
  events: slash(
    '이벤트',
    '받을 알림: 별풍선, 애드벌룬, 영상풍선, 구독, 미션, 방송시작, 방송종료, 채팅 (또는 전체)',
    'Which alerts: star, ad, video, subscription, mission, live, offline, chat (or all)',
  ),
  mentionRole: slash('멘션역할', '큰 후원 때 멘션할 역할 (알림기준 참고)', 'Role to mention on big gifts (see loud_above)'),
  loudAbove: slash('알림기준', '이 개수 이상이면 역할을 멘션', 'From this many balloons, mention the role'),
  server: slash('서버전체', '이 서버의 모든 채널 보기', 'List every channel of this server'),
  language: slash('언어', '알림 언어', 'Alert language'),
} as const;

/** The choices of the language option, each named in its own language. */
export const LANGUAGE_CHOICES = [
  { value: 'ko', name: 'Korean', ko: '한국어' },
  { value: 'en', name: 'English', ko: '영어' },
] as const;

/** The Telegram command menu (setMyCommands), in the order shown. */
export const TELEGRAM_MENU: readonly (readonly [command: string, description: Phrase])[] = [
  ['subscribe', fixed('스트리머 알림 시작: /subscribe <아이디> [키워드…]', 'Start alerts: /subscribe <streamer> [keywords…]')],
  ['unsubscribe', fixed('알림 끄기: /unsubscribe <아이디>', 'Stop alerts: /unsubscribe <streamer>')],
  ['list', fixed('이 채팅의 구독 목록 (버튼으로 멈춤/끄기)', 'What this chat watches (with buttons)')],
  ['keywords', fixed('키워드 추가/삭제/보기', 'Add, remove or list keywords')],
  ['minballoons', fixed('알릴 최소 풍선 수', 'Minimum balloons to alert')],
  ['pause', fixed('알림 잠시 멈춤', 'Pause alerts')],
  ['resume', fixed('알림 다시 시작', 'Resume alerts')],
  ['status', fixed('스트리머 상태와 알림이 오지 않는 이유', 'Stream state, and why nothing arrives')],
  ['language', fixed('이 채팅의 알림 언어: /language ko|en', 'Alert language of this chat: /language ko|en')],
  ['test', fixed('테스트 알림 보내기', 'Send a test alert')],
  ['help', fixed('도움말', 'Help')],
];
