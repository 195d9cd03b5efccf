/**
 * Where each SOOP packet keeps its fields: the only file that knows positional indices.
 *
 * Convention W (soop-protocol.md §5): split the body on `\f`; index 0 is the empty string before
 * the leading `\f`, index 1 is the first field. `required` is the highest index a packet must
 * have for its kind to make sense; later indices are optional (older, shorter layouts exist:
 * 2023 chats ended after W8, 2023 star balloons at W11). `requiredField` names that field in
 * error messages; `last` is the highest index read (decoding stops there).
 */

/** 0001 login reply: W1 user id (empty when anonymous), or the server's message when refused. */
export const LoginLayout = { userIdOrMessage: 1, last: 1 } as const;

/** 0002 join reply: W1 chat number (or a refusal text such as a wrong password), W2 streamer id. */
export const JoinLayout = { chatNo: 1, streamerId: 2, last: 2 } as const;

/** 0004 user join/leave: W1 action (`1` join batch of (id, nick, flags) triples from W2, `-1` leave). */
export const MembershipLayout = { action: 1, firstUser: 2, fieldsPerJoinedUser: 3 } as const;
export const MEMBERSHIP_JOIN = '1';
export const MEMBERSHIP_LEAVE = '-1';

/** 0127 user meta: (userId, `p=..&fw=..&afw=..`) pairs from W1. */
export const UserMetaLayout = { firstUser: 1, fieldsPerUser: 2 } as const;

/** 0005 chat. */
export const ChatLayout = {
  message: 1,
  userId: 2,
  nickname: 6,
  flags: 7,
  subscriptionMonths: 8,
  last: 8,
  required: 7,
  requiredField: 'user flags',
} as const;

/** 0109 OGQ emoticon chat: W2 text (often empty), W3/W4 emoticon group/item, W6 sender id, W7 nick, W8 flags, W13 months. */
export const EmoticonChatLayout = {
  message: 2,
  groupId: 3,
  subId: 4,
  userId: 6,
  nickname: 7,
  flags: 8,
  subscriptionMonths: 13,
  last: 13,
  required: 8,
  requiredField: 'user flags',
} as const;

/** 0026 manager chat: W1 text, W2 sender id, W3 is-admin, W4 language, W5 nick, W6 flags, W7 months. */
export const ManagerChatLayout = {
  message: 1,
  userId: 2,
  nickname: 5,
  flags: 6,
  subscriptionMonths: 7,
  last: 7,
  required: 6,
  requiredField: 'user flags',
} as const;

/** 0007 streamer-account status (0/1): not an end signal. */
export const StreamerStatusLayout = { status: 1, last: 1, required: 1, requiredField: 'status' } as const;

/** 0012 a user's flags changed: W1 new flags, W6 previous flags. */
export const UserFlagsLayout = {
  flags: 1,
  userId: 2,
  nickname: 3,
  previousFlags: 6,
  last: 6,
  required: 3,
  requiredField: 'nickname',
} as const;

/** Positions shared by every balloon-like donation; -1 = the packet has no such field. */
export interface DonationLayout {
  readonly streamerId: number;
  readonly userId: number;
  readonly nickname: number;
  readonly count: number;
  readonly fanOrder: number;
  /** Non-zero value = the gift made the donor a new top fan. */
  readonly newTopFan: number;
  readonly message: number;
  readonly uuid: number;
  /** The highest index read. */
  readonly last: number;
  readonly required: number;
  readonly requiredField: string;
}

/** 0018 star balloon (별풍선). */
export const StarBalloonLayout: DonationLayout = {
  streamerId: 1,
  userId: 2,
  nickname: 3,
  count: 4,
  fanOrder: 5,
  newTopFan: 10,
  message: -1,
  uuid: 12,
  last: 12,
  required: 4,
  requiredField: 'balloon count',
};

/**
 * 0033 star balloon in a relay (sub) room: 0018 shifted by one, with the streamer's nickname in W3
 * (W2 streamer id, W4 sender id, W5 nick, W6 count, W7 fanOrder, W9 file, W10 isDefault,
 * W11 topFanLevel, W12 tts, W13 uuid, W14 language, W15 urlModify).
 */
export const RelayStarBalloonLayout: DonationLayout = {
  streamerId: 2,
  userId: 4,
  nickname: 5,
  count: 6,
  fanOrder: 7,
  newTopFan: 11,
  message: -1,
  uuid: 13,
  last: 13,
  required: 6,
  requiredField: 'balloon count',
};

/** 0087 ad balloon (애드벌룬). */
export const AdBalloonLayout: DonationLayout = {
  streamerId: 2,
  userId: 3,
  nickname: 4,
  count: 10,
  fanOrder: 11,
  newTopFan: 12,
  message: 5,
  uuid: 16,
  last: 16,
  required: 10,
  requiredField: 'balloon count',
};

/** 0105 video balloon (영상풍선). W15 is 32-hex "extraData", not a uuid, so it is not used as one. */
export const VideoBalloonLayout: DonationLayout = {
  streamerId: 2,
  userId: 3,
  nickname: 4,
  count: 5,
  fanOrder: 6,
  newTopFan: 8,
  message: -1,
  uuid: -1,
  last: 8,
  required: 5,
  requiredField: 'balloon count',
};

/**
 * 0107 ad balloon given via the station page, 9 fields: W1 streamer id, W2 sender, W3 nick,
 * W4 count, W5 image URL, W6 title (the message), W7 chatNo, W8 language, W9 urlModify.
 */
export const StationAdBalloonLayout: DonationLayout = {
  streamerId: 1,
  userId: 2,
  nickname: 3,
  count: 4,
  fanOrder: -1,
  newTopFan: -1,
  message: 6,
  uuid: -1,
  last: 6,
  required: 4,
  requiredField: 'balloon count',
};

