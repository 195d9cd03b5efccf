/**
 * Deterministic generator of realistic SOOP server traffic (seeded PRNG): Korean chat with emoji,
 * nicknames with '|', ids with "(n)" session suffixes, chats of exactly '1' and '-1', and the
 * mix seen in busy rooms (≈35% 0004, 30% 0127, 25% chat, 2% gifts, the rest misc).
 */
import type { Buffer } from 'node:buffer';
import {
  adBalloonPacket,
  challengeGift,
  chatPacket,
  consecutiveSubscriptionPacket,
  giftSubscriptionPacket,
  membershipJoinPacket,
  membershipLeavePacket,
  missionPacket,
  starBalloonPacket,
  streamerNoticePacket,
  streamerStatusPacket,
  subscriptionPacket,
  systemNoticePacket,
  userFlagsPacket,
  userMetaPacket,
  videoBalloonPacket,
  type MemberInfo,
} from './packets.js';

/** Event kinds of the decode vocabulary that generated packets turn into. */
export type TrafficKind =
  | 'chat'
  | 'donation'
  | 'subscription'
  | 'mission'
  | 'membership'
  | 'userFlags'
  | 'streamerStatus'
  | 'notice';

export interface GeneratedPacket {
  readonly packet: Buffer;
  readonly kind: TrafficKind;
}

export type TrafficMix = 'realistic' | 'chat';

export interface TrafficGeneratorOptions {
  readonly streamerId: string;
  readonly chatNo?: string;
  readonly mix?: TrafficMix;
  readonly seed?: number;
}

/** mulberry32: tiny, fast, good enough for test traffic. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHAT_TEXTS = [
  '안녕하세요',
  '안녕 ㅎㅎ',
  'ㅋㅋㅋㅋㅋㅋ',
  'ㅋㅋㅋ 대박',
  '대박이다 진짜',
  '오늘 방송 재밌네요 😂',
  '와 미쳤다 🔥🔥',
  '1',
  '-1',
  'ㄱㄱ',
  '굿굿 👍',
  '형님 오늘도 화이팅!',
  '이거 실화냐',
  '별풍선 감사합니다~',
  'ㅠㅠ 아깝다',
  '가즈아 🚀',
  '오 대박 ㅋㅋ',
  '하이루~ 👋',
  '?',
  '그만해 ㅋㅋㅋ 배아파',
  '다음 판 가자',
  '🎉🎉🎉',
];

const NICK_STEMS = ['테스터', '시청자', '별풍요정', '구독러', '지나가던행인', '감자', '고구마', '치즈냥', '밤샘러', '방송지기'];
const NICKS_WITH_BAR = ['닉|네임', '바|', '|세로줄', 'a|b|c'];
/** Real flag values of ordinary viewers, fans and subscribers. */
const VIEWER_FLAGS = ['524304|163840', '65568|163840', '536952832|163840', '805912608|557056', '16|16384', '32800|163840'];

interface Persona {
  readonly userId: string;
  readonly nickname: string;
  readonly flags: string;
  readonly subMonths: number;
}

/** Distinct pre-built packets per pooled category. */
const POOL_SIZE = 512;
const POOL_SEED = 0x5eed;

interface NoisePools {
  readonly chat: readonly Buffer[];
  readonly membership: readonly Buffer[];
  readonly userMeta: readonly Buffer[];
  readonly misc: readonly GeneratedPacket[];
}

let sharedPools: NoisePools | undefined;

const BALLOON_COUNTS = [1, 5, 10, 10, 10, 20, 30, 50, 100, 100, 500, 1000];

export class TrafficGenerator {
  private readonly random: () => number;
  private readonly personas: readonly Persona[];
  private readonly streamerId: string;
  private readonly mix: TrafficMix;
  private uuidCounter = 0;
  private fanOrder = 1000;
  /** Changed by the server on restart so that gifts carry the current CHATNO. */
  chatNo: string;

  constructor(options: TrafficGeneratorOptions) {
    this.random = seededRandom(options.seed ?? 1);
    this.streamerId = options.streamerId;
    this.chatNo = options.chatNo ?? '';
    this.mix = options.mix ?? 'realistic';
    this.personas = Array.from({ length: 200 }, (_, i) => this.makePersona(i));
  }

  nextPacket(): GeneratedPacket {
    const pools = TrafficGenerator.noisePools();
    if (this.mix === 'chat') return { packet: this.pickFrom(pools.chat), kind: 'chat' };
    const roll = this.random();
    if (roll < 0.35) return { packet: this.pickFrom(pools.membership), kind: 'membership' };
    if (roll < 0.65) return { packet: this.pickFrom(pools.userMeta), kind: 'membership' };
    if (roll < 0.9) return { packet: this.pickFrom(pools.chat), kind: 'chat' };
    // Gifts are always fresh: their uuids must stay unique (clients dedupe on them).
    if (roll < 0.92) return this.gift();
    return this.pickFrom(pools.misc);
  }

