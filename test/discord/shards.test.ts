/**
 * Gateway sharding: Discord's shard formula, and two bot processes ("nodes") sharing one store, each
 * running one of two shards with real discord.js against the fake Discord.
 */
import { Events } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandContext, CommandEffects, StreamerStatusView } from '../../src/commands/ports.js';
import { CommandService } from '../../src/commands/service.js';
import type { LiveInfo } from '../../src/core/live-info.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/discord/adapter.js';
import { registersCommands, runsGuild, shardOf, type ShardSpec } from '../../src/discord/shards.js';
import { sampleAlert } from '../../src/route/sample-alert.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Destination, Subscription, SubscriptionStore } from '../../src/store/types.js';
import { FakeDiscord, snowflakeOnShard, type FakeGuild } from '../fakes/discord.js';

/** A snowflake whose timestamp part (the bits above 22) is `ms`. */
const idAt = (ms: bigint): string => ((ms << 22n) | 0x2_0fffn).toString();

describe('shardOf', () => {
  it('is (guild_id >> 22) % count, exact for ids beyond 2^53', () => {
    expect(shardOf(idAt(123_456_789n), 16)).toBe(123_456_789 % 16);
    const ms = 1_234_567_890_123n;
    const big = idAt(ms);
    expect(big.length).toBe(19);
    expect(shardOf(big, 7)).toBe(Number(ms % 7n));
    // Number(big) would round: the low bits must not leak into the result.
    expect(shardOf(((ms << 22n) | ((1n << 22n) - 1n)).toString(), 2)).toBe(Number(ms % 2n));
  });

  it('puts every guild on shard 0 of 1, and refuses a bad count or id', () => {
    expect(shardOf(idAt(999n), 1)).toBe(0);
    expect(() => shardOf(idAt(1n), 0)).toThrow('at least 1');
    expect(() => shardOf(idAt(1n), 1.5)).toThrow(RangeError);
    expect(() => shardOf('not-a-guild', 2)).toThrow('not a Discord guild id');
  });

  it('runsGuild and registersCommands follow the shards a process runs', () => {
    const one: ShardSpec = { ids: [1], count: 2 };
    expect(runsGuild(undefined, idAt(4n))).toBe(true);
    expect(runsGuild(one, idAt(5n))).toBe(true);
    expect(runsGuild(one, idAt(4n))).toBe(false);
    expect(runsGuild(one, 'junk')).toBe(false);
    expect(registersCommands(undefined)).toBe(true);
    expect(registersCommands({ ids: [0, 3], count: 4 })).toBe(true);
    expect(registersCommands(one)).toBe(false);
  });
});

class QuietEffects implements CommandEffects {
  subscriptionsChanged(): void {}
  canWatch(): boolean {
    return true;
  }
  engineStatus(): StreamerStatusView | undefined {
    return undefined;
  }
  async checkLiveInfo(): Promise<LiveInfo> {
    return { status: 'offline' };
  }
  sendTest(): void {}
}

const COUNT = 2;
const serviceOver = (store: SubscriptionStore): CommandService => new CommandService(store, new QuietEffects(), { perDestination: 10, perGuild: 10 });
const destinationIn = (guildId: string, channelId: string): Destination => ({ platform: 'discord', id: channelId, guildId });

async function seed(commands: CommandService, guildId: string, channelId: string, streamer: string): Promise<void> {
  const ctx: CommandContext = { destination: destinationIn(guildId, channelId), userId: 'seed', locale: 'en' };
  const reply = await commands.watch(ctx, { streamer });
  expect(reply.ok).toBe(true);
}

