/**
 * The router: events in, alerts out.
 *
 * 1. `handle(event)` picks the subscriptions an event goes to (one keyword pass per chat line) and
 *    turns it into one alert per destination. Donations, subscriptions, missions and live/offline
 *    alerts are written to the durable outbox first (one row per destination, idempotency key per
 *    event and destination); keyword chats are kept in memory only.
 * 2. Each destination has a queue with three lanes (donations > live > chat) and sends one message
 *    at a time when the limiter allows it. A destination that fell behind gets its queued
 *    donations batched into one message and its queued chats coalesced into one digest — nothing
 *    is dropped.
 * 3. A message's identity is fixed at its first attempt: its alerts and its key (the Discord nonce)
 *    are written down with its rows, and every retry resends exactly those alerts under that key,
 *    whatever queued meanwhile (that goes in the next message).
 * 4. Failures are decided by a table (delivery-policy.ts): rate limited → wait `retry_after`;
 *    transient → retry with capped backoff for as long as the give-up window (24 h by default,
 *    counted from the durable first attempt); a 400 about our rendering → the same alerts again in
 *    the minimal form; gone/forbidden → the destination's subscriptions are paused; migrated →
 *    moved. Every row that ends undelivered is counted, logged and kept for /status.
 * 5. Storage faults (disk full, locked, read-only, PostgreSQL gone) never throw out of the router:
 *    an event that cannot be written is held in a bounded in-memory spill (spill.ts; donations
 *    first) and written — then sent — when storage returns; a send that needs no write first goes
 *    on, and marks that could not be written (sent, failed) are written later.
 * 6. Shared mode (several nodes on one database): every alert, chats included, goes to the outbox
 *    and nothing is queued by `handle`; the node holding a destination's lease claims its rows and
 *    hands them to `adopt`, so each destination is paced by one node only.
 */
import { backoffDelay, systemClock, type Clock } from '../core/async.js';
import { DeliveryError, describeError } from '../core/errors.js';
import type { StreamerEvent } from '../core/events.js';
import { isStorageUnavailable } from '../store/errors.js';
import type { Destination, Locale, OutboxEntry, Platform, Subscription, SubscriptionStore } from '../store/types.js';
import type { Alert } from './alert.js';
import { DEFAULT_GIVE_UP_AFTER_MS, decide, failureKind } from './delivery-policy.js';
import { eventKey } from './event-key.js';
import { buildMatcherFor, selectRecipients, type Recipient } from './filters.js';
import type { KeywordMatcher } from './keyword-matcher.js';
import type { DeliveryLimiter } from './limiter.js';
import type { Sink } from './sink.js';
import { EventSpill, type SpillDrops } from './spill.js';

export const Lane = { donation: 0, live: 1, chat: 2 } as const;

export interface RouterLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RouterStats {
  sent: number;
  failed: number;
  rateLimited: number;
  retried: number;
  /** Messages sent again in the minimal form after the platform refused our rendering. */
  rerendered: number;
  chatsDropped: number;
  disabledDestinations: number;
}

export interface RouterOptions {
  readonly store: SubscriptionStore;
  readonly sinks: readonly Sink[];
  readonly limiter: DeliveryLimiter;
  readonly clock?: Clock;
  readonly logger?: RouterLogger;
  /** Distinguishes this process's keys for events SOOP gives no id (see eventKey). */
  readonly runId?: string;
  /** Pending rows older than this at startup are rendered as "delayed" (default 60 s). */
  readonly delayedAfterMs?: number;
  /** Most donations listed in one batched message (default 10). */
  readonly maxBatch?: number;
  /** Most chat lines in one digest (default 25). */
  readonly maxDigest?: number;
  /** Chats kept per destination while it is behind; beyond that the oldest go (default 500). */
  readonly maxQueuedChats?: number;
  readonly retry?: { readonly baseMs?: number; readonly maxMs?: number };
  /**
   * Transient failures and 429s are retried for this long after a message's first attempt
   * (durable across restarts), then its rows are given up (default 24 h).
   */
  readonly giveUpAfterMs?: number;
  /** Most events held in memory while the database cannot take them (default 10,000). */
  readonly maxSpill?: number;
  /** While the database fails, how often the router tries again (first delay and cap, ms; default 1 s, 30 s). */
  readonly storageRetry?: { readonly baseMs?: number; readonly maxMs?: number };
  /** Several nodes share the outbox: `handle` only writes it; rows reach the queues through `adopt`. */
  readonly shared?: boolean;
  /**
   * Shared mode: whether this node may still send a destination's outbox rows (it holds the
   * destination's lease and the lease has certainly not expired). When not, the queue is released
   * and the rows wait in the outbox for whoever holds the lease.
   */
  readonly mayDeliver?: (destination: Destination) => boolean;
  /** A destination was disabled (its subscriptions paused) or moved: tell someone. */
  readonly onDestinationChange?: (change: DestinationChange) => void;
  /** Each successful or failed delivery (metrics). */
  readonly onDelivery?: (result: DeliveryResult) => void;
}

