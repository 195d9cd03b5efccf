/**
 * Builders for SERVER → client SOOP packets with the real field layouts (convention W,
 * soop-protocol.md §6 and §9). Every builder returns one framed packet from `encodePacket`.
 * Optional fields default to what a plain, anonymous-looking 2026 frame carries.
 */
import type { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { ServiceCode } from '../core/packet.js';
import { encodePacket, joinFields } from '../soop/codec.js';

/** A guest web viewer: GUEST|QUICKVIEW, SPECIFY|HTML5 (a real, common value). */
export const GUEST_VIEWER_FLAGS = '524304|163840';
/** What an anonymous client is told after login (`0001`) and join (`0002`). */
export const ANONYMOUS_LOGIN_FLAGS = '16|0';
export const ANONYMOUS_JOIN_FLAGS = '16|16384';
/** The constant flag2 of every `0004` leave packet. */
const LEAVE_FLAG2 = 33554432;
/** The real duplicate-session refusal text (trailer 07). */
export const DUPLICATE_SESSION_MESSAGE = '시스템 에러가 발생 했습니다. (중복 세션)';

/** The "urlModify" field: a Unix-seconds-like number. */
function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function flag(value: boolean | undefined): number {
  return value ? 1 : 0;
}

// ---------------------------------------------------------------- handshake

export interface LoginReplyOptions {
  /** Empty for anonymous logins. */
  readonly userId?: string;
  readonly flags?: string;
  /** Non-zero = refused (e.g. 7 duplicate session); the body then holds `message`. */
  readonly returnCode?: number;
  readonly message?: string;
}

/** `0001` login reply: `\f<userId>\f<flags>\f`, or `\f<message>\f` with a non-zero trailer. */
export function loginReplyPacket(options: LoginReplyOptions = {}): Buffer {
  const returnCode = options.returnCode ?? 0;
  if (returnCode !== 0) {
    const message = options.message ?? (returnCode === 7 ? DUPLICATE_SESSION_MESSAGE : '시스템 에러가 발생 했습니다.');
    return encodePacket(ServiceCode.login, joinFields([message]), returnCode);
  }
  return encodePacket(ServiceCode.login, joinFields([options.userId ?? '', options.flags ?? ANONYMOUS_LOGIN_FLAGS]));
}

export interface JoinReplyOptions {
  readonly chatNo: string;
  readonly streamerId: string;
  readonly flags?: string;
  /** Non-zero = refused (12 INVALIDCHNO, 57 wrong password, ...); the body then holds `message`. */
  readonly returnCode?: number;
  readonly message?: string;
}

/** `0002` join reply: `\f<chatNo>\f<streamerId>\f0\f30\f\f1\f16|16384\f`, or an error trailer. */
export function joinReplyPacket(options: JoinReplyOptions): Buffer {
  const returnCode = options.returnCode ?? 0;
  if (returnCode !== 0) {
    return encodePacket(ServiceCode.join, joinFields([options.message ?? '']), returnCode);
  }
  return encodePacket(
    ServiceCode.join,
    joinFields([options.chatNo, options.streamerId, '0', '30', '', '1', options.flags ?? ANONYMOUS_JOIN_FLAGS]),
  );
}

// ---------------------------------------------------------------- chat

export interface ChatOptions {
  readonly message: string;
  /** May carry a session suffix such as `viewer01(2)`. */
  readonly userId: string;
  readonly nickname: string;
  /** `"flag1|flag2"`; defaults to a guest web viewer. */
  readonly flags?: string;
  /** Current subscription months; -1 (default) = not subscribed. */
  readonly subMonths?: number;
  /** Accumulated subscription months; -1 (default) = none. */
  readonly accumulatedMonths?: number;
  readonly nicknameColor?: string;
  readonly darkNicknameColor?: string;
}

/** `0005` chat, 2026 layout (16 W elements). */
export function chatPacket(options: ChatOptions): Buffer {
  return encodePacket(
    ServiceCode.chat,
    joinFields([
      options.message,
      options.userId,
      0, // BGR colour
      0, // message type
      3, // chat language
      options.nickname,
      options.flags ?? GUEST_VIEWER_FLAGS,
      options.subMonths ?? -1,
      options.nicknameColor ?? 'E07E0A',
      options.darkNicknameColor ?? 'D39750',
      options.accumulatedMonths ?? -1,
      -1, // representative personalcon month
      '',
      -1, // cheer team
    ]),
  );
}

export interface EmoticonChatOptions extends Omit<ChatOptions, 'message'> {
  /** Text sent with the emoticon; empty (default) for an emoticon alone. */
  readonly message?: string;
  readonly chatNo?: string;
  readonly groupId?: string;
  readonly subId?: string;
}

/** `0109` OGQ emoticon chat (19 fields): W1 chatNo, W2 text, W3/W4 emoticon, W6 id, W7 nick, W8 flags, W13 months. */
export function emoticonChatPacket(options: EmoticonChatOptions): Buffer {
  return encodePacket(
    ServiceCode.emoticonChat,
    joinFields([
      options.chatNo ?? '',
      options.message ?? '',
      options.groupId ?? 'simogq',
      options.subId ?? '1',
      1, // version
      options.userId,
      options.nickname,
      options.flags ?? GUEST_VIEWER_FLAGS,
      0, // BGR colour
      3, // chat language
      0, // emoticon type
      'png',
      options.subMonths ?? -1,
      options.nicknameColor ?? 'E07E0A',
      options.darkNicknameColor ?? 'D39750',
      options.accumulatedMonths ?? -1,
      -1, // representative personalcon month
      0, // animation
      -1, // cheer team
    ]),
  );
}

/** `0026` manager chat (7 fields): W1 text, W2 id, W3 is-admin, W4 language, W5 nick, W6 flags, W7 months. */
export function managerChatPacket(options: ChatOptions): Buffer {
  return encodePacket(
    ServiceCode.managerChat,
    joinFields([options.message, options.userId, 0, 3, options.nickname, options.flags ?? '288|163840', options.subMonths ?? -1]),
  );
}

// ---------------------------------------------------------------- donations

export interface StarBalloonOptions {
  readonly streamerId: string;
  readonly userId: string;
  readonly nickname: string;
  readonly count: number;
  /** Non-zero = this gift made the donor fan-club member #N. */
  readonly fanOrder?: number;
  /** The gift made the donor a new top fan (열혈팬). */
  readonly topFan?: boolean;
  readonly chatNo?: string;
  readonly uuid?: string;
  /** Voice id, e.g. `google_tts`; empty = default voice. */
  readonly tts?: string;
  /** Effect file name; defaults to the count. */
  readonly fileName?: string;
  /** The Unix-seconds "urlModify" field; defaults to now. */
  readonly urlModify?: number;
}

/** `0018` star balloon (별풍선). */
export function starBalloonPacket(options: StarBalloonOptions): Buffer {
  return encodePacket(
    ServiceCode.starBalloon,
    joinFields([
      options.streamerId,
      options.userId,
      options.nickname,
      options.count,
      options.fanOrder ?? 0,
      0,
      options.chatNo ?? '',
      options.fileName ?? String(options.count),
      0, // isDefault
      flag(options.topFan),
      options.tts ?? '',
      options.uuid ?? randomUUID(),
      'ko_KR',
      options.urlModify ?? unixSeconds(),
    ]),
  );
}

export interface AdBalloonOptions {
  readonly streamerId: string;
  readonly userId: string;
  readonly nickname: string;
  readonly count: number;
  readonly chatNo?: string;
  readonly fanOrder?: number;
  readonly topFan?: boolean;
  readonly fanChief?: boolean;
  /** W5; defaults to `애드벌룬 N개 선물!`. */
  readonly message?: string;
  readonly title?: string;
  readonly uuid?: string;
  readonly tts?: string;
  /** The Unix-seconds "urlModify" field; defaults to now. */
  readonly urlModify?: number;
}

/** `0087` ad balloon (애드벌룬), 20 W elements. */
export function adBalloonPacket(options: AdBalloonOptions): Buffer {
  const urlModify = options.urlModify ?? unixSeconds();
  return encodePacket(
    ServiceCode.adBalloon,
    joinFields([
      options.chatNo ?? '',
      options.streamerId,
      options.userId,
      options.nickname,
      options.message ?? `애드벌룬 ${options.count}개 선물!`,
      `애드벌룬 ${options.count}개를 선물했습니다!`,
      options.title ?? '',
      'https://res.sooplive.com/new_player/items/img_adballoon.png',
      `https://res.sooplive.com/new_player/items/adballoon/ceremony/pc_${options.count}.png?t=${urlModify}`,
      options.count,
      options.fanOrder ?? 0,
      flag(options.topFan),
      flag(options.fanChief),
      0, // isSubRoom
      options.tts ?? '',
      options.uuid ?? randomUUID(),
      'ko_KR',
      urlModify,
    ]),
  );
}

export interface VideoBalloonOptions {
  readonly streamerId: string;
  readonly userId: string;
  readonly nickname: string;
  readonly count: number;
  readonly chatNo?: string;
  readonly fanOrder?: number;
  /** 1 = just became top fan. */
  readonly topFan?: boolean;
  readonly relay?: boolean;
  readonly fileName?: string;
  /** W15: 32 hex characters. */
  readonly extraData?: string;
}

/** `0105` video balloon (영상풍선): W1 chatNo … W15 extraData. */
export function videoBalloonPacket(options: VideoBalloonOptions): Buffer {
  return encodePacket(
    ServiceCode.videoBalloon,
    joinFields([
      options.chatNo ?? '',
      options.streamerId,
      options.userId,
      options.nickname,
      options.count,
      options.fanOrder ?? 0,
      0,
      flag(options.topFan),
      flag(options.relay),
      '',
      '',
      '',
      options.fileName ?? '',
      options.fileName ? 0 : 1, // isDefault
      options.extraData ?? randomUUID().replaceAll('-', ''),
    ]),
  );
}

export interface RelayStarBalloonOptions extends StarBalloonOptions {
  /** W1: the relay room the balloon was sent in. */
  readonly relayRoom?: string;
  readonly streamerNickname?: string;
}

/** `0033` star balloon sent in a relay room: `0018` shifted by one, the streamer's nickname in W3 (15 fields). */
export function relayStarBalloonPacket(options: RelayStarBalloonOptions): Buffer {
  return encodePacket(
    ServiceCode.relayStarBalloon,
    joinFields([
      options.relayRoom ?? '',
      options.streamerId,
      options.streamerNickname ?? options.streamerId,
      options.userId,
      options.nickname,
      options.count,
      options.fanOrder ?? 0,
      0,
      options.fileName ?? String(options.count),
      0, // isDefault
      flag(options.topFan),
      options.tts ?? '',
      options.uuid ?? randomUUID(),
      'ko_KR',
      options.urlModify ?? unixSeconds(),
    ]),
  );
}

export interface StationAdBalloonOptions {
  readonly streamerId: string;
  readonly userId: string;
  readonly nickname: string;
  readonly count: number;
  readonly chatNo?: string;
  readonly message?: string;
  readonly imageUrl?: string;
  /** The Unix-seconds "urlModify" field; defaults to now. */
  readonly urlModify?: number;
}

/** The 9 fields of `0107` and `0103`: bjId, sender, nick, count, image, title, chatNo, language, urlModify. */
function adconFields(options: StationAdBalloonOptions, defaultMessage: string): (string | number)[] {
  return [
    options.streamerId,
    options.userId,
    options.nickname,
    options.count,
    options.imageUrl ?? 'https://res.sooplive.com/new_player/items/img_adballoon.png',
    options.message ?? defaultMessage,
    options.chatNo ?? '',
    'ko_KR',
    options.urlModify ?? unixSeconds(),
  ];
}

/** `0107` ad balloon given via the station page (9 fields). */
export function stationAdBalloonPacket(options: StationAdBalloonOptions): Buffer {
  return encodePacket(ServiceCode.stationAdBalloon, joinFields(adconFields(options, `방송국에서 애드벌룬 ${options.count}개 선물!`)));
}

/** `0103` ad balloons given to a VOD, with the `0107` layout (9 fields). */
export function vodAdBalloonPacket(options: StationAdBalloonOptions): Buffer {
  return encodePacket(ServiceCode.vodAdBalloon, joinFields(adconFields(options, `VOD에 애드벌룬 ${options.count}개 선물!`)));
}

export interface VodBalloonOptions {
  readonly streamerId: string;
  readonly userId: string;
  readonly nickname: string;
  readonly count: number;
  readonly chatNo?: string;
  readonly fileName?: string;
  /** The Unix-seconds "urlModify" field; defaults to now. */
  readonly urlModify?: number;
}

/** `0086` balloons given to a VOD: bjId, sender, nick, count, file, isDefault, chatNo, language, urlModify (9 fields). */
export function vodBalloonPacket(options: VodBalloonOptions): Buffer {
  return encodePacket(
    ServiceCode.vodBalloon,
    joinFields([
      options.streamerId,
      options.userId,
      options.nickname,
      options.count,
      options.fileName ?? '',
      options.fileName ? 0 : 1,
      options.chatNo ?? '',
      'ko_KR',
      options.urlModify ?? unixSeconds(),
    ]),
  );
}

// ---------------------------------------------------------------- subscriptions

export interface SubscriptionOptions {
  readonly streamerId: string;
  readonly userId: string;
  readonly nickname: string;
  readonly chatNo?: string;
  /** Product code: 101 basic 1-month (default), 103, 106, 111, 200, 201, ... */
  readonly itemType?: number;
  /** 1 basic (default), 2 plus. */
  readonly tier?: number;
  readonly uuid?: string;
  /** The Unix-seconds "urlModify" field; defaults to now. */
  readonly urlModify?: number;
}

/** `0091` new subscription / ceremony. */
export function subscriptionPacket(options: SubscriptionOptions): Buffer {
  return encodePacket(
    ServiceCode.subscription,
    joinFields([
      options.chatNo ?? '',
      options.streamerId,
      options.userId,
      options.nickname,
      options.itemType ?? 101,
      1,
      1,
      options.tier ?? 1,
      options.uuid ?? randomUUID(),
      'ko_KR',
      options.urlModify ?? unixSeconds(),
    ]),
  );
}

export interface ConsecutiveSubscriptionOptions {
  readonly streamerId: string;
  readonly userId: string;
  readonly nickname: string;
  /** Month shown on screen ("N개월째"). */
  readonly months: number;
  readonly chatNo?: string;
  readonly itemType?: number;
  /** Accumulated months; defaults to `months`. */
  readonly accumulatedMonths?: number;
  readonly tier?: number;
  readonly uuid?: string;
  /** The Unix-seconds "urlModify" field; defaults to now. */
  readonly urlModify?: number;
}

/** `0093` consecutive-month subscription. */
export function consecutiveSubscriptionPacket(options: ConsecutiveSubscriptionOptions): Buffer {
  return encodePacket(
    ServiceCode.subscriptionConsecutive,
    joinFields([
      options.streamerId,
      options.userId,
      options.nickname,
      options.months,
      options.chatNo ?? '',
      options.itemType ?? 201,
      options.accumulatedMonths ?? options.months,
      options.tier ?? 1,
      options.uuid ?? randomUUID(),
      'ko_KR',
      options.urlModify ?? unixSeconds(),
    ]),
  );
}

export interface GiftSubscriptionOptions {
  readonly userId: string;
  readonly nickname: string;
  readonly recipientId: string;
  readonly recipientNickname: string;
  readonly streamerId: string;
  readonly streamerNickname?: string;
  /** 11 = basic 1-month gift ticket (default), 20 = plus level 1. */
  readonly itemType?: number;
  readonly itemCode?: string;
}

/** `0108` gift subscription. */
export function giftSubscriptionPacket(options: GiftSubscriptionOptions): Buffer {
  return encodePacket(
    ServiceCode.subscriptionGift,
    joinFields([
      '',
      options.userId,
      options.nickname,
      options.recipientId,
      options.recipientNickname,
      options.streamerId,
      options.streamerNickname ?? options.streamerId,
      options.itemType ?? 11,
      options.itemCode ?? 'SIMGIFTCODE',
      0,
      0,
      '',
      0,
      0,
    ]),
  );
}

// ---------------------------------------------------------------- missions

/** Mission JSON as SOOP sends it: `key` and `chno` are numbers, not strings. */
export interface ChallengeGiftMission {
  readonly type: 'CHALLENGE_GIFT';
  readonly key: number;
  readonly uuid: string;
  readonly title: string;
  readonly gift_count: number;
  readonly chno: number;
  readonly is_relay: boolean;
  readonly image: string;
  readonly user_id: string;
  readonly user_nick: string;
  readonly bj_id: string;
  readonly bj_nick: string;
}

export interface ChallengeNoticeMission {
  readonly type: 'CHALLENGE_NOTICE';
  readonly key: number;
  readonly uuid: string;
  readonly title: string;
  readonly mission_status: 'SUCCESS' | 'FAIL';
}

export interface ChallengeSettleMission {
  readonly type: 'CHALLENGE_SETTLE';
  readonly key: number;
  readonly uuid: string;
  readonly title: string;
  readonly settle_count: number;
  readonly is_relay: boolean;
  readonly image: string;
  readonly bj_id: string;
  readonly bj_nick: string;
}

export interface BattleGiftMission {
  readonly type: 'GIFT';
  readonly title: string;
  readonly gift_count: number;
  readonly is_relay: boolean;
  readonly image: string;
  readonly user_id: string;
  readonly user_nick: string;
  readonly fan_order: number;
  readonly top_fan: number;
}

export interface BattleNoticeMission {
  readonly type: 'NOTICE';
  readonly draw: boolean;
  readonly winner: string;
  readonly rank: number;
  readonly my_team_name: string;
}

export interface BattleSettleMission {
  readonly type: 'SETTLE';
  readonly title: string;
  readonly settle_count: number;
  readonly image: string;
}

export type MissionPayload =
  | ChallengeGiftMission
  | ChallengeNoticeMission
  | ChallengeSettleMission
  | BattleGiftMission
  | BattleNoticeMission
  | BattleSettleMission;

/** The room's chat number as the number mission JSON carries (0 when unknown). */
function chatNumber(chatNo: string | undefined): number {
  const n = chatNo === undefined ? NaN : Number.parseInt(chatNo, 10);
  return Number.isSafeInteger(n) ? n : 0;
}

/** `0121` mission: the JSON document in W1. */
export function missionPacket(payload: MissionPayload): Buffer {
  return encodePacket(ServiceCode.mission, joinFields([JSON.stringify(payload)]));
}

/** A `CHALLENGE_GIFT` with sensible defaults for everything but the donor and the count. */
export function challengeGift(options: {
  readonly streamerId: string;
  readonly userId: string;
  readonly nickname: string;
  readonly count: number;
  readonly chatNo?: string;
  readonly title?: string;
  /** The mission's number, the same in its GIFT, NOTICE and SETTLE packets. */
  readonly key?: number;
  readonly uuid?: string;
}): ChallengeGiftMission {
  return {
    type: 'CHALLENGE_GIFT',
    key: options.key ?? 1,
    uuid: options.uuid ?? randomUUID(),
    title: options.title ?? '도전미션',
    gift_count: options.count,
    chno: chatNumber(options.chatNo),
    is_relay: false,
    image: 'https://res.sooplive.com/new_player/items/img_challenge.png',
    user_id: options.userId,
    user_nick: options.nickname,
    bj_id: options.streamerId,
    bj_nick: options.streamerId,
  };
}

export interface PayoutEntry {
  readonly userId: string;
  readonly nickname: string;
  readonly count: number;
  readonly becameFanClub?: boolean;
  readonly becameTopFan?: boolean;
}

/** `0125` mission payout: `{chno, uuid, fanOrder, list: [[id, nick, count, fan 0/1, topFan 0/1], ...]}`. */
export function missionSettlePacket(options: {
  readonly chatNo: string;
  readonly uuid: string;
  readonly fanOrder?: number;
  readonly list: readonly PayoutEntry[];
}): Buffer {
  const payload = {
    chno: chatNumber(options.chatNo),
    uuid: options.uuid,
    fanOrder: options.fanOrder ?? 0,
    list: options.list.map((e) => [e.userId, e.nickname, e.count, flag(e.becameFanClub), flag(e.becameTopFan)]),
  };
  return encodePacket(ServiceCode.missionSettle, joinFields([JSON.stringify(payload)]));
}

// ---------------------------------------------------------------- broadcast state and notices

/** `0088` CLOSE_BROAD: the real end-of-broadcast signal, with an empty body. */
export function broadcastEndPacket(): Buffer {
  return encodePacket(ServiceCode.broadcastEnd, '');
}

/** `0007` streamer-account status 0/1: repeats during live broadcasts; NOT an end signal. */
export function streamerStatusPacket(status: 0 | 1 = 0): Buffer {
  return encodePacket(ServiceCode.streamerStatus, joinFields([status]));
}

/** `0058` SOOP system notice ("SOOP 안내"): `\f<message>\f0\f`. */
export function systemNoticePacket(message: string): Buffer {
  return encodePacket(ServiceCode.adminNotice, joinFields([message, 0]));
}

/** `0104` streamer's pinned notice: `\f\f<show>\f\f<message>\f`. */
export function streamerNoticePacket(message: string, show = true): Buffer {
  return encodePacket(ServiceCode.streamerNotice, joinFields(['', flag(show), '', message]));
}

/** `0012` a user's flags changed: W1 new flags, W2 id, W3 nick, W6 previous flags. */
export function userFlagsPacket(options: {
  readonly userId: string;
  readonly nickname: string;
  readonly flags: string;
  readonly previousFlags?: string;
}): Buffer {
  return encodePacket(
    ServiceCode.userFlags,
    joinFields([options.flags, options.userId, options.nickname, 0, 0, options.previousFlags ?? options.flags]),
  );
}

// ---------------------------------------------------------------- membership noise

export interface MemberInfo {
  readonly userId: string;
  readonly nickname: string;
  readonly flags?: string;
}

/** `0004` join batch: `1` then (id, nick, flags) triples; real batches hold up to ~40 users. */
export function membershipJoinPacket(users: readonly MemberInfo[]): Buffer {
  const fields: string[] = ['1'];
  for (const user of users) fields.push(user.userId, user.nickname, user.flags ?? GUEST_VIEWER_FLAGS);
  return encodePacket(ServiceCode.userJoinLeave, joinFields(fields));
}

/** `0004` leave: `-1`, id, nick, quitFlag (1 normal, 2 kicked), etcInfo, flags with flag2 1<<25. */
export function membershipLeavePacket(options: MemberInfo & { readonly kicked?: boolean }): Buffer {
  const flag1 = (options.flags ?? GUEST_VIEWER_FLAGS).split('|')[0] ?? '16';
  return encodePacket(
    ServiceCode.userJoinLeave,
    joinFields(['-1', options.userId, options.nickname, options.kicked ? 2 : 1, options.kicked ? 1 : -1, `${flag1}|${LEAVE_FLAG2}`]),
  );
}

export interface UserMeta {
  readonly userId: string;
  /** Subscription months (`fw`); -1 = none. */
  readonly subMonths?: number;
  /** Accumulated months (`afw`); -1 = none. */
  readonly accumulatedMonths?: number;
  /** Representative personalcon month (`p`); omitted when undefined. */
  readonly personalcon?: number | '';
}

/** `0127` CHUSER_EXTEND: (userId, `p=..&fw=..&afw=..`) pairs. */
export function userMetaPacket(users: readonly UserMeta[]): Buffer {
  const fields: string[] = [];
  for (const user of users) {
    const prefix = user.personalcon === undefined ? '' : `p=${user.personalcon}&`;
    fields.push(user.userId, `${prefix}fw=${user.subMonths ?? -1}&afw=${user.accumulatedMonths ?? -1}`);
  }
  return encodePacket(ServiceCode.userMeta, joinFields(fields));
}
