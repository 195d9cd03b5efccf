/** Timers fired by hand, for the store's background jobs (no sleeping in tests). */
import type { Timers } from '../../src/store/timers.js';

export class ManualTimers implements Timers {
  pending: { fn: () => void; ms: number }[] = [];

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { fn, ms };
    this.pending.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t !== handle);
  }

  /** Fires the oldest pending timer; returns its delay. */
  fire(): number {
    const next = this.pending.shift();
    if (!next) throw new Error('no timer pending');
    next.fn();
    return next.ms;
  }
}
