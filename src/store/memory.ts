/** The in-memory twin of the SQLite store, for tests: same behaviour, nothing survives the process. */
import { systemClock, type Clock } from '../core/async.js';
import { DuplicateError, StorageUnavailableError, type StorageFailureReason } from './errors.js';
import { STORE_READS, StorageHealth, guardStore, type StorageHealthPort } from './health.js';
import { applyPatch, assertWithinLimits, makeDestination, newOutboxEntry, newSubscription, sameDestination } from './model.js';
import type {
  Destination,
  Locale,
  NewOutboxEntry,
  NewSubscription,
  OutboxEntry,
  StoreLimits,
  Subscription,
  SubscriptionPatch,
  SubscriptionStore,
} from './types.js';

export interface MemoryStoreOptions {
  /** Stamps `createdAt` of new subscriptions. */
  readonly clock?: Clock;
  /**
   * Fault injection for tests: asked before every call; while it returns a reason, the call fails
   * with StorageUnavailableError(reason) as a real database would (the health state follows).
   */
  readonly failure?: () => StorageFailureReason | undefined;
}

interface OutboxRecord {
  entry: OutboxEntry;
  sentAt: number | undefined;
  failedError: string | undefined;
}

export function createMemoryStore(options: MemoryStoreOptions = {}): SubscriptionStore {
  const clock = options.clock ?? systemClock;
  const store = new MemorySubscriptionStore(clock);
  const failure = options.failure;
  const health = new StorageHealth(() => undefined, clock);
  if (!failure) return guardStore(store, health, STORE_READS);
  const faulty = new Proxy(store, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const reason = failure();
        if (reason !== undefined && prop !== 'close') throw new StorageUnavailableError(reason, `injected failure (${reason})`);
        return Reflect.apply(value, obj, args) as unknown;
      };
    },
  });
  return guardStore(faulty, health, STORE_READS);
}


class MemorySubscriptionStore implements Omit<SubscriptionStore, keyof StorageHealthPort> {
  private readonly subscriptions = new Map<number, Subscription>();
  private readonly outbox = new Map<number, OutboxRecord>();
  private readonly outboxKeys = new Set<string>();
  private readonly state = new Map<string, string>();
  private readonly destinationLocales = new Map<string, Locale>();
  private nextSubscriptionId = 1;
  private nextOutboxId = 1;
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  add(sub: NewSubscription, limits?: StoreLimits): Subscription {
    const existing = this.find(sub.destination, sub.streamerId);
    if (existing) throw new DuplicateError(sub.destination, sub.streamerId, existing.id);
    if (limits) {
      const guildId = sub.destination.guildId;
      assertWithinLimits(sub.destination, limits, {
        inDestination: () => this.listByDestination(sub.destination).length,
        inGuild: () => (guildId === undefined ? 0 : this.listByGuild(guildId).length),
      });
    }
    const created = newSubscription(this.nextSubscriptionId++, sub, this.clock.now());
    this.subscriptions.set(created.id, created);
    return copySubscription(created);
  }

  get(id: number): Subscription | undefined {
    const sub = this.subscriptions.get(id);
    return sub && copySubscription(sub);
  }

  find(destination: Destination, streamerId: string): Subscription | undefined {
    const sub = this.all().find((s) => s.streamerId === streamerId && sameDestination(s.destination, destination));
    return sub && copySubscription(sub);
  }

  update(id: number, patch: SubscriptionPatch): Subscription | undefined {
    const current = this.subscriptions.get(id);
    if (!current) return undefined;
    const next = applyPatch(current, patch);
    this.subscriptions.set(id, next);
    return copySubscription(next);
  }

  remove(id: number): boolean {
    return this.subscriptions.delete(id);
  }

  listByDestination(destination: Destination): Subscription[] {
    return this.select((s) => sameDestination(s.destination, destination));
  }

  listByGuild(guildId: string): Subscription[] {
    return this.select((s) => s.destination.guildId === guildId);
  }

  listByStreamer(streamerId: string): Subscription[] {
    return this.select((s) => s.streamerId === streamerId);
  }

  listStreamers(): string[] {
    return [...new Set(this.all().map((s) => s.streamerId))].sort(compareText);
  }

  moveDestination(from: Destination, toId: string): number {
    if (from.id === toId) return 0;
    const target: Destination = { platform: from.platform, id: toId };
    const taken = new Set(this.listByDestination(target).map((s) => s.streamerId));
    let moved = 0;
    for (const sub of this.all()) {
      if (!sameDestination(sub.destination, from)) continue;
      // The target already watches this streamer: keep its subscription, drop the one moving in.
      if (taken.has(sub.streamerId)) {
        this.subscriptions.delete(sub.id);
        continue;
      }
      this.subscriptions.set(sub.id, { ...sub, destination: makeDestination(from.platform, toId, sub.destination.guildId) });
      moved++;
    }
    for (const record of this.outbox.values()) {
      if (isPending(record) && sameDestination(record.entry.destination, from)) {
        const d = record.entry.destination;
        record.entry = { ...record.entry, destination: makeDestination(d.platform, toId, d.guildId) };
      }
    }
    return moved;
  }

