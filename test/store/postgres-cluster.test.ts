/**
 * The PostgreSQL ClusterStore against a real PostgreSQL: a throwaway cluster for this file
 * (pg-cluster.ts), one fresh schema per test. Skipped without PostgreSQL on a developer's machine,
 * failing in CI (like postgres.test.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterStore } from '../../src/store/cluster-types.js';
import { destinationLease, streamerLease } from '../../src/store/cluster-types.js';
import { openPostgresCluster } from '../../src/store/postgres-cluster.js';
import { SyncPgConnection } from '../../src/store/postgres-sync.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { Destination, NewOutboxEntry, NewSubscription, OutboxEntry, SubscriptionStore } from '../../src/store/types.js';
import { pgSuite, usePgCluster } from './pg-suite.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';

const suite = pgSuite('the PostgreSQL cluster store tests');

const discord: Destination = { platform: 'discord', id: 'chan-1', guildId: 'guild-1' };
const discord2: Destination = { platform: 'discord', id: 'chan-2', guildId: 'guild-1' };
const telegram: Destination = { platform: 'telegram', id: '-100123' };

const sub = (streamerId: string, destination: Destination, paused = false): NewSubscription =>
  subscriptionRequest(destination, streamerId, 'user-1', { events: ['star'], paused });

const entry = (key: string, destination: Destination, priority = 0): NewOutboxEntry => ({ idempotencyKey: key, subscriptionId: 1, destination, priority, payload: `{"k":"${key}"}`, createdAt: 1 });

suite('postgres cluster store', () => {
  const cluster = usePgCluster();
  const url = (): string => cluster().url;

  let schemaSeq = 0;
  let schema = '';
  const toClose: { close(): void }[] = [];
  afterEach(() => {
    for (const c of toClose.splice(0).reverse()) c.close();
  });

  /** A cluster store in this test's schema; a short call timeout turns an unexpected lock wait into an error. */
  function openCluster(): ClusterStore {
    const store = openPostgresCluster(url(), { schema, callTimeoutMs: 5_000 });
    toClose.push(store);
    return store;
  }
  function openStore(): SubscriptionStore {
    const store = openPostgresStore(url(), { schema, callTimeoutMs: 5_000 });
    toClose.push(store);
    return store;
  }
  /** A raw connection in this test's schema. */
  function raw(): SyncPgConnection {
    const connection = new SyncPgConnection(url(), { connectTimeoutMs: 5_000, callTimeoutMs: 5_000 });
    toClose.push(connection);
    connection.query([{ text: `SET search_path TO "${schema}"` }]);
    return connection;
  }
  let sqlConnection: SyncPgConnection | undefined;
  /** A raw statement in this test's schema (one connection per test). */
  function sql(text: string, values: readonly (string | number)[] = []): Record<string, unknown>[] {
    sqlConnection ??= raw();
    return sqlConnection.query([{ text, values }])[0]?.rows ?? [];
  }
  const fresh = (): void => {
    schema = `cluster_${++schemaSeq}`;
    sqlConnection = undefined;
  };

  describe('heartbeats', () => {
    it('returns the live nodes sorted, and an expired node drops out', async () => {
      fresh();
      const store = openCluster();
      expect(store.heartbeat('node-b', 30_000)).toEqual(['node-b']);
      expect(store.heartbeat('node-a', 30_000)).toEqual(['node-a', 'node-b']);
      expect(store.heartbeat('node-C', 100)).toEqual(['node-C', 'node-a', 'node-b']); // byte order: 'C' < 'a'
      await sleep(200);
      expect(store.heartbeat('node-a', 30_000)).toEqual(['node-a', 'node-b']);
      // Beating again brings it back.
      expect(store.heartbeat('node-C', 30_000)).toEqual(['node-C', 'node-a', 'node-b']);
      expect(sql('SELECT count(*)::int AS n FROM nodes')[0]?.n).toBe(3);
    });

    it('forgets node rows expired for over an hour, keeps recently expired ones', () => {
      fresh();
      const store = openCluster();
      store.heartbeat('node-a', 30_000);
      sql("INSERT INTO nodes (node_id, heartbeat_at, expires_at) VALUES ('old', now() - interval '3 hours', now() - interval '2 hours'), ('recent', now() - interval '1 minute', now() - interval '10 seconds')");
      expect(store.heartbeat('node-a', 30_000)).toEqual(['node-a']);
      expect(sql('SELECT node_id FROM nodes ORDER BY node_id').map((r) => r.node_id)).toEqual(['node-a', 'recent']);
    });
  });

  describe('leases', () => {
    it('acquires a free lease, not one held by another, takes over an expired one, renews its own', async () => {
      fresh();
      const a = openCluster();
      const b = openCluster();
      expect(a.acquireLeases('node-a', ['streamer:s1', 'streamer:s2'], 30_000)).toEqual(['streamer:s1', 'streamer:s2']);
      expect(b.acquireLeases('node-b', ['streamer:s1', 'streamer:s3'], 30_000)).toEqual(['streamer:s3']);
      expect(a.acquireLeases('node-a', ['streamer:s4'], 80)).toEqual(['streamer:s4']);
      await sleep(150);
      expect(b.acquireLeases('node-b', ['streamer:s4'], 30_000)).toEqual(['streamer:s4']);
      // Re-acquiring one's own lease renews it (and returns it).
      const before = a.listLeases('streamer:s1')[0]?.expiresInMs ?? 0;
      expect(a.acquireLeases('node-a', ['streamer:s1'], 60_000)).toEqual(['streamer:s1']);
      expect(a.listLeases('streamer:s1')[0]?.expiresInMs).toBeGreaterThan(before);
      expect(a.listLeases('streamer:').map((l) => [l.name, l.owner])).toEqual([
        ['streamer:s1', 'node-a'],
        ['streamer:s2', 'node-a'],
        ['streamer:s3', 'node-b'],
        ['streamer:s4', 'node-b'],
      ]);
      expect(a.acquireLeases('node-a', [], 30_000)).toEqual([]);
    });

    it('gives each of 50 leases to exactly one of two nodes acquiring them interleaved', () => {
      fresh();
      const a = openCluster();
      const b = openCluster();
      const names = Array.from({ length: 50 }, (_, i) => streamerLease(`s${i}`));
      const wonBy = { a: [] as string[], b: [] as string[] };
      // a walks forward, b backward, in overlapping chunks of 7.
      for (let i = 0; i < names.length; i += 7) {
        wonBy.a.push(...a.acquireLeases('node-a', names.slice(i, i + 7), 30_000));
        wonBy.b.push(...b.acquireLeases('node-b', [...names].reverse().slice(i, i + 7), 30_000));
      }
      // Then both ask for everything: nobody gains a lease the other holds, each keeps its own.
      const allA = a.acquireLeases('node-a', names, 30_000);
      const allB = b.acquireLeases('node-b', names, 30_000);
      expect(new Set(allA)).toEqual(new Set(wonBy.a));
      expect(new Set(allB)).toEqual(new Set(wonBy.b));
      expect([...wonBy.a, ...wonBy.b].sort()).toEqual([...names].sort());
      expect(wonBy.a.filter((n) => wonBy.b.includes(n))).toEqual([]);
      expect(wonBy.a.length).toBeGreaterThan(0);
      expect(wonBy.b.length).toBeGreaterThan(0);
      const owners = new Map(a.listLeases('streamer:').map((l) => [l.name, l.owner]));
      for (const name of wonBy.a) expect(owners.get(name)).toBe('node-a');
      for (const name of wonBy.b) expect(owners.get(name)).toBe('node-b');
    });

    it('makes a node racing for a lease inserted (uncommitted) by another wait, then lose it', async () => {
      fresh();
      const store = openCluster();
      // Node c's transaction inserts the leases and commits 0.5 s later, all on the server: the client
      // is asynchronous, so it needs nothing from this (blocked) thread to finish.
      const other = new pg.Client({ connectionString: url() });
      await other.connect();
      try {
        const done = other.query(
          `SET search_path TO "${schema}";
           BEGIN;
           INSERT INTO leases (name, owner, expires_at) VALUES ('streamer:s1', 'node-c', now() + interval '30 seconds'), ('streamer:s2', 'node-c', now() + interval '30 seconds');
           SELECT pg_sleep(0.5);
           COMMIT;`,
        );
        const watcher = raw();
        for (let i = 0; i < 200; i++) {
          const sleeping = watcher.query([{ text: "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event = 'PgSleep'" }])[0]?.rows[0]?.n;
          if (sleeping === 1) break;
          await sleep(10);
        }
        expect(store.acquireLeases('node-a', ['streamer:s1', 'streamer:s2', 'streamer:s3'], 30_000)).toEqual(['streamer:s3']);
        await done;
        expect(store.listLeases('streamer:').map((l) => l.owner)).toEqual(['node-c', 'node-c', 'node-a']);
      } finally {
        await other.end();
      }
    });

    it('counts a name asked for twice once', () => {
      fresh();
      const a = openCluster();
      expect(a.acquireLeases('node-a', ['streamer:s1', 'streamer:s1', 'streamer:s2'], 30_000).sort()).toEqual(['streamer:s1', 'streamer:s2']);
      expect(a.acquireLeases('node-a', ['streamer:s1', 'streamer:s1'], 30_000)).toEqual(['streamer:s1']);
      a.releaseLeases('node-a', ['streamer:s1', 'streamer:s1']);
      expect(a.listLeases('').map((l) => l.name)).toEqual(['streamer:s2']);
    });

    it('renews only unexpired own leases; an expired one is lost even when nobody took it', async () => {
      fresh();
      const a = openCluster();
      const b = openCluster();
      a.acquireLeases('node-a', ['streamer:s1'], 30_000);
      a.acquireLeases('node-a', ['streamer:s2'], 80);
      b.acquireLeases('node-b', ['streamer:s3'], 30_000);
      await sleep(150);
      expect(a.renewLeases('node-a', 30_000)).toEqual(['streamer:s1']);
      expect(b.renewLeases('node-b', 30_000)).toEqual(['streamer:s3']);
      expect(a.renewLeases('node-z', 30_000)).toEqual([]);
      const s1 = a.listLeases('streamer:s1')[0];
      expect(s1?.expiresInMs).toBeGreaterThan(25_000);
      expect(s1?.expiresInMs).toBeLessThanOrEqual(30_000);
      expect(a.listLeases('streamer:s2')[0]?.expiresInMs).toBeLessThan(0);
    });

    it('releases only its own leases', () => {
      fresh();
      const a = openCluster();
      const b = openCluster();
      a.acquireLeases('node-a', ['streamer:s1', destinationLease(discord)], 30_000);
      b.acquireLeases('node-b', ['streamer:s2'], 30_000);
      a.releaseLeases('node-a', ['streamer:s1', 'streamer:s2', 'streamer:missing']);
      a.releaseLeases('node-a', []);
      expect(a.listLeases('').map((l) => [l.name, l.owner])).toEqual([
        ['destination:discord:chan-1', 'node-a'],
        ['streamer:s2', 'node-b'],
      ]);
      // Released: free for anyone.
      expect(b.acquireLeases('node-b', ['streamer:s1'], 30_000)).toEqual(['streamer:s1']);
    });

    it('drops every lease of a node that leaves, and its heartbeat', () => {
      fresh();
      const a = openCluster();
      const b = openCluster();
      a.heartbeat('node-a', 30_000);
      b.heartbeat('node-b', 30_000);
      a.acquireLeases('node-a', ['streamer:s1', destinationLease(telegram)], 30_000);
      b.acquireLeases('node-b', ['streamer:s2'], 30_000);
      a.leave('node-a');
      expect(b.heartbeat('node-b', 30_000)).toEqual(['node-b']);
      expect(b.listLeases('').map((l) => l.name)).toEqual(['streamer:s2']);
      expect(b.acquireLeases('node-b', ['streamer:s1'], 30_000)).toEqual(['streamer:s1']);
    });

    it('lists leases by prefix, in byte order, with the time left by the database clock', () => {
      fresh();
      const a = openCluster();
      a.acquireLeases('node-a', ['streamer:b', 'streamer:B', 'streamer:a', destinationLease(discord), destinationLease(telegram)], 10_000);
      const streamers = a.listLeases('streamer:');
      expect(streamers.map((l) => l.name)).toEqual(['streamer:B', 'streamer:a', 'streamer:b']);
      for (const lease of streamers) {
        expect(lease.owner).toBe('node-a');
        expect(lease.expiresInMs).toBeGreaterThan(5_000);
        expect(lease.expiresInMs).toBeLessThanOrEqual(10_000);
      }
      expect(a.listLeases('destination:').map((l) => l.name)).toEqual(['destination:discord:chan-1', 'destination:telegram:-100123']);
      expect(a.listLeases('nothing:')).toEqual([]);
      // The prefix is a prefix, not a LIKE pattern.
      expect(a.listLeases('streamer_')).toEqual([]);
    });
  });

  describe('engine statuses', () => {
    it('publishes what a node crawls, replaces its earlier rows, and drops them when it leaves', () => {
      fresh();
      const a = openCluster();
      const b = openCluster();
      a.publishStatuses('node-a', [
        { streamerId: 's1', status: '{"state":"joined"}' },
        { streamerId: 's2', status: '{"state":"offline"}' },
      ]);
      b.publishStatuses('node-b', [{ streamerId: 's3', status: '{"state":"joined"}' }]);
      expect(b.readStatus('s1')).toMatchObject({ nodeId: 'node-a', status: '{"state":"joined"}' });
      expect(b.readStatus('s1')?.ageMs).toBeGreaterThanOrEqual(0);
      expect(b.readStatus('s1')?.ageMs).toBeLessThan(5_000);
      // s2 moved to node-b: node-a's next publication no longer lists it.
      a.publishStatuses('node-a', [{ streamerId: 's1', status: '{"state":"live"}' }]);
      b.publishStatuses('node-b', [
        { streamerId: 's3', status: '{"state":"joined"}' },
        { streamerId: 's2', status: '{"state":"joined"}' },
      ]);
      expect(a.readStatus('s2')?.nodeId).toBe('node-b');
      expect(a.readStatus('s1')?.status).toBe('{"state":"live"}');
      a.leave('node-a');
      expect(b.readStatus('s1')).toBeUndefined();
      expect(b.readStatus('s3')?.nodeId).toBe('node-b');
      expect(b.readStatus('nobody')).toBeUndefined();
    });
  });

  describe('work', () => {
    it('counts active streamers over unpaused subscriptions only', () => {
      fresh();
      const store = openStore();
      const cluster = openCluster();
      expect(cluster.activeStreamers()).toEqual(new Map());
      store.add(sub('s1', discord));
      store.add(sub('s1', telegram));
      store.add(sub('s2', discord));
      const paused = store.add(sub('s2', telegram));
      store.update(paused.id, { paused: true });
      store.add(sub('s3', discord, true));
      expect(cluster.activeStreamers()).toEqual(
        new Map([
          ['s1', 2],
          ['s2', 1],
        ]),
      );
    });

    it('lists destinations with pending rows only (deferred included, sent and failed not)', () => {
      fresh();
      const store = openStore();
      const cluster = openCluster();
      const elsewhere: Destination = { platform: 'telegram', id: 'sent-only' };
      const failedOnly: Destination = { platform: 'console', id: 'failed-only' };
      const [d1, , t1, s1, f1] = store.enqueueOutbox([entry('d1', discord), entry('d2', discord), entry('t1', telegram), entry('s1', elsewhere), entry('f1', failedOnly)]);
      store.deferOutbox(t1?.id ?? 0, Date.now() + 60_000);
      store.markSent(d1?.id ?? 0, 2);
      store.markSent(s1?.id ?? 0, 2);
      store.markFailed(f1?.id ?? 0, 'gone');
      const sorted = cluster.destinationsWithWork().sort((x, y) => x.platform.localeCompare(y.platform));
      expect(sorted).toEqual([discord, telegram]);
    });

    it('claims rows of held destinations not claimed by itself, in priority and id order, up to the limit', () => {
      fresh();
      const store = openStore();
      const cluster = openCluster();
      const rows = store.enqueueOutbox([entry('a', discord, 2), entry('b', discord, 0), entry('c', discord, 1), entry('d', discord, 0), entry('t', telegram, 0)]);
      const byKey = new Map(rows.map((r) => [r.idempotencyKey, r]));
      const row = (key: string): OutboxEntry => byKey.get(key) ?? expect.fail(`no row ${key}`);

      const first = cluster.claimOutbox('node-a', [discord], [], 2);
      expect(first).toEqual([
        { row: row('b'), previousOwner: undefined },
        { row: row('d'), previousOwner: undefined },
      ]);
      // The next call skips the rows it already claimed; telegram is not held, so its row stays.
      expect(cluster.claimOutbox('node-a', [discord], [], 10)).toEqual([
        { row: row('c'), previousOwner: undefined },
        { row: row('a'), previousOwner: undefined },
      ]);
      expect(cluster.claimOutbox('node-a', [discord], [], 10)).toEqual([]);
      expect(sql('SELECT idempotency_key AS k, claimed_by AS c FROM outbox ORDER BY id').map((r) => [r.k, r.c])).toEqual([
        ['a', 'node-a'],
        ['b', 'node-a'],
        ['c', 'node-a'],
        ['d', 'node-a'],
        ['t', null],
      ]);
      expect(cluster.claimOutbox('node-a', [], [], 10)).toEqual([]);
      expect(cluster.claimOutbox('node-a', [discord, telegram], [], 0)).toEqual([]);
    });

    it('claims every pending row of a fresh destination, reporting who held each before', () => {
      fresh();
      const store = openStore();
      const cluster = openCluster();
      const [a1, a2, b1, sent, deferred] = store.enqueueOutbox([entry('a1', discord), entry('a2', discord), entry('b1', discord), entry('sent', discord), entry('deferred', discord, 1)]);
      expect(cluster.claimOutbox('node-a', [discord], [], 2).map((c) => c.row.id)).toEqual([a1?.id, a2?.id]);
      sql("UPDATE outbox SET claimed_by = 'node-b' WHERE idempotency_key = 'b1'");
      store.markSent(sent?.id ?? 0, 5);
      store.deferOutbox(deferred?.id ?? 0, 9_999_999_999_999);

      // Held: only the rows not already ours (b1 from node-b, the deferred one from nobody).
      // Fresh (for node-a after a restart, say): all pending rows, its own earlier claims too.
      const freshClaim = cluster.claimOutbox('node-a', [], [discord], 10);
      expect(freshClaim.map((c) => [c.row.idempotencyKey, c.previousOwner])).toEqual([
        ['a1', 'node-a'],
        ['a2', 'node-a'],
        ['b1', 'node-b'],
        ['deferred', undefined],
      ]);
      expect(freshClaim[3]?.row).toEqual({ ...deferred, attempts: 1, notBefore: 9_999_999_999_999 });
      expect(freshClaim[2]?.row).toEqual(b1);
      // Another node taking the destination over sees node-a as the previous owner of all of them.
      const takeover = cluster.claimOutbox('node-c', [], [discord], 10);
      expect(takeover.map((c) => c.previousOwner)).toEqual(['node-a', 'node-a', 'node-a', 'node-a']);
      expect(cluster.claimOutbox('node-c', [discord], [], 10)).toEqual([]);
      expect(cluster.claimOutbox('node-a', [discord], [], 10)).toHaveLength(4);
    });

    it('skips rows another transaction has locked instead of waiting for them', () => {
      fresh();
      const store = openStore();
      const cluster = openCluster();
      const rows = store.enqueueOutbox(['r1', 'r2', 'r3', 'r4', 'r5'].map((k) => entry(k, discord)));
      const locker = raw();
      const [, locked] = locker.query([{ text: 'BEGIN' }, { text: "SELECT id FROM outbox WHERE idempotency_key IN ('r1', 'r3') FOR UPDATE" }]);
      expect(locked?.rows).toHaveLength(2);
      try {
        // The cluster store's call timeout is 5 s: waiting on the lock would throw.
        const claimed = cluster.claimOutbox('node-a', [], [discord], 10);
        expect(claimed.map((c) => c.row.idempotencyKey)).toEqual(['r2', 'r4', 'r5']);
        expect(cluster.claimOutbox('node-a', [discord], [], 10)).toEqual([]);
      } finally {
        locker.query([{ text: 'COMMIT' }]);
      }
      // Unlocked: the two rows left are claimed on the next call.
      expect(cluster.claimOutbox('node-a', [discord], [], 10).map((c) => c.row.id)).toEqual([rows[0]?.id, rows[2]?.id]);
    });

    it('claims only rows of the destinations asked for, even with a colon in a destination id', () => {
      fresh();
      const store = openStore();
      const cluster = openCluster();
      const colon: Destination = { platform: 'console', id: 'a:b' };
      const lookalike: Destination = { platform: 'console', id: 'a' };
      store.enqueueOutbox([entry('colon', colon), entry('look', lookalike), entry('other', discord2)]);
      expect(cluster.claimOutbox('node-a', [colon], [], 10).map((c) => c.row.idempotencyKey)).toEqual(['colon']);
      expect(cluster.claimOutbox('node-a', [], [lookalike], 10).map((c) => c.row.idempotencyKey)).toEqual(['look']);
    });
  });
});
