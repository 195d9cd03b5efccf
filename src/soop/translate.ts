/**
 * SOOP packet → typed domain event (pure). Never throws: a packet that does not fit its layout
 * becomes a `{kind: 'error'}` value naming the code and what is missing. Field positions come
 * from layouts.ts only. Hot path: membership packets (the bulk of the traffic) are counted on
 * their bytes without decoding text; other bodies are decoded once and only the fields up to
 * the layout's last index are cut out (no full split).
 */
import type {
  ChatEvent,
  DecodeErrorEvent,
  DonationEvent,
  DonationType,
  GiftEvent,
  GiftType,
  MembershipEvent,
  MissionEvent,
  SoopEvent,
  UnknownEvent,
} from '../core/events.js';
import { ServiceCode, formatCode, type RawPacket } from '../core/packet.js';
import { describeError } from '../core/errors.js';
import { toText } from './codec.js';
import { parseUserFlags } from './flags.js';
import {
  AdBalloonLayout,
  ChatLayout,
  ChocolateLayout,
  ConsecutiveSubscriptionLayout,
  EmoticonChatLayout,
  GemItemLayout,
  GiftSubscriptionLayout,
  JoinLayout,
  LoginLayout,
  ManagerChatLayout,
  MEMBERSHIP_JOIN,
  MEMBERSHIP_LEAVE,
  MembershipLayout,
  MissionLayout,
  OgqEmoticonGiftLayout,
  PayoutEntryLayout,
  QuickViewGiftLayout,
  RelayStarBalloonLayout,
  RelayStickerLayout,
  StarBalloonLayout,
  StationAdBalloonLayout,
  StickerLayout,
  StreamerNoticeLayout,
  StreamerStatusLayout,
  SubscriptionLayout,
  SystemNoticeLayout,
  UserFlagsLayout,
  UserMetaLayout,
  VideoBalloonLayout,
  VodAdBalloonLayout,
  VodBalloonLayout,
  type DonationLayout,
  type GiftLayout,
} from './layouts.js';

const FF = 0x0c;
const MINUS = 0x2d;
const ONE = 0x31;

/** `"0005"` for 5, computed once per code. */
const codeTexts: string[] = [];
function codeText(code: number): string {
  return (codeTexts[code] ??= formatCode(code));
}

/** Turns one framed packet into an event. Pure; never throws. */
export function translatePacket(packet: RawPacket): SoopEvent {
  try {
    return translate(packet);
  } catch (err) {
    const code = codeText(packet.code);
    return { kind: 'error', code, error: `${code} packet could not be decoded: ${describeError(err)}` };
  }
}

function translate(packet: RawPacket): SoopEvent {
  const { code, body } = packet;
  switch (code) {
    case ServiceCode.userJoinLeave:
      return translateUserJoinLeave(body);
    case ServiceCode.userMeta:
      return translateUserMeta(body);
    case ServiceCode.chat:
      return translateChat(code, ChatLayout, body);
    case ServiceCode.emoticonChat:
      return translateChat(code, EmoticonChatLayout, body);
    case ServiceCode.managerChat:
      return translateChat(code, ManagerChatLayout, body);
    case ServiceCode.starBalloon:
      return translateDonation(code, 'star', StarBalloonLayout, body);
    case ServiceCode.relayStarBalloon:
      return translateDonation(code, 'relayStar', RelayStarBalloonLayout, body);
    case ServiceCode.vodAdBalloon:
      return translateDonation(code, 'vodAd', VodAdBalloonLayout, body);
    case ServiceCode.adBalloon:
      return translateDonation(code, 'ad', AdBalloonLayout, body);
    case ServiceCode.videoBalloon:
      return translateDonation(code, 'video', VideoBalloonLayout, body);
    case ServiceCode.stationAdBalloon:
      return translateDonation(code, 'stationAd', StationAdBalloonLayout, body);
    case ServiceCode.vodBalloon:
      return translateDonation(code, 'vod', VodBalloonLayout, body);
    case ServiceCode.subscription:
      return translateSubscription(body);
    case ServiceCode.subscriptionConsecutive:
      return translateConsecutiveSubscription(body);
    case ServiceCode.subscriptionGift:
      return translateGiftSubscription(body);
    case ServiceCode.sticker:
      return translateGift(code, 'sticker', StickerLayout, body);
    case ServiceCode.relaySticker:
      return translateGift(code, 'sticker', RelayStickerLayout, body, true);
    case ServiceCode.chocolate:
      return translateGift(code, 'chocolate', ChocolateLayout, body);
    case ServiceCode.relayChocolate:
      return translateGift(code, 'chocolate', ChocolateLayout, body, true);
    case ServiceCode.quickViewGift:
      return translateGift(code, 'quickView', QuickViewGiftLayout, body);
    case ServiceCode.ogqEmoticonGift:
      return translateGift(code, 'ogqEmoticon', OgqEmoticonGiftLayout, body);
    case ServiceCode.gemItem:
      return translateGift(code, 'gemItem', GemItemLayout, body);
    case ServiceCode.mission:
    case ServiceCode.missionSettle:
      return translateMission(code, body);
    case ServiceCode.broadcastEnd:
      return { kind: 'broadcastEnd', code: '0088' };
    case ServiceCode.streamerStatus:
      return translateStreamerStatus(body);
    case ServiceCode.adminNotice:
      return translateNotice(code, 'system', SystemNoticeLayout, body);
    case ServiceCode.streamerNotice:
      return translateNotice(code, 'streamer', StreamerNoticeLayout, body);
    case ServiceCode.userFlags:
      return translateUserFlags(body);
    case ServiceCode.login:
      return translateLogin(packet.returnCode, body);
    case ServiceCode.join:
      return translateJoin(packet.returnCode, body);
    default:
      return unknown(packet);
  }
}

