/**
 * Every reply a person reads after typing a command, Korean and English: confirmations, refusals
 * (rendered from a Problem's code and arguments), /status, /help, usage, permissions. Plain text;
 * the platform adapters escape it. Korean replies use Latin letters only for ids, command names,
 * option syntax (min=, loud_above), URLs and the product name; English replies never use Hangul.
 */
import type { Locale } from '../core/locale.js';
import type { Place, Problem, ProblemCode } from '../core/errors.js';
import { fixed, phrase, say, type Phrase } from './phrase.js';

/** Which platform's command names a sentence uses. */
export type CommandPlatform = 'discord' | 'telegram';

/** The platform's name for a command (Discord /watch is Telegram /subscribe, …). */
export function commandName(platform: CommandPlatform, command: 'watch' | 'unwatch' | 'list' | 'settings' | 'resume'): string {
  const names = {
    discord: { watch: '/watch', unwatch: '/unwatch', list: '/watches', settings: '/settings language', resume: '/resume' },
    telegram: { watch: '/subscribe', unwatch: '/unsubscribe', list: '/list', settings: '/language', resume: '/resume' },
  } as const;
  return names[platform][command];
}

const placeKo: Record<Place, string> = { channel: '이 채널', chat: '이 채팅', server: '이 서버', console: '이 콘솔' };
const placeEn: Record<Place, string> = { channel: 'This channel', chat: 'This chat', server: 'This server', console: 'This console' };

/** Korean names of the alert kinds people may type in an event list (parseEvents accepts them). */
const EVENT_NAME_KO: Readonly<Record<string, string>> = {
  star: '별풍선', ad: '애드벌룬', video: '영상풍선', subscription: '구독', mission: '미션', live: '방송시작', offline: '방송종료', chat: '채팅',
};
const eventNamesKo = (known: readonly string[]): string => known.map((k) => EVENT_NAME_KO[k] ?? k).join(', ');

type ProblemPhrases = { readonly [C in ProblemCode]: Phrase<[Extract<Problem, { code: C }>]> };

/** One sentence per refusal code; the mapped type makes a new code without its sentence a type error. */
export const PROBLEMS: ProblemPhrases = {
  STREAMER_ID_INVALID: phrase(
    (p) => `"${p.given}" 는 SOOP 스트리머 아이디가 아닙니다 (영문 소문자, 숫자, _ 로 3–24자).`,
    (p) => `"${p.given}" is not a valid SOOP streamer id (letters, digits and _ only, 3–24 characters).`,
  ),
  KEYWORD_TOO_LONG: phrase(
    (p) => `키워드 "${p.keyword.slice(0, 20)}…" 가 ${p.max}자보다 깁니다.`,
    (p) => `Keyword "${p.keyword.slice(0, 20)}…" is longer than ${p.max} characters.`,
  ),
  KEYWORDS_TOO_MANY: phrase(
    (p) => `구독 하나에 키워드는 ${p.max}개까지입니다.`,
    (p) => `At most ${p.max} keywords per subscription.`,
  ),
  KEYWORDS_MISSING: fixed('키워드를 하나 이상 적어 주세요.', 'Give at least one keyword.'),
  EVENT_UNKNOWN: phrase(
    (p) => `"${p.given}" 는 모르는 알림 종류입니다. 쓸 수 있는 것: ${eventNamesKo(p.known)} (또는 전체).`,
    (p) => `Unknown event "${p.given}". Use: ${p.known.join(', ')} (or all).`,
  ),
  EVENTS_MISSING: phrase(
    (p) => `알림 종류를 하나 이상 적어 주세요: ${eventNamesKo(p.known)}.`,
    (p) => `Name at least one event: ${p.known.join(', ')}.`,
  ),
  COUNT_INVALID: phrase(
    (p) => `${p.option} 는 0부터 ${p.max}까지의 정수여야 합니다.`,
    (p) => `${p.option} must be a whole number from 0 to ${p.max}.`,
  ),
  ENGINE_LIMIT: fixed(
    '이 봇이 볼 수 있는 스트리머 수가 가득 찼습니다. 운영자에게 MAX_ENGINES 를 늘려 달라고 하세요.',
    'This bot is already watching as many streamers as it may; ask the operator to raise MAX_ENGINES.',
  ),
  SUBSCRIPTION_LIMIT: phrase(
    (p) => `${placeKo[p.place]}의 구독 한도(${p.limit}개)가 찼습니다.`,
    (p) => `${placeEn[p.place]} has reached its limit of ${p.limit} subscription${p.limit === 1 ? '' : 's'}.`,
  ),
  SUBSCRIPTION_DUPLICATE: phrase(
    (p) => `${placeKo[p.place]}은 이미 ${p.streamerId} 를 구독하고 있습니다.`,
    (p) => `${placeEn[p.place]} already watches ${p.streamerId}.`,
  ),
  NOT_WATCHED: phrase(
    (p) => `${placeKo[p.place]}은 ${p.streamerId} 를 구독하지 않습니다.`,
    (p) => `${placeEn[p.place]} does not watch ${p.streamerId}.`,
  ),
  NOTHING_WATCHED: phrase(
    (p) => `${placeKo[p.place]}에는 구독 중인 스트리머가 없습니다.`,
    (p) => `${placeEn[p.place]} watches no streamers.`,
  ),
  WATCH_FIRST: fixed('먼저 스트리머를 구독하세요 (/watch 또는 /subscribe).', 'Watch a streamer first (/watch or /subscribe).'),
  LANGUAGE_UNKNOWN: phrase(
    (p) => `"${p.given}" 는 모르는 언어입니다. ko (한국어) 또는 en (영어) 중에서 골라 주세요.`,
    (p) => `Unknown language "${p.given}". Choose ko (Korean) or en (English).`,
  ),
};

