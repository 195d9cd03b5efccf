/** The monitor logs one line per change and probes with backoff while the database fails (injected timers, no sleeping). */
import { describe, expect, it } from 'vitest';
import type { StorageFailureReason } from '../../src/store/errors.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { StorageMonitor } from '../../src/store/monitor.js';
import { ManualTimers } from './manual-timers.js';


describe('StorageMonitor', () => {
  it('says "unreachable" once, probes with growing delays, says "back" once', () => {
    let failing: StorageFailureReason | undefined;
    let probes = 0;
    const store = createMemoryStore({
      failure: () => failing,
    });
    const probing = {
      health: () => store.health(),
      onHealthChange: store.onHealthChange.bind(store),
      probe: () => {
        probes++;
        store.probe();
      },
    };
    const lines: string[] = [];
    const logger = { info: (_: object, msg?: string) => lines.push(`info ${msg}`), warn: (_: object, msg?: string) => lines.push(`warn ${msg}`) };
    const timers = new ManualTimers();
    const monitor = new StorageMonitor({ store: probing, logger, now: () => 0, timers, probeBaseMs: 1000, probeMaxMs: 8000 });
    monitor.start();

    failing = 'full';
    for (let i = 0; i < 5; i++) expect(() => store.enqueueOutbox([])).toThrow();
    expect(lines).toEqual(['warn database unreachable; retrying']);
    const delays = [timers.fire(), timers.fire(), timers.fire(), timers.fire(), timers.fire()];
    expect(probes).toBe(5);
    // Full jitter within a doubling ceiling: each delay is at least half its ceiling, capped at 8 s.
    expect(delays[0]).toBeLessThanOrEqual(1000);
    expect(delays[4]).toBeGreaterThanOrEqual(4000);
    expect(delays[4]).toBeLessThanOrEqual(8000);

    failing = undefined;
    timers.fire();
    expect(store.health()).toEqual({ ok: true });
    expect(timers.pending).toHaveLength(0);
    expect(lines).toEqual(['warn database unreachable; retrying', 'info database back']);
    monitor.stop();
  });
});