// ---- field helpers ---------------------------------------------------------------------------

/**
 * Fields W1..W`last` of the packet being translated (index 0 unused). One shared array: translation
 * is synchronous, and only indices up to the count readFields returned are ever read.
 */
const fieldsRead: string[] = [];

/**
 * Decodes the body and cuts out W1..W`last` into `fieldsRead`. Returns how many fields the packet
 * has, capped at `last`; the empty string after a trailing `\f` is not a field.
 */
function readFields(body: Uint8Array, last: number): number {
  const text = toText(body);
  let start = text.indexOf('\f') + 1;
  if (start === 0) return 0;
  for (let i = 1; i <= last; i++) {
    const end = text.indexOf('\f', start);
    if (end < 0) {
      if (start === text.length) return i - 1;
      fieldsRead[i] = text.slice(start);
      return i;
    }
    fieldsRead[i] = text.slice(start, end);
    start = end + 1;
  }
  return last;
}

/** The field count read on bytes, without decoding text: the number of `\f`, minus a trailing one. */
function byteFieldCount(body: Uint8Array): number {
  const separators = countSeparators(body);
  return separators > 0 && body[body.length - 1] === FF ? separators - 1 : separators;
}

const SWAR_MIN_BYTES = 64;
const FF_WORD = 0x0c0c0c0c;
const LOW7 = 0x7f7f7f7f;

/**
 * Counts `\f` bytes. Join batches and meta packets are most of the traffic and can be KiBs, so
 * long bodies are read 4 bytes at a time: in `x = word ^ 0x0c0c0c0c` a separator is a zero byte,
 * and `~(((x & LOW7) + LOW7) | x | LOW7)` sets bit 7 of exactly the zero bytes (no carry crosses
 * bytes), which a multiply then sums.
 */
function countSeparators(body: Uint8Array): number {
  const length = body.length;
  let count = 0;
  let i = 0;
  if (length >= SWAR_MIN_BYTES) {
    const head = (4 - (body.byteOffset & 3)) & 3;
    for (; i < head; i++) if (body[i] === FF) count++;
    const words = (length - head) >>> 2;
    const view = new Uint32Array(body.buffer, body.byteOffset + head, words);
    for (let w = 0; w < words; w++) {
      const x = (view[w] as number) ^ FF_WORD;
      const zeroBytes = ~(((x & LOW7) + LOW7) | x | LOW7);
      count += Math.imul(zeroBytes >>> 7, 0x01010101) >>> 24;
    }
    i = head + (words << 2);
  }
  for (; i < length; i++) if (body[i] === FF) count++;
  return count;
}