  disableDestination(destination: Destination, reason: string, remove = false): number {
    const affected = this.all().filter((s) => sameDestination(s.destination, destination));
    for (const sub of affected) {
      if (remove) this.subscriptions.delete(sub.id);
      else this.subscriptions.set(sub.id, { ...sub, paused: true, pausedReason: reason });
    }
    return affected.length;
  }

  enqueueOutbox(entries: readonly NewOutboxEntry[]): OutboxEntry[] {
    const inserted: OutboxEntry[] = [];
    for (const e of entries) {
      if (this.outboxKeys.has(e.idempotencyKey)) continue;
      const entry = newOutboxEntry(this.nextOutboxId++, e);
      this.outboxKeys.add(entry.idempotencyKey);
      this.outbox.set(entry.id, { entry, sentAt: undefined, failedError: undefined });
      inserted.push(entry);
    }
    return inserted;
  }

  pendingOutbox(limit: number, now?: number): OutboxEntry[] {
    return [...this.outbox.values()]
      .filter((r) => isPending(r) && (now === undefined || r.entry.notBefore <= now))
      .map((r) => r.entry)
      .sort((a, b) => a.priority - b.priority || a.id - b.id)
      .slice(0, Math.max(0, limit));
  }

  markSent(id: number, sentAt: number): void {
    const record = this.pendingRecord(id);
    if (record) record.sentAt = sentAt;
  }

  markBatch(ids: readonly number[], batchKey: string): void {
    for (const id of ids) {
      const record = this.pendingRecord(id);
      if (record) record.entry = { ...record.entry, batchKey };
    }
  }

  markSentMany(ids: readonly number[], sentAt: number): void {
    for (const id of ids) this.markSent(id, sentAt);
  }

  markFailed(id: number, error: string): void {
    const record = this.pendingRecord(id);
    if (record) record.failedError = error;
  }

  deferOutbox(id: number, notBefore: number, firstAttemptAt?: number): void {
    const record = this.pendingRecord(id);
    if (!record) return;
    const first = record.entry.firstAttemptAt ?? firstAttemptAt;
    record.entry = { ...record.entry, attempts: record.entry.attempts + 1, notBefore, ...(first !== undefined ? { firstAttemptAt: first } : {}) };
  }

  outboxBacklog(): number {
    let count = 0;
    for (const record of this.outbox.values()) if (isPending(record)) count++;
    return count;
  }

  pruneOutbox(createdBefore: number, limit = Number.MAX_SAFE_INTEGER): number {
    let count = 0;
    for (const [id, record] of this.outbox) {
      if (count >= limit) break;
      if (isPending(record) || record.entry.createdAt >= createdBefore) continue;
      this.outbox.delete(id);
      this.outboxKeys.delete(record.entry.idempotencyKey);
      count++;
    }
    return count;
  }

  pruneState(keyPrefix: string, before: number, limit = Number.MAX_SAFE_INTEGER): number {
    let count = 0;
    for (const [key, value] of this.state) {
      if (count >= limit) break;
      if (!key.startsWith(keyPrefix) || !/^[0-9]/.test(value) || Number.parseInt(value, 10) >= before) continue;
      this.state.delete(key);
      count++;
    }
    return count;
  }

  databaseBytes(): number {
    return 0;
  }

  probe(): void {
    // Memory always takes writes.
  }

  getDestinationLocale(destination: Destination): Locale | undefined {
    return this.destinationLocales.get(`${destination.platform}:${destination.id}`);
  }

  setDestinationLocale(destination: Destination, locale: Locale): number {
    this.destinationLocales.set(`${destination.platform}:${destination.id}`, locale);
    const affected = this.all().filter((s) => sameDestination(s.destination, destination));
    for (const sub of affected) this.subscriptions.set(sub.id, { ...sub, locale });
    return affected.length;
  }

  getState(key: string): string | undefined {
    return this.state.get(key);
  }

  setState(key: string, value: string): void {
    this.state.set(key, value);
  }

  close(): void {
    // Nothing to release.
  }

  private all(): Subscription[] {
    return [...this.subscriptions.values()];
  }

  /** Matching subscriptions by id, as copies (the Map keeps insertion order, which is id order). */
  private select(predicate: (s: Subscription) => boolean): Subscription[] {
    return this.all().filter(predicate).map(copySubscription);
  }

  private pendingRecord(id: number): OutboxRecord | undefined {
    const record = this.outbox.get(id);
    return record && isPending(record) ? record : undefined;
  }
}

function isPending(record: OutboxRecord): boolean {
  return record.sentAt === undefined && record.failedError === undefined;
}

/** Callers get their own arrays, as they would from SQLite, so mutating a result cannot change the store. */
function copySubscription(s: Subscription): Subscription {
  return {
    ...s,
    destination: { ...s.destination },
    events: [...s.events],
    keywords: [...s.keywords],
    excludeWords: [...s.excludeWords],
    onlyFromRoles: [...s.onlyFromRoles],
  };
}

/** Same order as SQLite's default BINARY collation (code units, not locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
