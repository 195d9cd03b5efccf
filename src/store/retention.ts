/**
 * Retention: sent and given-up outbox rows, and broadcasts announced long ago, are deleted after
 * the retention period (OUTBOX_RETENTION_DAYS), once shortly after start and then every hour.
 *
 * What must survive: the dedupe keys a replay could repeat. An outbox row's idempotency key stops
 * a second send of the same event (a SOOP resend after a reconnect, a replay after a crash): SOOP
 * repeats an event within minutes, and pending rows are never deleted, so days are plenty. A
 * broadcast's ledger key (`live:<streamer>:<broadcast>`) stops a second "went live" alert for the
 * same broadcast: its value is when the broadcast was last seen (refreshed on every join), so only
 * broadcasts not seen for the whole retention period go, never one still on air.
 *
 * Deletes are bounded (BATCH rows each) with the event loop free in between, so a big first prune
 * never holds the database (or, with SQLite and the PostgreSQL sync calls, the process) for long.
 * In a cluster every node runs it; that is harmless (deletes are idempotent, PostgreSQL's skip the
 * rows another node is deleting at the same moment).
 */
import type { Clock } from '../core/async.js';
import { describeError } from '../core/errors.js';
import { isStorageUnavailable } from './errors.js';
import { realTimers, type Timers } from './timers.js';
import type { SubscriptionStore } from './types.js';

export const DAY_MS = 24 * 3_600_000;

export interface RetentionLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RetentionOptions {
  readonly store: Pick<SubscriptionStore, 'pruneOutbox' | 'pruneState'>;
  /** How long finished rows and unseen broadcasts are kept (ms). */
  readonly retentionMs: number;
  /** State keys (prefixes) whose value is a last-seen time, pruned with the same retention. */
  readonly statePrefixes: readonly string[];
  readonly clock: Clock;
  readonly logger: RetentionLogger;
  readonly timers?: Timers;
  /** First run after start (default 1 min) and then every (default 1 h). */
  readonly firstRunMs?: number;
  readonly intervalMs?: number;
  /** Rows per delete (default 500). */
  readonly batch?: number;
}

export interface PruneResult {
  readonly outbox: number;
  readonly state: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class RetentionJob {
  private readonly timers: Timers;
  private timer: unknown;
  private running: Promise<PruneResult> | undefined;
  private stopped = true;
  /** Set by stop(): a run in progress ends after its current batch. */
  private halted = false;

  constructor(private readonly options: RetentionOptions) {
    this.timers = options.timers ?? realTimers;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.halted = false;
    this.schedule(this.options.firstRunMs ?? 60_000);
  }

  /** Stops the schedule; a run in progress ends after its current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halted = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One prune now (a run already in progress is joined, not doubled). */
  runOnce(): Promise<PruneResult> {
    this.running ??= this.prune().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.runOnce().finally(() => this.schedule(this.options.intervalMs ?? 3_600_000));
    }, ms);
  }

  private async prune(): Promise<PruneResult> {
    const cutoff = this.options.clock.now() - this.options.retentionMs;
    const batch = this.options.batch ?? 500;
    let outbox = 0;
    let state = 0;
    try {
      outbox = await this.drain((limit) => this.options.store.pruneOutbox(cutoff, limit), batch);
      for (const prefix of this.options.statePrefixes) state += await this.drain((limit) => this.options.store.pruneState(prefix, cutoff, limit), batch);
    } catch (err) {
      // The storage monitor has said the database is away; the next run tries again.
      if (!isStorageUnavailable(err)) this.options.logger.warn({ err: describeError(err) }, 'pruning old outbox rows failed; trying again later');
    }
    if (outbox + state > 0) this.options.logger.info({ outbox, broadcasts: state, before: new Date(cutoff).toISOString() }, 'pruned old outbox rows and broadcasts');
    return { outbox, state };
  }

  /** Deletes batch after batch until one comes back short, the event loop free between them. */
  private async drain(deleteBatch: (limit: number) => number, batch: number): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = deleteBatch(batch);
      total += deleted;
      if (deleted < batch || this.halted) return total;
      await yieldToEventLoop();
    }
  }
}
