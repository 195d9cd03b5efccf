/** Domain events: what the rest of the bot sees of SOOP. No wire positions here. */

export type Role =
  | 'admin'
  | 'streamer'
  | 'manager'
  | 'fanClub'
  | 'topFan'
  | 'subscriber'
  | 'supporter'
  | 'quickView'
  | 'mobile'
  | 'guest'
  | 'realName'
  | 'staff';

export interface UserFlags {
  /** The raw `"flag1|flag2"` string as SOOP sent it. */
  readonly raw: string;
  readonly flag1: number;
  readonly flag2: number;
  readonly roles: readonly Role[];
  /** Subscription tier 1–3 from flag2, 0 when not a subscriber (or unknown). */
  readonly subscriberTier: number;
}

/**
 * `relayStar` is a star balloon sent in a relay room (0033): real money to the streamer, shown
 * in another streamer's room. `vodAd` is an ad balloon given to a VOD (0103), announced in the
 * next live broadcast like VOD star balloons (`vod`, 0086).
 */
export type DonationType = 'star' | 'ad' | 'video' | 'stationAd' | 'vod' | 'relayStar' | 'vodAd';
/**
 * `new` is 0091: the viewer pressed the subscription ceremony button in the room (SOOP sends it
 * then, not at purchase, and it does not tell a first subscription from a renewal); the value
 * keeps its old name so alerts already stored still render. `consecutive` is 0093 ("N개월째"),
 * `gift` is 0108.
 */
export type SubscriptionType = 'new' | 'consecutive' | 'gift';

interface Base {
  /** 4-digit service code, e.g. `"0005"`. */
  readonly code: string;
}

export interface ChatEvent extends Base {
  readonly kind: 'chat';
  readonly message: string;
  readonly userId: string;
  readonly nickname: string;
  readonly roles: readonly Role[];
  readonly flags: UserFlags;
  /** Current subscription months, or null when not subscribed / not sent. */
  readonly subscriptionMonths: number | null;
  /**
   * Absent for an ordinary chat (0005). `emoticon`: an OGQ emoticon chat (0109), whose text may
   * be empty. `manager`: a manager chat (0026).
   */
  readonly variant?: 'emoticon' | 'manager';
  /** For emoticon chats: which OGQ emoticon (group and item id). */
  readonly emoticon?: { readonly groupId: string; readonly subId: string };
}

export interface DonationEvent extends Base {
  readonly kind: 'donation';
  readonly type: DonationType;
  readonly userId: string;
  readonly nickname: string;
  readonly count: number;
  /** Non-zero when this gift made the donor fan-club member number N. */
  readonly fanOrder: number;
  /** The gift made the donor a new top fan (열혈팬). */
  readonly newTopFan: boolean;
  readonly streamerId?: string;
  readonly message?: string;
  /** Per-event id from SOOP when the packet has one: the natural dedupe key. */
  readonly uuid?: string;
}

export interface SubscriptionEvent extends Base {
  readonly kind: 'subscription';
  readonly type: SubscriptionType;
  readonly userId: string;
  readonly nickname: string;
  /** Month shown on screen, for consecutive subscriptions. */
  readonly months?: number;
  readonly tier?: number;
  readonly itemType?: number;
  /** For gifts: who received the subscription. */
  readonly recipientId?: string;
  readonly recipientNickname?: string;
  /** The streamer subscribed to, as the packet names it. */
  readonly streamerId?: string;
  readonly uuid?: string;
}

/**
 * Items that are not balloons: stickers (0020, 0034 in a relay room), chocolate (0037, 0038 in a
 * relay room), QuickView tickets given to a viewer (0045), OGQ emoticons given to a viewer (0118)
 * and gem items (0120). Decoded, not alerted (README "Which gifts alert").
 */
export type GiftType = 'sticker' | 'chocolate' | 'quickView' | 'ogqEmoticon' | 'gemItem';

