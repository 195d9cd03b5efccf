/**
 * The two reported render faults, end to end: the router and the real Discord / Telegram sinks
 * (discord.js REST, grammY Api) against the fakes, which refuse what the real platforms refuse
 * (Discord 400 "Invalid Form Body" over an embed limit; Telegram 400 "message is too long" /
 * "message text is empty"). Before the fix, both were refused, retried and the destination failed.
 */
import { REST } from 'discord.js';
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamEvent, StreamerEvent } from '../../src/core/events.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';
import { createDiscordSink } from '../../src/discord/sink.js';
import { DeliveryLimiter } from '../../src/route/limiter.js';
import { Router } from '../../src/route/router.js';
import type { Sink } from '../../src/route/sink.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Destination, SubscriptionStore } from '../../src/store/types.js';
import { createTelegramSink } from '../../src/telegram/sink.js';
import { discordBodyViolations } from '../fakes/discord-limits.js';
import { FakeDiscord } from '../fakes/discord.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { chat, donation } from '../route/fixtures.js';

const STREAMER = 'bj1';
let seq = 0;
const ev = (event: StreamEvent): StreamerEvent => ({ streamerId: STREAMER, broadcastNo: '100', seq: ++seq, receivedAt: Date.now(), event });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function routerFor(store: SubscriptionStore, sink: Sink): Router {
  const router = new Router({
    store,
    sinks: [sink],
    limiter: new DeliveryLimiter({ clock: { now: () => Date.now() } }),
    runId: 'render-limits',
    // Quick retries: a refused rendering shows up as repeated attempts within the test's wait.
    retry: { baseMs: 20, maxMs: 50 },
  });
  cleanups.push(() => router.stop(500));
  return router;
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const pausedAt = (store: SubscriptionStore, destination: Destination): boolean[] => store.listByDestination(destination).map((s) => s.paused);

describe('render limits, through the real sinks against the fakes', () => {
  it('Discord: a donation message of 5,000 "*" is delivered on the first try, within every embed limit', async () => {
    const fake = await FakeDiscord.start({ enforceLimits: true });
    cleanups.push(() => fake.close());
    const guild = fake.createGuild({ channels: 1 });
    const channelId = guild.channelIds[0] as string;
    const rest = new REST({ api: fake.apiUrl, offset: 0, retries: 0, rejectOnRateLimit: () => true }).setToken(fake.token);
    const store = createMemoryStore();
    const destination: Destination = { platform: 'discord', id: channelId, guildId: guild.id };
    store.add(subscriptionRequest(destination, STREAMER, 'u1'));
    const router = routerFor(store, createDiscordSink(rest));

    router.handle(ev(donation({ uuid: 'stars-5000', message: '*'.repeat(5000) })));
    await until(() => fake.messagesIn(channelId).length > 0 && store.outboxBacklog() === 0);

    expect(fake.attempts.map((a) => a.status)).toEqual([200]);
    const [message] = fake.messagesIn(channelId);
    expect(discordBodyViolations(message?.body ?? {})).toEqual({});
    const description = message?.body.embeds?.[0]?.description ?? '';
    expect(description.length).toBeLessThanOrEqual(4096);
    expect(description).toMatch(/\n> (\\\*)+…$/);
    expect(store.outboxBacklog()).toBe(0);
    expect(pausedAt(store, destination)).toEqual([false]);
  });

  it('the fake Discord refuses what Discord refuses (so the test above means something)', async () => {
    const fake = await FakeDiscord.start({ enforceLimits: true });
    cleanups.push(() => fake.close());
    const channelId = fake.createGuild({ channels: 1 }).channelIds[0] as string;
    const rest = new REST({ api: fake.apiUrl, offset: 0, retries: 0 }).setToken(fake.token);
    const refused = await rest.post(`/channels/${channelId}/messages`, { body: { embeds: [{ title: 't', description: '*'.repeat(4097) }] } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ status: 400, code: 50035 });
    expect(fake.messagesIn(channelId)).toEqual([]);
  });

  it('Telegram: "x" + 9,000 spaces + "y" arrives as one non-blank message; the chat is not paused', async () => {
    const fake: FakeTelegram = await startFakeTelegram();
    cleanups.push(() => fake.close());
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    const store = createMemoryStore();
    const chatId = '-1001234567890';
    const destination: Destination = { platform: 'telegram', id: chatId };
    store.add(subscriptionRequest(destination, STREAMER, 'u1', { keywords: ['x'] }));
    const router = routerFor(store, createTelegramSink({ api, token: fake.token }));

    router.handle(ev(chat(`x${' '.repeat(9000)}y`)));
    await until(() => fake.sentTo(chatId).length > 0 && store.outboxBacklog() === 0);

    expect(fake.sendAttempts(chatId)).toBe(1);
    const sent = fake.sentTo(chatId);
    expect(sent).toHaveLength(1);
    for (const m of sent) {
      expect(m.visible.length).toBeLessThanOrEqual(4096);
      expect(m.visible.trim()).not.toBe('');
    }
    expect(sent[0]?.visible).toMatch(/^💬 키워드 채팅\n닉네임 \(viewer01\)\nx {100,}…\n/);
    expect(store.outboxBacklog()).toBe(0);
    expect(pausedAt(store, destination)).toEqual([false]);
  });
});
