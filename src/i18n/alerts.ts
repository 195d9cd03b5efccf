/**
 * The words of every alert rendering (Discord, Telegram, console, digests, /test), Korean and
 * English. Trusted text only: no user input here. The language is the destination's setting.
 */
import type { DonationType, SubscriptionType } from '../core/events.js';
import type { Locale } from '../core/locale.js';

/** The alert kinds (the store's AlertKind; route/alert.ts checks that the two agree). */
type AlertKind = 'star' | 'ad' | 'video' | 'subscription' | 'mission' | 'live' | 'offline' | 'chat';

export interface Messages {
  /** Short label per kind, for console lines and digests. */
  readonly kindLabel: Readonly<Record<AlertKind, string>>;
  readonly donationLabel: Readonly<Record<DonationType, string>>;
  /** "별풍선 100개" / "100 star balloons". */
  balloons(label: string, count: string): string;
  readonly subscriptionTitle: Readonly<Record<SubscriptionType, string>>;
  months(months: number): string;
  tier(tier: number): string;
  missionLabel(missionType: string): string;
  missionTitle(label: string, count: string): string;
  readonly liveTitle: string;
  readonly offlineTitle: string;
  readonly chatTitle: string;
  readonly field: {
    readonly count: string;
    readonly fanClub: string;
    readonly topFan: string;
    readonly tier: string;
    readonly months: string;
    readonly recipient: string;
    readonly mission: string;
    readonly watch: string;
  };
  readonly newTopFan: string;
  readonly test: string;
  readonly delayed: string;
  chatDigestTitle(count: number): string;
  digestTitle(count: number): string;
  part(index: number, total: number): string;
  /** The made-up viewer, chat line and broadcast of /test. */
  readonly sample: { readonly nickname: string; readonly chat: string; readonly title: string };
}

const ko: Messages = {
  kindLabel: {
    star: '별풍선',
    ad: '애드벌룬',
    video: '영상풍선',
    subscription: '구독',
    mission: '미션',
    live: '방송 시작',
    offline: '방송 종료',
    chat: '채팅',
  },
  donationLabel: {
    star: '별풍선',
    vod: 'VOD 별풍선',
    relayStar: '릴레이 방 별풍선',
    ad: '애드벌룬',
    stationAd: '방송국 애드벌룬',
    vodAd: 'VOD 애드벌룬',
    video: '영상풍선',
  },
  balloons: (label, count) => `${label} ${count}개`,
  subscriptionTitle: { new: '구독 세리머니', consecutive: '연속 구독', gift: '구독 선물' },
  months: (months) => `${months}개월`,
  tier: (tier) => `${tier}티어`,
  missionLabel: (type) => (type.startsWith('CHALLENGE') ? '도전 미션' : '대결 미션'),
  missionTitle: (label, count) => `${label} 별풍선 ${count}개`,
  liveTitle: '방송 시작',
  offlineTitle: '방송 종료',
  chatTitle: '키워드 채팅',
  field: {
    count: '개수',
    fanClub: '팬클럽',
    topFan: '열혈팬',
    tier: '티어',
    months: '구독 기간',
    recipient: '받는 사람',
    mission: '미션',
    watch: '방송 보기',
  },
  newTopFan: '새 열혈팬!',
  test: '🧪 테스트 알림',
  delayed: '⏱ 지연됨',
  chatDigestTitle: (count) => `키워드 채팅 ${count}건`,
  digestTitle: (count) => `알림 ${count}건`,
  part: (index, total) => `(${index}/${total})`,
  sample: { nickname: '테스트 시청자', chat: '테스트 채팅입니다', title: '테스트 방송' },
};

const en: Messages = {
  kindLabel: {
    star: 'star',
    ad: 'ad',
    video: 'video',
    subscription: 'subscription',
    mission: 'mission',
    live: 'live',
    offline: 'offline',
    chat: 'chat',
  },
  donationLabel: {
    star: 'star balloons',
    vod: 'VOD star balloons',
    relayStar: 'relay-room star balloons',
    ad: 'ad balloons',
    stationAd: 'station ad balloons',
    vodAd: 'VOD ad balloons',
    video: 'video balloons',
  },
  balloons: (label, count) => `${count} ${label}`,
  subscriptionTitle: { new: 'Subscriber ceremony', consecutive: 'Subscription renewed', gift: 'Gifted subscription' },
  months: (months) => `${months} month${months === 1 ? '' : 's'}`,
  tier: (tier) => `tier ${tier}`,
  missionLabel: (type) => (type.startsWith('CHALLENGE') ? 'challenge mission' : 'battle mission'),
  missionTitle: (label, count) => `${count} star balloons for a ${label}`,
  liveTitle: 'Live now',
  offlineTitle: 'Stream ended',
  chatTitle: 'Keyword chat',
  field: {
    count: 'Count',
    fanClub: 'Fan club',
    topFan: 'Top fan',
    tier: 'Tier',
    months: 'Subscribed',
    recipient: 'To',
    mission: 'Mission',
    watch: 'Watch',
  },
  newTopFan: 'New top fan!',
  test: '🧪 Test alert',
  delayed: '⏱ delayed',
  chatDigestTitle: (count) => `${count} keyword chat${count === 1 ? '' : 's'}`,
  digestTitle: (count) => `${count} alert${count === 1 ? '' : 's'}`,
  part: (index, total) => `(${index}/${total})`,
  sample: { nickname: 'Test viewer', chat: 'This is a test chat', title: 'Test broadcast' },
};

export function messagesFor(locale: Locale): Messages {
  return locale === 'en' ? en : ko;
}

/** 1234567 → "1,234,567" (same in both locales, no ICU dependence). */
export function formatCount(count: number): string {
  return String(Math.trunc(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
