/** The router's shared mode (several nodes on one database): write-only `handle`, `adopt`, `release`, `mayDeliver`. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StreamerEvent, StreamEvent } from '../../src/core/events.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';
import { DeliveryLimiter } from '../../src/route/limiter.js';
import { Router } from '../../src/route/router.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Destination, SubscriptionStore } from '../../src/store/types.js';
import { chat, donation } from './fixtures.js';
import { RecordingSink } from './recording-sink.js';

const CHANNEL: Destination = { platform: 'discord', id: '123456789012345678', guildId: '987654321098765432' };

let seq = 0;
const ev = (event: StreamEvent): StreamerEvent => ({ streamerId: 'bj1', broadcastNo: '100', seq: ++seq, receivedAt: 0, event });

let store: SubscriptionStore;
let sink: RecordingSink;

function sharedRouter(mayDeliver?: (d: Destination) => boolean): Router {
  return new Router({
    store,
    sinks: [sink],
    limiter: new DeliveryLimiter({ clock: { now: () => Date.now() } }),
    clock: { now: () => Date.now() },
    runId: 'test',
    shared: true,
    ...(mayDeliver ? { mayDeliver } : {}),
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
  store = createMemoryStore({ clock: { now: () => Date.now() } });
  sink = new RecordingSink('discord');
  store.add(subscriptionRequest(CHANNEL, 'bj1', 'u1', { keywords: ['대박'] }));
});
afterEach(() => vi.useRealTimers());

describe('Router in shared mode', () => {
  it('only writes the outbox, chats included, and sends nothing itself', async () => {
    const r = sharedRouter(() => true);
    r.handle(ev(donation({ uuid: 'u-1' })));
    r.handle(ev(chat('대박 사건')));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sink.deliveries).toHaveLength(0);
    expect(store.pendingOutbox(10).map((row) => row.priority)).toEqual([0, 2]);
    expect(r.start()).toBe(0); // start loads nothing: the coordinator adopts by destination
  });

  it('sends adopted rows once, however often they are handed over, and marks them sent', async () => {
    const r = sharedRouter(() => true);
    r.handle(ev(donation({ uuid: 'u-1' })));
    r.handle(ev(donation({ uuid: 'u-2' })));
    const rows = store.pendingOutbox(10);
    expect(r.adopt(rows, { single: false })).toBe(2);
    expect(r.adopt(rows, { single: false })).toBe(0);
    expect(r.holds(CHANNEL)).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(sink.alerts).toHaveLength(2);
    expect(store.outboxBacklog()).toBe(0);
    expect(r.holds(CHANNEL)).toBe(false);
  });

  it('sends the first row of a handed-over destination alone (same key, same nonce), then batches', async () => {
    const r = sharedRouter(() => true);
    for (let i = 0; i < 4; i++) r.handle(ev(donation({ uuid: `u-${i}` })));
    const rows = store.pendingOutbox(10);
    r.adopt(rows, { single: true });
    await vi.advanceTimersByTimeAsync(100);
    expect(sink.deliveries.map((d) => d.alerts.length)).toEqual([1, 3]);
    expect(sink.deliveries[0]?.key).toBe(rows[0]?.idempotencyKey);
  });

  it('keeps the wait of a row its previous holder deferred (a 429)', async () => {
    const r = sharedRouter(() => true);
    r.handle(ev(donation({ uuid: 'u-1' })));
    const [row] = store.pendingOutbox(1);
    store.deferOutbox(row?.id as number, Date.now() + 3000);
    r.adopt(store.pendingOutbox(1), { single: true });
    await vi.advanceTimersByTimeAsync(2900);
    expect(sink.deliveries).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(sink.deliveries).toHaveLength(1);
  });

  it('release forgets the queue and leaves the rows pending for the next holder', async () => {
    const r = sharedRouter(() => true);
    sink.hold = new Promise(() => {}); // the first send never completes
    for (let i = 0; i < 3; i++) r.handle(ev(donation({ uuid: `u-${i}` })));
    r.adopt(store.pendingOutbox(10), { single: true });
    await vi.advanceTimersByTimeAsync(10);
    r.release(CHANNEL);
    expect(r.holds(CHANNEL)).toBe(false);
    expect(store.outboxBacklog()).toBe(3);
    // The next holder (another router here) adopts them all.
    sink.hold = undefined;
    const next = sharedRouter(() => true);
    expect(next.adopt(store.pendingOutbox(10), { single: true })).toBe(3);
    await vi.advanceTimersByTimeAsync(100);
    expect(store.outboxBacklog()).toBe(0);
  });

  it('does not send rows of a destination it may no longer deliver to; they stay pending', async () => {
    let allowed = false;
    const r = sharedRouter(() => allowed);
    r.handle(ev(donation({ uuid: 'u-1' })));
    r.adopt(store.pendingOutbox(10), { single: false });
    await vi.advanceTimersByTimeAsync(100);
    expect(sink.deliveries).toHaveLength(0);
    expect(r.holds(CHANNEL)).toBe(false);
    expect(store.outboxBacklog()).toBe(1);
    allowed = true;
    expect(r.adopt(store.pendingOutbox(10), { single: true })).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(sink.deliveries).toHaveLength(1);
  });
});
