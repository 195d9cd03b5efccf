/**
 * One shared timer that paces generated traffic for every room: each tick credits each job
 * rate × elapsed time, keeps the fractional remainder, and sends the whole packets it owes.
 * This serves 100k+/s in one room and 20/s in each of 1000 rooms with the same timer.
 */
import type { Buffer } from 'node:buffer';
import type { TrafficHandle, TrafficOptions } from './api.js';
import { TrafficGenerator } from './traffic.js';

const TICK_MS = 10;
/** After a long event-loop stall, catch up at most this much time (keeps bursts bounded). */
const MAX_CATCH_UP_MS = 100;

/** What a traffic job needs from its room. */
export interface TrafficTarget {
  readonly streamerId: string;
  readonly chatNo: string;
  readonly stalled: boolean;
  /** Puts each group of packets on the wire as one message, in order. */
  sendMessages(messages: readonly (readonly Buffer[])[]): void;
}

class TrafficJob implements TrafficHandle {
  readonly sent: Record<string, number> = {};
  total = 0;
  readonly done: Promise<void>;
  private credit = 0;
  private lastTick: number;
  private finished = false;
  private resolveDone: () => void = () => {};
  private readonly generator: TrafficGenerator;
  private readonly perMessage: number;
  private readonly limit: number;

  constructor(
    private readonly target: TrafficTarget,
    private readonly options: TrafficOptions,
    private readonly onFinish: (job: TrafficJob) => void,
    now: number,
  ) {
    if (!(options.packetsPerSecond > 0)) throw new RangeError('startTraffic: packetsPerSecond must be a positive number.');
    this.generator = new TrafficGenerator({
      streamerId: target.streamerId,
      chatNo: target.chatNo,
      mix: options.mix ?? 'realistic',
      seed: options.seed ?? 1,
    });
    this.perMessage = Math.max(1, Math.floor(options.packetsPerMessage ?? 1));
    this.limit = options.limit ?? Number.POSITIVE_INFINITY;
    this.lastTick = now;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    if (this.limit <= 0) this.stop();
  }

  get isFinished(): boolean {
    return this.finished;
  }

  stop(): void {
    if (this.finished) return;
    this.finished = true;
    this.onFinish(this);
    this.resolveDone();
  }

  tick(now: number): void {
    const elapsed = Math.min(now - this.lastTick, MAX_CATCH_UP_MS);
    this.lastTick = now;
    if (this.finished || this.target.stalled || elapsed <= 0) return;
    this.credit += (this.options.packetsPerSecond * elapsed) / 1000;
    const remaining = this.limit - this.total;
    let due = Math.min(Math.floor(this.credit), remaining);
    // Whole messages only; a partial one waits for more credit unless it ends the run.
    if (due < remaining) due -= due % this.perMessage;
    this.credit -= due;
    this.generator.chatNo = this.target.chatNo;
    const messages: Buffer[][] = [];
    while (due > 0) {
      const batch: Buffer[] = [];
      const size = Math.min(due, this.perMessage);
      for (let i = 0; i < size; i++) {
        const { packet, kind } = this.generator.nextPacket();
        batch.push(packet);
        this.sent[kind] = (this.sent[kind] ?? 0) + 1;
      }
      this.total += size;
      due -= size;
      messages.push(batch);
    }
    if (messages.length > 0) this.target.sendMessages(messages);
    if (this.total >= this.limit) this.stop();
  }
}

export class TrafficScheduler {
  private readonly jobs = new Set<TrafficJob>();
  private timer: NodeJS.Timeout | undefined;

  start(target: TrafficTarget, options: TrafficOptions): TrafficHandle {
    const job = new TrafficJob(target, options, (j) => this.remove(j), performance.now());
    if (!job.isFinished) {
      this.jobs.add(job);
      this.timer ??= setInterval(() => this.tick(), TICK_MS);
    }
    return job;
  }

  /** Stops every job (their `done` resolves). */
  stopAll(): void {
    for (const job of [...this.jobs]) job.stop();
  }

  private tick(): void {
    const now = performance.now();
    for (const job of [...this.jobs]) job.tick(now);
  }

  private remove(job: TrafficJob): void {
    this.jobs.delete(job);
    if (this.jobs.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
