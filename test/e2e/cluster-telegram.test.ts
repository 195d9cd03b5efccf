/**
 * Two bot processes on one PostgreSQL with one Telegram token in long-polling mode: Telegram lets
 * one getUpdates consumer in at a time (a second one ends the first with 409 Conflict), so exactly
 * one node polls, under a lease; when it dies, the other takes over within the lease TTL, and
 * both deliver alerts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { starBalloonPacket } from '../../src/simulator/packets.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { openPostgresCluster } from '../../src/store/postgres-cluster.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { ClusterStore } from '../../src/store/cluster-types.js';
import { startFakeTelegram, type FakeChat, type FakeTelegram, type FakeUser } from '../fakes/telegram.js';
import { startBotNode, until, type BotNode } from './bot-node.js';
import { pgSuite, usePgCluster } from '../store/pg-suite.js';

const suite = pgSuite('the two-node Telegram cluster test');
const LEASE_TTL_S = 3;



suite('two nodes sharing one Telegram bot', () => {
  const pg = usePgCluster();
  let sim: SoopSimulator;
  let telegram: FakeTelegram;
  let leases: ClusterStore;
  const nodes: BotNode[] = [];

  beforeAll(async () => {
    sim = await startSoopSimulator();
    telegram = await startFakeTelegram();
    leases = openPostgresCluster(pg().url);
    openPostgresStore(pg().url).close(); // migrate once, before the nodes race for it
  }, 60_000);
  afterAll(async () => {
    for (const node of nodes) node.child.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.exited));
    leases?.close();
    await Promise.all([sim?.close(), telegram?.close()]);
  });

  function startNode(id: string): BotNode {
    return startBotNode(id, {
      LOCALE: 'en',
      DATABASE_URL: pg().url,
      LEASE_TTL_SECONDS: String(LEASE_TTL_S),
      TELEGRAM_TOKEN: telegram.token,
      TELEGRAM_API_URL: telegram.apiRoot,
      SOOP_LIVE_INFO_URL: sim.liveInfoUrl,
      SOOP_CHAT_TRANSPORT: 'ws',
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    });
  }

  const poller = (): string | undefined => leases.listLeases('exclusive:telegram').find((l) => l.expiresInMs > 0)?.owner;

  it('polls from one node at a time, hands polling over when that node dies, and answers every command once', async () => {
    nodes.push(startNode('tg-a'), startNode('tg-b'));
    try {
      await until(() => poller() !== undefined && nodes.every((n) => n.logs.includes('joined the cluster')), 'a node to take the polling', 30_000);
      const first = poller() as string;

      const owner: FakeUser = { id: 77, first_name: 'Owner', language_code: 'en' };
      const chat: FakeChat = { id: owner.id, type: 'private', first_name: 'Owner' };
      const room = sim.room('tgclusterbj');
      room.goLive();
      telegram.message(chat, owner, '/subscribe tgclusterbj');
      await until(() => telegram.sentTo(chat.id).some((m) => m.text.includes('tgclusterbj')), 'the /subscribe reply', 10_000);
      await room.waitForJoined(1, 10_000);
      room.send(starBalloonPacket({ streamerId: 'tgclusterbj', userId: 'fan1', nickname: '첫후원', count: 50 }));
      await until(() => telegram.sentTo(chat.id).some((m) => m.text.includes('첫후원')), 'the first alert', 10_000);
      // Let both nodes run a few poll rounds: a second poller would end the first with 409.
      await new Promise((r) => setTimeout(r, 2500));
      expect(telegram.pollConflicts).toBe(0);

      // The polling node dies; the other takes the polling over within the TTL (+ a heartbeat).
      const victim = nodes.find((n) => n.id === first) as BotNode;
      victim.child.kill('SIGKILL');
      await victim.exited;
      const killedAt = Date.now();
      const survivor = nodes.find((n) => n !== victim) as BotNode;
      await until(() => poller() === survivor.id, 'the survivor to take the polling', (LEASE_TTL_S + 5) * 1000);
      const takeoverMs = Date.now() - killedAt;
      expect(takeoverMs).toBeLessThanOrEqual((LEASE_TTL_S + 5) * 1000);

      const repliesBefore = telegram.sentTo(chat.id).length;
      telegram.message(chat, owner, '/list');
      await until(() => telegram.sentTo(chat.id).length > repliesBefore, 'the /list reply from the survivor', 10_000);
      await room.waitForJoined(1, (LEASE_TTL_S + 5) * 1000);
      room.send(starBalloonPacket({ streamerId: 'tgclusterbj', userId: 'fan2', nickname: '두번째후원', count: 60 }));
      await until(() => telegram.sentTo(chat.id).some((m) => m.text.includes('두번째후원')), 'the alert after the takeover', 15_000);
      await new Promise((r) => setTimeout(r, 500));
      const texts = telegram.sentTo(chat.id).map((m) => m.text);
      expect(texts.filter((t) => t.includes('첫후원'))).toHaveLength(1);
      expect(texts.filter((t) => t.includes('두번째후원'))).toHaveLength(1);
      expect(texts.filter((t) => t.includes('tgclusterbj') && !t.includes('후원')).length).toBeGreaterThanOrEqual(1);

      survivor.child.kill('SIGTERM');
      expect(await survivor.exited).toBe(0);
    } catch (err) {
      for (const node of nodes) process.stderr.write(`--- ${node.id} ---\n${node.logs.slice(-3000)}\n`);
      throw err;
    }
  }, 120_000);
});