export interface GiftEvent extends Base {
  readonly kind: 'gift';
  readonly type: GiftType;
  /** The giver; absent when the packet names none (gem items). */
  readonly userId?: string;
  readonly nickname?: string;
  /** The viewer who received it (QuickView, OGQ emoticon, gem item). */
  readonly recipientId?: string;
  readonly recipientNickname?: string;
  /** The streamer who received it (sticker, chocolate). */
  readonly streamerId?: string;
  readonly count?: number;
  /** Product code (sticker item type; QuickView 1/2/3 = 30/90/365 days, 100–103 = Plus 7/30/90/365 days). */
  readonly itemType?: number;
  /** Item title or name (OGQ emoticon title, gem item name). */
  readonly item?: string;
  /** Sent in a relay room (0034, 0038). */
  readonly relay?: boolean;
}

export interface MissionEvent extends Base {
  readonly kind: 'mission';
  /** `CHALLENGE_GIFT`, `GIFT`, `SETTLE`, ... or `PAYOUT` for 0125. */
  readonly missionType: string;
  readonly userId?: string;
  readonly nickname?: string;
  readonly count?: number;
  readonly title?: string;
  readonly status?: string;
  readonly key?: string;
  readonly uuid?: string;
}

export interface BroadcastEndEvent extends Base {
  readonly kind: 'broadcastEnd';
}

export interface StreamerStatusEvent extends Base {
  readonly kind: 'streamerStatus';
  readonly status: number;
}

export interface NoticeEvent extends Base {
  readonly kind: 'notice';
  readonly source: 'system' | 'streamer';
  readonly message: string;
}

export interface UserFlagsEvent extends Base {
  readonly kind: 'userFlags';
  readonly userId: string;
  readonly nickname: string;
  readonly flags: UserFlags;
  readonly previousFlags?: UserFlags;
  readonly roles: readonly Role[];
}

export interface LoginEvent extends Base {
  readonly kind: 'login';
  readonly ok: boolean;
  readonly returnCode: number;
  readonly userId: string;
  /** The server's message when the login was refused. */
  readonly message?: string;
}

export interface JoinEvent extends Base {
  readonly kind: 'join';
  readonly ok: boolean;
  readonly returnCode: number;
  readonly chatNo: string;
  readonly streamerId: string;
  readonly message?: string;
}

export interface MembershipEvent extends Base {
  readonly kind: 'membership';
  readonly action: 'join' | 'leave' | 'meta';
  /** How many users the packet lists. */
  readonly users: number;
}

export interface UnknownEvent extends Base {
  readonly kind: 'unknown';
  readonly returnCode: number;
  readonly fieldCount: number;
}

export interface DecodeErrorEvent {
  readonly kind: 'error';
  readonly code?: string;
  readonly error: string;
}

/** Everything a SOOP chat packet can turn into. */
export type SoopEvent =
  | ChatEvent
  | DonationEvent
  | SubscriptionEvent
  | GiftEvent
  | MissionEvent
  | BroadcastEndEvent
  | StreamerStatusEvent
  | NoticeEvent
  | UserFlagsEvent
  | LoginEvent
  | JoinEvent
  | MembershipEvent
  | UnknownEvent
  | DecodeErrorEvent;

export type SoopEventKind = SoopEvent['kind'];

/** Engine-level events: a broadcast starts or ends (dedupe key: the broadcast number). */
export interface LiveEvent {
  readonly kind: 'live';
  readonly broadcastNo: string;
  readonly title: string;
  readonly streamerNickname: string;
}

export interface OfflineEvent {
  readonly kind: 'offline';
  readonly broadcastNo: string;
}

export type StreamEvent = SoopEvent | LiveEvent | OfflineEvent;

/** What an engine hands to the router: one event of one streamer, in SOOP's order. */
export interface StreamerEvent {
  readonly streamerId: string;
  /** The broadcast the event belongs to, when known. */
  readonly broadcastNo: string | undefined;
  /** Position in this engine's stream; strictly increasing. */
  readonly seq: number;
  /** When the socket received the message (ms, monotonic clock of the engine). */
  readonly receivedAt: number;
  readonly event: StreamEvent;
}
