/**
 * Pacing: one limiter keyed by destination, chained to a global per-platform budget. Pure state
 * driven by the caller's clock (no timers): the router asks, sends when told yes, and otherwise
 * waits the time it was given. Keys are created lazily and swept when idle.
 *
 * Each rule is a sliding-window log ("at most N sends in any window of W ms"), which is stricter
 * than a token bucket of the same rate: 5 per 5 s can never become 10 in 5 s through a refill.
 * Default rules (platforms.md §4): Discord 5 per 5 s per channel, 50/s global; Telegram 1/s per
 * chat, plus 20 per minute for groups (chat id starting with '-'), 30/s global. Console: unlimited.
 */
import type { Clock } from '../core/async.js';
import type { Platform } from '../store/types.js';

export interface WindowRule {
  readonly limit: number;
  readonly windowMs: number;
}

export interface PlatformRules {
  readonly perDestination: readonly WindowRule[];
  /** Extra rules for group destinations (see isGroup). */
  readonly perGroup?: readonly WindowRule[];
  readonly isGroup?: (destinationId: string) => boolean;
  readonly global: readonly WindowRule[];
}

export const DEFAULT_RATE_RULES: Readonly<Record<Platform, PlatformRules>> = {
  discord: {
    perDestination: [{ limit: 5, windowMs: 5_000 }],
    global: [{ limit: 50, windowMs: 1_000 }],
  },
  telegram: {
    perDestination: [{ limit: 1, windowMs: 1_000 }],
    perGroup: [{ limit: 20, windowMs: 60_000 }],
    isGroup: (chatId) => chatId.startsWith('-'),
    global: [{ limit: 30, windowMs: 1_000 }],
  },
  console: { perDestination: [], global: [] },
};

export type Acquire = { readonly ok: true } | { readonly ok: false; readonly waitMs: number };

/** "At most `limit` events in any `windowMs`": a ring of the last `limit` event times. */
class SlidingWindowLog {
  private readonly times: Float64Array;
  private next = 0;

  constructor(private readonly rule: WindowRule) {
    if (!(rule.limit >= 1) || !(rule.windowMs > 0)) throw new RangeError('a rate rule needs limit >= 1 and windowMs > 0');
    this.times = new Float64Array(rule.limit).fill(-Infinity);
  }

  /** How long until one more event fits; 0 = now. */
  waitMs(now: number): number {
    return Math.max(0, (this.times[this.next] as number) + this.rule.windowMs - now);
  }

  record(now: number): void {
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.times.length;
  }

  /** True when no event of the log still counts at `now`. */
  idle(now: number): boolean {
    const newest = this.times[(this.next + this.times.length - 1) % this.times.length] as number;
    return now - newest >= this.rule.windowMs;
  }
}

interface Bucket {
  readonly windows: readonly SlidingWindowLog[];
  pausedUntil: number;
}

const newBucket = (rules: readonly WindowRule[]): Bucket => ({ windows: rules.map((r) => new SlidingWindowLog(r)), pausedUntil: -Infinity });

function bucketWait(bucket: Bucket, now: number): number {
  let wait = Math.max(0, bucket.pausedUntil - now);
  for (const window of bucket.windows) wait = Math.max(wait, window.waitMs(now));
  return wait;
}

export interface LimiterOptions {
  readonly rules?: Partial<Record<Platform, PlatformRules>>;
  readonly clock?: Clock;
  /** Idle keys are swept at most this often, from within tryAcquire (default 60 s). */
  readonly sweepEveryMs?: number;
}

export class DeliveryLimiter {
  private readonly rules: Readonly<Record<Platform, PlatformRules>>;
  private readonly clock: Clock;
  private readonly sweepEveryMs: number;
  private readonly keys = new Map<string, Bucket>();
  private readonly globals = new Map<Platform, Bucket>();
  private lastSweep = -Infinity;

