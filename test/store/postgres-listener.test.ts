/**
 * LISTEN/NOTIFY of the PostgreSQL store (migration 2's triggers, the cluster store's lease
 * notifications) against a real PostgreSQL: a throwaway cluster for this file, one schema per test.
 * Skipped without PostgreSQL on a developer's machine, failing in CI (like postgres.test.ts).
 */
import { afterEach, expect, it, vi } from 'vitest';
import { destinationLease, streamerLease, type ClusterStore } from '../../src/store/cluster-types.js';
import { openPostgresCluster } from '../../src/store/postgres-cluster.js';
import { LEASES_CHANNEL, listenForStoreChanges, type StoreChangeHandlers, type StoreListener } from '../../src/store/postgres-listener.js';
import { SyncPgConnection } from '../../src/store/postgres-sync.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { Destination, NewSubscription, SubscriptionStore } from '../../src/store/types.js';
import { pgSuite, usePgCluster } from './pg-suite.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';

const suite = pgSuite('the PostgreSQL listener tests');

const discord: Destination = { platform: 'discord', id: 'chan-1', guildId: 'guild-1' };
const sub = (streamerId: string, destination: Destination = discord): NewSubscription => subscriptionRequest(destination, streamerId, 'user-1', { events: ['star'] });

/** Long enough for a notification on a loaded machine; the assertion is that it arrives. */
const ARRIVES = { timeout: 2_000, interval: 10 };

type Call = ['subscription', string] | ['outbox'] | ['leases'] | ['resync'];

/** Handlers that record every call, in order, and every error message. */
function recorder(): StoreChangeHandlers & { calls: Call[]; errors: string[] } {
  const calls: Call[] = [];
  const errors: string[] = [];
  return {
    calls,
    errors,
    onSubscriptionChange: (streamerId) => calls.push(['subscription', streamerId]),
    onOutbox: () => calls.push(['outbox']),
    onLeasesReleased: () => calls.push(['leases']),
    onResync: () => calls.push(['resync']),
    onError: (message) => errors.push(message),
  };
}

