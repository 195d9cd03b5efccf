/**
 * Engine benches against the fake SOOP server running in a child process (its CPU is not counted):
 *  1. one engine, offered loads ramping up: the highest sustained packets/s (nothing shed, ≥ 98 %
 *     delivered), and latency from websocket receipt to the router callback at 300,000 packets/s;
 *  2. 1,000 engines at 20 packets/s each (the realistic mix): RSS per engine, CPU % of one core;
 *  3. 10× overload for 60 s on one engine (a router that keeps up with only a tenth of the
 *     traffic): peak RSS bounded by the queue, shed counts, donations sent = donations received.
 * Set BENCH_OVERLOAD_SECONDS to shorten bench 3.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';
import WebSocket from 'ws';
import type { StreamerEvent } from '../src/core/events.js';
import { PacketFramer, joinPacket, loginPacket } from '../src/soop/codec.js';
import { isMembershipCode } from '../src/core/packet.js';
import { createMemoryLedger } from '../src/engine/ledger.js';
import { RequestBudget, budgetedFetcher } from '../src/engine/request-budget.js';
import { StreamerEngine } from '../src/engine/streamer-engine.js';
import { createSoopChatClient } from '../src/soop/client.js';
import { createLiveInfoFetcher } from '../src/soop/live-info.js';
import { translatePacket } from '../src/soop/translate.js';
import { report } from './report.js';
import { SimProcess } from './sim-client.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const GIFT_KINDS = new Set(['donation', 'subscription', 'mission']);

/** Every packet the bench's SOOP clients framed (translated or skipped by header). */
const framed: { readonly packets: number; readonly skipped: number }[] = [];
const packetsReceived = (): number => framed.reduce((sum, f) => sum + f.packets + f.skipped, 0);