/** A refusal in the reader's language. */
export function problemText(locale: Locale, problem: Problem): string {
  const p = PROBLEMS[problem.code] as Phrase<[Problem]>;
  return p[locale](problem);
}

/** Alert and engine states as /watch and /status name them. */
const STATES: Readonly<Record<string, Phrase>> = {
  live: fixed('방송 중', 'live'),
  password: fixed('비밀번호 방송 중 (채팅을 읽을 수 없음)', 'live with a password (chat cannot be read)'),
  offline: fixed('방송 중 아님 (또는 없는 스트리머)', 'offline (or no such streamer)'),
  adult: fixed('19세 방송: 로그인이 필요해 채팅을 읽을 수 없음', '19+ stream: needs a login, chat cannot be read'),
  adultPassword: fixed('19세 + 비밀번호 방송: 채팅을 읽을 수 없음', '19+ and password protected: chat cannot be read'),
  subscribersOnly: fixed('구독자 전용 방송: 채팅을 읽을 수 없음', 'subscribers-only stream: chat cannot be read'),
  unknown: fixed('알 수 없는 상태', 'unknown state'),
  starting: fixed('시작 중', 'starting'),
  checking: fixed('방송 상태 확인 중', 'checking whether the stream is live'),
  restricted: fixed('제한된 방송 (채팅을 읽을 수 없음)', 'restricted stream (chat cannot be read)'),
  connecting: fixed('채팅 서버 연결 중', 'connecting to the chat server'),
  joined: fixed('채팅 수신 중', 'reading the chat'),
  reconnecting: fixed('재연결 대기 중', 'waiting to reconnect'),
  ended: fixed('방송 종료됨', 'stream ended'),
  stopped: fixed('중지됨', 'stopped'),
};

/** A stream or engine state in words; a state without words is named as the unknown state. */
export function stateText(locale: Locale, state: string): string {
  return say(locale, STATES[state] ?? (STATES.unknown as Phrase));
}

/** True when the state has its own words (the rest are shown as "unknown state"). */
export function hasStateText(state: string): boolean {
  return STATES[state] !== undefined;
}

const KIND_NAMES: Readonly<Record<string, Phrase>> = {
  star: fixed('별풍선', 'star balloons'),
  ad: fixed('애드벌룬', 'ad balloons'),
  video: fixed('영상풍선', 'video balloons'),
  subscription: fixed('구독', 'subscriptions'),
  mission: fixed('미션', 'missions'),
  live: fixed('방송 시작', 'stream start'),
  offline: fixed('방송 종료', 'stream end'),
  chat: fixed('키워드 채팅', 'keyword chats'),
};

