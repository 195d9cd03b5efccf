/**
 * The bot stopped mid-stream and started again on the same SQLite file, against the same fake
 * Discord and fake SOOP server: nothing delivered twice, nothing lost, stale servers dropped.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { starBalloonPacket } from '../../src/simulator/packets.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import type { SubscriptionStore } from '../../src/store/types.js';
import { FakeDiscord } from '../fakes/discord.js';
import { startBot, tempDatabase, type RunningBot } from './harness.js';

let sim: SoopSimulator;
let fake: FakeDiscord;
let db: ReturnType<typeof tempDatabase>;
const stores: SubscriptionStore[] = [];
const bots: RunningBot[] = [];

beforeAll(async () => {
  sim = await startSoopSimulator();
  fake = await FakeDiscord.start();
  db = tempDatabase();
});

afterAll(async () => {
  for (const bot of bots) await bot.stop(200);
  fake.releaseHeld();
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const store of stores) store.close();
  await fake.close();
  await sim.close();
  db.remove();
});

async function start(): Promise<RunningBot> {
  const bot = await startBot({ fake, sim, databasePath: db.path });
  bots.push(bot);
  stores.push(bot.store);
  return bot;
}

it('a restart mid-stream delivers each donation exactly once and forgets servers the bot left', async () => {
  const guild = fake.createGuild({ channels: 1 });
  const leftWhileOffline = fake.createGuild({ channels: 1 });
  const channelId = guild.channelIds[0] as string;
  const streamer = 'restartbj';
  const room = sim.room(streamer);
  room.goLive({ title: '재시작 테스트' });
  const donations = (): string[] =>
    fake
      .messagesIn(channelId)
      .filter((m) => m.body.embeds?.[0]?.title?.includes('⭐') === true)
      .map((m) => m.body.embeds?.[0]?.description ?? '');
  const lives = (): number => fake.messagesIn(channelId).filter((m) => m.body.embeds?.[0]?.title?.includes('🔴') === true).length;

  const first = await start();
  await fake.interaction({ command: 'watch', guildId: guild.id, channelId, options: { streamer } });
  await fake.interaction({ command: 'watch', guildId: leftWhileOffline.id, channelId: leftWhileOffline.channelIds[0] as string, options: { streamer } });
  await room.waitForJoined(1);
  await fake.waitForMessages(() => lives() === 1);

  room.send(starBalloonPacket({ streamerId: streamer, userId: 'fan1', nickname: '첫번째', count: 10 }));
  await fake.waitForMessages(() => donations().length === 1);

  // The second gift reaches Discord but the bot stops before hearing back; the third waits behind it.
  fake.holdNextMessages(1, channelId);
  room.send(starBalloonPacket({ streamerId: streamer, userId: 'fan2', nickname: '두번째', count: 20 }));
  await fake.waitForMessages(() => donations().length === 2);
  room.send(starBalloonPacket({ streamerId: streamer, userId: 'fan3', nickname: '세번째', count: 30 }));
  const pendingHere = (store: SubscriptionStore): number => store.pendingOutbox(100).filter((r) => r.destination.id === channelId).length;
  await vi.waitFor(() => expect(pendingHere(first.store)).toBe(2));
  await first.stop(200);
  expect(pendingHere(first.store)).toBe(2);
  expect(donations()).toHaveLength(2);

  // While the bot was down it was removed from a server.
  fake.forgetGuild(leftWhileOffline.id);

  const second = await start();
  expect(second.store.listByGuild(leftWhileOffline.id)).toEqual([]);
  expect(second.store.listByGuild(guild.id)).toHaveLength(1);
  await fake.waitForMessages(() => donations().length === 3);
  await vi.waitFor(() => expect(pendingHere(second.store)).toBe(0));
  // The resend of the second gift carried the same nonce: Discord returned the first message.
  const secondGiftPosts = fake.attempts.filter((a) => a.channelId === channelId && a.body.embeds?.[0]?.description?.includes('두번째') === true);
  expect(secondGiftPosts.map((a) => a.status)).toEqual([200, 200]);
  expect(new Set(secondGiftPosts.map((a) => a.body.nonce)).size).toBe(1);

  // The engine rejoined the same broadcast: no second live announcement; new gifts still flow.
  await room.waitForJoined(1);
  room.send(starBalloonPacket({ streamerId: streamer, userId: 'fan4', nickname: '네번째', count: 40 }));
  await fake.waitForMessages(() => donations().length === 4);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const names = donations().map((d) => /(첫번째|두번째|세번째|네번째)/.exec(d)?.[1]);
  expect(names).toEqual(['첫번째', '두번째', '세번째', '네번째']);
  expect(lives()).toBe(1);
});
