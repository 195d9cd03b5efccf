/** Pure rules of the subscription model, shared by every store implementation. */
import { LimitError } from './errors.js';
import type { Destination, NewOutboxEntry, NewSubscription, OutboxEntry, StoreLimits, Subscription, SubscriptionPatch } from './types.js';

/** Two destinations are the same place when platform and id match (the guild is an attribute). */
export function sameDestination(a: Destination, b: Destination): boolean {
  return a.platform === b.platform && a.id === b.id;
}

export function makeDestination(platform: Destination['platform'], id: string, guildId: string | null | undefined): Destination {
  return guildId == null ? { platform, id } : { platform, id, guildId };
}

/** A stored subscription from what `add` was given; arrays are copied so the caller keeps no handle on them. */
export function newSubscription(id: number, input: NewSubscription, createdAt: number): Subscription {
  return {
    id,
    destination: makeDestination(input.destination.platform, input.destination.id, input.destination.guildId),
    streamerId: input.streamerId,
    createdBy: input.createdBy,
    createdAt,
    paused: input.paused ?? false,
    pausedReason: input.pausedReason,
    events: [...input.events],
    minBalloons: input.minBalloons,
    loudAbove: input.loudAbove,
    mentionRoleId: input.mentionRoleId,
    keywords: [...input.keywords],
    excludeWords: [...input.excludeWords],
    onlyFromRoles: [...input.onlyFromRoles],
    locale: input.locale,
  };
}

/** The subscription after `patch` (see SubscriptionPatch for what absent and `undefined` mean). */
export function applyPatch(sub: Subscription, patch: SubscriptionPatch): Subscription {
  const has = (key: keyof SubscriptionPatch): boolean => Object.hasOwn(patch, key);
  const paused = patch.paused ?? sub.paused;
  let pausedReason = has('pausedReason') ? patch.pausedReason : sub.pausedReason;
  if (patch.paused === false && !has('pausedReason')) pausedReason = undefined;
  return {
    ...sub,
    paused,
    pausedReason,
    events: patch.events ? [...patch.events] : sub.events,
    minBalloons: patch.minBalloons ?? sub.minBalloons,
    loudAbove: has('loudAbove') ? patch.loudAbove : sub.loudAbove,
    mentionRoleId: has('mentionRoleId') ? patch.mentionRoleId : sub.mentionRoleId,
    keywords: patch.keywords ? [...patch.keywords] : sub.keywords,
    excludeWords: patch.excludeWords ? [...patch.excludeWords] : sub.excludeWords,
    onlyFromRoles: patch.onlyFromRoles ? [...patch.onlyFromRoles] : sub.onlyFromRoles,
    locale: patch.locale ?? sub.locale,
  };
}

/** Throws LimitError when one more subscription would exceed a limit; counts are read lazily. */
export function assertWithinLimits(
  destination: Destination,
  limits: StoreLimits,
  count: { inDestination: () => number; inGuild: () => number },
): void {
  if (count.inDestination() >= limits.perDestination) throw new LimitError('destination', limits.perDestination, destination);
  if (destination.guildId !== undefined && count.inGuild() >= limits.perGuild) throw new LimitError('guild', limits.perGuild, destination);
}

/** A freshly inserted outbox row: nothing attempted yet, sendable at once. */
export function newOutboxEntry(id: number, entry: NewOutboxEntry): OutboxEntry {
  const { destination } = entry;
  return {
    id,
    idempotencyKey: entry.idempotencyKey,
    subscriptionId: entry.subscriptionId,
    destination: makeDestination(destination.platform, destination.id, destination.guildId),
    priority: entry.priority,
    payload: entry.payload,
    createdAt: entry.createdAt,
    attempts: 0,
    notBefore: 0,
  };
}
