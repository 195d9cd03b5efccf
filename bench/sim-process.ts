/**
 * The fake SOOP server in its own process, so a bench measures the engine's CPU and memory alone.
 * Driven over IPC: {cmd:'live', ids} · {cmd:'traffic', id, pps, mix, perMessage, limit, seed} ·
 * {cmd:'stopTraffic'} · {cmd:'joined', id, count}. Replies {ok, ...} to each command.
 */
import { Buffer } from 'node:buffer';
import { startSoopSimulator } from '../src/simulator/server.js';
import type { SimulatedRoom } from '../src/simulator/api.js';
import { TrafficGenerator } from '../src/simulator/traffic.js';

type Command =
  | { cmd: 'live'; ids: string[] }
  | { cmd: 'traffic'; id: string; pps: number; mix: 'realistic' | 'chat'; perMessage: number; limit?: number; seed?: number }
  | { cmd: 'stopTraffic' }
  | { cmd: 'joined'; id: string; count: number };

const sim = await startSoopSimulator();

/**
 * Sends pre-generated messages from a pool at a steady rate, so the server itself is never the
 * bottleneck (generating packets costs more than sending them) and there are no catch-up bursts.
 */
class PooledSender {
  readonly sent: Record<string, number> = {};
  private readonly pool: { message: Buffer; kinds: string[] }[] = [];
  private readonly timer: NodeJS.Timeout;
  private next = 0;
  private credit = 0;
  private total = 0;
  private last = performance.now();

  constructor(
    private readonly room: SimulatedRoom,
    private readonly pps: number,
    private readonly perMessage: number,
    mix: 'realistic' | 'chat',
    seed: number,
    private readonly limit: number,
  ) {
    const generator = new TrafficGenerator({ streamerId: room.streamerId, chatNo: room.chatNo, mix, seed });
    const poolSize = Math.max(64, Math.min(4096, Math.ceil(pps / perMessage)));
    for (let i = 0; i < poolSize; i++) {
      const packets = Array.from({ length: perMessage }, () => generator.nextPacket());
      this.pool.push({ message: Buffer.concat(packets.map((p) => p.packet)), kinds: packets.map((p) => p.kind) });
    }
    this.timer = setInterval(() => this.tick(), 5);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = performance.now();
    this.credit += (Math.min(now - this.last, 20) * this.pps) / 1000;
    this.last = now;
    while (this.credit >= this.perMessage && this.total < this.limit) {
      const entry = this.pool[this.next++ % this.pool.length];
      if (!entry) break;
      this.room.sendRaw(entry.message);
      for (const kind of entry.kinds) this.sent[kind] = (this.sent[kind] ?? 0) + 1;
      this.credit -= this.perMessage;
      this.total += this.perMessage;
    }
    if (this.total >= this.limit) this.stop();
  }
}

const jobs: PooledSender[] = [];

function totals(): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const job of jobs) for (const [kind, n] of Object.entries(job.sent)) sum[kind] = (sum[kind] ?? 0) + n;
  return sum;
}

process.on('message', (message: Command) => {
  void (async () => {
    switch (message.cmd) {
      case 'live':
        for (const id of message.ids) sim.room(id).goLive({ title: 'bench' });
        process.send?.({ ok: true });
        break;
      case 'traffic':
        jobs.push(
          new PooledSender(sim.room(message.id), message.pps, message.perMessage, message.mix, message.seed ?? jobs.length + 1, message.limit ?? Infinity),
        );
        process.send?.({ ok: true });
        break;
      case 'stopTraffic':
        for (const job of jobs) job.stop();
        process.send?.({ ok: true, sent: totals() });
        jobs.length = 0;
        break;
      case 'joined':
        await sim.room(message.id).waitForJoined(message.count, 120_000);
        process.send?.({ ok: true });
        break;
    }
  })();
});

process.send?.({ ok: true, liveInfoUrl: sim.liveInfoUrl });
process.on('disconnect', () => {
  void sim.close().then(() => process.exit(0));
});
