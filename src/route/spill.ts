/**
 * Where the router keeps events while the database cannot take them (disk full, locked,
 * read-only, PostgreSQL gone): a bounded in-memory list, in arrival order, written to the outbox
 * (and only then sent) when storage returns. Donations first: when it is full, the oldest chat goes
 * to make room; a new chat is refused when only donations are held; a donation is refused only
 * when it is full of donations. Every refusal is counted.
 */
import type { StreamerEvent } from '../core/events.js';

export interface SpilledEvent {
  readonly event: StreamerEvent;
  /** Its keyword chats were already queued for delivery (only its durable alerts wait). */
  readonly chatsQueued: boolean;
}

export interface SpillDrops {
  readonly donations: number;
  readonly chats: number;
}

const isChat = (entry: SpilledEvent): boolean => entry.event.event.kind === 'chat';

export class EventSpill {
  private entries: SpilledEvent[] = [];
  private droppedDonations = 0;
  private droppedChats = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('the spill needs room for at least one event');
  }

  get size(): number {
    return this.entries.length;
  }

  get dropped(): SpillDrops {
    return { donations: this.droppedDonations, chats: this.droppedChats };
  }

  /** Keeps the event if there is room (making room by dropping the oldest chat); false when refused. */
  add(entry: SpilledEvent): boolean {
    if (this.entries.length >= this.capacity) {
      const oldestChat = this.entries.findIndex(isChat);
      if (oldestChat >= 0) {
        this.entries.splice(oldestChat, 1);
        this.droppedChats++;
      } else {
        if (isChat(entry)) this.droppedChats++;
        else this.droppedDonations++;
        return false;
      }
    }
    this.entries.push(entry);
    return true;
  }

  /** The oldest held event, without removing it. */
  peek(): SpilledEvent | undefined {
    return this.entries[0];
  }

  /** Removes the oldest held event (after it was written). */
  shift(): void {
    this.entries.shift();
  }
}