export type DestinationChange =
  | {
      readonly type: 'disabled';
      readonly destination: Destination;
      readonly reason: string;
      readonly subscriptions: number;
      /** The destination's alert language (the language of its alerts), for a notice about it. */
      readonly locale?: Locale;
    }
  | { readonly type: 'moved'; readonly destination: Destination; readonly to: string; readonly subscriptions: number };

export interface DeliveryResult {
  readonly platform: Platform;
  readonly kind: string;
  readonly outcome: 'sent' | 'failed' | 'rateLimited' | 'retry';
  readonly alerts: number;
}

interface QueuedAlert {
  readonly alert: Alert;
  /** The outbox row, for durable alerts. */
  readonly row?: OutboxEntry;
  attempts: number;
  /**
   * The message this alert belongs to, fixed at its first attempt: a retry sends exactly the
   * queued alerts with this key, under this key (the Discord nonce).
   */
  messageKey?: string;
  /** When it was first attempted (ms epoch); the give-up window counts from it. */
  firstAttemptAt?: number;
  /** The platform refused our rendering of it: it goes in the minimal form. */
  minimal?: boolean;
  /** Its message's key is written with its row (batched messages only need it). */
  keyWritten?: boolean;
}

/** What the router holds because the database failed (for metrics and /status). */
export interface StorageBacklog {
  /** The database failed and the router is waiting for it. */
  readonly waiting: boolean;
  /** Events held in memory, not yet in the outbox. */
  readonly heldEvents: number;
  /** Events the full spill had to refuse, by kind. */
  readonly dropped: SpillDrops;
  /** Delivered or given-up rows whose mark is not written yet. */
  readonly unrecordedMarks: number;
}

/** A destination's rows that ended undelivered, for /status. */
export interface DeliveryIssues {
  readonly givenUp: number;
  readonly lastReason: string | undefined;
  readonly lastAt: number | undefined;
}

interface DestinationQueue {
  destination: Destination;
  readonly lanes: [QueuedAlert[], QueuedAlert[], QueuedAlert[]];
  sending: boolean;
  timer: NodeJS.Timeout | undefined;
  /** Not before this time (transient backoff). */
  notBefore: number;
  /**
   * The next send goes alone: after a restart, the head row may have been in flight when the last
   * run stopped, and only the same key (same Discord nonce) lets the platform drop the resend.
   */
  single?: boolean;
  /** Handed over to another node: a send in flight completes, nothing is queued here again. */
  released?: boolean;
}

interface StreamerRoute {
  readonly subs: Subscription[];
  readonly matcher: KeywordMatcher;
}

const destinationKey = (d: Destination): string => `${d.platform}:${d.id}`;

/**
 * How many queued alerts the next message takes: when the head was attempted already, exactly the
 * alerts of that message (same key); otherwise up to `limit`, stopping before any alert that
 * belongs to an earlier message.
 */
function messageLength(lane: readonly QueuedAlert[], limit: number): number {
  const key = lane[0]?.messageKey;
  let n = 1;
  if (key !== undefined) {
    while (lane[n]?.messageKey === key) n++;
    return n;
  }
  while (n < limit && n < lane.length && lane[n]?.messageKey === undefined) n++;
  return n;
}

/** A row read back from the outbox: the message it was attempted in, if any. */
function queuedFromRow(alert: Alert, row: OutboxEntry): QueuedAlert {
  const attempted = row.attempts > 0 || row.firstAttemptAt !== undefined;
  const messageKey = row.batchKey ?? (attempted ? row.idempotencyKey : undefined);
  return {
    alert,
    row,
    attempts: row.attempts,
    ...(messageKey !== undefined ? { messageKey } : {}),
    ...(row.batchKey !== undefined ? { keyWritten: true } : {}),
    ...(row.firstAttemptAt !== undefined ? { firstAttemptAt: row.firstAttemptAt } : {}),
  };
}

