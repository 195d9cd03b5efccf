import { describe, expect, it } from 'vitest';
import type { StreamerEvent, StreamEvent } from '../../src/core/events.js';
import { EventSpill } from '../../src/route/spill.js';
import { chat, donation } from './fixtures.js';

let seq = 0;
const held = (event: StreamEvent) => ({ event: { streamerId: 'bj', broadcastNo: '1', seq: ++seq, receivedAt: 0, event } satisfies StreamerEvent, chatsQueued: false });
const kinds = (spill: EventSpill): string[] => {
  const out: string[] = [];
  for (let e = spill.peek(); e; e = spill.peek()) {
    out.push(e.event.event.kind === 'chat' ? `chat:${e.event.event.message}` : `gift:${e.event.event.kind === 'donation' ? e.event.event.count : '?'}`);
    spill.shift();
  }
  return out;
};

describe('EventSpill', () => {
  it('keeps events in arrival order', () => {
    const spill = new EventSpill(10);
    spill.add(held(donation({ count: 1 })));
    spill.add(held(chat('a')));
    spill.add(held(donation({ count: 2 })));
    expect(spill.size).toBe(3);
    expect(kinds(spill)).toEqual(['gift:1', 'chat:a', 'gift:2']);
  });

  it('when full, drops the oldest chat before any donation, and counts every drop', () => {
    const spill = new EventSpill(3);
    spill.add(held(chat('a')));
    spill.add(held(donation({ count: 1 })));
    spill.add(held(chat('b')));
    expect(spill.add(held(donation({ count: 2 })))).toBe(true); // chat a goes
    expect(spill.add(held(chat('c')))).toBe(true); // chat b goes
    expect(spill.dropped).toEqual({ donations: 0, chats: 2 });
    expect(spill.add(held(donation({ count: 3 })))).toBe(true); // chat c goes
    // Only donations left: a new chat, then a new donation, are refused.
    expect(spill.add(held(chat('d')))).toBe(false);
    expect(spill.add(held(donation({ count: 4 })))).toBe(false);
    expect(spill.dropped).toEqual({ donations: 1, chats: 4 });
    expect(kinds(spill)).toEqual(['gift:1', 'gift:2', 'gift:3']);
  });
});
