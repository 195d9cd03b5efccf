/**
 * Which subscriptions get an event, as which alert, and whether it is loud. Pure.
 *
 * - Paused subscriptions get nothing; a subscription of another streamer gets nothing.
 * - Donations map to star / ad / video (see DONATION_KIND); below `minBalloons` they are dropped for
 *   that subscription; loud when the count is at or above `loudAbove`.
 * - Missions: only balloon pledges (ALERTED_MISSION_TYPES) with a donor and a positive count, with
 *   the same minBalloons / loudAbove rules as donations.
 * - Live: loud when the subscription opted into loud alerts at all (`loudAbove` set), since going
 *   live is what people most want a ping for. Subscriptions, offline and chats are always quiet.
 * - Chat: only when one of the subscription's keywords matched (and none of its exclude words),
 *   and, when `onlyFromRoles` is non-empty, the chatter has one of those roles.
 */
import type { StreamerEvent } from '../core/events.js';
import type { AlertKind, Subscription } from '../store/types.js';
import { ALERTED_MISSION_TYPES, DONATION_KIND, alertCount, type Alert, type AlertPayload } from './alert.js';
import { buildKeywordMatcher, type KeywordMatcher } from './keyword-matcher.js';

export interface Recipient {
  readonly subscription: Subscription;
  readonly alert: Alert;
}

export interface SelectOptions {
  /** When the event happened, ms since the epoch (the embed timestamp). */
  readonly at?: number;
}

/** The alert an event becomes, before any subscription's settings; undefined = never an alert. */
export function alertPayloadOf(event: StreamerEvent['event']): AlertPayload | undefined {
  switch (event.kind) {
    case 'donation':
      return { kind: DONATION_KIND[event.type], event };
    case 'subscription':
      return { kind: 'subscription', event };
    case 'mission':
      if (!ALERTED_MISSION_TYPES.has(event.missionType) || !event.userId || !((event.count ?? 0) > 0)) return undefined;
      return { kind: 'mission', event };
    case 'live':
      return { kind: 'live', event };
    case 'offline':
      return { kind: 'offline', event };
    case 'chat':
      return { kind: 'chat', event };
    default:
      return undefined;
  }
}

function wants(sub: Subscription, streamerId: string, kind: AlertKind): boolean {
  return !sub.paused && sub.streamerId === streamerId && sub.events.includes(kind);
}

function isLoud(sub: Subscription, payload: AlertPayload, count: number | undefined): boolean {
  if (sub.loudAbove === undefined) return false;
  if (count !== undefined) return count >= sub.loudAbove;
  return payload.kind === 'live';
}

function toAlert(sub: Subscription, streamerId: string, payload: AlertPayload, loud: boolean, options: SelectOptions): Alert {
  return {
    ...payload,
    streamerId,
    locale: sub.locale,
    loud,
    ...(loud && sub.mentionRoleId !== undefined ? { mentionRoleId: sub.mentionRoleId } : {}),
    ...(options.at !== undefined ? { at: options.at } : {}),
  };
}

export function selectRecipients(
  event: StreamerEvent,
  subs: readonly Subscription[],
  matcher: KeywordMatcher,
  options: SelectOptions = {},
): Recipient[] {
  const payload = alertPayloadOf(event.event);
  if (!payload) return [];
  const { streamerId } = event;
  const recipients: Recipient[] = [];

  if (payload.kind === 'chat') {
    const candidates = subs.filter((sub) => wants(sub, streamerId, 'chat'));
    if (candidates.length === 0) return [];
    const matched = new Set(matcher.match(payload.event.message));
    if (matched.size === 0) return [];
    const roles = payload.event.roles;
    for (const sub of candidates) {
      if (!matched.has(sub.id)) continue;
      if (sub.onlyFromRoles.length > 0 && !sub.onlyFromRoles.some((role) => roles.includes(role))) continue;
      recipients.push({ subscription: sub, alert: toAlert(sub, streamerId, payload, false, options) });
    }
    return recipients;
  }

  const count = alertCount(payload);
  for (const sub of subs) {
    if (!wants(sub, streamerId, payload.kind)) continue;
    if (count !== undefined && count < sub.minBalloons) continue;
    recipients.push({ subscription: sub, alert: toAlert(sub, streamerId, payload, isLoud(sub, payload, count), options) });
  }
  return recipients;
}

/** The keyword matcher for one streamer's subscriptions: only those that can receive chats. */
export function buildMatcherFor(subs: readonly Subscription[]): KeywordMatcher {
  return buildKeywordMatcher(
    subs
      .filter((sub) => !sub.paused && sub.events.includes('chat') && sub.keywords.length > 0)
      .map((sub) => ({ subscriptionId: sub.id, keywords: sub.keywords, excludeWords: sub.excludeWords })),
  );
}
