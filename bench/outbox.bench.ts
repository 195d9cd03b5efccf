/**
 * Durable outbox throughput on a file SQLite database (WAL, synchronous=NORMAL), as the bot writes it:
 * one enqueueOutbox call (one transaction) per donation, fanned out to 3 destinations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Destination, NewOutboxEntry, SubscriptionStore } from '../src/store/types.js';
import { measureRate, report } from './report.js';

const DESTINATIONS: readonly Destination[] = [
  { platform: 'discord', id: '1100000000000000001', guildId: '1000000000000000001' },
  { platform: 'discord', id: '1100000000000000002', guildId: '1000000000000000002' },
  { platform: 'telegram', id: '-1001234567890' },
];

const PAYLOAD = JSON.stringify({
  kind: 'donation',
  streamer: 'streamer1',
  user: { id: 'fan123', nick: '열혈팬' },
  balloons: 1000,
  text: '열혈팬 님이 별풍선 1000개를 선물했습니다!',
});

let eventSeq = 0;
function donationRows(): NewOutboxEntry[] {
  const event = ++eventSeq;
  return DESTINATIONS.map((destination, i) => ({
    idempotencyKey: `streamer1:chat-${event}:${destination.platform}:${destination.id}`,
    subscriptionId: i + 1,
    destination,
    priority: 0,
    payload: PAYLOAD,
    createdAt: Date.now(),
  }));
}

function benchWrites(store: SubscriptionStore): void {
  let rows = 0;
  const cpuBefore = process.cpuUsage();
  const rowsPerSec = measureRate(1500, () => {
    const written = store.enqueueOutbox(donationRows()).length;
    rows += written;
    return written;
  });
  const cpu = process.cpuUsage(cpuBefore);
  report({ bench: 'outbox', metric: 'outbox.writes.perSec', value: rowsPerSec, unit: 'rows/s' });
  report({ bench: 'outbox', metric: 'outbox.donations.perSec', value: rowsPerSec / DESTINATIONS.length, unit: 'events/s' });
  // Rows per second of CPU (user + system) spent by this process: what one idle core would sustain,
  // and a steadier figure than wall-clock when other work shares the machine.
  report({ bench: 'outbox', metric: 'outbox.writes.perCpuSec', value: rows / ((cpu.user + cpu.system) / 1e6), unit: 'rows/cpu-s' });
}

/** Each markSent is its own commit, as the sender marks rows one by one after delivery. */
function benchMarkSent(store: SubscriptionStore): void {
  let ids: number[] = [];
  const refill = (): void => {
    for (let i = 0; i < 20_000; i++) for (const row of store.enqueueOutbox(donationRows())) ids.push(row.id);
  };
  refill();
  let best = 0;
  for (let round = 0; round < 3; round++) {
    if (ids.length < 50_000) refill();
    const batch = ids;
    ids = [];
    const start = process.hrtime.bigint();
    let marked = 0;
    let elapsed = 0;
    while (marked < batch.length && elapsed < 500) {
      const end = Math.min(batch.length, marked + 1_000);
      for (; marked < end; marked++) store.markSent(batch[marked]!, Date.now());
      elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    }
    best = Math.max(best, (marked * 1000) / elapsed);
    ids = batch.slice(marked);
  }
  report({ bench: 'outbox', metric: 'outbox.markSent.perSec', value: best, unit: 'rows/s' });
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'soop-outbox-bench-'));
  const store = openSqliteStore(join(dir, 'outbox.sqlite'));
  try {
    benchWrites(store);
    benchMarkSent(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