function laneOf(alert: Alert): number {
  if (alert.kind === 'chat') return Lane.chat;
  if (alert.kind === 'live' || alert.kind === 'offline') return Lane.live;
  return Lane.donation;
}

export class Router {
  readonly stats: RouterStats = { sent: 0, failed: 0, rateLimited: 0, retried: 0, rerendered: 0, chatsDropped: 0, disabledDestinations: 0 };
  private readonly store: SubscriptionStore;
  private readonly sinks = new Map<Platform, Sink>();
  private readonly limiter: DeliveryLimiter;
  private readonly clock: Clock;
  private readonly logger: RouterLogger | undefined;
  private readonly runId: string;
  private readonly delayedAfterMs: number;
  private readonly maxBatch: number;
  private readonly maxDigest: number;
  private readonly maxQueuedChats: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly giveUpAfterMs: number;
  /** Numbers the messages of alerts that have no outbox row (chats, /test). */
  private messageSeq = 0;
  private readonly issues = new Map<string, DeliveryIssues>();
  private readonly routes = new Map<string, StreamerRoute>();
  private readonly queues = new Map<string, DestinationQueue>();
  /** Outbox rows held in memory (queued or in flight), so a row handed over twice is queued once. */
  private readonly rowsInMemory = new Set<number>();
  private readonly idleWaiters: (() => void)[] = [];
  private accepting = true;
  private stopped = false;
  private readonly spill: EventSpill;
  private storageDown = false;
  private storageTimer: NodeJS.Timeout | undefined;
  private storageAttempt = 0;
  /** Delivered rows whose sent mark could not be written yet: id → when. */
  private readonly unrecordedSent = new Map<number, number>();
  /** Given-up rows whose failed mark could not be written yet: id → why. */
  private readonly unrecordedFailed = new Map<number, string>();
  /** Queues whose next message needs a write first (or a pause/move to be written). */
  private readonly waitingForStorage = new Set<DestinationQueue>();
  /** start() could not read the outbox: read it when storage returns. */
  private startPending = false;
  private readonly unsubscribeHealth: () => void;

  constructor(private readonly options: RouterOptions) {
    this.store = options.store;
    for (const sink of options.sinks) this.sinks.set(sink.platform, sink);
    this.limiter = options.limiter;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.runId = options.runId ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.delayedAfterMs = options.delayedAfterMs ?? 60_000;
    this.maxBatch = options.maxBatch ?? 10;
    this.maxDigest = options.maxDigest ?? 25;
    this.maxQueuedChats = options.maxQueuedChats ?? 500;
    this.retryBaseMs = options.retry?.baseMs ?? 1000;
    this.retryMaxMs = options.retry?.maxMs ?? 60_000;
    this.giveUpAfterMs = options.giveUpAfterMs ?? DEFAULT_GIVE_UP_AFTER_MS;
    this.spill = new EventSpill(options.maxSpill ?? 10_000);
    // The store says when it answers again (a probe or any call succeeded): retry at once, outside that call.
    this.unsubscribeHealth = this.store.onHealthChange((state) => {
      if (state.ok && this.storageDown) this.retryStorageSoon(0);
    });
  }

  /**
   * Loads what an earlier run left in the outbox; rows older than `delayedAfterMs` are marked
   * delayed. In shared mode nothing is loaded: the cluster coordinator adopts rows by destination.
   */
  start(): number {
    if (this.options.shared) return 0;
    let rows: OutboxEntry[];
    try {
      rows = this.store.pendingOutbox(100_000);
    } catch (err) {
      this.storageFailed(err);
      this.startPending = true;
      return 0;
    }
    return this.adopt(rows, { single: true });
  }

  /**
   * Queues outbox rows (ones already in memory are skipped) and starts sending them. `single`: the
   * first send to each of these destinations goes alone, because the head row may have been in
   * flight when its previous holder stopped, and only the same key (the same Discord nonce) lets
   * the platform drop the resend. Returns how many rows were queued.
   */
  adopt(rows: readonly OutboxEntry[], options: { readonly single?: boolean } = {}): number {
    const now = this.clock.now();
    const touched = new Set<DestinationQueue>();
    let adopted = 0;
    for (const row of rows) {
      if (this.rowsInMemory.has(row.id)) continue;
      const alert = this.parse(row);
      if (!alert) continue;
      const delayed = now - row.createdAt >= this.delayedAfterMs;
      if (!this.push(row.destination, queuedFromRow(delayed ? { ...alert, delayed: true } : alert, row))) continue;
      const queue = this.queues.get(destinationKey(row.destination)) as DestinationQueue;
      if (options.single) queue.single = true;
      // A row deferred by its previous holder (a 429's retry_after) keeps its wait.
      if (row.notBefore > now) queue.notBefore = Math.max(queue.notBefore, row.notBefore);
      touched.add(queue);
      adopted++;
    }
    for (const queue of touched) this.pump(queue);
    return adopted;
  }

