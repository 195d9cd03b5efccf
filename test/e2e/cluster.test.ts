/**
 * Three bot processes (`src/main.ts`, unchanged) on one PostgreSQL database, 300 streamers on the
 * fake SOOP server, Discord through the fake gateway with one shard per node:
 * - every streamer is crawled by exactly one node, the split is fair, and no room ever sees two
 *   of our clients at once (the simulator records the peak);
 * - a subscription made through a command on one node reaches the node that crawls it within 2 s;
 * - one node SIGKILLed (after a freeze, with alerts of its destinations still pending) → its
 *   streamers are crawled again by the others within lease TTL + 5 s, and its pending alerts are
 *   sent by them;
 * - the killed node comes back: the others give back their excess and it takes its share;
 * - every donation the test sent is delivered exactly once to each of its destinations.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SimulatedRoom, SoopSimulator } from '../../src/simulator/api.js';
import { starBalloonPacket } from '../../src/simulator/packets.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { ownerOf } from '../../src/cluster/assignment.js';
import { openPostgresCluster } from '../../src/store/postgres-cluster.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { ClusterStore } from '../../src/store/cluster-types.js';
import type { SubscriptionStore } from '../../src/store/types.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';
import { FakeDiscord, snowflakeOnShard, type FakeGuild } from '../fakes/discord.js';
import { startBotNode, until, type BotNode } from './bot-node.js';
import { pgSuite, usePgCluster } from '../store/pg-suite.js';

const suite = pgSuite('the three-node cluster test');

const NODES = 3;
const STREAMERS = 300;
const CHANNELS_PER_GUILD = 10;
const LEASE_TTL_S = 5;



suite('three nodes on one PostgreSQL', () => {
  const pg = usePgCluster();
  let sim: SoopSimulator;
  let discord: FakeDiscord;
  let store: SubscriptionStore;
  let leases: ClusterStore;
  const nodes: BotNode[] = [];

  beforeAll(async () => {
    sim = await startSoopSimulator();
    discord = await FakeDiscord.start({ shardCount: NODES });
    store = openPostgresStore(pg().url);
    leases = openPostgresCluster(pg().url);
  }, 60_000);

  afterAll(async () => {
    for (const node of nodes) node.child.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.exited));
    store?.close();
    leases?.close();
    await Promise.all([sim?.close(), discord?.close()]);
  });

  function startNode(index: number): BotNode {
    return startBotNode(`node-${index}`, {
      DATABASE_URL: pg().url,
      LEASE_TTL_SECONDS: String(LEASE_TTL_S),
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_SHARDS: String(index),
      DISCORD_SHARD_COUNT: String(NODES),
      SOOP_LIVE_INFO_URL: sim.liveInfoUrl,
      SOOP_CHAT_TRANSPORT: 'ws',
      LIVE_INFO_RPS: '500',
      MAX_SUBSCRIPTIONS_PER_SERVER: '1000',
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    });
  }

  /** Every donation the test sent: its tag, and the channels it must reach once each. */
  const sent: { tag: string; channels: string[] }[] = [];
  let donationSeq = 0;
  function donate(streamer: string, room: SimulatedRoom, channels: string[]): void {
    const tag = `T${String(++donationSeq).padStart(5, '0')}Z`;
    room.send(starBalloonPacket({ streamerId: streamer, userId: `fan${donationSeq}`, nickname: tag, count: 10 }));
    sent.push({ tag, channels });
  }

  /** How many times each tag appears in each channel's messages. */
  function deliveries(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const channel of allChannels) {
      for (const message of discord.messagesIn(channel)) {
        for (const match of JSON.stringify(message.body).matchAll(/T\d{5}Z/g)) {
          const key = `${channel}/${match[0]}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
    }
    return counts;
  }
  const allDelivered = (): boolean => {
    const counts = deliveries();
    return sent.every((d) => d.channels.every((c) => (counts.get(`${c}/${d.tag}`) ?? 0) >= 1));
  };

  const guilds: FakeGuild[] = [];
  const allChannels: string[] = [];
  const streamers: string[] = [];
  const rooms = new Map<string, SimulatedRoom>();
  const channelsOf = new Map<string, string[]>();
  const owners = (): Map<string, string> => new Map(leases.listLeases('streamer:').filter((l) => l.expiresInMs > 0).map((l) => [l.name.slice(9), l.owner]));

  it('splits 300 streamers fairly, takes over a killed node within TTL + 5 s, and delivers every donation exactly once', async () => {
    // One guild per shard, so each node serves the commands of one guild.
    for (let shard = 0; shard < NODES; shard++) {
      const guild = discord.createGuild({ id: snowflakeOnShard(shard, NODES), channels: CHANNELS_PER_GUILD });
      guilds.push(guild);
      allChannels.push(...guild.channelIds);
    }
    // 300 streamers over 30 channels (10 each); the first 60 also go to a second channel.
    for (let i = 0; i < STREAMERS; i++) {
      const streamer = `bj${String(i).padStart(3, '0')}`;
      streamers.push(streamer);
      const room = sim.room(streamer);
      room.joinBurst = 0;
      room.goLive();
      rooms.set(streamer, room);
      const targets = [allChannels[i % allChannels.length] as string];
      if (i < 60) targets.push(allChannels[(i + 7) % allChannels.length] as string);
      channelsOf.set(streamer, targets);
      for (const channel of targets) {
        const guild = guilds.find((g) => g.channelIds.includes(channel)) as FakeGuild;
        store.add(subscriptionRequest({ platform: 'discord', id: channel, guildId: guild.id }, streamer, 'test', { locale: 'en' }));
      }
    }

    for (let i = 0; i < NODES; i++) nodes.push(startNode(i));
    try {
      // 1. Every streamer crawled once, fairly split.
      await until(() => streamers.every((s) => rooms.get(s)?.joinedClients === 1), 'every room to have one client', 90_000, 200);
      await until(() => owners().size === STREAMERS, 'a lease per streamer', 10_000);
      const perNode = new Map<string, number>();
      for (const owner of owners().values()) perNode.set(owner, (perNode.get(owner) ?? 0) + 1);
      expect([...perNode.keys()].sort()).toEqual(['node-0', 'node-1', 'node-2']);
      for (const count of perNode.values()) expect(count).toBe(STREAMERS / NODES);

      // /status answered by node-0 (shard 0's guild) for a streamer another node crawls: that node's status.
      const remote = streamers.find((s) => owners().get(s) === 'node-1') as string;
      // (node-1 publishes with its heartbeat, every TTL/3: ask again until it has.)
      let statusReply = '';
      for (let attempt = 0; attempt < 8 && !statusReply.includes('Node: node-1'); attempt++) {
        statusReply = (await discord.interaction({ command: 'status', guildId: guilds[0]?.id as string, channelId: allChannels[0] as string, locale: 'en-US', options: { streamer: remote } })).content ?? '';
        if (!statusReply.includes('Node: node-1')) await new Promise((r) => setTimeout(r, 1000));
      }
      expect(statusReply).toContain('Node: node-1');
      expect(statusReply).toContain(remote);
      expect(statusReply).not.toContain('not watching');

      // 2. A command on one node (shard 0's guild) for a new streamer: the node it is assigned to
      //    (any of them) takes its lease within 2 s of the reply, through LISTEN/NOTIFY.
      const newbie = 'bjnew';
      const newRoom = sim.room(newbie);
      newRoom.goLive();
      rooms.set(newbie, newRoom);
      const newChannel = guilds[0]?.channelIds[0] as string;
      const reply = await discord.interaction({ command: 'watch', guildId: guilds[0]?.id as string, channelId: newChannel, locale: 'en-US', options: { streamer: newbie } });
      expect(reply.content).toContain(`Now watching ${newbie}`);
      const repliedAt = Date.now();
      await until(() => owners().has(newbie), 'the new streamer to be leased', 2000, 10);
      const propagationMs = Date.now() - repliedAt;
      expect(propagationMs).toBeLessThan(2000);
      await newRoom.waitForJoined(1, 10_000);
      streamers.push(newbie);
      channelsOf.set(newbie, [newChannel]);

      // 3. Wave 1: one donation per streamer, all delivered.
      for (const s of streamers) donate(s, rooms.get(s) as SimulatedRoom, channelsOf.get(s) as string[]);
      await until(allDelivered, 'wave 1 to be delivered', 60_000, 200);

      // 4. Freeze one node, send donations to the others' streamers so that alerts for the frozen
      //    node's destinations pile up in the outbox, then kill it.
      const victim = nodes[1] as BotNode;
      const before = owners();
      const victimStreamers = streamers.filter((s) => before.get(s) === victim.id);
      const survivorStreamers = streamers.filter((s) => before.get(s) !== victim.id);
      // Destinations fall to nodes by rendezvous hashing: these wait for the victim while it is frozen.
      const victimChannels = allChannels.filter((c) => ownerOf(`discord:${c}`, ['node-0', 'node-1', 'node-2']) === victim.id);
      victim.child.kill('SIGSTOP');
      const frozenAt = Date.now();
      for (const s of survivorStreamers) donate(s, rooms.get(s) as SimulatedRoom, channelsOf.get(s) as string[]);
      // Wait until the survivors have written them all (pending for the frozen node's destinations included).
      await until(() => {
        const counts = deliveries();
        const pending = store.outboxBacklog();
        const undelivered = sent.reduce((n, d) => n + d.channels.filter((c) => !counts.has(`${c}/${d.tag}`)).length, 0);
        return pending >= undelivered;
      }, 'the survivors to write wave 2', 3000, 20);
      victim.child.kill('SIGKILL');
      await victim.exited;
      const pendingAtKill = store.outboxBacklog();

      // Meanwhile the survivors' streamers keep donating.
      const during = setInterval(() => {
        const s = survivorStreamers[donationSeq % survivorStreamers.length] as string;
        donate(s, rooms.get(s) as SimulatedRoom, channelsOf.get(s) as string[]);
      }, 100);
      try {
        await until(() => victimStreamers.every((s) => rooms.get(s)?.joinedClients === 1), "the victim's streamers to be crawled again", (LEASE_TTL_S + 5) * 1000, 50);
      } finally {
        clearInterval(during);
      }
      const takeoverMs = Date.now() - frozenAt;
      expect(takeoverMs).toBeLessThanOrEqual((LEASE_TTL_S + 5) * 1000);
      const after = owners();
      expect(victimStreamers.every((s) => after.get(s) !== undefined && after.get(s) !== victim.id)).toBe(true);
      const survivorsLoad = [...after.values()].reduce((m, o) => m.set(o, (m.get(o) ?? 0) + 1), new Map<string, number>());
      expect([...survivorsLoad.keys()].sort()).toEqual(['node-0', 'node-2']);
      expect(Math.abs((survivorsLoad.get('node-0') ?? 0) - (survivorsLoad.get('node-2') ?? 0))).toBeLessThanOrEqual(1);

      // 5. Wave 3: every streamer again, the taken-over ones included.
      for (const s of streamers) donate(s, rooms.get(s) as SimulatedRoom, channelsOf.get(s) as string[]);
      await until(allDelivered, 'every donation to be delivered', 60_000, 200);
      await until(() => store.outboxBacklog() === 0, 'the outbox to drain', 10_000);

      // 6. The killed node comes back (same NODE_ID, same shard): the survivors give back their excess
      //    (engine stopped before the lease goes) and it takes its share; then every streamer once more.
      const back = startNode(1);
      nodes.push(back);
      const loadOf = (): Map<string, number> => [...owners().values()].reduce((m, o) => m.set(o, (m.get(o) ?? 0) + 1), new Map<string, number>());
      await until(
        () => {
          const load = loadOf();
          return load.size === NODES && [...load.values()].every((n) => n >= 99) && streamers.every((st) => rooms.get(st)?.joinedClients === 1);
        },
        'the returning node to get its share',
        30_000,
        200,
      );
      const rebalanced = [...loadOf().values()];
      expect(Math.max(...rebalanced) - Math.min(...rebalanced)).toBeLessThanOrEqual(2);
      for (const s of streamers) donate(s, rooms.get(s) as SimulatedRoom, channelsOf.get(s) as string[]);
      await until(allDelivered, 'every donation after the rebalance to be delivered', 60_000, 200);
      await until(() => store.outboxBacklog() === 0, 'the outbox to drain', 10_000);

      // Exactly once per destination; never two of our clients in one room.
      const counts = deliveries();
      const duplicates = sent.flatMap((d) => d.channels.filter((c) => (counts.get(`${c}/${d.tag}`) ?? 0) !== 1).map((c) => `${d.tag}@${c}×${counts.get(`${c}/${d.tag}`) ?? 0}`));
      expect(duplicates).toEqual([]);
      // One node paces each channel: the platform never had to say "slow down".
      const rateLimited = discord.attempts.filter((a) => a.status === 429).length;
      expect(rateLimited).toBe(0);
      const doubled = streamers.filter((s) => (rooms.get(s)?.peakJoinedClients ?? 0) > 1);
      expect(doubled).toEqual([]);
      expect(victimChannels.length).toBeGreaterThan(0);
      expect(pendingAtKill).toBeGreaterThan(0);
      console.info(
        `cluster: ${sent.length} donations, ${sent.reduce((n, d) => n + d.channels.length, 0)} deliveries, subscription reached its node in ${propagationMs} ms, ` +
          `takeover ${takeoverMs} ms after the freeze (TTL ${LEASE_TTL_S} s), ${pendingAtKill} alerts pending at the kill, after the return ${rebalanced.join('/')}`,
      );

      // 7. The running nodes stop cleanly.
      for (const node of nodes) if (node !== victim) node.child.kill('SIGTERM');
      for (const node of nodes) if (node !== victim) expect(await node.exited).toBe(0);
      for (const node of nodes) expect(node.logs).not.toContain(discord.token);
    } catch (err) {
      const counts = deliveries();
      const missing = sent.flatMap((d) => d.channels.filter((c) => !counts.has(`${c}/${d.tag}`)).map((c) => `${d.tag}@${c}`));
      process.stderr.write(`undelivered (${missing.length}): ${missing.slice(0, 20).join(' ')}\nbacklog ${store.outboxBacklog()}\n`);
      process.stderr.write(`destination leases: ${JSON.stringify(leases.listLeases('destination:'))}\n`);
      const interesting = (logs: string): string => logs.split('\n').filter((l) => !l.includes('"engine state"')).join('\n');
      for (const node of nodes) process.stderr.write(`--- ${node.id} (last 4000 chars without engine states) ---\n${interesting(node.logs).slice(-4000)}\n`);
      throw err;
    }
  }, 240_000);
});
