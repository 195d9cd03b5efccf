/**
 * One crawler engine per streamer: the chat source (socket reader) only frames packets and pushes
 * them into a bounded queue; N workers (3 by default) translate them into events and hand them
 * to the router.
 *
 * Order: a worker takes the oldest queued item, translates it and calls `onEvent` without yielding
 * in between, so `onEvent` calls happen exactly in queue order even with several workers. Workers
 * only yield while awaiting an asynchronous `onEvent` (up to N events in flight) or after a time
 * slice so the socket can be read. Every event carries a strictly increasing `seq`.
 */
import type { LiveEvent, OfflineEvent, SoopEvent, StreamerEvent } from '../core/events.js';
import { packetPriority, type RawPacket } from '../core/packet.js';
import { BoundedQueue, type ShedCounts } from './bounded-queue.js';
import type { ChatSource, ChatSourceState, ReconnectCause, RestrictedReason } from './chat-source.js';
import { liveKey, offlineKey, type BroadcastLedger } from './ledger.js';

const RESOLVED = Promise.resolve();

export type EngineState =
  | 'starting'
  | 'checking'
  | 'offline'
  | 'restricted'
  | 'connecting'
  | 'joined'
  | 'reconnecting'
  | 'ended'
  | 'stopped';

export interface EngineStatus {
  readonly streamerId: string;
  readonly state: EngineState;
  /** Epoch ms of the last state change. */
  readonly since: number;
  readonly broadcastNo: string | undefined;
  readonly title: string | undefined;
  readonly restrictedReason: RestrictedReason | undefined;
  /** Why the last session ended, while reconnecting. */
  readonly lastError: string | undefined;
  /** While reconnecting: what kind of trouble (for the line a person reads) and when the next try is. */
  readonly cause?: ReconnectCause | undefined;
  readonly retryInMs?: number | undefined;
  readonly lastChatAt: number | undefined;
  readonly lastDonationAt: number | undefined;
  readonly reconnects: number;
  readonly shed: Readonly<ShedCounts>;
  readonly queueDepth: number;
  readonly queuePeak: number;
  readonly packets: number;
  readonly decodeErrors: number;
  readonly unknownPackets: number;
}

export type EventHandler = (event: StreamerEvent) => void | Promise<void>;

export interface StreamerEngineOptions {
  readonly streamerId: string;
  readonly source: ChatSource;
  readonly translate: (packet: RawPacket) => SoopEvent;
  readonly onEvent: EventHandler;
  readonly ledger: BroadcastLedger;
  readonly queueCapacity: number;
  readonly workers: number;
  /** Called on every state change (logs, metrics). */
  readonly onStatus?: (status: EngineStatus) => void;
  /** How long a worker runs before it lets the socket be read (ms; default 4). */
  readonly sliceMs?: number;
  /** Called for every shed packet (metrics). */
  readonly onShed?: (priority: string) => void;
  /** Epoch clock for status times. */
  readonly now?: () => number;
}

interface Item {
  readonly packet?: RawPacket;
  readonly synthetic?: LiveEvent | OfflineEvent;
  readonly receivedAt: number;
  /** The broadcast current when the item was received. */
  readonly broadcastNo: string | undefined;
}

export class StreamerEngine {
  readonly streamerId: string;
  private readonly queue: BoundedQueue<Item>;
  private readonly abort = new AbortController();
  /** Workers running now (at most `options.workers`); idle engines run none. */
  private activeWorkers = 0;
  private drained: (() => void) | undefined;
  private readonly now: () => number;
  private readonly sliceMs: number;
  private readonly maxWorkers: number;
  private running: Promise<void> | undefined;
  private stopping = false;
  private seq = 0;

  private state: EngineState = 'starting';
  private since: number;
  private broadcastNo: string | undefined;
  private title: string | undefined;
  private restrictedReason: RestrictedReason | undefined;
  private lastError: string | undefined;
  private cause: ReconnectCause | undefined;
  private retryInMs: number | undefined;
  private lastChatAt: number | undefined;
  private lastDonationAt: number | undefined;
  private reconnects = 0;
  private packets = 0;
  private decodeErrors = 0;
  private unknownPackets = 0;
  private everJoined = false;

  constructor(private readonly options: StreamerEngineOptions) {
    this.streamerId = options.streamerId;
    this.queue = new BoundedQueue<Item>(options.queueCapacity);
    this.now = options.now ?? Date.now;
    this.since = this.now();
    this.sliceMs = options.sliceMs ?? 4;
    this.maxWorkers = Math.max(1, options.workers);
  }

