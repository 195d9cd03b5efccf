/**
 * Child process for the crash test: routes 10 donations that are delivered, then 10 more whose
 * sends hang (written to the outbox, never sent), prints "ready" and waits to be SIGKILLed.
 * Usage: crash-child.ts <db> <deliveries-file>
 */
import { appendFileSync } from 'node:fs';
import { DeliveryLimiter } from '../../src/route/limiter.js';
import { Router } from '../../src/route/router.js';
import type { Delivery, Sink } from '../../src/route/sink.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Platform } from '../../src/store/types.js';
import { crashEvent } from './crash-events.js';

const [dbPath, outPath] = process.argv.slice(2) as [string, string];
let hang = false;

function fileSink(platform: Platform): Sink {
  return {
    platform,
    async send(delivery: Delivery): Promise<void> {
      if (hang) return new Promise(() => {});
      for (const alert of delivery.alerts) {
        const uuid = alert.kind === 'star' ? alert.event.uuid : '?';
        appendFileSync(outPath, `${delivery.destination.platform}:${delivery.destination.id}:${uuid}\n`);
      }
    },
  };
}

const store = openSqliteStore(dbPath);
const noLimits = { perDestination: [], global: [] };
const router = new Router({
  store,
  sinks: [fileSink('discord'), fileSink('telegram')],
  limiter: new DeliveryLimiter({ rules: { discord: noLimits, telegram: noLimits } }),
  runId: 'child',
});
router.start();
for (let i = 1; i <= 10; i++) router.handle(crashEvent(i));
await router.idle();
hang = true;
for (let i = 11; i <= 20; i++) router.handle(crashEvent(i));
process.stdout.write('ready\n');
setInterval(() => {}, 1000);
