/**
 * The coordinator against an in-memory ClusterStore whose database can "go away": the fencing
 * rules that the multi-process tests cannot time precisely.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterCoordinator, type ClusterLogger } from '../../src/cluster/coordinator.js';
import { StorageUnavailableError } from '../../src/store/errors.js';
import type { ClaimedRow, ClusterStore, LeaseInfo } from '../../src/store/cluster-types.js';
import type { Destination } from '../../src/store/types.js';

class FakeClusterStore implements ClusterStore {
  now = 0;
  down = false;
  /** What a call throws while down (a plain error by default; the real store throws StorageUnavailableError). */
  downError: () => Error = () => new Error('connect ECONNREFUSED');
  active = new Map<string, number>();
  readonly leases = new Map<string, { owner: string; expiresAt: number }>();

  private check(): void {
    if (this.down) throw this.downError();
  }
  heartbeat(nodeId: string): string[] {
    this.check();
    return [nodeId];
  }
  renewLeases(nodeId: string, ttlMs: number): string[] {
    this.check();
    const renewed: string[] = [];
    for (const [name, lease] of this.leases) {
      if (lease.owner === nodeId && lease.expiresAt > this.now) {
        lease.expiresAt = this.now + ttlMs;
        renewed.push(name);
      }
    }
    return renewed;
  }
  acquireLeases(nodeId: string, names: readonly string[], ttlMs: number): string[] {
    this.check();
    return names.filter((name) => {
      const lease = this.leases.get(name);
      if (lease && lease.owner !== nodeId && lease.expiresAt > this.now) return false;
      this.leases.set(name, { owner: nodeId, expiresAt: this.now + ttlMs });
      return true;
    });
  }
  releaseLeases(nodeId: string, names: readonly string[]): void {
    this.check();
    for (const name of names) if (this.leases.get(name)?.owner === nodeId) this.leases.delete(name);
  }
  leave(nodeId: string): void {
    this.check();
    for (const [name, lease] of this.leases) if (lease.owner === nodeId) this.leases.delete(name);
  }
  listLeases(prefix: string): LeaseInfo[] {
    this.check();
    return [...this.leases].filter(([name]) => name.startsWith(prefix)).map(([name, l]) => ({ name, owner: l.owner, expiresInMs: l.expiresAt - this.now }));
  }
  activeStreamers(): Map<string, number> {
    this.check();
    return new Map(this.active);
  }
  publishStatuses(): void {
    this.check();
  }
  readStatus(): undefined {
    return undefined;
  }
  destinationsWithWork(): Destination[] {
    this.check();
    return [];
  }
  claimOutbox(): ClaimedRow[] {
    this.check();
    return [];
  }
  close(): void {}
}

const TTL = 9_000;
let coordinator: ClusterCoordinator | undefined;
afterEach(async () => {
  await coordinator?.halt();
  coordinator = undefined;
});

function setup(logger?: ClusterLogger): { store: FakeClusterStore; running: Set<string>; stopped: string[] } {
  const store = new FakeClusterStore();
  const running = new Set<string>();
  const stopped: string[] = [];
  coordinator = new ClusterCoordinator({
    store,
    nodeId: 'n1',
    leaseTtlMs: TTL,
    platforms: ['discord'],
    settleMs: 0,
    now: () => store.now,
    engines: {
      run: (id) => {
        running.add(id);
        return true;
      },
      stop: async (id) => {
        running.delete(id);
        stopped.push(id);
      },
    },
    delivery: { adopt: () => 0, holds: () => false, release: () => undefined },
    ...(logger ? { logger } : {}),
  });
  return { store, running, stopped };
}

