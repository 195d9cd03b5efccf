/**
 * DISCORD_SHARDS=auto: two nodes share two gateway shards through leases. Each node runs one
 * shard (fair placement), commands are registered once, a command in each server is answered by
 * the node running its shard, and when a node dies the other takes its shard over within the
 * lease TTL, so that server's commands are answered again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { openPostgresCluster } from '../../src/store/postgres-cluster.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { ClusterStore } from '../../src/store/cluster-types.js';
import { FakeDiscord, snowflakeOnShard, type FakeGuild } from '../fakes/discord.js';
import { startBotNode, until, type BotNode } from './bot-node.js';
import { pgSuite, usePgCluster } from '../store/pg-suite.js';

const suite = pgSuite('the leased Discord shards test');
const LEASE_TTL_S = 3;
const SHARDS = 2;

suite('Discord shards leased by two nodes', () => {
  const pg = usePgCluster();
  let sim: SoopSimulator;
  let discord: FakeDiscord;
  let leases: ClusterStore;
  const nodes: BotNode[] = [];

  beforeAll(async () => {
    sim = await startSoopSimulator();
    discord = await FakeDiscord.start({ shardCount: SHARDS });
    leases = openPostgresCluster(pg().url);
    openPostgresStore(pg().url).close(); // migrate once, before the nodes race for it
  }, 60_000);
  afterAll(async () => {
    for (const node of nodes) node.child.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.exited));
    leases?.close();
    await Promise.all([sim?.close(), discord?.close()]);
  });

  const startNode = (id: string): BotNode =>
    startBotNode(id, {
      DATABASE_URL: pg().url,
      LEASE_TTL_SECONDS: String(LEASE_TTL_S),
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_SHARDS: 'auto',
      DISCORD_SHARD_COUNT: String(SHARDS),
      SOOP_LIVE_INFO_URL: sim.liveInfoUrl,
      SOOP_CHAT_TRANSPORT: 'ws',
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    });
  const shardOwners = (): Map<string, string> =>
    new Map(leases.listLeases('exclusive:discord:shard:').filter((l) => l.expiresInMs > 0).map((l) => [l.name.slice('exclusive:discord:'.length), l.owner]));
  const connected = (): number[] => discord.connectedShards.map(([shard]) => shard).sort();

  async function watch(guild: FakeGuild, streamer: string): Promise<string> {
    const reply = await discord.interaction({ command: 'watch', guildId: guild.id, channelId: guild.channelIds[0] as string, locale: 'en-US', options: { streamer } });
    return reply.content ?? '';
  }

  it('runs one shard per node, and the survivor takes over a dead node\'s shard', async () => {
    const guilds = [0, 1].map((shard) => discord.createGuild({ id: snowflakeOnShard(shard, SHARDS), channels: 1 }));
    nodes.push(startNode('sh-a'), startNode('sh-b'));
    try {
      await until(() => shardOwners().size === SHARDS && connected().join() === '0,1', 'both shards to be leased and connected', 30_000);
      const owners = shardOwners();
      expect(new Set(owners.values()).size).toBe(2); // one each
      await until(() => discord.commandPuts > 0, 'the commands to be registered', 10_000);

      sim.room('shardbj0').goLive();
      sim.room('shardbj1').goLive();
      expect(await watch(guilds[0] as FakeGuild, 'shardbj0')).toContain('Now watching shardbj0');
      expect(await watch(guilds[1] as FakeGuild, 'shardbj1')).toContain('Now watching shardbj1');

      const victim = nodes.find((n) => n.id === owners.get('shard:1')) as BotNode;
      const survivor = nodes.find((n) => n !== victim) as BotNode;
      victim.child.kill('SIGKILL');
      await victim.exited;
      const killedAt = Date.now();
      await until(() => shardOwners().get('shard:1') === survivor.id && connected().join() === '0,1', 'the survivor to run shard 1', (LEASE_TTL_S + 5) * 1000);
      const takeoverMs = Date.now() - killedAt;
      expect(takeoverMs).toBeLessThanOrEqual((LEASE_TTL_S + 5) * 1000);
      sim.room('shardbj2').goLive();
      expect(await watch(guilds[1] as FakeGuild, 'shardbj2')).toContain('Now watching shardbj2');
      // Slash commands are global: registered once, by the node running shard 0 (the survivor).
      expect(discord.commandPuts).toBe(1);
      console.info(`leased shards: shard 1 taken over ${takeoverMs} ms after its node was killed (TTL ${LEASE_TTL_S} s)`);

      survivor.child.kill('SIGTERM');
      expect(await survivor.exited).toBe(0);
    } catch (err) {
      for (const node of nodes) process.stderr.write(`--- ${node.id} ---\n${node.logs.slice(-3000)}\n`);
      throw err;
    }
  }, 90_000);
});