  /** Whether anything for this destination is queued or in flight here. */
  holds(destination: Destination): boolean {
    const queue = this.queues.get(destinationKey(destination));
    return queue !== undefined && (queue.sending || queue.lanes.some((l) => l.length > 0));
  }

  /**
   * Forgets what is queued for a destination (another node takes it over): durable rows stay
   * pending in the outbox. A send already in flight completes.
   */
  release(destination: Destination): void {
    const queue = this.queues.get(destinationKey(destination));
    if (!queue) return;
    for (const lane of queue.lanes) {
      for (const q of lane) if (q.row) this.rowsInMemory.delete(q.row.id);
      lane.length = 0;
    }
    clearTimeout(queue.timer);
    queue.timer = undefined;
    queue.released = true;
    this.queues.delete(destinationKey(destination));
    this.notifyIdle();
  }

  /** Rows of this destination that ended undelivered since this process started (for /status). */
  deliveryIssues(destination: Destination): DeliveryIssues {
    return this.issues.get(destinationKey(destination)) ?? { givenUp: 0, lastReason: undefined, lastAt: undefined };
  }

  /** Forget cached subscriptions (after a command changed them). */
  invalidate(streamerId?: string): void {
    if (streamerId === undefined) this.routes.clear();
    else this.routes.delete(streamerId);
  }

  /**
   * Routes one engine event. Synchronous: durable alerts are in the outbox when it returns, or,
   * while the database fails, held in memory until it can take them (never thrown).
   */
  handle(event: StreamerEvent): void {
    if (!this.accepting) return;
    if (this.storageDown || this.spill.size > 0) {
      this.hold(event);
      return;
    }
    try {
      this.route(event, true);
    } catch (err) {
      this.storageFailed(err);
      this.hold(event);
    }
  }

  /** What the router holds because the database failed. */
  storageBacklog(): StorageBacklog {
    return {
      waiting: this.storageDown,
      heldEvents: this.spill.size,
      dropped: this.spill.dropped,
      unrecordedMarks: this.unrecordedSent.size + this.unrecordedFailed.size,
    };
  }

  /**
   * The database failed: keep the event. Its keyword chats need no write and are queued at once
   * when the subscriptions are known from the cache; its durable alerts wait in the spill.
   */
  private hold(event: StreamerEvent): void {
    const cached = this.routes.get(event.streamerId);
    let chatsQueued = false;
    if (cached && this.options.shared !== true) {
      if (cached.subs.length === 0) return;
      const recipients = selectRecipients(event, cached.subs, cached.matcher, { at: this.clock.now() });
      if (recipients.length === 0) return;
      this.queueChats(recipients);
      chatsQueued = true;
      if (recipients.every((r) => r.alert.kind === 'chat')) return;
    }
    if (!this.spill.add({ event, chatsQueued })) {
      this.logger?.error({ streamer: event.streamerId, kind: event.event.kind, held: this.spill.size }, 'the database is unavailable and the in-memory spill is full: an event is dropped');
    }
  }

  private queueChats(recipients: readonly Recipient[]): void {
    for (const r of recipients) {
      if (r.alert.kind === 'chat') this.push(r.subscription.destination, { alert: r.alert, attempts: 0 });
    }
    for (const r of recipients) {
      const queue = this.queues.get(destinationKey(r.subscription.destination));
      if (queue) this.pump(queue);
    }
  }

