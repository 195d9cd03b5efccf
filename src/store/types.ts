/** The subscription model and the store port. Implementations: sqlite (default), memory (tests). */
import type { Role } from '../core/events.js';
import type { StorageHealthPort } from './health.js';

export type Platform = 'discord' | 'telegram' | 'console';

/** Where alerts go: a Discord channel (in a guild) or a Telegram chat. */
export interface Destination {
  readonly platform: Platform;
  /** Discord channel id, Telegram chat id, or a console name. */
  readonly id: string;
  /** Discord guild id; undefined elsewhere. */
  readonly guildId?: string;
}

/** What a subscription wants delivered. */
export type AlertKind = 'star' | 'ad' | 'video' | 'subscription' | 'mission' | 'live' | 'offline' | 'chat';
export const ALL_ALERT_KINDS: readonly AlertKind[] = ['star', 'ad', 'video', 'subscription', 'mission', 'live', 'offline', 'chat'];

export type { Locale } from '../core/locale.js';
import type { Locale } from '../core/locale.js';

export interface Subscription {
  readonly id: number;
  readonly destination: Destination;
  readonly streamerId: string;
  /** Platform user id of whoever created it. */
  readonly createdBy: string;
  readonly createdAt: number;
  readonly paused: boolean;
  readonly pausedReason: string | undefined;
  readonly events: readonly AlertKind[];
  /** Donations below this many balloons are not sent. */
  readonly minBalloons: number;
  /** At or above this many balloons the alert is loud (role mention / notification sound); undefined = never. */
  readonly loudAbove: number | undefined;
  /** Discord role id to mention on loud alerts. */
  readonly mentionRoleId: string | undefined;
  readonly keywords: readonly string[];
  readonly excludeWords: readonly string[];
  /** Keyword chats only from these roles; empty = anyone. */
  readonly onlyFromRoles: readonly Role[];
  readonly locale: Locale;
}

export type NewSubscription = Omit<Subscription, 'id' | 'createdAt' | 'paused' | 'pausedReason'> &
  Partial<Pick<Subscription, 'paused' | 'pausedReason'>>;

/**
 * Fields to change. A key that is absent (or `undefined` for a non-clearable field) is left alone;
 * `pausedReason`, `loudAbove` and `mentionRoleId` are cleared by passing the key with `undefined`.
 * Un-pausing (`paused: false`) also clears `pausedReason` unless the patch sets one.
 */
export type SubscriptionPatch = Partial<
  Pick<
    Subscription,
    'paused' | 'pausedReason' | 'events' | 'minBalloons' | 'loudAbove' | 'mentionRoleId' | 'keywords' | 'excludeWords' | 'onlyFromRoles' | 'locale'
  >
>;

export interface StoreLimits {
  readonly perDestination: number;
  readonly perGuild: number;
}

/** A durable outbox row: one alert for one destination, written before it is sent. */
export interface OutboxEntry {
  readonly id: number;
  /** Unique per event and destination: `<streamer>:<event key>:<platform>:<destination>`. */
  readonly idempotencyKey: string;
  readonly subscriptionId: number;
  readonly destination: Destination;
  /** Delivery priority lane: 0 donations, 1 live, 2 chat. */
  readonly priority: number;
  /** The rendered alert, serialised by the router (JSON). */
  readonly payload: string;
  readonly createdAt: number;
  readonly attempts: number;
  /** Not before this time (ms epoch); 0 for a new row (send as soon as possible). */
  readonly notBefore: number;
  /**
   * Set when the row went out in a batched message: that message's key (and Discord nonce). After
   * a crash the same rows are sent again as the same batch, so the platform can drop the resend.
   */
  readonly batchKey?: string;
  /** When the row was first attempted (set with its first failure); the give-up window counts from it. */
  readonly firstAttemptAt?: number;
}

export type NewOutboxEntry = Pick<OutboxEntry, 'idempotencyKey' | 'subscriptionId' | 'destination' | 'priority' | 'payload' | 'createdAt'>;

