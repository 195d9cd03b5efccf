/**
 * Helper process for the crash test in sqlite.test.ts: enqueues outbox rows into the database at
 * argv[2], reports each committed batch on stdout, then waits to be SIGKILLed (it never closes the DB).
 */
import { openSqliteStore } from '../../src/store/sqlite.js';

const [path, batchesArg] = process.argv.slice(2);
if (!path) throw new Error('usage: crash-child.ts <db path> [batches]');
const batches = Number(batchesArg ?? '50');

const store = openSqliteStore(path);
for (let batch = 0; batch < batches; batch++) {
  const rows = store.enqueueOutbox(
    ['a', 'b', 'c'].map((dest) => ({
      idempotencyKey: `streamer1:${batch}:discord:${dest}`,
      subscriptionId: 1,
      destination: { platform: 'discord' as const, id: dest, guildId: 'g' },
      priority: 0,
      payload: JSON.stringify({ batch, balloons: 100 }),
      createdAt: Date.now(),
    })),
  );
  process.stdout.write(`committed ${batch} ${rows.length}\n`);
}
process.stdout.write('done\n');
// Keep the process (and the open database) alive until the parent kills it.
setInterval(() => undefined, 60_000);