export function kindNames(locale: Locale, kinds: readonly string[]): string {
  return kinds.map((k) => (KIND_NAMES[k] ? say(locale, KIND_NAMES[k]) : k)).join(', ');
}

const KST_OFFSET_MS = 9 * 3600_000;

/** "2026-12-01 21:05:09" in Korea's time (UTC+9, no daylight saving), by hand: ICU builds differ ("AM" vs "오전"). */
export function formatTime(locale: Locale, epochMs: number | undefined): string {
  if (epochMs === undefined) return say(locale, fixed('없음', 'never'));
  const time = new Date(epochMs + KST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
  return say(locale, phrase((t: string) => `${t} (한국 시간)`, (t: string) => `${t} KST`), time);
}

/** Why a subscription is paused, as stored: the bot's own reasons have words; a platform's own text is shown as it came. */
export const PAUSED_BY_USER = 'paused-by-user';
const PAUSE_REASONS: Readonly<Record<string, Phrase>> = {
  [PAUSED_BY_USER]: fixed('사용자가 멈춤', 'paused by a user'),
  // Reasons stored before they were codes.
  'paused by a user': fixed('사용자가 멈춤', 'paused by a user'),
  '사용자가 멈춤': fixed('사용자가 멈춤', 'paused by a user'),
  'the user blocked the bot': fixed('사용자가 봇을 차단함', 'the user blocked the bot'),
  'the bot was removed from the chat': fixed('봇이 채팅에서 내보내짐', 'the bot was removed from the chat'),
  'the bot left the chat': fixed('봇이 채팅을 나감', 'the bot left the chat'),
  'the channel was deleted': fixed('채널이 삭제됨', 'the channel was deleted'),
};

/**
 * The platforms' refusals as the delivery code words them (src/discord/errors.ts, src/telegram/errors.ts),
 * matched on their stable beginnings. English readers see the reason as stored, detail included.
 */
const PAUSE_REASON_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/^Unknown Channel \(10003\)/, '채널이 삭제되었거나 봇이 찾을 수 없음'],
  [/^Unknown Guild \(10004\)/, '봇이 더 이상 이 서버에 없음'],
  [/^Missing Access \(50001\)/, '봇이 이 채널을 볼 수 없음'],
  [/^Missing Permissions \(50013\)/, '봇에게 이 채널에 글을 쓸 권한이 없음 (채널 보기, 메시지 보내기, 링크 첨부가 필요)'],
  [/^Discord refused to deliver here/, '디스코드가 이곳으로 보내는 것을 거부함'],
  [/^the bot was removed from the group/, '봇이 그룹에서 내보내짐'],
  [/^the bot was removed from the channel/, '봇이 채널에서 내보내짐'],
  [/^the bot is not a member of this chat/, '봇이 이 채팅의 멤버가 아님'],
  [/^the user's Telegram account was deleted/, '사용자의 텔레그램 계정이 삭제됨'],
  [/^the user never started the bot/, '사용자가 봇을 시작한 적이 없음'],
  [/^the chat no longer exists/, '채팅이 더 이상 없음'],
  [/^the bot may not post in this chat/, '봇에게 이 채팅에 글을 쓸 권한이 없음'],
  [/^the group was deleted/, '그룹이 삭제됨'],
  [/^Telegram forbids sending here/, '텔레그램이 이곳으로 보내는 것을 막음'],
  [/^Telegram rejected the message/, '텔레그램이 메시지를 거부함'],
];

export function pauseReasonText(locale: Locale, reason: string): string {
  const known = PAUSE_REASONS[reason];
  if (known) return say(locale, known);
  if (locale === 'en') return reason;
  // A reason without Korean words (a platform's own text): said in general terms; the detail is in the log.
  return PAUSE_REASON_PATTERNS.find(([pattern]) => pattern.test(reason))?.[1] ?? '플랫폼이 전송을 거부함';
}

