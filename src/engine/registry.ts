/**
 * One engine per streamer, shared by every subscription to it: reference-counted, started on the
 * first subscription, stopped after a grace period when the last one goes, capped globally.
 */
import { AppError } from '../core/errors.js';
import type { EngineStatus } from './streamer-engine.js';

export interface ManagedEngine {
  start(): void;
  stop(): Promise<void>;
  status(): EngineStatus;
}

export class EngineLimitError extends AppError {
  constructor(limit: number) {
    super('ENGINE_LIMIT', `This bot is already watching its maximum of ${limit} streamers; ask the operator to raise MAX_ENGINES.`);
  }
}

export interface EngineRegistryOptions {
  readonly createEngine: (streamerId: string) => ManagedEngine;
  readonly maxEngines: number;
  /** How long an engine without subscriptions keeps running (a quick re-subscribe reuses it). */
  readonly graceMs: number;
}

interface Entry {
  readonly engine: ManagedEngine;
  refs: number;
  stopTimer: NodeJS.Timeout | undefined;
}

export class EngineRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly stopping = new Set<Promise<void>>();

  constructor(private readonly options: EngineRegistryOptions) {}

  get size(): number {
    return this.entries.size;
  }

  /** Adds one reference (a subscription); starts the engine if needed. Throws EngineLimitError at the cap. */
  acquire(streamerId: string): void {
    const entry = this.entries.get(streamerId);
    if (entry) {
      entry.refs++;
      clearTimeout(entry.stopTimer);
      entry.stopTimer = undefined;
      return;
    }
    if (this.entries.size >= this.options.maxEngines) throw new EngineLimitError(this.options.maxEngines);
    const engine = this.options.createEngine(streamerId);
    this.entries.set(streamerId, { engine, refs: 1, stopTimer: undefined });
    engine.start();
  }

  /** Whether another new streamer would fit under the cap. */
  canAcquire(streamerId: string): boolean {
    return this.entries.has(streamerId) || this.entries.size < this.options.maxEngines;
  }

  /** Drops one reference; the last one stops the engine after the grace period. */
  release(streamerId: string): void {
    const entry = this.entries.get(streamerId);
    if (!entry || entry.refs === 0) return;
    entry.refs--;
    if (entry.refs > 0) return;
    if (this.options.graceMs <= 0) {
      this.stopEntry(streamerId, entry);
      return;
    }
    entry.stopTimer = setTimeout(() => this.stopEntry(streamerId, entry), this.options.graceMs);
  }

  /**
   * Makes the running engines match the store: `refs` maps each streamer to its subscription count.
   * Returns the streamers that could not start because of the cap.
   */
  reconcile(refs: ReadonlyMap<string, number>): string[] {
    for (const streamerId of this.entries.keys()) if (!refs.has(streamerId)) this.setRefs(streamerId, 0);
    return [...refs].filter(([streamerId, count]) => !this.setRefs(streamerId, count)).map(([streamerId]) => streamerId);
  }

  /**
   * Sets one streamer's reference count (its active subscriptions): starts the engine when it goes
   * above zero, schedules the stop when it reaches zero. Returns false when the cap refused a start.
   */
  setRefs(streamerId: string, count: number): boolean {
    const entry = this.entries.get(streamerId);
    if (count <= 0) {
      if (entry && entry.refs > 0) {
        entry.refs = 1;
        this.release(streamerId);
      }
      return true;
    }
    if (entry) {
      entry.refs = count;
      clearTimeout(entry.stopTimer);
      entry.stopTimer = undefined;
      return true;
    }
    if (!this.canAcquire(streamerId)) return false;
    this.acquire(streamerId);
    (this.entries.get(streamerId) as Entry).refs = count;
    return true;
  }

  refs(streamerId: string): number {
    return this.entries.get(streamerId)?.refs ?? 0;
  }

  status(streamerId: string): EngineStatus | undefined {
    return this.entries.get(streamerId)?.engine.status();
  }

  statuses(): EngineStatus[] {
    return [...this.entries.values()].map((e) => e.engine.status());
  }

  /** Stops one streamer's engine now, whatever its references (another node takes it over). */
  async stopNow(streamerId: string): Promise<void> {
    const entry = this.entries.get(streamerId);
    if (!entry) return;
    this.stopEntry(streamerId, entry);
    await Promise.all([...this.stopping]);
  }

  async stopAll(): Promise<void> {
    for (const [streamerId, entry] of this.entries) this.stopEntry(streamerId, entry);
    await Promise.all([...this.stopping]);
  }

  private stopEntry(streamerId: string, entry: Entry): void {
    clearTimeout(entry.stopTimer);
    if (this.entries.get(streamerId) === entry) this.entries.delete(streamerId);
    const done = entry.engine.stop().finally(() => this.stopping.delete(done));
    this.stopping.add(done);
  }
}