  /** Routes an event: writes its durable alerts (throws StorageUnavailableError before queueing anything), queues them and, with `chats`, its keyword chats. */
  private route(event: StreamerEvent, chats: boolean): void {
    const route = this.routeOf(event.streamerId);
    if (route.subs.length === 0) return;
    const now = this.clock.now();
    const recipients = selectRecipients(event, route.subs, route.matcher, { at: now });
    if (recipients.length === 0) return;
    const key = eventKey(event, this.runId);
    const shared = this.options.shared === true;
    const durable = shared ? recipients : recipients.filter((r) => r.alert.kind !== 'chat');
    if (durable.length > 0) {
      const inserted = this.store.enqueueOutbox(
        durable.map((r) => ({
          idempotencyKey: `${event.streamerId}:${key}:${r.subscription.destination.platform}:${r.subscription.destination.id}`,
          subscriptionId: r.subscription.id,
          destination: r.subscription.destination,
          priority: laneOf(r.alert),
          payload: JSON.stringify(r.alert),
          createdAt: now,
        })),
      );
      if (shared) return;
      for (const row of inserted) {
        const alert = this.parse(row);
        if (alert) this.push(row.destination, { alert, row, attempts: 0 });
      }
    }
    if (chats) {
      this.queueChats(recipients);
    } else {
      for (const r of recipients) {
        const queue = this.queues.get(destinationKey(r.subscription.destination));
        if (queue) this.pump(queue);
      }
    }
  }

  /** A synthetic alert (/test) straight to one subscription's destination, through the same pacing. */
  sendTest(subscription: Subscription, alert: Alert): void {
    if (!this.accepting) return;
    this.push(subscription.destination, { alert, attempts: 0 });
    const queue = this.queues.get(destinationKey(subscription.destination));
    if (queue) this.pump(queue);
  }

  /** Alerts waiting in memory (durable ones also stay in the outbox until sent), and events held while the database fails. */
  pending(): number {
    let n = this.spill.size;
    for (const q of this.queues.values()) n += q.lanes[0].length + q.lanes[1].length + q.lanes[2].length;
    return n;
  }

