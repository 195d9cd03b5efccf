/**
 * A global request budget for the live-info API: requests run at most `ratePerSecond`, evenly
 * spaced (a token bucket with a burst of `burst`), first come first served, with an urgent lane
 * (a dropped live stream re-checking before it reconnects) ahead of routine offline polls.
 * 2,000 offline streamers therefore cost `ratePerSecond` requests per second at most, whatever
 * their own check intervals say.
 */
import type { LiveInfoFetcher } from '../core/live-info.js';

interface Waiter {
  readonly start: () => void;
  readonly fail: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export interface RequestBudgetOptions {
  readonly ratePerSecond: number;
  readonly burst?: number;
  readonly now?: () => number;
}

export class RequestBudget {
  private readonly intervalMs: number;
  private readonly burst: number;
  private readonly now: () => number;
  private tokens: number;
  private refilledAt: number;
  private readonly urgent: Waiter[] = [];
  private readonly routine: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Requests started so far. */
  started = 0;

  constructor(options: RequestBudgetOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    this.intervalMs = 1000 / options.ratePerSecond;
    this.burst = Math.max(1, options.burst ?? 1);
    this.now = options.now ?? (() => performance.now());
    this.tokens = this.burst;
    this.refilledAt = this.now();
  }

  get waiting(): number {
    return this.urgent.length + this.routine.length;
  }

  /** Runs `task` when the budget allows; rejects with the signal's reason if aborted while waiting. */
  run<T>(task: () => Promise<T>, options: { signal?: AbortSignal; urgent?: boolean } = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const lane = options.urgent ? this.urgent : this.routine;
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', waiter.onAbort);
          this.started++;
          task().then(resolve, reject);
        },
        fail: reject,
        signal,
        onAbort: () => {
          const index = lane.indexOf(waiter);
          if (index >= 0) lane.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      lane.push(waiter);
      this.pump();
    });
  }

  /** Rejects everything still waiting (shutdown). */
  close(reason: unknown = new Error('request budget closed')): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of [...this.urgent.splice(0), ...this.routine.splice(0)]) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.fail(reason);
    }
  }

  private refill(): void {
    const now = this.now();
    const earned = (now - this.refilledAt) / this.intervalMs;
    if (earned > 0) {
      this.tokens = Math.min(this.burst, this.tokens + earned);
      this.refilledAt = now;
    }
  }

  private pump(): void {
    this.refill();
    while (this.tokens >= 1) {
      const next = this.urgent.shift() ?? this.routine.shift();
      if (!next) return;
      this.tokens -= 1;
      next.start();
    }
    if (this.waiting > 0 && this.timer === undefined) {
      const wait = Math.max(1, Math.ceil((1 - this.tokens) * this.intervalMs));
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      this.timer.unref?.();
    }
  }
}

/** Wraps a live-info fetcher so every call goes through the budget. */
export function budgetedFetcher(fetcher: LiveInfoFetcher, budget: RequestBudget): LiveInfoFetcher {
  return (streamerId, signal, options) =>
    budget.run(() => fetcher(streamerId, signal, options), { ...(signal ? { signal } : {}), urgent: options?.urgent === true });
}