/**
 * Every method may throw StorageUnavailableError (errors.ts) when the database cannot be used
 * (disk full, locked, read-only, server gone, no answer): callers keep what they hold and try
 * again. `health()` says whether it is failing; `onHealthChange` announces each change.
 */
export interface SubscriptionStore extends StorageHealthPort {
  /** Adds a subscription; throws LimitError / DuplicateError (AppError subclasses) with a clear message. */
  add(sub: NewSubscription, limits?: StoreLimits): Subscription;
  get(id: number): Subscription | undefined;
  find(destination: Destination, streamerId: string): Subscription | undefined;
  update(id: number, patch: SubscriptionPatch): Subscription | undefined;
  remove(id: number): boolean;
  listByDestination(destination: Destination): Subscription[];
  listByGuild(guildId: string): Subscription[];
  listByStreamer(streamerId: string): Subscription[];
  /** Every streamer that has at least one subscription (paused included). */
  listStreamers(): string[];
  /**
   * Moves every subscription (and pending outbox row) of a destination to a new id (Telegram group → supergroup).
   * Where the new id already watches the same streamer, its own subscription stays and the moving one is dropped.
   * Returns how many subscriptions moved.
   */
  moveDestination(from: Destination, toId: string): number;
  /** Pauses every subscription of a destination (or removes, per `remove`). Returns how many. */
  disableDestination(destination: Destination, reason: string, remove?: boolean): number;

  /** Outbox: inserts rows that are not there yet (by idempotency key); returns the ones inserted. */
  enqueueOutbox(entries: readonly NewOutboxEntry[]): OutboxEntry[];
  /**
   * Rows waiting to be sent, by priority then id (oldest first), at most `limit`.
   * With `now`, only rows whose `notBefore <= now`; without it, every pending row (deferred ones too).
   */
  pendingOutbox(limit: number, now?: number): OutboxEntry[];
  /** Marks a pending row delivered; a row already sent or failed is left as it is. */
  markSent(id: number, sentAt: number): void;
  /** Records that these rows are about to go out together in one message with this key. */
  markBatch(ids: readonly number[], batchKey: string): void;
  /** markSent for the rows of one batched message, in one write. */
  markSentMany(ids: readonly number[], sentAt: number): void;
  /** Marks a pending row as given up on (it leaves the backlog); a row already sent or failed is left as it is. */
  markFailed(id: number, error: string): void;
  /**
   * Records an attempt and when to try again (pending rows only). `firstAttemptAt` is kept only
   * when the row has none yet: it stays the time of the very first attempt, across restarts.
   */
  deferOutbox(id: number, notBefore: number, firstAttemptAt?: number): void;
  /** How many rows are waiting to be sent (deferred ones included). */
  outboxBacklog(): number;
  /**
   * Deletes sent and failed rows created before `createdBefore` (pending rows are never deleted),
   * the oldest first, at most `limit` of them (default: all). Their idempotency keys go with them,
   * so keep them longer than any replay window. Returns how many.
   */
  pruneOutbox(createdBefore: number, limit?: number): number;
  /**
   * Deletes state entries whose key starts with `keyPrefix` and whose value is a time (ms epoch)
   * before `before` (e.g. broadcasts announced long ago), at most `limit` (default: all). Returns how many.
   */
  pruneState(keyPrefix: string, before: number, limit?: number): number;
  /** What the database takes on disk, in bytes (SQLite: file + WAL; PostgreSQL: this schema's relations; memory: 0). */
  databaseBytes(): number;
  /** A small write that proves the database takes writes again (called while health() is failing). */
  probe(): void;

  /** The language alerts to a destination are written in; undefined until one was chosen or set by its first subscription. */
  getDestinationLocale(destination: Destination): Locale | undefined;
  /**
   * Stores the destination's alert language and sets it on every subscription there, in one step
   * (subscriptions carry the language the router renders with). Returns how many subscriptions.
   */
  setDestinationLocale(destination: Destination, locale: Locale): number;

  /** Small key/value state: e.g. the last announced broadcast number per streamer (dedupe across restarts). */
  getState(key: string): string | undefined;
  setState(key: string, value: string): void;

  close(): void;
}