export const LANGUAGE_NAMES: Readonly<Record<Locale, Phrase>> = {
  ko: fixed('한국어', 'Korean'),
  en: fixed('영어', 'English'),
};

/** Replies of the command service, in the order of the commands. */
export const R = {
  watchStarted: phrase((id: string) => `${id} 알림을 시작합니다.`, (id: string) => `Now watching ${id}.`),
  watchUpdated: phrase((id: string) => `${id} 알림 설정을 바꿨습니다.`, (id: string) => `Updated the alerts for ${id}.`),
  currentState: phrase((state: string) => `현재 상태: ${state}`, (state: string) => `Current state: ${state}`),
  stateWithTitle: phrase((state: string, title: string) => `${state} — ${title}`, (state: string, title: string) => `${state} — ${title}`),
  liveCheckFailed: phrase(
    (_detail: string) => '지금은 방송 상태를 확인하지 못했습니다. 계속 확인합니다.',
    (detail: string) => `could not check the stream right now (${detail}); will keep trying.`,
  ),
  unwatched: phrase((id: string) => `${id} 알림을 껐습니다.`, (id: string) => `Stopped watching ${id}.`),
  listEmpty: phrase(
    (watch: string) => `구독 중인 스트리머가 없습니다. ${watch} 로 추가하세요.`,
    (watch: string) => `No streamers watched here yet. Add one with ${watch}.`,
  ),
  keywordsNone: phrase((id: string) => `${id} 에 등록된 키워드가 없습니다.`, (id: string) => `${id} has no keywords.`),
  keywordsEmptyList: fixed('(키워드 없음)', '(no keywords)'),
  minBalloonsSet: phrase(
    (id: string, n: number) => `${id}: 풍선 ${n}개 이상만 알립니다.`,
    (id: string, n: number) => `${id}: only gifts of ${n} balloons or more.`,
  ),
  paused: phrase((names: string) => `멈췄습니다: ${names}`, (names: string) => `Paused: ${names}`),
  resumed: phrase((names: string) => `다시 시작했습니다: ${names}`, (names: string) => `Resumed: ${names}`),
  statusNoEngine: fixed('이 봇은 지금 이 스트리머를 보고 있지 않습니다.', 'This bot is not watching this streamer right now.'),
  statusState: phrase((state: string, since: string) => `상태: ${state} (${since}부터)`, (state: string, since: string) => `State: ${state} (since ${since})`),
  statusBroadcast: phrase((no: string) => `방송 번호: ${no}`, (no: string) => `Broadcast: ${no}`),
  statusLastChat: phrase((at: string) => `마지막 채팅: ${at}`, (at: string) => `Last chat: ${at}`),
  statusLastDonation: phrase((at: string) => `마지막 후원: ${at}`, (at: string) => `Last donation: ${at}`),
  // The engine's last error is an English technical detail (from SOOP or the network): shown in English only.
  statusReconnects: phrase(
    (n: number, _lastError: string | undefined) => `재연결: ${n}회`,
    (n: number, lastError: string | undefined) => `Reconnects: ${n}${lastError ? ` (${lastError})` : ''}`,
  ),
  statusNode: phrase((node: string, seconds: number) => `노드: ${node} (${seconds}초 전 기준)`, (node: string, seconds: number) => `Node: ${node} (as of ${seconds} s ago)`),
  statusWhyQuiet: phrase((why: string) => `알림이 오지 않는 이유: ${why}`, (why: string) => `Why nothing arrives: ${why}`),
  statusAlertLanguage: phrase((language: string) => `알림 언어: ${language}`, (language: string) => `Alert language: ${language}`),
  testSent: phrase(
    (id: string) => `${id} 테스트 알림을 보냈습니다. 곧 이곳에 나타납니다.`,
    (id: string) => `Sent a test alert for ${id}; it will appear here shortly.`,
  ),
  describeAlerts: phrase((kinds: string) => `알림: ${kinds}`, (kinds: string) => `alerts: ${kinds}`),
  describeMin: phrase((n: number) => `최소 ${n}개`, (n: number) => `min ${n} balloons`),
  describeLoud: phrase((n: number) => `${n}개 이상 알림음`, (n: number) => `loud from ${n}`),
  describeKeywords: phrase((words: string) => `키워드: ${words}`, (words: string) => `keywords: ${words}`),
  describePaused: phrase(
    (reason: string | undefined) => `멈춤${reason ? ` (${reason})` : ''}`,
    (reason: string | undefined) => `paused${reason ? ` (${reason})` : ''}`,
  ),
  whyPaused: phrase(
    (reason: string | undefined, resume: string) => `구독이 멈춰 있습니다${reason ? ` (${reason})` : ''}. ${resume} 으로 다시 시작하세요.`,
    (reason: string | undefined, resume: string) => `the subscription is paused${reason ? ` (${reason})` : ''}; ${resume} it.`,
  ),
  whyOffline: fixed('지금 방송 중이 아닙니다. 방송이 시작되면 자동으로 연결합니다.', 'the stream is offline; the bot connects as soon as it goes live.'),
  whyReconnecting: fixed('채팅 서버에 다시 연결하는 중입니다.', 'the bot is reconnecting to the chat server.'),
  whyHostGone: fixed(
    'SOOP 주소가 옮겨졌거나 더 이상 없습니다. 운영자가 SOOP_LIVE_INFO_URL 설정을 확인해야 합니다 (1분마다 다시 확인).',
    "SOOP's address has moved or no longer exists; the operator needs to check SOOP_LIVE_INFO_URL (checked again every minute).",
  ),
  whyMinBalloons: phrase((n: number) => `${n}개 미만의 후원은 보내지 않습니다.`, (n: number) => `gifts under ${n} balloons are not sent.`),
  languageIs: phrase(
    (language: string, command: string) => `이곳의 알림 언어는 ${language}입니다. 바꾸려면: ${command} ko 또는 en`,
    (language: string, command: string) => `Alerts here are in ${language}. To change it: ${command} ko or en`,
  ),
  languageSet: phrase(
    (language: string, n: number) => `이제 이곳의 알림은 ${language}로 보냅니다 (구독 ${n}개).`,
    (language: string, n: number) => `Alerts here are now sent in ${language} (${n} subscription${n === 1 ? '' : 's'}).`,
  ),
  failed: phrase(
    (code: string) => `처리하지 못했습니다 (${code}). 잠시 후 다시 시도해 주세요.`,
    (code: string) => `Something went wrong (${code}); please try again in a moment.`,
  ),
};