describe('ClusterCoordinator', () => {
  it('crawls the streamers it leases and gives back the ones nobody watches, engine first', async () => {
    const { store, running } = setup();
    store.active = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    await coordinator?.start();
    expect([...running].sort()).toEqual(['a', 'b']);
    expect(coordinator?.owns('a')).toBe(true);
    expect(store.leases.get('streamer:a')?.owner).toBe('n1');

    store.active.delete('b');
    await coordinator?.refreshLeases();
    expect([...running]).toEqual(['a']);
    expect(store.leases.has('streamer:b')).toBe(false);
  });

  it('does not take a streamer another node holds until its lease expires', async () => {
    const { store, running } = setup();
    store.active = new Map([['a', 1]]);
    store.leases.set('streamer:a', { owner: 'n2', expiresAt: 5_000 });
    await coordinator?.start();
    expect(running.has('a')).toBe(false);
    store.now = 5_001;
    await coordinator?.refreshLeases();
    expect(running.has('a')).toBe(true);
  });

  it('stops every engine and every send once the database has been unreachable for nearly a TTL', async () => {
    const { store, running, stopped } = setup();
    store.active = new Map([['a', 1]]);
    await coordinator?.start();
    expect(coordinator?.healthy).toBe(true);
    const channel: Destination = { platform: 'discord', id: 'c1' };

    store.down = true;
    store.now = 3_000; // one missed heartbeat: the leases are still certainly ours
    await coordinator?.refreshLeases();
    expect(running.has('a')).toBe(true);
    expect(coordinator?.healthy).toBe(true);

    store.now = TTL - 1_000; // within the safety margin of the expiry: another node may take over soon
    await coordinator?.refreshLeases();
    expect(running.has('a')).toBe(false);
    expect(stopped).toEqual(['a']);
    expect(coordinator?.healthy).toBe(false);
    expect(coordinator?.mayDeliver(channel)).toBe(false);

    // Back: the leases expired meanwhile, nobody took them, so it takes them again.
    store.down = false;
    store.now = TTL + 5_000;
    await coordinator?.refreshLeases();
    expect(running.has('a')).toBe(true);
    expect(coordinator?.healthy).toBe(true);
  });

  it('says once that the database is away (not per heartbeat or claim) and once that it answers again', async () => {
    const lines: string[] = [];
    const log = (level: string) => (_: object, msg?: string) => lines.push(`${level} ${msg ?? ''}`);
    const { store } = setup({ info: log('info'), warn: log('warn'), error: log('error') });
    store.active = new Map([['a', 1]]);
    await coordinator?.start();
    lines.length = 0;

    store.downError = () => new StorageUnavailableError('gone', 'PostgreSQL is unreachable: connect ECONNREFUSED');
    store.down = true;
    for (let i = 1; i <= 5; i++) {
      store.now = i * 1_000;
      await coordinator?.refreshLeases();
      coordinator?.claim();
    }
    expect(lines.filter((l) => /no answer from the database/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('error') && !/stopping every engine/.test(l))).toEqual([]);

    store.down = false;
    store.now = 6_000;
    await coordinator?.refreshLeases();
    await coordinator?.refreshLeases();
    expect(lines.filter((l) => /answered again/.test(l))).toHaveLength(1);
  });

  it('runs exclusive tasks under their leases, renewing meanwhile, and gives back a task that fails to start', async () => {
    const store = new FakeClusterStore();
    let finishStart: (() => void) | undefined;
    const started: string[] = [];
    coordinator = new ClusterCoordinator({
      store,
      nodeId: 'n1',
      leaseTtlMs: TTL,
      platforms: [],
      settleMs: 0,
      now: () => store.now,
      engines: { run: () => true, stop: async () => undefined },
      delivery: { adopt: () => 0, holds: () => false, release: () => undefined },
      exclusive: [
        {
          name: 'slow',
          start: () => {
            started.push('slow');
            return new Promise<void>((resolve) => (finishStart = resolve));
          },
          stop: async () => undefined,
        },
        { name: 'broken', start: () => Promise.reject(new Error('no')), stop: async () => undefined },
      ],
    });
    await coordinator.start(); // does not wait for the slow start
    expect(started).toEqual(['slow']);
    expect(store.leases.get('exclusive:slow')?.owner).toBe('n1');
    await new Promise((r) => setTimeout(r, 0));
    expect(store.leases.has('exclusive:broken')).toBe(false);
    store.now = 3_000;
    await coordinator.refreshLeases(); // renews while the slow start is still going
    expect(store.leases.get('exclusive:slow')?.expiresAt).toBe(3_000 + TTL);
    finishStart?.();
  });

  it('gives back, at once, leases of its name that this process does not use (an earlier life)', async () => {
    const { store } = setup();
    store.leases.set('streamer:old', { owner: 'n1', expiresAt: 60_000 });
    store.leases.set('destination:discord:c9', { owner: 'n1', expiresAt: 60_000 });
    await coordinator?.start();
    expect(store.leases.size).toBe(0);
  });
});
