/**
 * Discord creates the message but its answer is lost (a proxy's 502): the bot cannot know it went
 * out, and retries. The retry must carry the same alerts under the same nonce, so Discord returns
 * the first message instead of posting a copy — even though more donations queued meanwhile.
 * The whole bot (real discord.js, app, SQLite) against the fake Discord and the SOOP simulator.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { starBalloonPacket } from '../../src/simulator/packets.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { FakeDiscord } from '../fakes/discord.js';
import { startBot, tempDatabase, type RunningBot } from '../discord/harness.js';

let sim: SoopSimulator;
let fake: FakeDiscord;
let db: ReturnType<typeof tempDatabase>;
let bot: RunningBot | undefined;

beforeAll(async () => {
  sim = await startSoopSimulator();
  fake = await FakeDiscord.start();
  db = tempDatabase();
});

afterAll(async () => {
  await bot?.stop(200);
  bot?.store.close();
  await fake.close();
  await sim.close();
  db.remove();
});

const DONATIONS = 80;
const nickname = (i: number): string => `후원자${String(i).padStart(3, '0')}`;

it('a lost answer after Discord created the message never posts a donation twice (80 donations)', { timeout: 90_000 }, async () => {
  const guild = fake.createGuild({ channels: 1 });
  const channelId = guild.channelIds[0] as string;
  const streamer = 'lostanswerbj';
  const room = sim.room(streamer);
  room.goLive({ title: '응답 유실' });
  bot = await startBot({ fake, sim, databasePath: db.path });
  await fake.interaction({ command: 'watch', guildId: guild.id, channelId, options: { streamer } });
  await room.waitForJoined(1);
  await fake.waitForMessages((all) => all.some((m) => m.channelId === channelId));

  const posted = (): string[] => fake.messagesIn(channelId).map((m) => JSON.stringify(m.body));
  const timesPosted = (i: number): number => posted().filter((text) => text.includes(nickname(i))).length;
  const store = bot.store;
  // Eight bursts of ten. The first post of each burst reaches Discord and its answer is lost, and
  // so is the answer to discord.js's own immediate retry; the router retries after a backoff,
  // while the rest of the burst queues behind it.
  for (let burst = 0; burst < DONATIONS / 10; burst++) {
    fake.loseNextAnswers(2, channelId);
    const ids = Array.from({ length: 10 }, (_, k) => burst * 10 + k + 1);
    for (const i of ids) {
      room.send(starBalloonPacket({ streamerId: streamer, userId: `fan${i}`, nickname: nickname(i), count: i }));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await vi.waitFor(
      () => {
        for (const i of ids) expect(timesPosted(i), nickname(i)).toBeGreaterThanOrEqual(1);
        expect(store.outboxBacklog()).toBe(0);
      },
      { timeout: 20_000, interval: 100 },
    );
  }
  // The answers really were lost, and retried.
  expect(fake.attempts.filter((a) => a.channelId === channelId && a.status === 502).length).toBeGreaterThanOrEqual(DONATIONS / 10);
  const duplicates = Array.from({ length: DONATIONS }, (_, k) => k + 1).filter((i) => timesPosted(i) !== 1);
  expect(duplicates.map(nickname)).toEqual([]);
});
