/**
 * The one model every rendering (Discord, Telegram, console, digests) is built from: an event of
 * one streamer, as one subscription wants it. Plain data, so the router can store it as JSON in the
 * outbox and render it when it sends.
 */
import type { ChatEvent, DonationEvent, DonationType, LiveEvent, MissionEvent, OfflineEvent, SubscriptionEvent } from '../core/events.js';
import type { AlertKind, Locale } from '../store/types.js';

export type DonationAlertKind = 'star' | 'ad' | 'video';

export type AlertPayload =
  | { readonly kind: DonationAlertKind; readonly event: DonationEvent }
  | { readonly kind: 'subscription'; readonly event: SubscriptionEvent }
  | { readonly kind: 'mission'; readonly event: MissionEvent }
  | { readonly kind: 'live'; readonly event: LiveEvent }
  | { readonly kind: 'offline'; readonly event: OfflineEvent }
  | { readonly kind: 'chat'; readonly event: ChatEvent };

export interface AlertMeta {
  readonly streamerId: string;
  readonly locale: Locale;
  /** Role mention (Discord) / notification sound (Telegram). */
  readonly loud: boolean;
  /** Discord role to mention when loud. */
  readonly mentionRoleId?: string;
  /** Sent by /test: rendered clearly as a test. */
  readonly test?: boolean;
  /** Sent late (e.g. from the outbox after a restart): rendered with a "delayed" marker. */
  readonly delayed?: boolean;
  /** When it happened, ms since the epoch (shown as the Discord embed timestamp). */
  readonly at?: number;
}

export type Alert = AlertMeta & AlertPayload;

/** Every alert kind, checked against the store's list so the two cannot drift apart. */
export type AssertSameKinds = AlertPayload['kind'] extends AlertKind ? (AlertKind extends AlertPayload['kind'] ? true : never) : never;
export const alertKindsAgree: AssertSameKinds = true;

/**
 * Donation type → what a subscription asks for. Station ad balloons are ad balloons given from the
 * station page, and VOD ad balloons ad balloons given to a replay, so both are 'ad'; VOD balloons
 * are star balloons given to a replay and relay-room balloons star balloons sent in a relay room,
 * so both are 'star' (the rendering names the variant).
 */
export const DONATION_KIND: Readonly<Record<DonationType, DonationAlertKind>> = {
  star: 'star',
  vod: 'star',
  relayStar: 'star',
  ad: 'ad',
  stationAd: 'ad',
  vodAd: 'ad',
  video: 'video',
};

/**
 * Mission packets that are alerts: a viewer pledging balloons to a challenge or battle mission
 * (they carry a donor and a count, like a donation). Notices and settlements carry no donor, and a
 * payout (0125) repeats balloons already announced as gifts, so they are not sent.
 */
export const ALERTED_MISSION_TYPES: ReadonlySet<string> = new Set(['CHALLENGE_GIFT', 'GIFT']);

/** The balloon count an alert is about, for minBalloons / loudAbove; undefined for uncounted kinds. */
export function alertCount(alert: AlertPayload): number | undefined {
  switch (alert.kind) {
    case 'star':
    case 'ad':
    case 'video':
    case 'mission':
      return alert.event.count;
    default:
      return undefined;
  }
}