/**
 * 0103 ad balloons given to a VOD: the same 9 fields as 0107 (W1 streamer id, W2 sender, W3 nick,
 * W4 count, W5 image URL, W6 title, W7 chatNo, W8 language, W9 urlModify).
 */
export const VodAdBalloonLayout: DonationLayout = { ...StationAdBalloonLayout };

/**
 * 0086 star balloons given to VODs, announced as a total at the next live join, 9 fields: W1 streamer
 * id, W2 sender, W3 nick, W4 count, W5 file name, W6 isDefault, W7 chatNo, W8 language, W9 urlModify.
 */
export const VodBalloonLayout: DonationLayout = {
  streamerId: 1,
  userId: 2,
  nickname: 3,
  count: 4,
  fanOrder: -1,
  newTopFan: -1,
  message: -1,
  uuid: -1,
  last: 4,
  required: 4,
  requiredField: 'balloon count',
};

/**
 * 0091 subscription ceremony: sent when the viewer presses the ceremony button, not at purchase.
 * W2 streamer id, W3 subscriber id, W4 nick, W5 the product code (not a month count), W8 tier.
 */
export const SubscriptionLayout = {
  streamerId: 2,
  userId: 3,
  nickname: 4,
  itemType: 5,
  tier: 8,
  uuid: 9,
  last: 9,
  required: 4,
  requiredField: 'subscriber nickname',
} as const;

/** 0093 consecutive-month subscription: W4 is the month shown on screen. */
export const ConsecutiveSubscriptionLayout = {
  streamerId: 1,
  userId: 2,
  nickname: 3,
  months: 4,
  itemType: 6,
  tier: 8,
  uuid: 9,
  last: 9,
  required: 4,
  requiredField: 'month count',
} as const;

/** 0108 gift subscription. */
export const GiftSubscriptionLayout = {
  userId: 2,
  nickname: 3,
  recipientId: 4,
  recipientNickname: 5,
  streamerId: 6,
  itemType: 8,
  last: 8,
  required: 5,
  requiredField: 'recipient nickname',
} as const;

/** Positions of a non-balloon gift; -1 = the packet has no such field. */
export interface GiftLayout {
  readonly streamerId: number;
  readonly userId: number;
  readonly nickname: number;
  readonly recipientId: number;
  readonly recipientNickname: number;
  readonly count: number;
  readonly itemType: number;
  readonly item: number;
  readonly last: number;
  readonly required: number;
  readonly requiredField: string;
}

const NO_GIFT_FIELDS = { streamerId: -1, userId: -1, nickname: -1, recipientId: -1, recipientNickname: -1, count: -1, itemType: -1, item: -1 };

/** 0020 sticker: W1 streamer id, W2 streamer nick, W3 sender, W4 nick, W6 item type, W8 count, W9 supporter order. */
export const StickerLayout: GiftLayout = {
  ...NO_GIFT_FIELDS,
  streamerId: 1,
  userId: 3,
  nickname: 4,
  itemType: 6,
  count: 8,
  last: 8,
  required: 8,
  requiredField: 'sticker count',
};

/** 0034 sticker in a relay room: 0020 shifted by one. */
export const RelayStickerLayout: GiftLayout = {
  ...NO_GIFT_FIELDS,
  streamerId: 2,
  userId: 4,
  nickname: 5,
  itemType: 7,
  count: 9,
  last: 9,
  required: 9,
  requiredField: 'sticker count',
};

/** 0037 chocolate (0038 in a relay room): W2 streamer id, W3 sender, W4 nick, W5 count. */
export const ChocolateLayout: GiftLayout = {
  ...NO_GIFT_FIELDS,
  streamerId: 2,
  userId: 3,
  nickname: 4,
  count: 5,
  last: 5,
  required: 5,
  requiredField: 'chocolate count',
};

/** 0045 QuickView given to a viewer: W2 sender, W3 nick, W4 receiver, W5 receiver nick, W6 item type. */
export const QuickViewGiftLayout: GiftLayout = {
  ...NO_GIFT_FIELDS,
  userId: 2,
  nickname: 3,
  recipientId: 4,
  recipientNickname: 5,
  itemType: 6,
  last: 6,
  required: 5,
  requiredField: 'recipient nickname',
};

/** 0118 OGQ emoticon given to a viewer: W2 sender, W3 nick, W4 receiver, W5 receiver nick, W6 title, W7 image. */
export const OgqEmoticonGiftLayout: GiftLayout = {
  ...NO_GIFT_FIELDS,
  userId: 2,
  nickname: 3,
  recipientId: 4,
  recipientNickname: 5,
  item: 6,
  last: 6,
  required: 5,
  requiredField: 'recipient nickname',
};

/** 0120 gem item: W2 receiver, W3 receiver nick, W4 item name (no sender in the layout). */
export const GemItemLayout: GiftLayout = {
  ...NO_GIFT_FIELDS,
  recipientId: 2,
  recipientNickname: 3,
  item: 4,
  last: 4,
  required: 3,
  requiredField: 'recipient nickname',
};

/** 0121 mission / 0125 mission payout: one JSON document in W1. */
export const MissionLayout = { json: 1, last: 1, required: 1, requiredField: 'mission JSON' } as const;

/** 0125 payout list entries: [userId, nickname, count, becameFanClub, becameTopFan]. */
export const PayoutEntryLayout = { userId: 0, nickname: 1, count: 2 } as const;

/** 0058 SOOP system notice. */
export const SystemNoticeLayout = { message: 1, last: 1, required: 1, requiredField: 'notice message' } as const;

/** 0104 streamer's pinned notice. */
export const StreamerNoticeLayout = { message: 4, last: 4, required: 4, requiredField: 'notice message' } as const;
