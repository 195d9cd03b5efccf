/**
 * PostgreSQL stops for 30 s under a running bot process (src/main.ts, unchanged): the process
 * stays up, /readyz answers 503 while the database is away and 200 once it is back, the outage is
 * logged once ("database unreachable" … "database back"), and donations before and after it are
 * delivered exactly once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SimulatedRoom, SoopSimulator } from '../../src/simulator/api.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';
import { FakeDiscord } from '../fakes/discord.js';
import { startBotNode, until, type BotNode } from '../e2e/bot-node.js';
import { pgSuite, usePgCluster } from '../store/pg-suite.js';
import { TaggedDonations, freePort, readyz, storageBotEnv } from './storage-harness.js';

const suite = pgSuite('the PostgreSQL outage test');
const STREAMER = 'bjpgdown';
const OUTAGE_MS = 30_000;

suite('PostgreSQL stopped for 30 s under a bot process', () => {
  const pg = usePgCluster();
  let sim: SoopSimulator;
  let discord: FakeDiscord;
  let node: BotNode | undefined;

  beforeAll(async () => {
    sim = await startSoopSimulator();
    discord = await FakeDiscord.start({ shardCount: 1 });
  }, 60_000);

  afterAll(async () => {
    node?.child.kill('SIGKILL');
    await node?.exited;
    await Promise.all([sim?.close(), discord?.close()]);
  });

  it('no crash; /readyz 503 during, 200 after; one line per change; donations before and after delivered once', async () => {
    const guild = discord.createGuild({ channels: 1 });
    const channel = guild.channelIds[0] as string;
    const setup = openPostgresStore(pg().url);
    setup.add(subscriptionRequest({ platform: 'discord', id: channel, guildId: guild.id }, STREAMER, 'test', { locale: 'en' }));
    setup.close();
    const room: SimulatedRoom = sim.room(STREAMER);
    room.joinBurst = 0;
    room.goLive();

    const port = await freePort();
    node = startBotNode('pg-outage', {
      DATABASE_URL: pg().url,
      LEASE_TTL_SECONDS: '6',
      ...storageBotEnv(discord, sim, port),
    });
    const bot = node;
    let exitCode: number | null | undefined;
    void bot.exited.then((code) => (exitCode = code));
    const donations = new TaggedDonations(discord, channel, 'P');

    await until(() => room.joinedClients === 1, 'the bot to join the room', 30_000, 100);
    let ready = 0;
    await until(() => ready === 200, '/readyz 200 before the outage', 20_000, 200).catch(() => undefined);
    for (let i = 0; i < 20 && ready !== 200; i++) {
      ready = await readyz(port);
      if (ready !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(ready).toBe(200);
    const before = [0, 1, 2, 3, 4].map(() => donations.send(room, STREAMER));
    await until(() => donations.delivered(before), 'the donations before the outage', 20_000, 100);

    pg().stopServer();
    const stoppedAt = Date.now();
    const seen = new Set<number>();
    try {
      while (Date.now() - stoppedAt < OUTAGE_MS) {
        seen.add(await readyz(port));
        expect(exitCode).toBeUndefined();
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await pg().startServer();
    }
    expect(seen).toContain(503);
    expect(seen).not.toContain(0); // the HTTP endpoint answered throughout

    const backBy = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < backBy && status !== 200) {
      status = await readyz(port);
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    await until(() => room.joinedClients === 1, 'the bot to crawl the room again', 30_000, 100);

    const after = [0, 1, 2, 3, 4].map(() => donations.send(room, STREAMER));
    await until(() => donations.delivered(after), 'the donations after the outage', 30_000, 100);
    const counts = donations.counts();
    for (const tag of [...before, ...after]) expect(counts.get(tag)).toBe(1);

    expect(exitCode).toBeUndefined();

    const lines = (pattern: RegExp): number => bot.logs.split('\n').filter((l) => pattern.test(l)).length;
    expect(lines(/database unreachable/)).toBe(1);
    expect(lines(/database back/)).toBe(1);
    expect(bot.logs).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  }, 150_000);
});
