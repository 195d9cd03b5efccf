import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeliveryError } from '../../src/core/errors.js';
import type { StreamerEvent, StreamEvent } from '../../src/core/events.js';
import { DeliveryLimiter } from '../../src/route/limiter.js';
import { Router } from '../../src/route/router.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { NewSubscription, SubscriptionStore } from '../../src/store/types.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';
import { chat, donation } from './fixtures.js';
import { RecordingSink } from './recording-sink.js';

const CHANNEL = '123456789012345678';
const GROUP = '-1001234567890';

function newSub(patch: Partial<NewSubscription> = {}): NewSubscription {
  return { ...subscriptionRequest({ platform: 'discord', id: CHANNEL, guildId: '987654321098765432' }, 'bj1', 'u1', { keywords: ['대박'] }), ...patch };
}

let seq = 0;
function ev(event: StreamEvent, streamerId = 'bj1'): StreamerEvent {
  return { streamerId, broadcastNo: '100', seq: ++seq, receivedAt: 0, event };
}

let store: SubscriptionStore;
let discord: RecordingSink;
let telegram: RecordingSink;

function router(options: Partial<ConstructorParameters<typeof Router>[0]> = {}): Router {
  return new Router({
    store,
    sinks: [discord, telegram],
    limiter: new DeliveryLimiter({ clock: { now: () => Date.now() } }),
    clock: { now: () => Date.now() },
    runId: 'test',
    retry: { baseMs: 100, maxMs: 1000 },
    giveUpAfterMs: 10_000,
    ...options,
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
  store = createMemoryStore({ clock: { now: () => Date.now() } });
  discord = new RecordingSink('discord');
  telegram = new RecordingSink('telegram');
});
afterEach(() => vi.useRealTimers());

describe('Router', () => {
  it('writes donations to the outbox before sending, then marks them sent', async () => {
    store.add(newSub());
    const r = router();
    discord.hold = new Promise(() => {}); // the send never completes
    r.handle(ev(donation({ uuid: 'u-1' })));
    expect(store.outboxBacklog()).toBe(1);
    discord.hold = undefined;
    const r2 = router();
    expect(r2.start()).toBe(1);
    await vi.runAllTimersAsync();
    expect(discord.alerts).toHaveLength(1);
    expect(store.outboxBacklog()).toBe(0);
  });

  it('after a crash during a batched send, sends the same batch again under the same key (the Discord nonce)', async () => {
    store.add(newSub());
    let release: () => void = () => undefined;
    discord.hold = new Promise((resolve) => (release = resolve));
    const first = router({ maxBatch: 10 });
    for (let i = 0; i < 7; i++) first.handle(ev(donation({ uuid: `u-${i}`, count: i + 1 })));
    // The first donation is in flight; the other six wait and go out as one batch, which never
    // completes: the process "dies" during it.
    discord.hold = new Promise(() => {});
    release();
    await vi.advanceTimersByTimeAsync(100);
    const attempted = discord.attempts.at(-1);
    expect(attempted?.alerts).toHaveLength(6);
    expect(store.outboxBacklog()).toBe(6);

    discord.hold = undefined;
    const restarted = router({ maxBatch: 10 });
    restarted.start();
    await vi.runAllTimersAsync();
    const resent = discord.deliveries.find((d) => d.key === attempted?.key);
    expect(resent?.alerts.map((a) => (a.kind === 'star' ? a.event.count : 0))).toEqual(attempted?.alerts.map((a) => (a.kind === 'star' ? a.event.count : 0)));
    expect(store.outboxBacklog()).toBe(0);
  });

  it('delivers one streamer\'s alerts to a destination in order, paced at 5 per 5 s', async () => {
    store.add(newSub());
    const r = router({ maxBatch: 1 });
    for (let i = 1; i <= 12; i++) r.handle(ev(donation({ uuid: `u${i}`, count: i })));
    await vi.advanceTimersByTimeAsync(100);
    expect(discord.deliveries).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(5000);
    expect(discord.deliveries).toHaveLength(10);
    await vi.advanceTimersByTimeAsync(5000);
    expect(discord.alerts.map((a) => (a.kind === 'star' ? a.event.count : 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // never more than 5 in any 5 s window
    const times = discord.deliveries.map((d) => d.at);
    for (let i = 5; i < times.length; i++) expect((times[i] as number) - (times[i - 5] as number)).toBeGreaterThanOrEqual(5000);
  });

  it('batches the donations of a destination that fell behind into one message, dropping none', async () => {
    store.add(newSub());
    const r = router({ maxBatch: 10 });
    for (let i = 1; i <= 30; i++) r.handle(ev(donation({ uuid: `b${i}`, count: i })));
    await vi.runAllTimersAsync();
    expect(discord.alerts).toHaveLength(30);
    expect(discord.deliveries.length).toBeLessThanOrEqual(5);
    expect(discord.deliveries.some((d) => d.alerts.length === 10)).toBe(true);
  });

  it('coalesces queued keyword chats into a digest, after the donations', async () => {
    store.add(newSub());
    const r = router();
    discord.hold = new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 8; i++) r.handle(ev(chat(`대박 ${i}`)));
    r.handle(ev(chat('아무 말')));
    r.handle(ev(donation({ uuid: 'd1' })));
    await vi.advanceTimersByTimeAsync(60);
    discord.hold = undefined;
    await vi.runAllTimersAsync();
    const kinds = discord.deliveries.map((d) => d.alerts.map((a) => a.kind).join(','));
    expect(kinds[0]).toBe('chat'); // the first chat was already in flight
    expect(kinds[1]).toBe('star'); // donations jump the queue
    expect(kinds[2]).toBe(Array(7).fill('chat').join(','));
    expect(discord.alerts.filter((a) => a.kind === 'chat')).toHaveLength(8);
  });

  it('honours a 429: waits retry_after, then delivers, nothing lost', async () => {
    store.add(newSub());
    const r = router();
    discord.failNext(DeliveryError.rateLimited(3000));
    r.handle(ev(donation({ uuid: 'x1' })));
    await vi.advanceTimersByTimeAsync(2900);
    expect(discord.deliveries).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(discord.deliveries).toHaveLength(1);
    expect(r.stats.rateLimited).toBe(1);
    expect(store.outboxBacklog()).toBe(0);
  });

  it('retries transient errors with capped backoff, and gives up only after the give-up window', async () => {
    store.add(newSub());
    const r = router();
    discord.failNext(DeliveryError.transient('HTTP 502'), new Error('socket hang up'));
    r.handle(ev(donation({ uuid: 't1' })));
    await vi.runAllTimersAsync();
    expect(discord.deliveries).toHaveLength(1);
    // 5 s of failures (backoff capped at 1 s): still within the 10 s window, so it goes through.
    const down = (n: number) => Array.from({ length: n }, () => DeliveryError.transient('down'));
    discord.failNext(...down(8));
    r.handle(ev(donation({ uuid: 't2' })));
    await vi.runAllTimersAsync();
    expect(discord.deliveries).toHaveLength(2);
    expect(r.stats.failed).toBe(0);
    // Failing for longer than the window: given up, counted and kept for /status.
    discord.failNext(...down(100));
    r.handle(ev(donation({ uuid: 't3' })));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(discord.deliveries).toHaveLength(2);
    expect(r.stats.failed).toBe(1);
    expect(store.outboxBacklog()).toBe(0);
    expect(r.deliveryIssues({ platform: 'discord', id: CHANNEL }).givenUp).toBe(1);
  });

  it('pauses the subscriptions of a destination that is gone, once, without a retry loop', async () => {
    const s = store.add(newSub());
    const changes: unknown[] = [];
    const r = router({ onDestinationChange: (c) => changes.push(c) });
    discord.failNext(DeliveryError.permanent('Missing Permissions (50013)'));
    r.handle(ev(donation({ uuid: 'p1' })));
    r.handle(ev(donation({ uuid: 'p2' })));
    await vi.runAllTimersAsync();
    expect(discord.deliveries).toHaveLength(0);
    expect(store.get(s.id)).toMatchObject({ paused: true, pausedReason: 'Missing Permissions (50013)' });
    expect(changes).toEqual([expect.objectContaining({ type: 'disabled', subscriptions: 1 })]);
    r.handle(ev(donation({ uuid: 'p3' })));
    await vi.runAllTimersAsync();
    expect(discord.deliveries).toHaveLength(0);
    expect(store.outboxBacklog()).toBe(0);
  });

  it('follows a Telegram group that became a supergroup and resends there', async () => {
    const s = store.add(newSub({ destination: { platform: 'telegram', id: '-4001' } }));
    const r = router();
    telegram.failNext(DeliveryError.permanent('group chat was upgraded to a supergroup chat', { migrateTo: GROUP }));
    r.handle(ev(donation({ uuid: 'm1' })));
    await vi.runAllTimersAsync();
    expect(telegram.alerts.map((a) => a.destination)).toEqual([GROUP]);
    expect(store.get(s.id)?.destination.id).toBe(GROUP);
    r.invalidate();
    r.handle(ev(donation({ uuid: 'm2' })));
    await vi.runAllTimersAsync();
    expect(telegram.alerts.map((a) => a.destination)).toEqual([GROUP, GROUP]);
  });

  it('paces a Telegram group at 20 messages a minute', async () => {
    store.add(newSub({ destination: { platform: 'telegram', id: GROUP } }));
    const r = router({ maxBatch: 1 });
    for (let i = 0; i < 25; i++) r.handle(ev(donation({ uuid: `g${i}` })));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(telegram.deliveries).toHaveLength(20);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(telegram.deliveries.length).toBeGreaterThan(20);
  });

  it('a retried message carries exactly its first alerts under its first key, whatever queued meanwhile', async () => {
    store.add(newSub());
    const r = router();
    discord.failNext(DeliveryError.transient('HTTP 502 after the message was created'));
    r.handle(ev(donation({ uuid: 'first' })));
    for (let i = 0; i < 4; i++) r.handle(ev(donation({ uuid: `later-${i}` })));
    await vi.runAllTimersAsync();
    const [failed, retried, next] = discord.attempts;
    expect(failed?.alerts).toHaveLength(1);
    expect(retried?.alerts.map((a) => (a.kind === 'star' ? a.event.uuid : ''))).toEqual(['first']);
    expect(retried?.key).toBe(failed?.key);
    expect(next?.alerts).toHaveLength(4);
    expect(next?.key).not.toBe(failed?.key);
    expect(store.outboxBacklog()).toBe(0);
  });

  it('while the database fails: nothing throws, donations wait in memory, a batch is not sent before its key is written', async () => {
    let failing: 'full' | undefined;
    store = createMemoryStore({ clock: { now: () => Date.now() }, failure: () => failing });
    store.add(newSub());
    const r = router({ storageRetry: { baseMs: 100, maxMs: 100 } });
    // 'a' is being sent; 'b' and 'c' queue behind it and will go as one batch.
    r.handle(ev(donation({ uuid: 'a' })));
    r.handle(ev(donation({ uuid: 'b' })));
    r.handle(ev(donation({ uuid: 'c' })));
    failing = 'full';
    expect(() => r.handle(ev(donation({ uuid: 'd' })))).not.toThrow();
    expect(() => r.handle(ev(chat('대박 저장소 장애')))).not.toThrow();
    await vi.advanceTimersByTimeAsync(1000);
    // 'a' needed no write and went (its sent mark waits); the batch b+c waits for its key to be written; 'd' is held.
    expect(discord.attempts.map((d) => d.alerts.length)).toEqual([1]);
    expect(r.storageBacklog()).toMatchObject({ waiting: true, heldEvents: 1, unrecordedMarks: 1 });
    failing = undefined;
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.storageBacklog()).toMatchObject({ waiting: false, heldEvents: 0, unrecordedMarks: 0 });
    const uuids = discord.alerts.flatMap((a) => (a.kind === 'star' ? [a.event.uuid] : []));
    expect(uuids).toEqual(['a', 'b', 'c', 'd']);
    expect(discord.alerts.filter((a) => a.kind === 'chat')).toHaveLength(1);
    expect(store.outboxBacklog()).toBe(0);
  });

  it('sends the same event once per destination, however often it arrives', async () => {
    store.add(newSub());
    store.add(newSub({ destination: { platform: 'telegram', id: '42' } }));
    const r = router();
    const e = ev(donation({ uuid: 'same' }));
    r.handle(e);
    r.handle({ ...e, seq: e.seq + 100 });
    await vi.runAllTimersAsync();
    const r2 = router();
    r2.handle({ ...e, seq: 1 });
    expect(r2.start()).toBe(0);
    await vi.runAllTimersAsync();
    expect(discord.alerts).toHaveLength(1);
    expect(telegram.alerts).toHaveLength(1);
  });

  it('marks alerts delivered after a restart as delayed', async () => {
    store.add(newSub());
    discord.hold = new Promise(() => {});
    router().handle(ev(donation({ uuid: 'late' })));
    discord.hold = undefined;
    vi.setSystemTime(Date.now() + 5 * 60_000);
    const r = router();
    r.start();
    await vi.runAllTimersAsync();
    expect(discord.alerts[0]).toMatchObject({ kind: 'star', delayed: true });
  });

  it('flushes on stop within the deadline; what is left stays in the outbox', async () => {
    store.add(newSub());
    const r = router({ maxBatch: 1 });
    for (let i = 0; i < 8; i++) r.handle(ev(donation({ uuid: `s${i}` })));
    const stopped = r.stop(1000);
    await vi.advanceTimersByTimeAsync(1000);
    await stopped;
    expect(discord.deliveries).toHaveLength(5);
    expect(store.outboxBacklog()).toBe(3);
    r.handle(ev(donation({ uuid: 'after-stop' })));
    expect(store.outboxBacklog()).toBe(3);
  });
});
