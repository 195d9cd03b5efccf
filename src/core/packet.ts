/**
 * A framed SOOP packet: the 14-byte header already read, the body left as bytes so that
 * packets nobody needs are never turned into strings.
 */
export interface RawPacket {
  /** Service code as a number (`5` for `0005`). */
  readonly code: number;
  /** The 2-digit header trailer: 0 normally, otherwise a server return/error code. */
  readonly returnCode: number;
  /** UTF-8 body bytes (usually `\f`-separated fields): a view into the received message, never reused. */
  readonly body: Uint8Array;
}

/** A framing problem: reported as a value, never thrown. */
export interface FramingError {
  readonly kind: 'error';
  readonly error: string;
  /** The service code when the header could be read. */
  readonly code?: number;
}

/** Formats a numeric service code the way the protocol writes it (`5` → `"0005"`). */
export function formatCode(code: number): string {
  return code.toString().padStart(4, '0');
}

/** Service codes the rest of the code refers to by name. */
export const ServiceCode = {
  keepalive: 0,
  login: 1,
  join: 2,
  userJoinLeave: 4,
  chat: 5,
  streamerStatus: 7,
  userFlags: 12,
  starBalloon: 18,
  sticker: 20,
  managerChat: 26,
  relayStarBalloon: 33,
  relaySticker: 34,
  chocolate: 37,
  relayChocolate: 38,
  quickViewGift: 45,
  adminNotice: 58,
  vodBalloon: 86,
  adBalloon: 87,
  broadcastEnd: 88,
  subscription: 91,
  subscriptionConsecutive: 93,
  vodAdBalloon: 103,
  streamerNotice: 104,
  videoBalloon: 105,
  stationAdBalloon: 107,
  subscriptionGift: 108,
  emoticonChat: 109,
  ogqEmoticonGift: 118,
  gemItem: 120,
  mission: 121,
  missionSettle: 125,
  userMeta: 127,
} as const;

/** Membership noise: join/leave batches and per-user meta. The first packets shed or skipped. */
export function isMembershipCode(code: number): boolean {
  return code === ServiceCode.userJoinLeave || code === ServiceCode.userMeta;
}

/** How much a packet matters when an engine's queue overflows. */
export type PacketPriority = 'critical' | 'chat' | 'noise';

const CRITICAL_CODES = new Set<number>([
  ServiceCode.login,
  ServiceCode.join,
  ServiceCode.starBalloon,
  ServiceCode.relayStarBalloon,
  ServiceCode.vodAdBalloon,
  ServiceCode.vodBalloon,
  ServiceCode.adBalloon,
  ServiceCode.broadcastEnd,
  ServiceCode.subscription,
  ServiceCode.subscriptionConsecutive,
  ServiceCode.videoBalloon,
  ServiceCode.stationAdBalloon,
  ServiceCode.subscriptionGift,
  ServiceCode.mission,
  ServiceCode.missionSettle,
]);

/**
 * Donations of every kind, subscriptions, missions, the broadcast end and the handshake are never
 * shed; membership noise goes first; everything else (chat, notices, flag changes) goes next.
 */
export function packetPriority(code: number): PacketPriority {
  if (CRITICAL_CODES.has(code)) return 'critical';
  if (isMembershipCode(code)) return 'noise';
  return 'chat';
}