  /**
   * Chat and noise come from pools built once per process (fixed seed) and shared by every
   * generator; each generator picks from them with its own PRNG, so the same seed still gives
   * the same packets, and 1000 rooms or 100k+ packets/s cost little more than a lookup.
   */
  private static noisePools(): NoisePools {
    if (!sharedPools) {
      const builder = new TrafficGenerator({ streamerId: 'poolbj', seed: POOL_SEED });
      const build = <T>(make: () => T): T[] => Array.from({ length: POOL_SIZE }, make);
      sharedPools = {
        chat: build(() => builder.chat()),
        membership: build(() => builder.membership()),
        userMeta: build(() => builder.userMeta()),
        misc: build(() => builder.misc()),
      };
    }
    return sharedPools;
  }

  private pickFrom<T>(pool: readonly T[]): T {
    return pool[Math.floor(this.random() * pool.length)] as T;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  /** A deterministic, well-formed v4-shaped uuid. */
  private uuid(): string {
    this.uuidCounter++;
    const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0').slice(-width);
    const a = Math.floor(this.random() * 0xffffffff);
    const b = Math.floor(this.random() * 0xffffffff);
    return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b, 3)}-8${hex(this.uuidCounter >>> 16, 3)}-${hex(this.uuidCounter, 12)}`;
  }

  private makePersona(index: number): Persona {
    const suffix = this.random() < 0.1 ? `(${this.int(2, 12)})` : '';
    const nickname = this.random() < 0.05 ? this.pick(NICKS_WITH_BAR) : `${this.pick(NICK_STEMS)}${index}`;
    const flags = this.pick(VIEWER_FLAGS);
    const subMonths = flags.startsWith('805912608') ? this.int(1, 48) : -1;
    return { userId: `viewer${index.toString().padStart(3, '0')}${suffix}`, nickname, flags, subMonths };
  }

  private persona(): Persona {
    return this.pick(this.personas);
  }

  private chat(): Buffer {
    const p = this.persona();
    return chatPacket({
      message: this.pick(CHAT_TEXTS),
      userId: p.userId,
      nickname: p.nickname,
      flags: p.flags,
      subMonths: p.subMonths,
      accumulatedMonths: p.subMonths,
    });
  }

  private membership(): Buffer {
    if (this.random() < 0.2) {
      const p = this.persona();
      return membershipLeavePacket({ userId: p.userId, nickname: p.nickname, flags: p.flags, kicked: this.random() < 0.05 });
    }
    const users: MemberInfo[] = [];
    const size = this.random() < 0.1 ? this.int(10, 40) : this.int(1, 4);
    for (let i = 0; i < size; i++) {
      const p = this.persona();
      users.push({ userId: p.userId, nickname: p.nickname, flags: p.flags });
    }
    return membershipJoinPacket(users);
  }

  private userMeta(): Buffer {
    const size = this.int(1, 4);
    return userMetaPacket(
      Array.from({ length: size }, () => {
        const p = this.persona();
        return { userId: p.userId, subMonths: p.subMonths, accumulatedMonths: p.subMonths };
      }),
    );
  }

  private gift(): GeneratedPacket {
    const p = this.persona();
    const base = { streamerId: this.streamerId, userId: p.userId, nickname: p.nickname, chatNo: this.chatNo };
    const newFan = this.random() < 0.2 ? ++this.fanOrder : 0;
    const roll = this.random();
    if (roll < 0.55) {
      const packet = starBalloonPacket({ ...base, count: this.pick(BALLOON_COUNTS), fanOrder: newFan, uuid: this.uuid() });
      return { packet, kind: 'donation' };
    }
    if (roll < 0.7) {
      const packet = adBalloonPacket({ ...base, count: this.pick(BALLOON_COUNTS), fanOrder: newFan, uuid: this.uuid() });
      return { packet, kind: 'donation' };
    }
    if (roll < 0.75) return { packet: videoBalloonPacket({ ...base, count: this.pick(BALLOON_COUNTS) }), kind: 'donation' };
    if (roll < 0.83) return { packet: subscriptionPacket({ ...base, uuid: this.uuid() }), kind: 'subscription' };
    if (roll < 0.9) {
      const months = this.int(2, 36);
      return { packet: consecutiveSubscriptionPacket({ ...base, months, uuid: this.uuid() }), kind: 'subscription' };
    }
    if (roll < 0.95) {
      const to = this.persona();
      const packet = giftSubscriptionPacket({ ...base, recipientId: to.userId, recipientNickname: to.nickname });
      return { packet, kind: 'subscription' };
    }
    const mission = challengeGift({ ...base, count: this.pick(BALLOON_COUNTS), uuid: this.uuid(), key: 1 });
    return { packet: missionPacket(mission), kind: 'mission' };
  }

  private misc(): GeneratedPacket {
    const roll = this.random();
    if (roll < 0.6) {
      const p = this.persona();
      const packet = userFlagsPacket({ userId: p.userId, nickname: p.nickname, flags: `${p.flags.split('|')[0] ?? '16'}|131072`, previousFlags: p.flags });
      return { packet, kind: 'userFlags' };
    }
    if (roll < 0.8) return { packet: streamerStatusPacket(this.random() < 0.5 ? 0 : 1), kind: 'streamerStatus' };
    if (roll < 0.9) return { packet: streamerNoticePacket('오늘 방송은 밤 12시까지! 📢'), kind: 'notice' };
    return { packet: systemNoticePacket('방송이 실시간 핫이슈에 선정되었습니다.'), kind: 'notice' };
  }
}
