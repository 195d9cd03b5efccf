/**
 * The database stops taking writes mid-run — a genuinely full SQLite file (PRAGMA max_page_count),
 * a PostgreSQL server stopped for 30 s — while donations keep arriving. The router must not throw:
 * it holds the events in memory and, when storage returns, writes them to the outbox and sends them,
 * each once. The real router, Discord sink and error mapping; the real stores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';
import type { StreamerEvent } from '../../src/core/events.js';
import { createDiscordSink } from '../../src/discord/sink.js';
import { DeliveryLimiter } from '../../src/route/limiter.js';
import { Router } from '../../src/route/router.js';
import { isStorageUnavailable } from '../../src/store/errors.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Destination, SubscriptionStore } from '../../src/store/types.js';
import { pgSuite, usePgCluster } from '../store/pg-suite.js';
import { chat, donation } from '../route/fixtures.js';
import { ScriptedDiscord } from './scripted-discord.js';

const channel: Destination = { platform: 'discord', id: '123456789012345678', guildId: '987654321098765432' };
const STREAMER = 'storagebj';
const nickname = (i: number): string => `후원자${String(i).padStart(3, '0')}`;

let seq = 0;
const gift = (i: number): StreamerEvent => ({
  streamerId: STREAMER,
  broadcastNo: '1',
  seq: ++seq,
  receivedAt: Date.now(),
  event: donation({ uuid: `gift-${i}`, nickname: nickname(i), count: i }),
});
const line = (text: string): StreamerEvent => ({ streamerId: STREAMER, broadcastNo: '1', seq: ++seq, receivedAt: Date.now(), event: chat(text) });

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startRouter(store: SubscriptionStore, discord: ScriptedDiscord): Router {
  const free = { perDestination: [], global: [] };
  const router = new Router({
    store,
    sinks: [createDiscordSink(discord)],
    limiter: new DeliveryLimiter({ rules: { discord: free } }),
    runId: 'storage',
    retry: { baseMs: 20, maxMs: 100 },
    storageRetry: { baseMs: 50, maxMs: 500 },
  });
  router.start();
  cleanups.push(() => router.stop(200));
  return router;
}

/** Sends donations from..to; none of them may throw. */
function donate(router: Router, from: number, to: number): void {
  for (let i = from; i <= to; i++) expect(() => router.handle(gift(i))).not.toThrow();
}

function expectEachDeliveredOnce(discord: ScriptedDiscord, count: number): void {
  const times = Array.from({ length: count }, (_, k) => discord.countMentioning(nickname(k + 1)));
  expect(times).toEqual(Array(count).fill(1));
}

describe('disk full (a genuinely full SQLite file)', () => {
  it('holds the donations that arrive while the disk is full, then writes and sends each once when space returns; chats flow meanwhile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soop-full-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const store = openSqliteStore(join(dir, 'bot.db'));
    cleanups.push(() => store.close());
    store.add(subscriptionRequest(channel, STREAMER, 'u1', { keywords: ['대박'] }));
    const discord = new ScriptedDiscord();
    const router = startRouter(store, discord);

    donate(router, 1, 5);
    await router.idle();
    expectEachDeliveredOnce(discord, 5);

    // The file may not grow any more; fill what room is left in its pages.
    const db = (store as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    for (const size of [4000, 1000, 200, 20]) {
      for (let n = 0; ; n++) {
        try {
          store.setState(`filler:${size}:${n}`, 'x'.repeat(size));
        } catch (err) {
          expect(isStorageUnavailable(err)).toBe(true);
          break;
        }
      }
    }
    expect(store.health()).toMatchObject({ ok: false, reason: 'full' });

    donate(router, 6, 25);
    expect(() => router.handle(line('대박 디스크 가득'))).not.toThrow();
    await vi.waitFor(() => expect(discord.countMentioning('디스크 가득')).toBe(1));
    // Rows that still fitted in a page were written and sent; from the first refused write on, the rest is held.
    const held = router.storageBacklog();
    expect(held.waiting).toBe(true);
    expect(held.heldEvents).toBeGreaterThan(10);
    expect(discord.countMentioning(nickname(25))).toBe(0);

    // Space returns.
    db.pragma('max_page_count = 1073741823');
    await vi.waitFor(() => expect(router.storageBacklog()).toMatchObject({ waiting: false, heldEvents: 0, unrecordedMarks: 0 }), { timeout: 5000 });
    await router.idle();
    expectEachDeliveredOnce(discord, 25);
    expect(store.pendingOutbox(100).filter((r) => r.destination.platform === 'discord')).toEqual([]);
  });
});

const pg = pgSuite('the PostgreSQL storage fault test');

pg('PostgreSQL stopped mid-run', () => {
  const running = usePgCluster();

  it('stopped for 30 s: no throw, donations held, then written and sent each once after it returns', { timeout: 90_000 }, async () => {
    const store = openPostgresStore(running().url, { schema: 'faults_storage', connectTimeoutMs: 1000, callTimeoutMs: 2000 });
    cleanups.push(() => store.close());
    store.add(subscriptionRequest(channel, STREAMER, 'u1'));
    const discord = new ScriptedDiscord();
    const router = startRouter(store, discord);

    donate(router, 1, 5);
    await router.idle();
    expectEachDeliveredOnce(discord, 5);

    running().stopServer();
    let restarted = false;
    cleanups.push(async () => {
      if (!restarted) await running().startServer();
    });
    const stoppedAt = Date.now();
    for (let i = 6; i <= 25; i++) {
      donate(router, i, i);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(router.storageBacklog().waiting).toBe(true);
    expect(router.storageBacklog().heldEvents).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 30_000 - (Date.now() - stoppedAt))));
    await running().startServer();
    restarted = true;

    await vi.waitFor(() => expect(router.storageBacklog()).toMatchObject({ waiting: false, heldEvents: 0, unrecordedMarks: 0 }), { timeout: 30_000, interval: 200 });
    await router.idle();
    expectEachDeliveredOnce(discord, 25);
    expect(store.outboxBacklog()).toBe(0);
  });
});