/** /help: the platform's command names. */
export function helpText(locale: Locale, platform: CommandPlatform): string {
  const watch = commandName(platform, 'watch');
  const unwatch = commandName(platform, 'unwatch');
  const list = commandName(platform, 'list');
  const settings = platform === 'discord' ? '/settings language' : '/language';
  if (locale === 'ko') {
    return [
      'SOOP 후원·키워드 알림 봇',
      `${watch} <스트리머> [키워드] — 알림 시작`,
      `${unwatch} <스트리머> — 알림 끄기`,
      `${list} — 구독 목록`,
      `${platform === 'discord' ? '/keywords' : '/keywords <스트리머> 추가|삭제|보기'} — 키워드 추가/삭제/보기`,
      ...(platform === 'telegram' ? ['/minballoons <스트리머> <개수> — 최소 풍선 수'] : []),
      '/pause, /resume — 잠시 멈춤/다시 시작',
      '/status <스트리머> — 상태와 알림이 오지 않는 이유',
      `${settings} ko|en — 이곳의 알림 언어`,
      '/test — 테스트 알림',
    ].join('\n');
  }
  return [
    'SOOP donation & keyword alerts',
    `${watch} <streamer> [keywords] — start alerts`,
    `${unwatch} <streamer> — stop`,
    `${list} — what is watched here`,
    `${platform === 'discord' ? '/keywords' : '/keywords <streamer> add|remove|list'} — add/remove/list keywords`,
    ...(platform === 'telegram' ? ['/minballoons <streamer> <n> — minimum balloons'] : []),
    '/pause, /resume — pause or resume',
    '/status <streamer> — state, and why nothing arrives',
    `${settings} ko|en — the language of the alerts here`,
    '/test — a test alert',
  ].join('\n');
}