  constructor(options: LimiterOptions = {}) {
    this.rules = { ...DEFAULT_RATE_RULES, ...options.rules };
    this.clock = options.clock ?? { now: () => Date.now() };
    this.sweepEveryMs = options.sweepEveryMs ?? 60_000;
    for (const platform of Object.keys(this.rules) as Platform[]) this.globals.set(platform, newBucket(this.rules[platform].global));
  }

  /** Takes a send slot for the destination if every rule allows it now; otherwise says how long to wait. */
  tryAcquire(platform: Platform, destinationId: string, now = this.clock.now()): Acquire {
    if (now - this.lastSweep >= this.sweepEveryMs) this.sweep(now);
    const global = this.global(platform);
    const key = this.bucket(platform, destinationId, true) as Bucket;
    const waitMs = Math.max(bucketWait(global, now), bucketWait(key, now));
    if (waitMs > 0) return { ok: false, waitMs };
    for (const window of global.windows) window.record(now);
    for (const window of key.windows) window.record(now);
    return { ok: true };
  }

  /** How long until the destination may send (0 = now), without taking a slot or creating a key. */
  waitTime(platform: Platform, destinationId: string, now = this.clock.now()): number {
    const key = this.bucket(platform, destinationId, false);
    return Math.max(bucketWait(this.global(platform), now), key ? bucketWait(key, now) : 0);
  }

  /** When the destination may send next, on the caller's clock. */
  nextAvailableAt(platform: Platform, destinationId: string, now = this.clock.now()): number {
    return now + this.waitTime(platform, destinationId, now);
  }

  /** Nothing goes to this destination before `untilMs` (a 429's retry_after). Never shortens a pause. */
  pause(platform: Platform, destinationId: string, untilMs: number): void {
    const key = this.bucket(platform, destinationId, true) as Bucket;
    key.pausedUntil = Math.max(key.pausedUntil, untilMs);
  }

  /** Nothing goes to any destination of the platform before `untilMs` (a global 429). */
  pausePlatform(platform: Platform, untilMs: number): void {
    const global = this.global(platform);
    global.pausedUntil = Math.max(global.pausedUntil, untilMs);
  }

  /**
   * This process's share of each platform's global budget: with n nodes sending for one bot
   * token, each takes 1/n so that together they stay under the platform's limit. Each window
   * keeps at least one send.
   */
  setGlobalShare(share: number): void {
    const fraction = Math.min(1, Math.max(share, 0));
    for (const platform of Object.keys(this.rules) as Platform[]) {
      const rules = this.rules[platform].global.map((r) => ({ ...r, limit: Math.max(1, Math.floor(r.limit * fraction)) }));
      const bucket = newBucket(rules);
      bucket.pausedUntil = this.globals.get(platform)?.pausedUntil ?? -Infinity;
      this.globals.set(platform, bucket);
    }
  }

  /** Forgets destinations with nothing in their windows and no pause; returns how many. */
  sweep(now = this.clock.now()): number {
    this.lastSweep = now;
    let removed = 0;
    for (const [id, bucket] of this.keys) {
      if (bucket.pausedUntil <= now && bucket.windows.every((w) => w.idle(now))) {
        this.keys.delete(id);
        removed++;
      }
    }
    return removed;
  }

  /** Destinations currently tracked. */
  get size(): number {
    return this.keys.size;
  }

  private global(platform: Platform): Bucket {
    let bucket = this.globals.get(platform);
    if (!bucket) {
      bucket = newBucket([]);
      this.globals.set(platform, bucket);
    }
    return bucket;
  }

  private bucket(platform: Platform, destinationId: string, create: boolean): Bucket | undefined {
    const id = `${platform}\u0000${destinationId}`;
    let bucket = this.keys.get(id);
    if (!bucket && create) {
      const rules = this.rules[platform];
      const group = rules.isGroup?.(destinationId) ?? false;
      bucket = newBucket([...rules.perDestination, ...(group ? (rules.perGroup ?? []) : [])]);
      this.keys.set(id, bucket);
    }
    return bucket;
  }
}