  /** Resolves when nothing is queued or sending. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops taking events and tries to deliver what is queued until `deadlineMs` passes; durable
   * alerts that could not be sent stay in the outbox for the next start.
   */
  async stop(deadlineMs: number): Promise<void> {
    this.accepting = false;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)))]);
    clearTimeout(timer);
    if (this.storageDown) this.retryStorage();
    this.stopped = true;
    this.unsubscribeHealth();
    clearTimeout(this.storageTimer);
    this.storageTimer = undefined;
    const lost = this.storageBacklog();
    if (lost.heldEvents > 0 || lost.unrecordedMarks > 0) {
      // Unrecorded sent marks only cost a resend under the same key; held events are gone.
      this.logger?.error({ heldEvents: lost.heldEvents, unrecordedMarks: lost.unrecordedMarks }, 'stopping while the database is unavailable: held events are lost');
    }
    for (const queue of this.queues.values()) clearTimeout(queue.timer);
    this.queues.clear();
    this.rowsInMemory.clear();
  }

  private routeOf(streamerId: string): StreamerRoute {
    let route = this.routes.get(streamerId);
    if (!route) {
      const subs = this.store.listByStreamer(streamerId);
      route = { subs, matcher: buildMatcherFor(subs) };
      this.routes.set(streamerId, route);
    }
    return route;
  }

  private parse(row: OutboxEntry): Alert | undefined {
    try {
      return JSON.parse(row.payload) as Alert;
    } catch (err) {
      this.rowFailed(row, `unreadable payload: ${describeError(err)}`);
      return undefined;
    }
  }

  /** A store call failed: a storage fault starts the wait for the database; anything else is a bug and is thrown. */
  private storageFailed(err: unknown): void {
    if (!isStorageUnavailable(err)) throw err;
    if (!this.storageDown) {
      this.storageDown = true;
      this.storageAttempt = 0;
      this.logger?.warn({ reason: err.reason }, 'the database is unavailable: events are held in memory and written when it returns');
    }
    this.retryStorageSoon();
  }

  private retryStorageSoon(delayMs?: number): void {
    if (this.stopped) return;
    if (delayMs === 0) clearTimeout(this.storageTimer);
    else if (this.storageTimer) return;
    const base = this.options.storageRetry?.baseMs ?? 1000;
    const max = this.options.storageRetry?.maxMs ?? 30_000;
    const delay = delayMs ?? backoffDelay(this.storageAttempt++, base, max);
    this.storageTimer = setTimeout(() => {
      this.storageTimer = undefined;
      this.retryStorage();
    }, delay);
  }

  /**
   * Writes what waited for the database, oldest first: the marks of rows already sent or given up,
   * the outbox read of start(), then the held events (written, then queued). Stops at the first
   * storage failure and tries again later.
   */
  private retryStorage(): void {
    if (!this.storageDown) return;
    try {
      for (const [id, at] of this.unrecordedSent) {
        this.store.markSent(id, at);
        this.unrecordedSent.delete(id);
      }
      for (const [id, error] of this.unrecordedFailed) {
        this.store.markFailed(id, error);
        this.unrecordedFailed.delete(id);
      }
      if (this.startPending) {
        const rows = this.store.pendingOutbox(100_000);
        this.startPending = false;
        this.adopt(rows, { single: true });
      }
      const written = this.spill.size;
      for (let held = this.spill.peek(); held; held = this.spill.peek()) {
        try {
          this.route(held.event, !held.chatsQueued);
        } catch (err) {
          if (isStorageUnavailable(err)) throw err;
          this.logger?.error({ streamer: held.event.streamerId, err: describeError(err) }, 'a held event could not be routed; it is dropped');
        }
        this.spill.shift();
      }
      this.storageDown = false;
      this.logger?.info({ written }, 'the database is back: held events are written');
    } catch (err) {
      this.storageFailed(err);
      return;
    }
    const waiting = [...this.waitingForStorage];
    this.waitingForStorage.clear();
    for (const queue of waiting) this.pump(queue);
    this.notifyIdle();
  }


  /** Queues one alert; false when no sink of this node takes its platform. */
  private push(destination: Destination, item: QueuedAlert): boolean {
    if (!this.sinks.has(destination.platform)) return false; // stays in the outbox until that platform is configured
    const key = destinationKey(destination);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { destination, lanes: [[], [], []], sending: false, timer: undefined, notBefore: 0 };
      this.queues.set(key, queue);
    }
    const lane = queue.lanes[laneOf(item.alert)] as QueuedAlert[];
    lane.push(item);
    if (item.row) this.rowsInMemory.add(item.row.id);
    if (lane === queue.lanes[Lane.chat] && lane.length > this.maxQueuedChats) {
      const dropped = lane.shift();
      if (dropped?.row) this.rowFailed(dropped.row, 'dropped: the destination was too far behind');
      this.stats.chatsDropped++;
    }
    return true;
  }

  /** Rows leave memory for good: delivered (one message may carry several). Written later when the database fails. */
  private rowsSent(rows: readonly OutboxEntry[], at: number): void {
    if (rows.length === 0) return;
    for (const row of rows) this.rowsInMemory.delete(row.id);
    try {
      this.store.markSentMany(
        rows.map((row) => row.id),
        at,
      );
    } catch (err) {
      for (const row of rows) this.unrecordedSent.set(row.id, at);
      this.storageFailed(err);
    }
  }

  /** A row leaves memory for good: given up on. Written later when the database fails. */
  private rowFailed(row: OutboxEntry, error: string): void {
    this.rowsInMemory.delete(row.id);
    try {
      this.store.markFailed(row.id, error);
    } catch (err) {
      this.unrecordedFailed.set(row.id, error);
      this.storageFailed(err);
    }
  }

  /** The next message of this queue needs a write the database cannot take now: it waits for storage. */
  private waitForStorage(queue: DestinationQueue, batch: QueuedAlert[], err: unknown): void {
    const lane = queue.lanes[laneOf((batch[0] as QueuedAlert).alert)] as QueuedAlert[];
    lane.unshift(...batch);
    this.waitingForStorage.add(queue);
    this.storageFailed(err);
  }

  private pump(queue: DestinationQueue): void {
    if (this.stopped || queue.sending || queue.released || this.waitingForStorage.has(queue)) return;
    const lane = queue.lanes.find((l) => l.length > 0);
    if (!lane) {
      if (!queue.timer) this.queues.delete(destinationKey(queue.destination));
      this.notifyIdle();
      return;
    }
    if (lane[0]?.row && this.options.mayDeliver && !this.options.mayDeliver(queue.destination)) {
      this.release(queue.destination);
      return;
    }
    const now = this.clock.now();
    const platform = queue.destination.platform;
    const waitMs = Math.max(queue.notBefore - now, 0);
    const acquire = waitMs > 0 ? { ok: false as const, waitMs } : this.limiter.tryAcquire(platform, queue.destination.id, now);
    if (!acquire.ok) {
      this.wakeLater(queue, acquire.waitMs);
      return;
    }
    const limit = queue.single ? 1 : lane === queue.lanes[Lane.chat] ? this.maxDigest : this.maxBatch;
    const batch = lane.splice(0, messageLength(lane, limit));
    queue.sending = true;
    void this.deliver(queue, batch)
      .catch((err: unknown) => this.logger?.error({ destination: destinationKey(queue.destination), err: describeError(err) }, 'delivery failed unexpectedly'))
      .finally(() => {
        queue.sending = false;
        this.pump(queue);
      });
  }

  private wakeLater(queue: DestinationQueue, ms: number): void {
    if (queue.timer) return;
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      this.pump(queue);
    }, Math.max(1, ms));
  }

  private async deliver(queue: DestinationQueue, batch: QueuedAlert[]): Promise<void> {
    const sink = this.sinks.get(queue.destination.platform);
    const first = batch[0];
    if (!sink || !first) return;
    const alerts = batch.map((q) => q.alert);
    const key = first.messageKey ?? this.newMessageKey(queue, batch);
    const attemptAt = this.clock.now();
    for (const q of batch) {
      q.messageKey = key;
      q.firstAttemptAt ??= attemptAt;
    }
    const minimal = batch.some((q) => q.minimal === true);
    // A batch is written down before it goes: a crash mid-send replays the same rows under the same key.
    const rows = batch.flatMap((q) => (q.row && q.keyWritten !== true ? [q.row] : []));
    if (batch.length > 1 && rows.length > 0) {
      try {
        this.store.markBatch(
          rows.map((row) => row.id),
          key,
        );
      } catch (err) {
        this.waitForStorage(queue, batch, err);
        return;
      }
      for (const q of batch) q.keyWritten = true;
    }
    try {
      // The minimal form is another message than the refused one: its own key, derived, so stable too.
      await sink.send({ destination: queue.destination, alerts, key: minimal ? `${key}:minimal` : key, ...(minimal ? { minimal } : {}) });
      const now = this.clock.now();
      this.rowsSent(batch.flatMap((q) => (q.row ? [q.row] : [])), now);
      this.stats.sent += batch.length;
      this.report(queue, first, 'sent', batch.length);
      queue.notBefore = 0;
      queue.single = false;
    } catch (err) {
      this.onFailure(queue, batch, err);
    }
  }

  /** The key of a message attempted for the first time: its head row's key (+ its size when batched). */
  private newMessageKey(queue: DestinationQueue, batch: readonly QueuedAlert[]): string {
    const headKey = batch[0]?.row?.idempotencyKey ?? `${destinationKey(queue.destination)}:${this.runId}:m${++this.messageSeq}`;
    return batch.length > 1 ? `${headKey}+${batch.length}` : headKey;
  }

  private onFailure(queue: DestinationQueue, batch: QueuedAlert[], err: unknown): void {
    const first = batch[0] as QueuedAlert;
    const error = err instanceof DeliveryError ? err : DeliveryError.transient(describeError(err), err);
    const now = this.clock.now();
    const { destination } = queue;
    const firstAttemptAt = Math.min(...batch.map((q) => q.firstAttemptAt ?? now));
    const decision = decide(failureKind(error), { minimal: first.minimal === true, firstAttemptAt, now, giveUpAfterMs: this.giveUpAfterMs });
    for (const q of batch) q.attempts++;
    switch (decision) {
      case 'wait': {
        this.stats.rateLimited++;
        this.limiter.pause(destination.platform, destination.id, now + error.retryAfterMs);
        this.requeue(queue, batch, now + error.retryAfterMs);
        this.report(queue, first, 'rateLimited', batch.length);
        return;
      }
      case 'move':
        this.migrate(queue, batch, error.migrateTo as string);
        return;
      case 'pause':
        this.disable(queue, batch, error.message);
        return;
      case 'rerender': {
        this.stats.rerendered++;
        for (const q of batch) q.minimal = true;
        this.requeue(queue, batch, now);
        this.report(queue, first, 'retry', batch.length);
        this.logger?.warn({ destination: destinationKey(destination), err: error.message }, 'the platform refused our rendering of an alert; sending it again in the minimal form');
        return;
      }
      case 'giveUp': {
        this.giveUp(queue, batch, error.message, now);
        return;
      }
      case 'retry': {
        this.stats.retried++;
        const delay = backoffDelay(first.attempts - 1, this.retryBaseMs, this.retryMaxMs);
        queue.notBefore = now + delay;
        this.requeue(queue, batch, now + delay);
        this.report(queue, first, 'retry', batch.length);
        this.logger?.warn({ destination: destinationKey(destination), err: error.message, retryInMs: delay }, 'delivery failed; will retry');
        return;
      }
    }
  }

  /** A message's rows end undelivered: counted (metric), logged, and kept for /status. */
  private giveUp(queue: DestinationQueue, batch: QueuedAlert[], reason: string, now: number): void {
    const first = batch[0] as QueuedAlert;
    for (const q of batch) if (q.row) this.rowFailed(q.row, reason);
    this.stats.failed += batch.length;
    this.noteIssue(queue.destination, batch.length, reason, now);
    this.report(queue, first, 'failed', batch.length);
    this.logger?.error(
      { destination: destinationKey(queue.destination), alerts: batch.length, firstAttemptAt: first.firstAttemptAt, err: reason },
      'giving up on a message: it could not be delivered within the give-up window',
    );
  }

  private noteIssue(destination: Destination, count: number, reason: string, at: number): void {
    const key = destinationKey(destination);
    const before = this.issues.get(key);
    this.issues.set(key, { givenUp: (before?.givenUp ?? 0) + count, lastReason: reason, lastAt: at });
  }

  private requeue(queue: DestinationQueue, batch: QueuedAlert[], notBefore: number): void {
    if (queue.released) {
      // The new holder adopts these rows from the outbox, with their wait.
      for (const q of batch) if (q.row) this.rowsInMemory.delete(q.row.id);
      this.deferRows(batch, notBefore);
      return;
    }
    const lane = queue.lanes[laneOf((batch[0] as QueuedAlert).alert)] as QueuedAlert[];
    lane.unshift(...batch);
    this.deferRows(batch, notBefore);
  }

  /** Records the attempt with each row; when the database fails, memory keeps it (a restart then counts the window from its next attempt). */
  private deferRows(batch: readonly QueuedAlert[], notBefore: number): void {
    try {
      for (const q of batch) if (q.row) this.store.deferOutbox(q.row.id, notBefore, q.firstAttemptAt);
    } catch (err) {
      this.storageFailed(err);
    }
  }

  private disable(queue: DestinationQueue, batch: QueuedAlert[], reason: string): void {
    const { destination } = queue;
    let paused: number;
    try {
      paused = this.store.disableDestination(destination, reason);
    } catch (err) {
      this.waitForStorage(queue, batch, err);
      return;
    }
    const dropped = [...batch, ...queue.lanes.flat()];
    for (const q of dropped) if (q.row) this.rowFailed(q.row, reason);
    for (const lane of queue.lanes) lane.length = 0;
    this.stats.failed += dropped.length;
    this.stats.disabledDestinations++;
    this.noteIssue(destination, dropped.length, reason, this.clock.now());
    this.invalidate();
    this.report(queue, batch[0] as QueuedAlert, 'failed', dropped.length);
    this.logger?.warn({ destination: destinationKey(destination), reason, paused }, 'destination is gone or forbidden; its subscriptions are paused');
    this.options.onDestinationChange?.({ type: 'disabled', destination, reason, subscriptions: paused, locale: (batch[0] as QueuedAlert).alert.locale });
  }

  private migrate(queue: DestinationQueue, batch: QueuedAlert[], to: string): void {
    const from = queue.destination;
    let moved: number;
    try {
      moved = this.store.moveDestination(from, to);
    } catch (err) {
      this.waitForStorage(queue, batch, err);
      return;
    }
    const target: Destination = { ...from, id: to };
    const items = [...batch, ...queue.lanes.flat()];
    for (const lane of queue.lanes) lane.length = 0;
    this.queues.delete(destinationKey(from));
    clearTimeout(queue.timer);
    queue.timer = undefined;
    for (const q of items) this.push(target, q.row ? { ...q, row: { ...q.row, destination: target } } : q);
    this.invalidate();
    this.logger?.info({ from: destinationKey(from), to }, 'chat migrated; subscriptions moved');
    this.options.onDestinationChange?.({ type: 'moved', destination: from, to, subscriptions: moved });
    const next = this.queues.get(destinationKey(target));
    if (next) this.pump(next);
  }

  private report(queue: DestinationQueue, first: QueuedAlert, outcome: DeliveryResult['outcome'], alerts: number): void {
    this.options.onDelivery?.({ platform: queue.destination.platform, kind: first.alert.kind, outcome, alerts });
  }

  private isIdle(): boolean {
    if (this.spill.size > 0 || this.waitingForStorage.size > 0) return false;
    for (const q of this.queues.values()) if (q.sending || q.lanes.some((l) => l.length > 0)) return false;
    return true;
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