/** Replies the Discord adapter gives itself (before or around the command service). */
export const DISCORD = {
  notInGuild: fixed('서버 채널에서 써 주세요.', 'Use this command in a server channel.'),
  unknownCommand: fixed('모르는 명령입니다. 봇이 업데이트 중일 수 있습니다.', 'Unknown command; the bot may be updating.'),
  everyoneRole: fixed('@everyone 말고 다른 역할을 골라 주세요. 아무것도 저장하지 않았습니다.', 'Pick a role other than @everyone. Nothing was saved.'),
  roleNeedsLoudAbove: phrase(
    (role: string) => `${role} 역할은 '알림기준'(loud_above) 개수 이상 후원 때만 멘션됩니다. 기준을 정해 주세요.`,
    (role: string) => `The ${role} role is mentioned only on gifts of at least loud_above balloons; set loud_above to choose.`,
  ),
  roleNotMentionable: phrase(
    (role: string) => `${role} 역할은 멘션할 수 없게 설정되어 있어 알림이 울리지 않습니다. 역할 설정에서 '멘션 허용'을 켜 주세요.`,
    (role: string) => `The ${role} role is not mentionable, so it will not be pinged; allow anyone to @mention it in the role settings.`,
  ),
  notAllowed: phrase(
    (permission: string) => `이 명령은 이 채널에서 '${permission}' 권한이 있는 사람만 쓸 수 있습니다.`,
    (permission: string) => `You need the ${permission} permission in this channel to use this command.`,
  ),
  botMissing: phrase(
    (permissions: string, nothingDone: string) => `봇에게 이 채널 권한이 없습니다: ${permissions}. 채널 설정 → 권한에서 봇(또는 봇 역할)에 허용한 뒤 다시 시도하세요. ${nothingDone}`,
    (permissions: string, nothingDone: string) =>
      `The bot is missing permissions in this channel: ${permissions}. Allow them for the bot (or its role) in the channel settings → Permissions, then try again. ${nothingDone}`,
  ),
  nothingSaved: fixed('아무것도 저장하지 않았습니다.', 'Nothing was saved.'),
  nothingResumed: fixed('다시 시작하지 않았습니다.', 'Nothing was resumed.'),
  noTestSent: fixed('테스트 알림을 보내지 않았습니다.', 'No test alert was sent.'),
  nothingChanged: fixed('아무것도 바꾸지 않았습니다.', 'Nothing was changed.'),
  alertsPausedNotice: phrase(
    (channel: string, n: number, reason: string) => `⚠️ SOOP 알림: ${channel} 채널에 알림을 보낼 수 없어 구독 ${n}개를 멈췄습니다 (${reason}). 봇 권한을 고친 뒤 그 채널에서 /resume 하세요.`,
    (channel: string, n: number, reason: string) =>
      `⚠️ SOOP alerts: could not post in ${channel}, so its ${n} subscription(s) are paused (${reason}). Fix the bot's permissions there, then run /resume in that channel.`,
  ),
};

/** Discord permission names as Discord's own client shows them in each language. */
export const PERMISSION_NAMES = {
  ViewChannel: fixed('채널 보기', 'View Channel'),
  SendMessages: fixed('메시지 보내기', 'Send Messages'),
  SendMessagesInThreads: fixed('스레드에서 메시지 보내기', 'Send Messages in Threads'),
  EmbedLinks: fixed('링크 첨부', 'Embed Links'),
  ManageChannels: fixed('채널 관리', 'Manage Channels'),
} as const;

export type PermissionName = keyof typeof PERMISSION_NAMES;

