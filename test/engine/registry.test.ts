import { afterEach, describe, expect, it, vi } from 'vitest';
import { EngineLimitError, EngineRegistry, type ManagedEngine } from '../../src/engine/registry.js';
import type { EngineStatus } from '../../src/engine/streamer-engine.js';

function fakeEngine(id: string, log: string[]): ManagedEngine {
  return {
    start: () => void log.push(`start ${id}`),
    stop: async () => void log.push(`stop ${id}`),
    status: () => ({ streamerId: id, state: 'offline' }) as EngineStatus,
  };
}

describe('EngineRegistry', () => {
  afterEach(() => vi.useRealTimers());

  it('shares one engine between subscriptions and stops it after the grace period', () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const reg = new EngineRegistry({ createEngine: (id) => fakeEngine(id, log), maxEngines: 10, graceMs: 1000 });
    reg.acquire('a');
    reg.acquire('a');
    expect(log).toEqual(['start a']);
    reg.release('a');
    reg.release('a');
    vi.advanceTimersByTime(999);
    expect(log).toEqual(['start a']);
    reg.acquire('a'); // back within the grace period: same engine
    vi.advanceTimersByTime(5000);
    expect(log).toEqual(['start a']);
    reg.release('a');
    vi.advanceTimersByTime(1000);
    expect(log).toEqual(['start a', 'stop a']);
    expect(reg.size).toBe(0);
  });

  it('refuses a new streamer at the cap with a clear message', () => {
    const reg = new EngineRegistry({ createEngine: (id) => fakeEngine(id, []), maxEngines: 2, graceMs: 0 });
    reg.acquire('a');
    reg.acquire('b');
    reg.acquire('a');
    expect(() => reg.acquire('c')).toThrow(EngineLimitError);
    expect(() => reg.acquire('c')).toThrow(/maximum of 2 streamers/);
    expect(reg.canAcquire('a')).toBe(true);
    expect(reg.canAcquire('c')).toBe(false);
  });

  it('reconciles with the store at startup', async () => {
    const log: string[] = [];
    const reg = new EngineRegistry({ createEngine: (id) => fakeEngine(id, log), maxEngines: 2, graceMs: 0 });
    reg.acquire('gone');
    const refused = reg.reconcile(new Map([['a', 2], ['b', 1], ['c', 1]]));
    expect(log).toContain('stop gone');
    expect(refused).toEqual(['c']);
    expect(reg.refs('a')).toBe(2);
    await reg.stopAll();
    expect(log.filter((l) => l.startsWith('stop'))).toHaveLength(3);
  });
});

describe('EngineRegistry.setRefs', () => {
  it('follows one streamer\'s subscription count and refuses a start at the cap', () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const reg = new EngineRegistry({ createEngine: (id) => fakeEngine(id, log), maxEngines: 1, graceMs: 100 });
    expect(reg.setRefs('a', 2)).toBe(true);
    expect(reg.refs('a')).toBe(2);
    expect(reg.setRefs('b', 1)).toBe(false);
    expect(reg.setRefs('a', 0)).toBe(true);
    vi.advanceTimersByTime(100);
    expect(log).toEqual(['start a', 'stop a']);
    expect(reg.setRefs('b', 1)).toBe(true);
    expect(log).toEqual(['start a', 'stop a', 'start b']);
    vi.useRealTimers();
  });
});
