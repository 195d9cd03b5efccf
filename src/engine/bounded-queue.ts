/**
 * A bounded FIFO of packets with shedding by priority. Three internal lanes keep their own FIFO
 * order; `shift()` returns the globally oldest item (smallest sequence number), so the output
 * order is exactly the input order minus what was shed.
 *
 * When full: a new `noise` item is dropped; otherwise the oldest queued `noise` item is evicted,
 * then (for a critical newcomer) the oldest `chat` item; a new `chat` item with no noise to evict
 * is dropped. Critical items are never dropped: with nothing left to evict the queue goes over
 * capacity for them (they are a few percent of traffic at most).
 */
import type { PacketPriority } from '../core/packet.js';

export interface QueueItem<T> {
  readonly seq: number;
  readonly priority: PacketPriority;
  readonly value: T;
}

/** A FIFO on an array with a moving head, compacted now and then; grows only as needed. */
class Lane<T> {
  private items: (QueueItem<T> | undefined)[] = [];
  private head = 0;
  /** Kept as a field (not derived) because the hot path reads it for every packet. */
  size = 0;

  push(item: QueueItem<T>): void {
    this.items.push(item);
    this.size++;
  }

  peek(): QueueItem<T> | undefined {
    return this.size > 0 ? this.items[this.head] : undefined;
  }

  shift(): QueueItem<T> | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    this.size--;
    if (this.size === 0) {
      // Reuse the array: truncating keeps its element kind (and the code reading it monomorphic).
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return item;
  }
}

export type ShedCounts = Record<PacketPriority, number>;

export class BoundedQueue<T> {
  private readonly lanes: Record<PacketPriority, Lane<T>> = { critical: new Lane(), chat: new Lane(), noise: new Lane() };
  private nextSeq = 0;
  /** Items shed, by the priority of the shed item. */
  readonly shed: ShedCounts = { critical: 0, chat: 0, noise: 0 };
  /** The most items ever held at once. */
  peak = 0;

  /** Items held now. */
  get size(): number {
    return this.count;
  }

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('queue capacity must be a positive integer');
  }

  private count = 0;

  /** Adds an item; returns false when it was shed instead (never for critical). `onShed` sees every dropped value. */
  push(value: T, priority: PacketPriority, onShed?: (value: T) => void): boolean {
    if (this.count >= this.capacity && !this.makeRoom(priority, onShed)) {
      this.shed[priority]++;
      onShed?.(value);
      return false;
    }
    this.lanes[priority].push({ seq: this.nextSeq++, priority, value });
    if (++this.count > this.peak) this.peak = this.count;
    return true;
  }

  /** The oldest item across lanes. */
  shift(): QueueItem<T> | undefined {
    const { critical, chat, noise } = this.lanes;
    let best = critical;
    let bestSeq = critical.peek()?.seq ?? Infinity;
    const chatSeq = chat.peek()?.seq ?? Infinity;
    if (chatSeq < bestSeq) {
      best = chat;
      bestSeq = chatSeq;
    }
    if ((noise.peek()?.seq ?? Infinity) < bestSeq) best = noise;
    const item = best.shift();
    if (item) this.count--;
    return item;
  }

  private makeRoom(incoming: PacketPriority, onShed?: (value: T) => void): boolean {
    if (incoming === 'noise') return false;
    const victims: PacketPriority[] = incoming === 'critical' ? ['noise', 'chat'] : ['noise'];
    for (const victim of victims) {
      const evicted = this.lanes[victim].shift();
      if (evicted) {
        this.count--;
        this.shed[victim]++;
        onShed?.(evicted.value);
        return true;
      }
    }
    return incoming === 'critical';
  }
}
