/**
 * Faults bench: the whole bot in console mode (buildBot, as `npm start -- <id>` runs it, alerts
 * recorded instead of printed) against the SOOP simulator, which sends 20 donations/s (each from a
 * distinct fan) over 100 chats/s while it drops the chat socket every 3 s, for 30 s
 * (BENCH_FAULTS_SECONDS). Counts donations offered vs delivered once, duplicates, donations lost,
 * and the longest gap between a drop and the next join.
 */
import { performance } from 'node:perf_hooks';
import { buildBot, syncConsoleSubscriptions } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { starBalloonPacket } from '../src/simulator/packets.js';
import { startSoopSimulator } from '../src/simulator/server.js';
import { createMemoryStore } from '../src/store/memory.js';
import { report } from './report.js';

const STREAMER = 'faultbj01';
const DONATIONS_PER_SECOND = 20;
const CHATS_PER_SECOND = 100;
const DROP_EVERY_MS = 3000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<void> {
  const seconds = Number(process.env.BENCH_FAULTS_SECONDS ?? 30);
  const sim = await startSoopSimulator();
  const room = sim.room(STREAMER);
  room.goLive({ title: 'faults bench' });
  // The bot's own defaults (backoff, silence window, live-info budget); only the host differs.
  const config = loadConfig({ SOOP_LIVE_INFO_URL: sim.liveInfoUrl, SOOP_CHAT_TRANSPORT: 'ws', HTTP_PORT: '0' }, [STREAMER]);
  const store = createMemoryStore();
  syncConsoleSubscriptions(store, [STREAMER], []);
  const deliveries = new Map<string, number>();
  const { app, budget } = buildBot({
    config,
    store,
    logger: silentLogger,
    consoleWrite: (line) => {
      for (const match of line.matchAll(/\((fan\d+)\)/g)) deliveries.set(match[1] as string, (deliveries.get(match[1] as string) ?? 0) + 1);
    },
  });

  const joins: number[] = [];
  room.onJoin(() => joins.push(performance.now()));
  await app.start();
  await room.waitForJoined(1, 10_000);

  const chats = room.startTraffic({ packetsPerSecond: CHATS_PER_SECOND, mix: 'chat' });
  let offered = 0;
  let sentToNobody = 0;
  const donate = setInterval(() => {
    if (room.joinedClients === 0) sentToNobody++;
    room.send(starBalloonPacket({ streamerId: STREAMER, userId: `fan${offered}`, nickname: '팬', count: 1 + (offered % 100) }));
    offered++;
  }, 1000 / DONATIONS_PER_SECOND);
  const drops: number[] = [];
  let dropTicks = 0;
  const drop = setInterval(() => {
    dropTicks++;
    // Only a connected socket can be dropped (a reconnect may still be waiting).
    if (room.connections === 0) return;
    drops.push(performance.now());
    room.dropConnections();
  }, DROP_EVERY_MS);

  const started = performance.now();
  await sleep(seconds * 1000);
  clearInterval(drop);
  clearInterval(donate);
  chats.stop();
  const ended = performance.now();
  await sleep(1000); // the last donations cross the socket and the router
  await app.router.idle();
  await app.stop(3000);
  budget.close();
  store.close();
  await sim.close();

  const gaps = drops.map((at) => (joins.find((j) => j > at) ?? ended) - at);
  const downMs = gaps.reduce((sum, g) => sum + g, 0);
  let delivered = 0;
  let duplicates = 0;
  for (const count of deliveries.values()) {
    delivered++;
    duplicates += count - 1;
  }
  const m = (metric: string, value: number, unit: string): void => report({ bench: 'faults', metric, value, unit });
  m('faults.offered', offered, 'donations');
  m('faults.delivered', delivered, 'donations');
  m('faults.duplicates', duplicates, 'donations');
  m('faults.lost', offered - delivered, 'donations');
  m('faults.sentWhileDisconnected', sentToNobody, 'donations');
  m('faults.drops', drops.length, 'drops');
  m('faults.dropsSkipped', dropTicks - drops.length, 'drops');
  m('faults.reconnectGapMaxMs', Math.max(0, ...gaps), 'ms');
  m('faults.reconnectGapMeanMs', gaps.length > 0 ? downMs / gaps.length : 0, 'ms');
  m('faults.connectedPercent', (100 * (ended - started - downMs)) / (ended - started), '%');
}