  start(): void {
    if (this.running) return;
    const source = this.options.source.run(
      {
        onPacket: (packet, receivedAt) => this.enqueue({ packet, receivedAt, broadcastNo: this.broadcastNo }, packetPriority(packet.code)),
        onState: (state) => this.onSourceState(state),
      },
      this.abort.signal,
    );
    this.running = source.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Stops reading, lets the workers drain what is queued, then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.running;
    if (this.activeWorkers > 0 || this.queue.size > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        if (this.activeWorkers === 0) this.startWorker();
      });
    }
    this.setState('stopped');
  }

  status(): EngineStatus {
    return {
      streamerId: this.streamerId,
      state: this.state,
      since: this.since,
      broadcastNo: this.broadcastNo,
      title: this.title,
      restrictedReason: this.restrictedReason,
      lastError: this.lastError,
      cause: this.cause,
      retryInMs: this.retryInMs,
      lastChatAt: this.lastChatAt,
      lastDonationAt: this.lastDonationAt,
      reconnects: this.reconnects,
      shed: { ...this.queue.shed },
      queueDepth: this.queue.size,
      queuePeak: this.queue.peak,
      packets: this.packets,
      decodeErrors: this.decodeErrors,
      unknownPackets: this.unknownPackets,
    };
  }

  private enqueue(item: Item, priority: 'critical' | 'chat' | 'noise'): void {
    if (this.stopping && priority !== 'critical') return;
    this.queue.push(item, priority, this.options.onShed ? this.reportShed : undefined);
    if (this.activeWorkers < this.maxWorkers) this.startWorker();
  }

  private readonly reportShed = (item: Item): void => {
    this.options.onShed?.(item.packet ? packetPriority(item.packet.code) : 'critical');
  };

  /**
   * Workers start on demand, at most `workers` at once, and end when the queue is empty, so an
   * idle engine holds no suspended work. A worker never runs inside the socket callback: it
   * starts on the next microtask.
   */
  private startWorker(): void {
    this.activeWorkers++;
    // A V8 promise job is much cheaper than Node's queueMicrotask (no async-hooks wrapper).
    RESOLVED.then(this.runWorker, undefined);
  }

  private readonly runWorker = (): void => {
    this.work(performance.now());
  };

  private work(sliceStart: number): void {
    let sinceCheck = 0;
    for (;;) {
      const item = this.queue.shift();
      if (!item) {
        this.activeWorkers--;
        if (this.activeWorkers === 0) this.drained?.();
        return;
      }
      const pending = this.process(item.value);
      if (pending) {
        // An asynchronous router: this worker waits for it; the others go on.
        const resume = (): void => this.work(performance.now());
        pending.then(resume, resume);
        return;
      }
      // Work in time slices: the socket is read in bursts of thousands of packets per
      // event-loop turn, and the workers must keep pace without starving it.
      if (++sinceCheck >= 32) {
        sinceCheck = 0;
        if (performance.now() - sliceStart >= this.sliceMs) {
          setImmediate(this.runWorker);
          return;
        }
      }
    }
  }

  private process(item: Item): Promise<void> | undefined {
    const event = item.packet ? this.translate(item.packet) : item.synthetic;
    if (!event) return undefined;
    const result = this.options.onEvent({
      streamerId: this.streamerId,
      broadcastNo: item.broadcastNo,
      seq: ++this.seq,
      receivedAt: item.receivedAt,
      event,
    });
    return result instanceof Promise ? result : undefined;
  }

  private translate(packet: RawPacket): SoopEvent {
    this.packets++;
    const event = this.options.translate(packet);
    switch (event.kind) {
      case 'chat':
        this.lastChatAt = this.now();
        break;
      case 'donation':
      case 'subscription':
      case 'mission':
        this.lastDonationAt = this.now();
        break;
      case 'error':
        this.decodeErrors++;
        break;
      case 'unknown':
        this.unknownPackets++;
        break;
      default:
        break;
    }
    return event;
  }

  private onSourceState(s: ChatSourceState): void {
    switch (s.state) {
      case 'checking':
        this.setState('checking');
        break;
      case 'offline':
        // Live before, no 0088 seen, and now live info says offline: the broadcast is over.
        if (this.broadcastNo && this.state !== 'ended') this.announceOffline(this.broadcastNo);
        this.restrictedReason = undefined;
        this.setState('offline');
        break;
      case 'restricted':
        this.restrictedReason = s.reason;
        this.setState('restricted');
        break;
      case 'connecting':
        if (this.broadcastNo !== undefined && this.broadcastNo !== s.broadcastNo && this.state !== 'ended') {
          this.announceOffline(this.broadcastNo);
        }
        this.setState('connecting');
        break;
      case 'joined':
        this.broadcastNo = s.broadcastNo;
        this.title = s.title;
        this.restrictedReason = undefined;
        this.lastError = undefined;
        this.cause = undefined;
        this.retryInMs = undefined;
        if (this.everJoined) this.reconnects++;
        this.everJoined = true;
        if (this.options.ledger.claim(liveKey(this.streamerId, s.broadcastNo))) {
          this.enqueue(
            {
              synthetic: { kind: 'live', broadcastNo: s.broadcastNo, title: s.title, streamerNickname: s.streamerNickname },
              receivedAt: performance.now(),
              broadcastNo: s.broadcastNo,
            },
            'critical',
          );
        }
        this.setState('joined');
        break;
      case 'reconnecting':
        this.lastError = s.reason;
        this.cause = s.cause;
        this.retryInMs = s.delayMs;
        this.setState('reconnecting');
        break;
      case 'ended':
        this.announceOffline(s.broadcastNo);
        this.setState('ended');
        break;
      case 'stopped':
        break;
    }
  }

  private announceOffline(broadcastNo: string): void {
    if (!this.options.ledger.claim(offlineKey(this.streamerId, broadcastNo))) return;
    this.enqueue({ synthetic: { kind: 'offline', broadcastNo }, receivedAt: performance.now(), broadcastNo }, 'critical');
  }

  private setState(state: EngineState): void {
    if (state === this.state) return;
    this.state = state;
    this.since = this.now();
    this.options.onStatus?.(this.status());
  }
}
