/** Row ↔ model mapping shared by the SQL stores (SQLite and PostgreSQL use the same columns). */
import type { Role } from '../core/events.js';
import { makeDestination } from './model.js';
import type { AlertKind, Locale, OutboxEntry, Platform, Subscription } from './types.js';

export interface SubscriptionRow {
  id: number;
  platform: string;
  destination_id: string;
  guild_id: string | null;
  streamer_id: string;
  created_by: string;
  created_at: number;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  paused: number | boolean;
  paused_reason: string | null;
  events: string;
  min_balloons: number;
  loud_above: number | null;
  mention_role_id: string | null;
  keywords: string;
  exclude_words: string;
  only_from_roles: string;
  locale: string;
}

export interface OutboxRow {
  id: number;
  idempotency_key: string;
  subscription_id: number;
  platform: string;
  destination_id: string;
  guild_id: string | null;
  priority: number;
  payload: string;
  created_at: number;
  attempts: number;
  not_before: number;
  batch_key?: string | null;
  /** BIGINT comes back from PostgreSQL as a string. */
  first_attempt_at?: number | string | null;
}

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    destination: makeDestination(row.platform as Platform, row.destination_id, row.guild_id),
    streamerId: row.streamer_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    paused: row.paused === true || row.paused === 1,
    pausedReason: row.paused_reason ?? undefined,
    events: parseStrings(row.events) as AlertKind[],
    minBalloons: row.min_balloons,
    loudAbove: row.loud_above ?? undefined,
    mentionRoleId: row.mention_role_id ?? undefined,
    keywords: parseStrings(row.keywords),
    excludeWords: parseStrings(row.exclude_words),
    onlyFromRoles: parseStrings(row.only_from_roles) as Role[],
    locale: row.locale as Locale,
  };
}

export function toOutboxEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    subscriptionId: row.subscription_id,
    destination: makeDestination(row.platform as Platform, row.destination_id, row.guild_id),
    priority: row.priority,
    payload: row.payload,
    createdAt: row.created_at,
    attempts: row.attempts,
    notBefore: row.not_before,
    ...(row.batch_key ? { batchKey: row.batch_key } : {}),
    ...(row.first_attempt_at !== null && row.first_attempt_at !== undefined ? { firstAttemptAt: Number(row.first_attempt_at) } : {}),
  };
}

/** Our own JSON columns; anything that is not a list of strings reads as empty rather than crashing a lookup. */
export function parseStrings(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