function makeEngine(sim: SimProcess, budget: RequestBudget, streamerId: string, onEvent: (e: StreamerEvent) => void | Promise<void>, queueCapacity = 4096): StreamerEngine {
  const fetchLiveInfo = budgetedFetcher(createLiveInfoFetcher({ url: sim.liveInfoUrl, timeoutMs: 30_000 }), budget);
  // As the bot runs it (src/bootstrap.ts): join/leave lists are dropped by their header, unread.
  const source = createSoopChatClient(streamerId, { fetchLiveInfo, transport: 'ws', keepaliveMs: 20_000, silenceMs: 120_000, framerOptions: { skip: isMembershipCode } });
  framed.push(source.framing);
  return new StreamerEngine({
    streamerId,
    source,
    translate: translatePacket,
    onEvent,
    ledger: createMemoryLedger(),
    queueCapacity,
    workers: 3,
  });
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** Waits until nothing has reached the router for `quietMs` (the server's send buffers are empty). */
async function settle(read: () => number, quietMs = 500): Promise<void> {
  let last = read();
  for (;;) {
    await sleep(quietMs);
    const now = read();
    if (now === last) return;
    last = now;
  }
}

async function maxRate(sim: SimProcess): Promise<void> {
  const budget = new RequestBudget({ ratePerSecond: 100, burst: 10 });
  let count = 0;
  let recording = false;
  const latencies = new Float64Array(4_000_000);
  let samples = 0;
  const engine = makeEngine(sim, budget, 'benchmax', (e) => {
    count++;
    if (recording && samples < latencies.length) latencies[samples++] = performance.now() - e.receivedAt;
  }, Number(process.env.BENCH_QUEUE ?? 65_536));
  await sim.command({ cmd: 'live', ids: ['benchmax'] });
  engine.start();
  await sim.command({ cmd: 'joined', id: 'benchmax', count: 1 });

  /** Offers `pps` for `seconds`; returns what reached the router per second and what was shed. */
  async function offer(pps: number, seconds: number, record = false): Promise<{ delivered: number; shed: number }> {
    const shedBefore = engine.status().shed;
    await sim.command({ cmd: 'traffic', id: 'benchmax', pps, mix: 'realistic', perMessage: 8, seed: pps });
    await sleep(500);
    recording = record;
    const before = { count, t: performance.now() };
    await sleep(seconds * 1000);
    const delivered = ((count - before.count) * 1000) / (performance.now() - before.t);
    recording = false;
    await sim.command({ cmd: 'stopTraffic' });
    await settle(() => count);
    const shed = engine.status().shed;
    return { delivered, shed: shed.noise + shed.chat + shed.critical - (shedBefore.noise + shedBefore.chat + shedBefore.critical) };
  }

  // Sustained rate: the highest offered load the engine keeps up with (≥ 98 % delivered, nothing shed).
  let best = 0;
  const ramp = [100_000, 200_000, 300_000, 400_000, 500_000, 600_000, 800_000].filter((pps) => pps >= Number(process.env.BENCH_RAMP_FROM ?? 0));
  for (const pps of ramp) {
    const { delivered, shed } = await offer(pps, 3);
    report({ bench: 'engine', metric: `engine.ramp.${pps / 1000}k.deliveredPps`, value: delivered, unit: 'packets/s' });
    if (shed > 0 || delivered < pps * 0.98) break;
    best = delivered;
  }

  // Latency at 300,000 packets/s offered.
  const offered = Number(process.env.BENCH_OFFERED_PPS ?? 300_000);
  const atOffered = await offer(offered, 5, true);
  await engine.stop();
  budget.close();

  const sorted = latencies.slice(0, samples).sort();
  report({ bench: 'engine', metric: 'engine.maxRate.pps', value: best, unit: 'packets/s' });
  report({ bench: 'engine', metric: 'engine.latency.offeredPps', value: offered, unit: 'packets/s' });
  report({ bench: 'engine', metric: 'engine.latency.deliveredPps', value: atOffered.delivered, unit: 'packets/s' });
  report({ bench: 'engine', metric: 'engine.latency.shedPackets', value: atOffered.shed, unit: 'packets' });
  report({ bench: 'engine', metric: 'engine.latency.p50Ms', value: percentile(sorted, 0.5), unit: 'ms' });
  report({ bench: 'engine', metric: 'engine.latency.p99Ms', value: percentile(sorted, 0.99), unit: 'ms' });
}

interface Window {
  readonly wallMs: number;
  readonly cpuPct: number;
  readonly rssAfter: number;
  readonly heapAfter: number;
  /** Per-second rate of each counter over the window. */
  readonly rates: number[];
}

/** Lets traffic settle, then measures CPU, memory and counter rates over `ms` (the setup left out). */
async function measureWindow(ms: number, counters: readonly (() => number)[], profileName?: string): Promise<Window> {
  await sleep(3000);
  global.gc?.();
  const profile = profileName ? await startProfile() : undefined;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const before = counters.map((c) => c());
  await sleep(ms);
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - t0;
  const rates = counters.map((c, i) => ((c() - (before[i] as number)) * 1000) / wallMs);
  if (profileName) await profile?.stop(profileName);
  const rssAfter = process.memoryUsage().rss;
  global.gc?.();
  return { wallMs, cpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100, rssAfter, heapAfter: process.memoryUsage().heapUsed, rates };
}

async function thousandEngines(sim: SimProcess): Promise<void> {
  const n = Number(process.env.BENCH_ENGINES ?? 1000);
  const perEngine = 20;
  const ids = Array.from({ length: n }, (_, i) => `bench${i.toString().padStart(4, '0')}`);
  const budget = new RequestBudget({ ratePerSecond: 500, burst: 50 });
  let delivered = 0;
  global.gc?.();
  await sleep(200);
  const memBefore = process.memoryUsage();
  await sim.command({ cmd: 'live', ids });
  const engines = ids.map((id) => makeEngine(sim, budget, id, () => void delivered++));
  for (const engine of engines) engine.start();
  for (const id of ids) await sim.command({ cmd: 'joined', id, count: 1 });
  for (const id of ids) await sim.command({ cmd: 'traffic', id, pps: perEngine, mix: 'realistic', perMessage: 1 });
  const w = await measureWindow(10_000, [packetsReceived, () => delivered], 'engines1000');
  await sim.command({ cmd: 'stopTraffic' });
  await Promise.all(engines.map((e) => e.stop()));
  budget.close();
  report({ bench: 'engine', metric: 'engines1000.engines', value: n, unit: 'engines' });
  report({ bench: 'engine', metric: 'engines1000.receivedPps', value: w.rates[0] as number, unit: 'packets/s' });
  report({ bench: 'engine', metric: 'engines1000.deliveredPps', value: w.rates[1] as number, unit: 'events/s' });
  report({ bench: 'engine', metric: 'engines1000.rssMiB', value: w.rssAfter / 2 ** 20, unit: 'MiB' });
  report({ bench: 'engine', metric: 'engines1000.rssPerEngineKiB', value: (w.rssAfter - memBefore.rss) / 1024 / n, unit: 'KiB' });
  report({ bench: 'engine', metric: 'engines1000.heapPerEngineKiB', value: (w.heapAfter - memBefore.heapUsed) / 1024 / n, unit: 'KiB' });
  report({ bench: 'engine', metric: 'engines1000.cpuPctOfOneCore', value: w.cpuPct, unit: '%' });
}

/** BENCH_PROFILE=DIR writes a CPU profile of the measured window (the setup is left out). */
async function startProfile(): Promise<{ stop: (name: string) => Promise<void> } | undefined> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** The floor to compare with: 1,000 bare `ws` clients that only count messages. */
async function bareClients(sim: SimProcess): Promise<void> {
  const n = Number(process.env.BENCH_ENGINES ?? 1000);
  const ids = Array.from({ length: n }, (_, i) => `bare${i.toString().padStart(4, '0')}`);
  await sim.command({ cmd: 'live', ids });
  const fetchInfo = createLiveInfoFetcher({ url: sim.liveInfoUrl, timeoutMs: 30_000 });
  let messages = 0;
  global.gc?.();
  await sleep(200);
  const memBefore = process.memoryUsage();
  const sockets: WebSocket[] = [];
  for (const id of ids) {
    const info = await fetchInfo(id);
    if (info.status !== 'live') throw new Error(`room ${id} is not live`);
    const ws = new WebSocket(`ws://${info.chatHost}:${info.chatPort}/Websocket/${id}`, 'chat');
    ws.on('open', () => {
      ws.send(loginPacket());
      ws.send(joinPacket(info.chatNo));
    });
    if (process.env.BENCH_BARE_DECODE) {
      const framer = new PacketFramer();
      ws.on('message', (data: Buffer) => framer.push(data, (p) => void (translatePacket(p) && messages++)));
    } else {
      ws.on('message', () => void messages++);
    }
    sockets.push(ws);
  }
  for (const id of ids) await sim.command({ cmd: 'joined', id, count: 1 });
  for (const id of ids) await sim.command({ cmd: 'traffic', id, pps: 20, mix: 'realistic', perMessage: 1 });
  const w = await measureWindow(10_000, [() => messages]);
  await sim.command({ cmd: 'stopTraffic' });
  for (const ws of sockets) ws.terminate();
  report({ bench: 'engine', metric: 'bare1000.deliveredPps', value: w.rates[0] as number, unit: 'packets/s' });
  report({ bench: 'engine', metric: 'bare1000.rssPerClientKiB', value: (w.rssAfter - memBefore.rss) / 1024 / n, unit: 'KiB' });
  report({ bench: 'engine', metric: 'bare1000.heapPerClientKiB', value: (w.heapAfter - memBefore.heapUsed) / 1024 / n, unit: 'KiB' });
  report({ bench: 'engine', metric: 'bare1000.cpuPctOfOneCore', value: w.cpuPct, unit: '%' });
}

async function overload(sim: SimProcess): Promise<void> {
  const seconds = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 60);
  const offered = 20_000;
  const routerCapacity = offered / 10; // the router keeps up with a tenth of the traffic
  const queueCapacity = 4096;
  const budget = new RequestBudget({ ratePerSecond: 100, burst: 10 });
  let gifts = 0;
  let handled = 0;
  let nextSlot = performance.now();
  const engine = makeEngine(
    sim,
    budget,
    'benchover',
    async (e) => {
      handled++;
      if (GIFT_KINDS.has(e.event.kind)) gifts++;
      // A slow router: one event per 1/routerCapacity s, however many workers wait on it.
      const now = performance.now();
      nextSlot = Math.max(nextSlot, now) + 1000 / routerCapacity;
      const wait = nextSlot - now;
      if (wait >= 1) await sleep(wait);
    },
    queueCapacity,
  );
  await sim.command({ cmd: 'live', ids: ['benchover'] });
  engine.start();
  await sim.command({ cmd: 'joined', id: 'benchover', count: 1 });
  global.gc?.();
  const rssBase = process.memoryUsage().rss;
  let rssPeak = rssBase;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
  await sim.command({ cmd: 'traffic', id: 'benchover', pps: offered, mix: 'realistic', perMessage: 4, limit: offered * seconds });
  await sleep(seconds * 1000);
  const { sent = {} } = await sim.command({ cmd: 'stopTraffic' });
  // Let the slow router finish what is still queued (gifts are never shed).
  while (engine.status().queueDepth > 0) await sleep(100);
  await sleep(300);
  clearInterval(sampler);
  const status = engine.status();
  await engine.stop();
  budget.close();
  const giftsSent = [...GIFT_KINDS].reduce((sum, kind) => sum + (sent[kind] ?? 0), 0);
  report({ bench: 'engine', metric: 'overload.offeredPps', value: offered, unit: 'packets/s' });
  report({ bench: 'engine', metric: 'overload.routerCapacityPps', value: routerCapacity, unit: 'events/s' });
  report({ bench: 'engine', metric: 'overload.seconds', value: seconds, unit: 's' });
  report({ bench: 'engine', metric: 'overload.rssBaseMiB', value: rssBase / 2 ** 20, unit: 'MiB' });
  report({ bench: 'engine', metric: 'overload.rssPeakMiB', value: rssPeak / 2 ** 20, unit: 'MiB' });
  report({ bench: 'engine', metric: 'overload.queuePeak', value: status.queuePeak, unit: 'packets' });
  report({ bench: 'engine', metric: 'overload.shed.membership', value: status.shed.noise, unit: 'packets' });
  report({ bench: 'engine', metric: 'overload.shed.chat', value: status.shed.chat, unit: 'packets' });
  report({ bench: 'engine', metric: 'overload.shed.donations', value: status.shed.critical, unit: 'packets' });
  report({ bench: 'engine', metric: 'overload.eventsHandled', value: handled, unit: 'events' });
  report({ bench: 'engine', metric: 'overload.donationsSent', value: giftsSent, unit: 'donations' });
  report({ bench: 'engine', metric: 'overload.donationsReceived', value: gifts, unit: 'donations' });
}

const PARTS = ['maxRate', 'engines1000', 'bare1000', 'overload'] as const;

/** Runs one part in this process. */
async function runPart(part: string): Promise<void> {
  const sim = await SimProcess.start();
  try {
    if (part === 'maxRate') await maxRate(sim);
    if (part === 'engines1000') await thousandEngines(sim);
    if (part === 'bare1000') await bareClients(sim);
    if (part === 'overload') await overload(sim);
  } finally {
    await sim.stop();
  }
}

/** Each part runs in a fresh process, so one part's heap never inflates the next one's RSS. */
export async function run(): Promise<void> {
  const only = process.env.BENCH_ENGINE_PART;
  if (only) return runPart(only);
  for (const part of PARTS) {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('./run.ts', import.meta.url)), 'engine'], {
      env: { ...process.env, BENCH_ENGINE_PART: part },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    for await (const line of lines) if (!line.startsWith('{"machine"')) process.stdout.write(`${line}\n`);
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
    if (code !== 0) throw new Error(`engine bench part ${part} failed (exit ${code})`);
  }
}
