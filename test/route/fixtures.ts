/** Builders for route tests: events and subscriptions with sensible defaults. */
import type { ChatEvent, DonationEvent, MissionEvent, Role, StreamerEvent, StreamEvent, SubscriptionEvent } from '../../src/core/events.js';
import type { Subscription } from '../../src/store/types.js';
import { ALL_ALERT_KINDS } from '../../src/store/types.js';

export function sub(id: number, patch: Partial<Subscription> = {}): Subscription {
  return {
    id,
    destination: { platform: 'discord', id: `chan${id}`, guildId: 'g1' },
    streamerId: 'khm11903',
    createdBy: 'u1',
    createdAt: 0,
    paused: false,
    pausedReason: undefined,
    events: ALL_ALERT_KINDS,
    minBalloons: 0,
    loudAbove: undefined,
    mentionRoleId: undefined,
    keywords: [],
    excludeWords: [],
    onlyFromRoles: [],
    locale: 'ko',
    ...patch,
  };
}

export function donation(patch: Partial<DonationEvent> = {}): DonationEvent {
  return { kind: 'donation', code: '0018', type: 'star', userId: 'viewer01', nickname: '닉네임', count: 100, fanOrder: 0, newTopFan: false, ...patch };
}

export function chat(message: string, patch: Partial<ChatEvent> & { roles?: readonly Role[] } = {}): ChatEvent {
  return {
    kind: 'chat',
    code: '0005',
    message,
    userId: 'viewer01',
    nickname: '닉네임',
    roles: [],
    flags: { raw: '0|0', flag1: 0, flag2: 0, roles: patch.roles ?? [], subscriberTier: 0 },
    subscriptionMonths: null,
    ...patch,
  };
}

export function subscription(patch: Partial<SubscriptionEvent> = {}): SubscriptionEvent {
  return { kind: 'subscription', code: '0091', type: 'new', userId: 'fan01', nickname: '구독자', ...patch };
}

export function mission(patch: Partial<MissionEvent> = {}): MissionEvent {
  return { kind: 'mission', code: '0121', missionType: 'CHALLENGE_GIFT', userId: 'viewer02', nickname: '미션러', count: 50, title: '노래 부르기', ...patch };
}

export function streamerEvent(event: StreamEvent, streamerId = 'khm11903'): StreamerEvent {
  return { streamerId, broadcastNo: '280000000', seq: 1, receivedAt: 0, event };
}