/** Field `index` of the fields read; '' beyond `count`. */
function field(count: number, index: number): string {
  return index <= count ? (fieldsRead[index] ?? '') : '';
}

/** Optional field: undefined when the packet is too short or the field is empty. */
function optionalField(count: number, index: number): string | undefined {
  if (index <= 0 || index > count) return undefined;
  const value = fieldsRead[index];
  return value === '' ? undefined : value;
}

/** A decimal integer with an optional minus sign; NaN for anything else (unlike Number('')). */
function parseInteger(text: string): number {
  const length = text.length;
  if (length === 0 || length > 15) return NaN;
  let i = 0;
  let negative = false;
  if (text.charCodeAt(0) === MINUS) {
    if (length === 1) return NaN;
    negative = true;
    i = 1;
  }
  let value = 0;
  for (; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

function optionalInteger(count: number, index: number): number | undefined {
  if (index <= 0 || index > count) return undefined;
  const value = parseInteger(field(count, index));
  return Number.isNaN(value) ? undefined : value;
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function error(code: number, message: string): DecodeErrorEvent {
  return { kind: 'error', code: codeText(code), error: message };
}

function tooShort(code: number, what: string, count: number, required: number, requiredField: string): DecodeErrorEvent {
  return error(
    code,
    `${codeText(code)} ${what} packet is too short: it has ${count} field${count === 1 ? '' : 's'}, ` +
      `but the ${requiredField} is field ${required}.`,
  );
}

function notANumber(code: number, what: string, value: string): DecodeErrorEvent {
  return error(code, `${codeText(code)} ${what} "${value}" is not a whole number.`);
}

function unknown(packet: RawPacket): UnknownEvent {
  return { kind: 'unknown', code: codeText(packet.code), returnCode: packet.returnCode, fieldCount: byteFieldCount(packet.body) };
}

// ---- membership: counted on bytes --------------------------------------------------------------

/** Bytes of W1 (between the first and the second `\f`) compared with a short ASCII value. */
function firstFieldIs(body: Uint8Array, expected: string): boolean {
  let start = 0;
  while (start < body.length && body[start] !== FF) start++;
  start++;
  const end = start + expected.length;
  if (end > body.length || (end < body.length && body[end] !== FF)) return false;
  for (let i = 0; i < expected.length; i++) if (body[start + i] !== expected.charCodeAt(i)) return false;
  return true;
}

function membership(code: string, action: MembershipEvent['action'], users: number): MembershipEvent {
  return { kind: 'membership', code, action, users };
}

function translateUserJoinLeave(body: Uint8Array): SoopEvent {
  const code = ServiceCode.userJoinLeave;
  const count = byteFieldCount(body);
  if (count < 1) return tooShort(code, 'user join/leave', count, MembershipLayout.action, 'action (1 join, -1 leave)');
  // Fast checks for the two real actions: "\f1\f" and "\f-1\f".
  const isJoin = body[0] === FF && body[1] === ONE && body[2] === FF ? true : firstFieldIs(body, MEMBERSHIP_JOIN);
  if (isJoin) {
    const lastFirstUserField = MembershipLayout.firstUser + MembershipLayout.fieldsPerJoinedUser - 1;
    if (count < lastFirstUserField) return tooShort(code, 'user join', count, lastFirstUserField, "first user's flags");
    const users = Math.floor((count - MembershipLayout.firstUser + 1) / MembershipLayout.fieldsPerJoinedUser);
    return membership('0004', 'join', users);
  }
  const isLeave =
    body[0] === FF && body[1] === MINUS && body[2] === ONE && body[3] === FF ? true : firstFieldIs(body, MEMBERSHIP_LEAVE);
  if (isLeave) {
    if (count < MembershipLayout.firstUser) return tooShort(code, 'user leave', count, MembershipLayout.firstUser, 'user id');
    return membership('0004', 'leave', 1);
  }
  return error(code, '0004 user join/leave packet has an action other than 1 (join) or -1 (leave).');
}

function translateUserMeta(body: Uint8Array): SoopEvent {
  const count = byteFieldCount(body);
  const pairEnd = UserMetaLayout.firstUser + UserMetaLayout.fieldsPerUser - 1;
  if (count < pairEnd) return tooShort(ServiceCode.userMeta, 'user meta', count, pairEnd, "first user's meta");
  return membership('0127', 'meta', Math.floor(count / UserMetaLayout.fieldsPerUser));
}

// ---- chat, flags, status, notices ------------------------------------------------------------

type ChatLayoutOf = typeof ChatLayout | typeof EmoticonChatLayout | typeof ManagerChatLayout;

const CHAT_NAMES: Readonly<Record<number, string>> = {
  [ServiceCode.chat]: 'chat',
  [ServiceCode.emoticonChat]: 'emoticon chat',
  [ServiceCode.managerChat]: 'manager chat',
};

/** 0005 chat, 0109 OGQ emoticon chat and 0026 manager chat: one event kind, so keywords match all three. */
function translateChat(code: number, L: ChatLayoutOf, body: Uint8Array): SoopEvent {
  const count = readFields(body, L.last);
  if (count < L.required) return tooShort(code, CHAT_NAMES[code] ?? 'chat', count, L.required, L.requiredField);
  const raw = field(count, L.message);
  const flags = parseUserFlags(field(count, L.flags));
  const months = optionalInteger(count, L.subscriptionMonths);
  const chat: ChatEvent = {
    kind: 'chat',
    code: codeText(code),
    message: raw.indexOf('\r') < 0 ? raw : raw.replaceAll('\r', ''),
    userId: field(count, L.userId),
    nickname: field(count, L.nickname),
    roles: flags.roles,
    flags,
    subscriptionMonths: months === undefined || months < 0 ? null : months,
  };
  if (L === EmoticonChatLayout) {
    return { ...chat, variant: 'emoticon', emoticon: { groupId: field(count, L.groupId), subId: field(count, L.subId) } };
  }
  return L === ManagerChatLayout ? { ...chat, variant: 'manager' } : chat;
}

function translateUserFlags(body: Uint8Array): SoopEvent {
  const L = UserFlagsLayout;
  const count = readFields(body, L.last);
  if (count < L.required) return tooShort(ServiceCode.userFlags, 'user flags', count, L.required, L.requiredField);
  const flags = parseUserFlags(field(count, L.flags));
  const previous = optionalField(count, L.previousFlags);
  return {
    kind: 'userFlags',
    code: '0012',
    userId: field(count, L.userId),
    nickname: field(count, L.nickname),
    flags,
    previousFlags: previous === undefined ? undefined : parseUserFlags(previous),
    roles: flags.roles,
  };
}

function translateStreamerStatus(body: Uint8Array): SoopEvent {
  const L = StreamerStatusLayout;
  const count = readFields(body, L.last);
  if (count < L.required) return tooShort(ServiceCode.streamerStatus, 'streamer status', count, L.required, L.requiredField);
  const status = parseInteger(field(count, L.status));
  if (Number.isNaN(status)) return notANumber(ServiceCode.streamerStatus, 'streamer status', field(count, L.status));
  return { kind: 'streamerStatus', code: '0007', status };
}

function translateNotice(
  code: number,
  source: 'system' | 'streamer',
  L: { readonly message: number; readonly last: number; readonly required: number; readonly requiredField: string },
  body: Uint8Array,
): SoopEvent {
  const count = readFields(body, L.last);
  if (count < L.required) return tooShort(code, `${source} notice`, count, L.required, L.requiredField);
  return { kind: 'notice', code: codeText(code), source, message: field(count, L.message) };
}

// ---- donations -------------------------------------------------------------------------------

const DONATION_NAMES: Record<DonationType, string> = {
  star: 'star balloon',
  ad: 'ad balloon',
  video: 'video balloon',
  stationAd: 'station ad balloon',
  vod: 'VOD balloon',
  relayStar: 'relay-room star balloon',
  vodAd: 'VOD ad balloon',
};

function translateDonation(code: number, type: DonationType, L: DonationLayout, body: Uint8Array): SoopEvent {
  const count = readFields(body, L.last);
  const name = DONATION_NAMES[type];
  if (count < L.required) return tooShort(code, name, count, L.required, L.requiredField);
  const balloons = parseInteger(field(count, L.count));
  if (!(balloons >= 0)) return notANumber(code, `${name} count`, field(count, L.count));
  const fanOrder = optionalInteger(count, L.fanOrder) ?? 0;
  const donation: DonationEvent = {
    kind: 'donation',
    code: codeText(code),
    type,
    userId: field(count, L.userId),
    nickname: field(count, L.nickname),
    count: balloons,
    fanOrder: fanOrder > 0 ? fanOrder : 0,
    newTopFan: (optionalInteger(count, L.newTopFan) ?? 0) > 0,
    streamerId: optionalField(count, L.streamerId),
    message: optionalField(count, L.message),
    uuid: optionalField(count, L.uuid),
  };
  return donation;
}

// ---- subscriptions ---------------------------------------------------------------------------

function translateSubscription(body: Uint8Array): SoopEvent {
  const L = SubscriptionLayout;
  const count = readFields(body, L.last);
  if (count < L.required) return tooShort(ServiceCode.subscription, 'subscription', count, L.required, L.requiredField);
  return {
    kind: 'subscription',
    code: '0091',
    type: 'new',
    userId: field(count, L.userId),
    nickname: field(count, L.nickname),
    tier: optionalInteger(count, L.tier),
    itemType: optionalInteger(count, L.itemType),
    streamerId: optionalField(count, L.streamerId),
    uuid: optionalField(count, L.uuid),
  };
}

function translateConsecutiveSubscription(body: Uint8Array): SoopEvent {
  const L = ConsecutiveSubscriptionLayout;
  const code = ServiceCode.subscriptionConsecutive;
  const count = readFields(body, L.last);
  if (count < L.required) return tooShort(code, 'consecutive subscription', count, L.required, L.requiredField);
  const months = parseInteger(field(count, L.months));
  if (!(months >= 0)) return notANumber(code, 'subscription month count', field(count, L.months));
  return {
    kind: 'subscription',
    code: '0093',
    type: 'consecutive',
    userId: field(count, L.userId),
    nickname: field(count, L.nickname),
    months,
    tier: optionalInteger(count, L.tier),
    itemType: optionalInteger(count, L.itemType),
    streamerId: optionalField(count, L.streamerId),
    uuid: optionalField(count, L.uuid),
  };
}

function translateGiftSubscription(body: Uint8Array): SoopEvent {
  const L = GiftSubscriptionLayout;
  const count = readFields(body, L.last);
  if (count < L.required) return tooShort(ServiceCode.subscriptionGift, 'gift subscription', count, L.required, L.requiredField);
  return {
    kind: 'subscription',
    code: '0108',
    type: 'gift',
    userId: field(count, L.userId),
    nickname: field(count, L.nickname),
    recipientId: field(count, L.recipientId),
    recipientNickname: field(count, L.recipientNickname),
    streamerId: optionalField(count, L.streamerId),
    itemType: optionalInteger(count, L.itemType),
  };
}

// ---- gifts that are not balloons ---------------------------------------------------------------

const GIFT_NAMES: Record<GiftType, string> = {
  sticker: 'sticker',
  chocolate: 'chocolate',
  quickView: 'QuickView gift',
  ogqEmoticon: 'OGQ emoticon gift',
  gemItem: 'gem item',
};

function translateGift(code: number, type: GiftType, L: GiftLayout, body: Uint8Array, relay = false): SoopEvent {
  const count = readFields(body, L.last);
  const name = GIFT_NAMES[type];
  if (count < L.required) return tooShort(code, name, count, L.required, L.requiredField);
  let items: number | undefined;
  if (L.count > 0) {
    items = parseInteger(field(count, L.count));
    if (!(items >= 0)) return notANumber(code, `${name} count`, field(count, L.count));
  }
  const gift: GiftEvent = {
    kind: 'gift',
    code: codeText(code),
    type,
    userId: optionalField(count, L.userId),
    nickname: optionalField(count, L.nickname),
    recipientId: optionalField(count, L.recipientId),
    recipientNickname: optionalField(count, L.recipientNickname),
    streamerId: optionalField(count, L.streamerId),
    count: items,
    itemType: optionalInteger(count, L.itemType),
    item: optionalField(count, L.item),
    ...(relay ? { relay } : {}),
  };
  return gift;
}

// ---- login / join ----------------------------------------------------------------------------

function translateLogin(returnCode: number, body: Uint8Array): SoopEvent {
  const count = readFields(body, LoginLayout.last);
  const first = field(count, LoginLayout.userIdOrMessage);
  if (returnCode === 0) return { kind: 'login', code: '0001', ok: true, returnCode, userId: first };
  return {
    kind: 'login',
    code: '0001',
    ok: false,
    returnCode,
    userId: '',
    message: first !== '' ? first : `The server refused the login (return code ${returnCode}).`,
  };
}

function translateJoin(returnCode: number, body: Uint8Array): SoopEvent {
  const count = readFields(body, JoinLayout.last);
  const first = field(count, JoinLayout.chatNo);
  const streamerId = field(count, JoinLayout.streamerId);
  const numeric = isDigits(first);
  if (returnCode === 0 && numeric) return { kind: 'join', code: '0002', ok: true, returnCode, chatNo: first, streamerId };
  return {
    kind: 'join',
    code: '0002',
    ok: false,
    returnCode,
    chatNo: numeric ? first : '',
    streamerId,
    message:
      !numeric && first !== ''
        ? first
        : returnCode !== 0
          ? `The server refused the join (return code ${returnCode}).`
          : 'The join reply has no chat number.',
  };
}

// ---- missions (JSON in W1) -------------------------------------------------------------------

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function jsonNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const n = parseInteger(value);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

function isTruthyFlag(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

function translateMission(code: number, body: Uint8Array): SoopEvent {
  const count = readFields(body, MissionLayout.last);
  const name = code === ServiceCode.mission ? 'mission' : 'mission payout';
  if (count < MissionLayout.required) return tooShort(code, name, count, MissionLayout.required, MissionLayout.requiredField);
  let doc: unknown;
  try {
    doc = JSON.parse(field(count, MissionLayout.json));
  } catch (err) {
    return error(code, `${codeText(code)} ${name} JSON is invalid: ${describeError(err)}`);
  }
  if (!isRecord(doc)) return error(code, `${codeText(code)} ${name} JSON is not an object.`);
  return code === ServiceCode.mission ? missionEvent(doc) : payoutEvent(doc);
}

function missionEvent(doc: Json): SoopEvent {
  const missionType = jsonString(doc['type']);
  if (missionType === undefined) return error(ServiceCode.mission, '0121 mission JSON has no "type".');
  const base = {
    kind: 'mission',
    code: '0121',
    missionType,
    title: jsonString(doc['title']),
    key: jsonString(doc['key']),
    uuid: jsonString(doc['uuid']),
  } as const;
  switch (missionType) {
    case 'CHALLENGE_GIFT':
    case 'GIFT':
      return {
        ...base,
        userId: jsonString(doc['user_id']),
        nickname: jsonString(doc['user_nick']),
        count: jsonNumber(doc['gift_count']),
      };
    case 'CHALLENGE_NOTICE':
    case 'NOTICE':
      return { ...base, status: noticeStatus(doc) };
    case 'CHALLENGE_SETTLE':
    case 'SETTLE':
      return { ...base, count: jsonNumber(doc['settle_count']) };
    default:
      return base;
  }
}

/** Challenge notices say SUCCESS/FAIL; battle notices name a winner or a draw. */
function noticeStatus(doc: Json): string | undefined {
  const status = jsonString(doc['mission_status']);
  if (status !== undefined) return status;
  if (isTruthyFlag(doc['draw'])) return 'DRAW';
  const winner = jsonString(doc['winner']);
  return winner === undefined ? undefined : `WINNER ${winner}`;
}

function payoutEvent(doc: Json): SoopEvent {
  const list = doc['list'];
  if (!Array.isArray(list)) return error(ServiceCode.missionSettle, '0125 mission payout JSON has no "list" array.');
  let total = 0;
  for (const entry of list) {
    if (!Array.isArray(entry)) continue;
    total += jsonNumber(entry[PayoutEntryLayout.count]) ?? 0;
  }
  const first: unknown = list[0];
  const mission: MissionEvent = {
    kind: 'mission',
    code: '0125',
    missionType: 'PAYOUT',
    userId: Array.isArray(first) ? jsonString(first[PayoutEntryLayout.userId]) : undefined,
    nickname: Array.isArray(first) ? jsonString(first[PayoutEntryLayout.nickname]) : undefined,
    count: total,
    uuid: jsonString(doc['uuid']),
  };
  return mission;
}
