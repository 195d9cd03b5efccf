import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DeliveryLimiter } from '../../src/route/limiter.js';
import { Router } from '../../src/route/router.js';
import type { Delivery, Sink } from '../../src/route/sink.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';
import type { Destination, Platform } from '../../src/store/types.js';
import { crashEvent } from './crash-events.js';

const dir = mkdtempSync(join(tmpdir(), 'soop-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const destinations: Destination[] = [
  { platform: 'discord', id: '123456789012345678', guildId: '987654321098765432' },
  { platform: 'telegram', id: '-1001234567890' },
];

describe('crash between the outbox write and the send', () => {
  it('delivers every donation to every destination exactly once after a SIGKILL and a restart', async () => {
    const db = join(dir, 'bot.db');
    const out = join(dir, 'deliveries.txt');
    writeFileSync(out, '');
    const setup = openSqliteStore(db);
    for (const destination of destinations) {
      setup.add(subscriptionRequest(destination, 'crashbj', 'test'));
    }
    setup.close();

    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./crash-child.ts', import.meta.url)), db, out], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    const killed = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await killed).toBe('SIGKILL');
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(20); // 10 donations × 2 destinations before the crash

    const store = openSqliteStore(db);
    expect(store.outboxBacklog()).toBe(20);
    const recorded: string[] = [];
    const sink = (platform: Platform): Sink => ({
      platform,
      async send(delivery: Delivery) {
        for (const alert of delivery.alerts) recorded.push(`${platform}:${delivery.destination.id}:${alert.kind === 'star' ? alert.event.uuid : '?'}`);
      },
    });
    const noLimits = { perDestination: [], global: [] };
    const router = new Router({ store, sinks: [sink('discord'), sink('telegram')], limiter: new DeliveryLimiter({ rules: { discord: noLimits, telegram: noLimits } }), runId: 'restart', delayedAfterMs: 0 });
    expect(router.start()).toBe(20);
    // SOOP replaying some of the same events after the restart changes nothing.
    for (let i = 5; i <= 20; i++) router.handle(crashEvent(i, 1000 + i));
    await router.idle();
    store.close();

    const all = [...readFileSync(out, 'utf8').trim().split('\n'), ...recorded];
    const expected = destinations.flatMap((d) => Array.from({ length: 20 }, (_, i) => `${d.platform}:${d.id}:uuid-${i + 1}`));
    expect([...all].sort()).toEqual([...expected].sort());
  });
});
