/**
 * Discord answers 500 for a long time. Transient failures are retried with capped backoff for the
 * whole give-up window (counted from a message's first attempt, which survives a restart), so a
 * 10-minute outage loses nothing; only a message still failing after the window is given up, and
 * that end is counted and kept for /status. Fake clock; the real router, Discord sink and error
 * mapping, and a SQLite outbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';
import type { StreamerEvent } from '../../src/core/events.js';
import { createDiscordSink } from '../../src/discord/sink.js';
import { DeliveryLimiter } from '../../src/route/limiter.js';
import { Router, type DeliveryResult } from '../../src/route/router.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Destination, SubscriptionStore } from '../../src/store/types.js';
import { donation } from '../route/fixtures.js';
import { ScriptedDiscord } from './scripted-discord.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const channel: Destination = { platform: 'discord', id: '123456789012345678', guildId: '987654321098765432' };

let dir: string;
let store: SubscriptionStore;
let discord: ScriptedDiscord;
const results: DeliveryResult[] = [];

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  dir = mkdtempSync(join(tmpdir(), 'soop-outage-'));
  store = openSqliteStore(join(dir, 'bot.db'));
  store.add(subscriptionRequest(channel, 'outagebj', 'u1'));
  discord = new ScriptedDiscord();
  results.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function startRouter(runId: string): Router {
  const clock = { now: () => Date.now() };
  const router = new Router({
    store,
    sinks: [createDiscordSink(discord)],
    limiter: new DeliveryLimiter({ clock }),
    clock,
    runId,
    onDelivery: (r) => results.push(r),
  });
  router.start();
  return router;
}

/** Router.stop waits on a timer: the fake clock has to move for it. */
async function stop(router: Router): Promise<void> {
  const stopped = router.stop(0);
  await vi.advanceTimersByTimeAsync(1);
  await stopped;
}

const gift = (i: number): StreamerEvent => ({
  streamerId: 'outagebj',
  broadcastNo: '1',
  seq: i,
  receivedAt: Date.now(),
  event: donation({ uuid: `gift-${i}`, nickname: `후원자${String(i).padStart(3, '0')}`, count: i }),
});

/** Discord is down (500 on every post) until `until`. */
const downUntil = (until: number): void => {
  discord.fail = () => (Date.now() < until ? 'server-error' : undefined);
};

it('a 10-minute Discord outage (500s), with a restart in the middle: every donation is delivered once after recovery', async () => {
  downUntil(T0 + 10 * MINUTE);
  let router = startRouter('before');
  // 20 donations during the first 5 minutes of the outage.
  for (let i = 1; i <= 20; i++) {
    router.handle(gift(i));
    await vi.advanceTimersByTimeAsync(15_000);
  }
  expect(discord.messages).toHaveLength(0);
  expect(discord.attempts.length).toBeGreaterThan(10);

  // The bot restarts 6 minutes in; the first attempts it made are in the outbox.
  await vi.advanceTimersByTimeAsync(MINUTE);
  await stop(router);
  const pending = store.pendingOutbox(100);
  expect(pending).toHaveLength(20);
  expect(pending[0]?.firstAttemptAt).toBe(T0);
  router = startRouter('after');

  await vi.advanceTimersByTimeAsync(6 * MINUTE);
  await router.idle();
  for (let i = 1; i <= 20; i++) expect(discord.countMentioning(`후원자${String(i).padStart(3, '0')}`)).toBe(1);
  expect(store.outboxBacklog()).toBe(0);
  expect(router.stats.failed).toBe(0);
  expect(results.filter((r) => r.outcome === 'failed')).toEqual([]);
  // Retries were spaced by a capped backoff, never more than a minute apart.
  const posts = discord.attempts.length;
  expect(posts).toBeLessThan(200);
  await stop(router);
});

it('a message still failing after the give-up window (24 h from its first attempt, across a restart) is given up, counted and shown', async () => {
  downUntil(T0 + 48 * HOUR);
  let router = startRouter('before');
  router.handle(gift(1));
  await vi.advanceTimersByTimeAsync(13 * HOUR);
  await stop(router);
  expect(store.outboxBacklog()).toBe(1);

  // A restart does not start the window again: the row ends 24 h after its first attempt.
  router = startRouter('after');
  await vi.advanceTimersByTimeAsync(10 * HOUR);
  expect(store.outboxBacklog()).toBe(1);
  await vi.advanceTimersByTimeAsync(1.5 * HOUR);
  expect(store.outboxBacklog()).toBe(0);
  expect(router.stats.failed).toBe(1);
  expect(results.filter((r) => r.outcome === 'failed')).toEqual([{ platform: 'discord', kind: 'star', outcome: 'failed', alerts: 1 }]);
  const issues = router.deliveryIssues(channel);
  expect(issues.givenUp).toBe(1);
  expect(issues.lastReason).toContain('500');
  expect(discord.messages).toHaveLength(0);
  await stop(router);
});
