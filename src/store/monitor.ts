/**
 * Watches a store's health: says once that the database is unreachable and once that it is back
 * (one log line per change, however many calls fail in between), and while it fails probes it
 * with a small write, with backoff, so the state clears even when nothing else writes.
 */
import { backoffDelay } from '../core/async.js';
import type { StorageHealthPort, StorageState } from './health.js';
import { realTimers, type Timers } from './timers.js';

export interface MonitorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}


export interface StorageMonitorOptions {
  /** The store to watch, and how to probe it (a small write). */
  readonly store: StorageHealthPort & { probe(): void };
  /** Other connections to the same database (the cluster store), healed by their own traffic (heartbeats). */
  readonly others?: readonly StorageHealthPort[];
  readonly logger: MonitorLogger;
  readonly now: () => number;
  /** First probe delay and the cap (ms; default 1 s and 10 s). */
  readonly probeBaseMs?: number;
  readonly probeMaxMs?: number;
  readonly timers?: Timers;
  /** Told of each change after it is logged (e.g. to wake what waited for the database). */
  readonly onChange?: (state: StorageState) => void;
}

export class StorageMonitor {
  private readonly timers: Timers;
  private unsubscribe: (() => void) | undefined;
  private readonly ports: readonly StorageHealthPort[];
  private timer: unknown;
  private attempt = 0;
  private downSince: number | undefined;

  constructor(private readonly options: StorageMonitorOptions) {
    this.timers = options.timers ?? realTimers;
    this.ports = [options.store, ...(options.others ?? [])];
  }

  /** Healthy when every connection is; otherwise the first failing one's state. */
  health(): StorageState {
    return this.ports.map((p) => p.health()).find((s) => !s.ok) ?? { ok: true };
  }

  start(): void {
    if (this.unsubscribe) return;
    const offs = this.ports.map((port) => port.onHealthChange(() => this.changed(this.health())));
    this.unsubscribe = () => offs.forEach((off) => off());
    const state = this.health();
    if (!state.ok) this.changed(state);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cancelProbe();
  }

  private changed(state: StorageState): void {
    if (state.ok) {
      this.cancelProbe();
      if (this.downSince === undefined) return;
      this.options.logger.info({ downMs: this.options.now() - this.downSince }, 'database back');
      this.downSince = undefined;
    } else {
      if (this.downSince !== undefined) return;
      this.downSince = state.since;
      this.options.logger.warn({ reason: state.reason, detail: state.detail }, 'database unreachable; retrying');
      this.attempt = 0;
      this.scheduleProbe();
    }
    this.options.onChange?.(state);
  }

  private scheduleProbe(): void {
    if (this.timer !== undefined || !this.unsubscribe) return;
    const delay = backoffDelay(this.attempt++, this.options.probeBaseMs ?? 1000, this.options.probeMaxMs ?? 10_000);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      try {
        if (!this.options.store.health().ok) this.options.store.probe();
      } catch {
        // still failing: health() says why; the next probe is scheduled below
      }
      if (!this.health().ok) this.scheduleProbe();
    }, delay);
  }

  private cancelProbe(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
