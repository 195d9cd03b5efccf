/**
 * Whether the database answers, as seen by the calls made to it: every store runs its calls
 * through a StorageHealth (guardStore), which turns driver errors that mean "the database is
 * away" into StorageUnavailableError and announces each change between healthy and failing once.
 */
import { systemClock, type Clock } from '../core/async.js';
import { describeError } from '../core/errors.js';
import { StorageUnavailableError, type StorageFailureReason } from './errors.js';

export type StorageState =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: StorageFailureReason;
      /** When the failures started (ms epoch, the store's clock). */
      readonly since: number;
      /** The driver's own words for the first failure (for logs, not for people). */
      readonly detail: string;
    };

export type StorageListener = (state: StorageState) => void;

/** The part of the store port that reports health (SubscriptionStore and ClusterStore have it). */
export interface StorageHealthPort {
  /** Healthy, or failing since when and why. */
  health(): StorageState;
  /** Called on each change between healthy and failing (not on every failed call); returns an unsubscribe function. */
  onHealthChange(listener: StorageListener): () => void;
}

/** SubscriptionStore methods that only read (they do not prove a full or read-only database writable again). */
export const STORE_READS: ReadonlySet<string> = new Set([
  'get',
  'find',
  'listByDestination',
  'listByGuild',
  'listByStreamer',
  'listStreamers',
  'pendingOutbox',
  'outboxBacklog',
  'getState',
  'getDestinationLocale',
  'databaseBytes',
]);

export type FailureClassifier = (err: unknown) => StorageFailureReason | undefined;

/** Space and permission failures are only known to be over when a write succeeds; a read proves nothing. */
const CLEARED_BY_WRITES_ONLY: ReadonlySet<StorageFailureReason> = new Set(['full', 'read-only']);

export class StorageHealth implements StorageHealthPort {
  private state: StorageState = { ok: true };
  private readonly listeners = new Set<StorageListener>();

  constructor(
    private readonly classify: FailureClassifier,
    private readonly clock: Clock = systemClock,
  ) {}

  health(): StorageState {
    return this.state;
  }

  onHealthChange(listener: StorageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs one store call: a database-away error becomes StorageUnavailableError; any answer counts as healthy. */
  run<T>(work: () => T, writes: boolean): T {
    let result: T;
    try {
      result = work();
    } catch (err) {
      throw this.failed(err);
    }
    this.succeeded(writes);
    return result;
  }

  /** The error to throw for `err`: StorageUnavailableError (and the state failing) when it means the database is away. */
  failed(err: unknown): unknown {
    if (err instanceof StorageUnavailableError) {
      this.markFailing(err);
      return err;
    }
    const reason = this.classify(err);
    if (reason === undefined) return err;
    const unavailable = new StorageUnavailableError(reason, describeError(err), err);
    this.markFailing(unavailable);
    return unavailable;
  }

  succeeded(writes: boolean): void {
    if (this.state.ok || (!writes && CLEARED_BY_WRITES_ONLY.has(this.state.reason))) return;
    this.set({ ok: true });
  }

  private markFailing(err: StorageUnavailableError): void {
    if (!this.state.ok) return;
    this.set({ ok: false, reason: err.reason, since: this.clock.now(), detail: describeError(err.cause ?? err) });
  }

  private set(state: StorageState): void {
    this.state = state;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch {
        // a listener's failure is its own; the store call goes on
      }
    }
  }
}

/**
 * The store with every method run through `health` (methods named in `reads` do not clear a
 * full/read-only state), plus the health methods. Extra methods of the implementation pass through.
 */
export function guardStore<T extends object>(target: T, health: StorageHealth, reads: ReadonlySet<string>): T & StorageHealthPort {
  const own: Record<string, unknown> = {
    health: () => health.health(),
    onHealthChange: (listener: StorageListener) => health.onHealthChange(listener),
  };
  return new Proxy(target, {
    get(obj, prop) {
      if (typeof prop === 'string' && prop in own) return own[prop];
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== 'function') return value;
      const writes = typeof prop !== 'string' || !reads.has(prop);
      return (...args: unknown[]): unknown => health.run(() => Reflect.apply(value, obj, args) as unknown, writes);
    },
  }) as T & StorageHealthPort;
}
