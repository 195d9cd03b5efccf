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

export type DonationType = 'star' | 'ad' | 'video' | 'stationAd' | 'vod';
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
  readonly uuid?: string;
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
