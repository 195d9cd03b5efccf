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

/** 0107 ad balloon given via the station page. */
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

/** 0086 balloons given to VODs, announced at the next live join. */
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

/** 0091 subscription ceremony / new subscription. W5 is the product code, not a month count. */
export const SubscriptionLayout = {
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
  itemType: 8,
  last: 8,
  required: 5,
  requiredField: 'recipient nickname',
} as const;

/** 0121 mission / 0125 mission payout: one JSON document in W1. */
export const MissionLayout = { json: 1, last: 1, required: 1, requiredField: 'mission JSON' } as const;

/** 0125 payout list entries: [userId, nickname, count, becameFanClub, becameTopFan]. */
export const PayoutEntryLayout = { userId: 0, nickname: 1, count: 2 } as const;

/** 0058 SOOP system notice. */
export const SystemNoticeLayout = { message: 1, last: 1, required: 1, requiredField: 'notice message' } as const;

/** 0104 streamer's pinned notice. */
export const StreamerNoticeLayout = { message: 4, last: 4, required: 4, requiredField: 'notice message' } as const;