describe('two processes, one shard each, one shared store', () => {
  let fake: FakeDiscord;
  const store = createMemoryStore();
  const adapters: DiscordAdapter[] = [];
  let node0: DiscordAdapter;
  let node1: DiscordAdapter;
  let onShard0: FakeGuild[];
  let onShard1: FakeGuild[];
  /** Stored servers the bot left while offline, one per shard. */
  const goneOnShard0 = snowflakeOnShard(0, COUNT);
  const goneOnShard1 = snowflakeOnShard(1, COUNT);
  /** Subscription counts per server right after node 0 started (before node 1). */
  let afterNode0: Record<string, number> = {};
  const seen = { interactions: [0, 0], guildDeletes: [0, 0] };

  const start = async (ids: number[], name: number): Promise<DiscordAdapter> => {
    const adapter = createDiscordAdapter({ token: fake.token, apiUrl: fake.apiUrl, readyTimeoutMs: 5000, shards: { ids, count: COUNT } });
    adapters.push(adapter);
    adapter.client.on(Events.InteractionCreate, () => void (seen.interactions[name] = (seen.interactions[name] ?? 0) + 1));
    adapter.client.on(Events.GuildDelete, () => void (seen.guildDeletes[name] = (seen.guildDeletes[name] ?? 0) + 1));
    await adapter.start(serviceOver(store));
    return adapter;
  };

  beforeAll(async () => {
    fake = await FakeDiscord.start({ shardCount: COUNT });
    onShard0 = [0, 1].map(() => fake.createGuild({ id: snowflakeOnShard(0, COUNT), channels: 2 }));
    onShard1 = [0, 1].map(() => fake.createGuild({ id: snowflakeOnShard(1, COUNT), channels: 2 }));
    const seeding = serviceOver(store);
    for (const guild of [...onShard0, ...onShard1]) await seed(seeding, guild.id, guild.channelIds[0] as string, 'seededbj');
    await seed(seeding, goneOnShard0, snowflakeOnShard(0, COUNT), 'seededbj');
    await seed(seeding, goneOnShard1, snowflakeOnShard(1, COUNT), 'seededbj');

    node0 = await start([0], 0);
    const ids = [...onShard0, ...onShard1].map((g) => g.id).concat(goneOnShard0, goneOnShard1);
    afterNode0 = Object.fromEntries(ids.map((id) => [id, store.listByGuild(id).length]));
    node1 = await start([1], 1);
  });

  afterAll(async () => {
    for (const adapter of adapters) await adapter.stop();
    await fake.close();
  });

  it('each process identifies with its own shard and sees only that shard’s servers', () => {
    expect(fake.shardIdentifies.map((i) => i.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect([...node0.client.guilds.cache.keys()].sort()).toEqual(onShard0.map((g) => g.id).sort());
    expect([...node1.client.guilds.cache.keys()].sort()).toEqual(onShard1.map((g) => g.id).sort());
    expect(node0.ready && node1.ready).toBe(true);
  });

  it('READY reconciliation drops only the stored servers of the process’s own shards', () => {
    // Node 0 removed its own shard's stale server and left every shard-1 server alone.
    expect(afterNode0[goneOnShard0]).toBe(0);
    expect(afterNode0[goneOnShard1]).toBe(1);
    for (const guild of [...onShard0, ...onShard1]) expect(afterNode0[guild.id]).toBe(1);
    // Node 1 then removed the stale shard-1 server, and nothing of shard 0.
    expect(store.listByGuild(goneOnShard1)).toEqual([]);
    for (const guild of [...onShard0, ...onShard1]) expect(store.listByGuild(guild.id)).toHaveLength(1);
  });

  it('registers the slash commands once, from the process running shard 0', () => {
    expect(fake.commandPuts).toBe(1);
    expect(fake.commands.length).toBeGreaterThan(0);
  });

  it('an interaction in a shard-1 server is answered by the shard-1 process only', async () => {
    const before = [...seen.interactions];
    const guild = onShard1[0] as FakeGuild;
    const channelId = guild.channelIds[1] as string;
    const reply = await fake.interaction({ command: 'watch', guildId: guild.id, channelId, locale: 'en-US', options: { streamer: 'shardonebj' } });
    expect(reply.content).toContain('Now watching shardonebj');
    expect(store.find(destinationIn(guild.id, channelId), 'shardonebj')).toMatchObject({ paused: false });
    expect(seen.interactions).toEqual([before[0], (before[1] ?? 0) + 1]);

    const home = onShard0[0] as FakeGuild;
    const local = await fake.interaction({ command: 'watch', guildId: home.id, channelId: home.channelIds[1] as string, locale: 'en-US', options: { streamer: 'shardzerobj' } });
    expect(local.content).toContain('Now watching shardzerobj');
    expect(seen.interactions).toEqual([(before[0] ?? 0) + 1, (before[1] ?? 0) + 1]);
  });

  it('the bot leaving a shard-1 server reaches only the shard-1 process, which removes its subscriptions', async () => {
    const guild = onShard1[1] as FakeGuild;
    expect(store.listByGuild(guild.id)).toHaveLength(1);
    fake.guildDelete(guild.id);
    await vi.waitFor(() => expect(store.listByGuild(guild.id)).toEqual([]));
    expect(seen.guildDeletes).toEqual([0, 1]);
    expect(node1.client.guilds.cache.has(guild.id)).toBe(false);
  });

  it('the shard-0 process sends alerts to a shard-1 server’s channel (REST is not sharded)', async () => {
    const guild = onShard1[0] as FakeGuild;
    const channelId = guild.channelIds[0] as string;
    const sub = store.find(destinationIn(guild.id, channelId), 'seededbj') as Subscription;
    expect(sub).toBeDefined();
    await node0.sink.send({ destination: sub.destination, alerts: [sampleAlert(sub)], key: `shard-test-${sub.id}` });
    expect(fake.messagesIn(channelId)).toHaveLength(1);
    expect(node0.client.guilds.cache.has(guild.id)).toBe(false);
  });
});

describe('one process running both shards', () => {
  it('gets ready only once both shards are, sees every server and reconciles all of them', async () => {
    // max_concurrency 2: discord.js identifies both shards at once instead of 5 s apart.
    const fake = await FakeDiscord.start({ shardCount: COUNT, maxConcurrency: COUNT });
    const store = createMemoryStore();
    const guilds = [fake.createGuild({ id: snowflakeOnShard(0, COUNT) }), fake.createGuild({ id: snowflakeOnShard(1, COUNT) })];
    const commands = serviceOver(store);
    const gone = [snowflakeOnShard(0, COUNT), snowflakeOnShard(1, COUNT)];
    for (const guildId of gone) await seed(commands, guildId, snowflakeOnShard(0, COUNT), 'bothbj');
    const adapter = createDiscordAdapter({ token: fake.token, apiUrl: fake.apiUrl, readyTimeoutMs: 5000, shards: { ids: [0, 1], count: COUNT } });
    try {
      await adapter.start(commands);
      expect(adapter.ready).toBe(true);
      expect(fake.shardIdentifies.map((i) => i.shard).sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      expect([...adapter.client.ws.shards.keys()].sort()).toEqual([0, 1]);
      expect([...adapter.client.guilds.cache.keys()].sort()).toEqual(guilds.map((g) => g.id).sort());
      for (const guildId of gone) expect(store.listByGuild(guildId)).toEqual([]);
      expect(fake.commandPuts).toBe(1);
    } finally {
      await adapter.stop();
      await fake.close();
    }
  });
});