/** Replies the Telegram adapter gives itself. */
export const TELEGRAM = {
  hello: fixed('안녕하세요! SOOP 방송의 별풍선 후원과 키워드 채팅을 이 채팅으로 알려 드립니다.', 'Hello! I post SOOP donations and keyword chats to this chat.'),
  helpOptions: fixed(
    '/subscribe 옵션: min=<개수> (이보다 적은 풍선은 알리지 않음), loud=<개수> (이 개수 이상이면 알림음, 그 아래는 조용히)',
    '/subscribe options: min=<n> (skip gifts below n balloons), loud=<n> (ring from n balloons; smaller ones arrive silently)',
  ),
  helpGroups: fixed('그룹에서는 관리자만 구독을 바꿀 수 있습니다. 누구나 /list 와 /status 를 볼 수 있습니다.', 'In groups only admins can change subscriptions; anyone can use /list and /status.'),
  adminsOnly: fixed('이 그룹에서는 관리자만 구독을 바꿀 수 있습니다.', 'Only the admins of this group can change its subscriptions.'),
  couldNotCheck: fixed('관리자인지 확인하지 못했습니다. 잠시 후 다시 시도해 주세요.', 'Could not check whether you are an admin; please try again in a moment.'),
  outdatedButton: fixed('이 버튼은 더 이상 쓸 수 없습니다. /list 를 다시 보내 주세요.', 'This button is outdated; send /list again.'),
  buttonResume: phrase((id: string) => `▶️ ${id} 다시 시작`, (id: string) => `▶️ Resume ${id}`),
  buttonPause: phrase((id: string) => `⏸ ${id} 멈춤`, (id: string) => `⏸ Pause ${id}`),
  buttonStop: phrase((id: string) => `❌ ${id} 끄기`, (id: string) => `❌ Stop ${id}`),
  unknownKeywordAction: phrase((given: string) => `"${given}" 는 알 수 없는 동작입니다.`, (given: string) => `Unknown action "${given}".`),
  resumeHint: phrase((n: number) => `멈춰 있는 구독이 ${n}개 있습니다. /resume 으로 다시 시작하세요.`, (n: number) => `${n} subscription(s) here are paused; /resume them.`),
  unknownCommand: fixed('모르는 명령입니다. /help 를 보내 보세요.', 'Unknown command; try /help.'),
  alertsRefusedNotice: phrase(
    (reason: string) => `알림 전송이 거부되어 이 채팅의 구독을 멈췄습니다 (${reason}). /resume 으로 다시 시작할 수 있습니다.`,
    (reason: string) => `Alerts to this chat were refused and its subscriptions are paused (${reason}); /resume them.`,
  ),
  failed: fixed('처리하지 못했습니다. 잠시 후 다시 시도해 주세요.', 'Something went wrong; please try again in a moment.'),
};

export type UsageKey = 'subscribe' | 'unsubscribe' | 'keywords' | 'minballoons' | 'status' | 'language';

/** Telegram usage lines; the example ids are made-up streamer ids. */
export const USAGE: Readonly<Record<UsageKey, Phrase>> = {
  subscribe: fixed(
    '사용법: /subscribe <스트리머 아이디> [키워드…] [min=<최소 풍선 수>] [loud=<알림음 기준 풍선 수>]\n예: /subscribe streamer01 안녕, 축하 loud=1000',
    'Usage: /subscribe <streamer id> [keywords…] [min=<minimum balloons>] [loud=<balloons that ring>]\nExample: /subscribe streamer01 hello, congrats loud=1000',
  ),
  unsubscribe: fixed('사용법: /unsubscribe <스트리머 아이디>', 'Usage: /unsubscribe <streamer id>'),
  keywords: fixed(
    '사용법: /keywords <스트리머 아이디> 추가|삭제|보기 [키워드…]\n예: /keywords streamer01 추가 안녕, 축하',
    'Usage: /keywords <streamer id> add|remove|list [keywords…]\nExample: /keywords streamer01 add hello, congrats',
  ),
  minballoons: fixed('사용법: /minballoons <스트리머 아이디> <개수>\n예: /minballoons streamer01 100', 'Usage: /minballoons <streamer id> <count>\nExample: /minballoons streamer01 100'),
  status: fixed('사용법: /status <스트리머 아이디>', 'Usage: /status <streamer id>'),
  language: fixed('사용법: /language ko|en (또는 /settings language ko|en)', 'Usage: /language ko|en (or /settings language ko|en)'),
};