suite('postgres listener', () => {
  const cluster = usePgCluster();
  const url = (): string => cluster().url;

  let schemaSeq = 0;
  const toClose: { close(): void }[] = [];
  const listeners: StoreListener[] = [];
  afterEach(async () => {
    await Promise.all(listeners.splice(0).map((l) => l.close()));
    for (const c of toClose.splice(0).reverse()) c.close();
  });

  function openStore(schema: string): SubscriptionStore {
    const store = openPostgresStore(url(), { schema, callTimeoutMs: 5_000 });
    toClose.push(store);
    return store;
  }
  function openCluster(schema: string): ClusterStore {
    const store = openPostgresCluster(url(), { schema, callTimeoutMs: 5_000 });
    toClose.push(store);
    return store;
  }
  function sql(text: string): Record<string, unknown>[] {
    const connection = new SyncPgConnection(url(), { connectTimeoutMs: 5_000, callTimeoutMs: 5_000 });
    try {
      return connection.query([{ text }])[0]?.rows ?? [];
    } finally {
      connection.close();
    }
  }

  const IS_LISTENER = `query = 'LISTEN ${LEASES_CHANNEL}' AND pid <> pg_backend_pid()`;
  const listenerBackends = (): number => Number(sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${IS_LISTENER}`)[0]?.n);

  /** A fresh schema with the tables (migrated by the store), a listener on it, and its recorder. */
  async function setUp(): Promise<{ schema: string; store: SubscriptionStore; handlers: ReturnType<typeof recorder>; listener: StoreListener }> {
    const schema = `listen_${++schemaSeq}`;
    const store = openStore(schema);
    const handlers = recorder();
    const listener = listenForStoreChanges(url(), handlers, { schema, connectTimeoutMs: 5_000 });
    listeners.push(listener);
    await listener.ready;
    return { schema, store, handlers, listener };
  }

  it('reports a subscription added, changed or removed, by streamer', async () => {
    const { store, handlers } = await setUp();
    const added = store.add(sub('s1'));
    await vi.waitFor(() => expect(handlers.calls).toEqual([['subscription', 's1']]), ARRIVES);
    store.update(added.id, { minBalloons: 100 });
    // OLD and NEW carry the same streamer: one transaction sends the identical payload once.
    await vi.waitFor(() => expect(handlers.calls).toEqual([['subscription', 's1'], ['subscription', 's1']]), ARRIVES);
    store.add(sub('s2'));
    store.remove(added.id);
    await vi.waitFor(
      () =>
        expect(handlers.calls).toEqual([
          ['subscription', 's1'],
          ['subscription', 's1'],
          ['subscription', 's2'],
          ['subscription', 's1'],
        ]),
      ARRIVES,
    );
    expect(handlers.errors).toEqual([]);
  });

  it('reports new outbox rows once per batch, and nothing when rows are sent', async () => {
    const { store, handlers } = await setUp();
    const entry = (key: string) => ({ idempotencyKey: key, subscriptionId: 1, destination: discord, priority: 0, payload: '{}', createdAt: 1 });
    const [first] = store.enqueueOutbox([entry('a'), entry('b'), entry('c')]);
    await vi.waitFor(() => expect(handlers.calls).toEqual([['outbox']]), ARRIVES);
    // A marker subscription committed afterwards shows that nothing else came in between.
    store.markSent(first?.id ?? 0, 2);
    store.add(sub('marker'));
    await vi.waitFor(() => expect(handlers.calls).toEqual([['outbox'], ['subscription', 'marker']]), ARRIVES);
  });

  it('reports streamer leases released or a node leaving, not destination leases alone', async () => {
    const { schema, store, handlers } = await setUp();
    const clusterStore = openCluster(schema);
    clusterStore.acquireLeases('node-a', [streamerLease('s1'), destinationLease(discord)], 30_000);
    clusterStore.releaseLeases('node-a', [destinationLease(discord)]);
    clusterStore.releaseLeases('node-a', [streamerLease('s1')]);
    await vi.waitFor(() => expect(handlers.calls).toEqual([['leases']]), ARRIVES);
    clusterStore.heartbeat('node-b', 30_000);
    clusterStore.leave('node-b');
    store.add(sub('marker'));
    await vi.waitFor(() => expect(handlers.calls).toEqual([['leases'], ['leases'], ['subscription', 'marker']]), ARRIVES);
  });

  it('ignores notifications from another schema of the same database', async () => {
    const { schema, store, handlers } = await setUp();
    const elsewhere = openStore(`${schema}_other`);
    const otherCluster = openCluster(`${schema}_other`);
    elsewhere.add(sub('not-mine'));
    elsewhere.enqueueOutbox([{ idempotencyKey: 'x', subscriptionId: 1, destination: discord, priority: 0, payload: '{}', createdAt: 1 }]);
    otherCluster.leave('node-x');
    // Committed after the other schema's changes: once it arrives, theirs would have too.
    store.add(sub('mine'));
    await vi.waitFor(() => expect(handlers.calls).toEqual([['subscription', 'mine']]), ARRIVES);
  });

  it('reconnects after losing its connection, asks for a resync, and still hears changes', async () => {
    const { store, handlers } = await setUp();
    store.add(sub('before'));
    await vi.waitFor(() => expect(handlers.calls).toEqual([['subscription', 'before']]), ARRIVES);

    // The listener's backend is the one whose last statement was LISTEN on the leases channel; the
    // backends of earlier tests' listeners may take a moment to go away.
    await vi.waitFor(() => expect(listenerBackends()).toBe(1), ARRIVES);
    const killed = sql(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE ${IS_LISTENER}`);
    expect(killed).toEqual([{ ok: true }]);
    // Reconnecting waits 250–500 ms (backoff), hence the longer wait.
    await vi.waitFor(() => expect(handlers.calls).toEqual([['subscription', 'before'], ['resync']]), { timeout: 5_000, interval: 10 });
    expect(handlers.errors).toHaveLength(1);
    expect(handlers.errors[0]).toMatch(/^lost the PostgreSQL notification connection: /);

    store.add(sub('after'));
    await vi.waitFor(() => expect(handlers.calls).toEqual([['subscription', 'before'], ['resync'], ['subscription', 'after']]), ARRIVES);
  });

  it('stops listening when closed, and closing twice is harmless', async () => {
    const { schema, store, handlers, listener } = await setUp();
    await listener.close();
    await listener.close();
    await vi.waitFor(() => expect(listenerBackends()).toBe(0), ARRIVES);
    store.add(sub('s1'));
    // A second listener on the schema hears the next change; by then the closed one would have heard both.
    const witness = recorder();
    const other = listenForStoreChanges(url(), witness, { schema });
    listeners.push(other);
    await other.ready;
    store.add(sub('s2'));
    await vi.waitFor(() => expect(witness.calls).toEqual([['subscription', 's2']]), ARRIVES);
    expect(handlers.calls).toEqual([]);
  });

  it('rejects ready when the first connection fails', async () => {
    const listener = listenForStoreChanges('postgres://postgres@127.0.0.1:1/postgres', recorder(), { schema: 'x', connectTimeoutMs: 2_000 });
    listeners.push(listener);
    await expect(listener.ready).rejects.toThrow(/ECONNREFUSED/);
  });
});
