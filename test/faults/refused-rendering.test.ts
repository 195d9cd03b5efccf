/**
 * A 400 about the message we built is our bug, not the destination's: the subscription is never
 * paused, and the same alert goes again in the minimal safe form. The real router and sinks: the
 * Telegram sink over grammY against the fake Bot API, the Discord sink against a scripted endpoint.
 */
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';
import type { StreamerEvent } from '../../src/core/events.js';
import { createDiscordSink } from '../../src/discord/sink.js';
import { DeliveryLimiter } from '../../src/route/limiter.js';
import { Router } from '../../src/route/router.js';
import type { Sink } from '../../src/route/sink.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Destination, SubscriptionStore } from '../../src/store/types.js';
import { createTelegramSink } from '../../src/telegram/sink.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram.js';
import { donation } from '../route/fixtures.js';
import { ScriptedDiscord } from './scripted-discord.js';

const gift = (uuid: string, nickname: string): StreamerEvent => ({
  streamerId: 'renderbj',
  broadcastNo: '1',
  seq: 1,
  receivedAt: Date.now(),
  event: donation({ uuid, nickname, count: 500 }),
});

function routerFor(store: SubscriptionStore, sink: Sink): Router {
  const free = { perDestination: [], global: [] };
  return new Router({ store, sinks: [sink], limiter: new DeliveryLimiter({ rules: { discord: free, telegram: free } }), runId: 'render', retry: { baseMs: 10, maxMs: 50 } });
}

describe('Telegram refuses our rendering', () => {
  let telegram: FakeTelegram;
  beforeAll(async () => {
    telegram = await startFakeTelegram();
  });
  afterAll(() => telegram.close());

  it.each([['Bad Request: message text is empty'], ["Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3"], ['Bad Request: message is too long']])(
    '“%s” → the chat stays subscribed and the alert arrives in the minimal form',
    async (description) => {
      const chat: Destination = { platform: 'telegram', id: '-1001234567890' };
      const store = createMemoryStore();
      store.add(subscriptionRequest(chat, 'renderbj', 'u1'));
      const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
      const router = routerFor(store, createTelegramSink({ api, token: telegram.token }));
      const before = telegram.sentTo(chat.id).length;
      telegram.failNextSend(chat.id, { kind: 'badRequest', description });
      router.handle(gift(`tg-${before}`, '최소형'));
      await router.idle();
      const sent = telegram.sentTo(chat.id).slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.visible).toContain('최소형');
      expect(sent[0]?.visible).toContain('500');
      expect(store.listByDestination(chat).every((s) => !s.paused)).toBe(true);
      expect(store.outboxBacklog()).toBe(0);
      expect(router.stats).toMatchObject({ rerendered: 1, failed: 0, disabledDestinations: 0 });
    },
  );
});

describe('Discord refuses our rendering (400 Invalid Form Body)', () => {
  const channel: Destination = { platform: 'discord', id: '123456789012345678', guildId: '987654321098765432' };

  it('sends the alert again at once in the minimal form (no embed, no mention), never pausing the channel', async () => {
    const store = createMemoryStore();
    store.add(subscriptionRequest(channel, 'renderbj', 'u1'));
    const discord = new ScriptedDiscord();
    // Every embed is refused, as if our embed were over a limit.
    discord.fail = (body) => (Array.isArray(body.embeds) && body.embeds.length > 0 ? 'invalid-form-body' : undefined);
    const router = routerFor(store, createDiscordSink(discord));
    router.handle(gift('dc-1', '최소형'));
    await router.idle();
    expect(discord.attempts.map((a) => a.status)).toEqual([400, 200]);
    expect(discord.messages).toHaveLength(1);
    expect(discord.messages[0]?.body).toMatchObject({ embeds: [], allowed_mentions: { parse: [], roles: [] } });
    expect(String(discord.messages[0]?.body.content)).toContain('최소형');
    expect(store.listByDestination(channel).every((s) => !s.paused)).toBe(true);
    expect(store.outboxBacklog()).toBe(0);
  });

  it('gives up only that message when even the minimal form is refused: counted, shown, the channel keeps its alerts', async () => {
    const store = createMemoryStore();
    store.add(subscriptionRequest(channel, 'renderbj', 'u1'));
    const discord = new ScriptedDiscord();
    let refuse = true;
    discord.fail = () => (refuse ? 'invalid-form-body' : undefined);
    const router = routerFor(store, createDiscordSink(discord));
    router.handle(gift('dc-2', '첫째'));
    await router.idle();
    expect(discord.attempts.map((a) => a.status)).toEqual([400, 400]);
    expect(router.stats.failed).toBe(1);
    expect(router.deliveryIssues(channel)).toMatchObject({ givenUp: 1 });
    refuse = false;
    router.handle(gift('dc-3', '둘째'));
    await router.idle();
    expect(discord.countMentioning('둘째')).toBe(1);
    expect(store.listByDestination(channel).every((s) => !s.paused)).toBe(true);
  });
});
