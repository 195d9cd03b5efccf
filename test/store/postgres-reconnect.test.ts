/**
 * The synchronous PostgreSQL connection after a lost connection, against a real PostgreSQL (a
 * throwaway cluster for this file, pg-cluster.ts): a terminated backend, a call that dies in
 * flight, a transaction cut in two, a stopped and restarted server, a call that timed out.
 * Skipped without PostgreSQL on a developer's machine, failing in CI (like postgres.test.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { openPostgresCluster } from '../../src/store/postgres-cluster.js';
import { PgError, SyncPgConnection } from '../../src/store/postgres-sync.js';
import { StorageUnavailableError } from '../../src/store/errors.js';
import { describeError } from '../../src/core/errors.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { NewSubscription } from '../../src/store/types.js';
import { pgSuite, usePgCluster } from './pg-suite.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';

const suite = pgSuite('the PostgreSQL reconnect tests');

const sub = (streamerId: string): NewSubscription =>
  subscriptionRequest({ platform: 'discord', id: 'chan-1', guildId: 'guild-1' }, streamerId, 'user-1', { events: ['star'] });

const LOST = /connection to PostgreSQL was lost/;
const SELF_KILL = { text: 'SELECT pg_terminate_backend(pg_backend_pid())' };

suite('postgres reconnect', () => {
  const running = usePgCluster();
  const url = (): string => running().url;

  let schemaSeq = 0;
  const freshSchema = (): string => `reconnect_${++schemaSeq}`;
  const toClose: { close(): void }[] = [];
  afterEach(() => {
    for (const c of toClose.splice(0).reverse()) c.close();
  });
  const closeLater = <T extends { close(): void }>(c: T): T => {
    toClose.push(c);
    return c;
  };
  const rawConnection = (callTimeoutMs = 5_000): SyncPgConnection => closeLater(new SyncPgConnection(url(), { connectTimeoutMs: 5_000, callTimeoutMs }));

  /** Ends every backend of the store's connections (application_name soop-alerts) from outside, and waits until they are gone. */
  async function terminateStoreBackends(): Promise<number> {
    const killer = new pg.Client({ connectionString: url(), application_name: 'reconnect-test' });
    await killer.connect();
    try {
      const others = "pid <> pg_backend_pid() AND datname = current_database() AND application_name = 'soop-alerts'";
      const killed = await killer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${others}`);
      for (let i = 0; i < 250; i++) {
        const left = await killer.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${others}`);
        if (left.rows[0]?.n === 0) break;
        await sleep(20);
      }
      await sleep(50); // let the workers see their sockets close (the assertions hold either way)
      return killed.rowCount ?? 0;
    } finally {
      await killer.end();
    }
  }

  /**
   * The first call after an outside kill may be the one that finds the connection dead (the worker
   * had not noticed yet): it reports the loss and the next one reconnects. Never two failures.
   */
  function atMostOneLoss<T>(call: () => T): T {
    try {
      return call();
    } catch (err) {
      expect((err as Error).message).toMatch(LOST);
      return call();
    }
  }

  it('fails the call in flight when its connection dies, then reconnects on the next call with the session setup again', () => {
    const schema = freshSchema();
    const connection = rawConnection();
    connection.query([{ text: `CREATE SCHEMA "${schema}"` }]);
    connection.setSessionSetup([{ text: `SET search_path TO "${schema}"` }]);
    connection.query([{ text: 'CREATE TABLE t (x INTEGER)' }]);
    const pidBefore = connection.query([{ text: 'SELECT pg_backend_pid() AS pid' }])[0]?.rows[0]?.pid;

    let caught: unknown;
    try {
      connection.query([{ text: 'INSERT INTO t VALUES (1)' }, SELF_KILL]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PgError);
    expect(caught).toMatchObject({ code: '57P01', message: expect.stringMatching(/^the connection to PostgreSQL was lost: terminating connection due to administrator command/) });

    const [where, rows] = connection.query([
      { text: "SELECT current_schema() AS schema, current_setting('application_name') AS app, pg_backend_pid() AS pid" },
      { text: 'SELECT x FROM t' },
    ]);
    expect(where?.rows[0]).toMatchObject({ schema, app: 'soop-alerts' });
    expect(where?.rows[0]?.pid).not.toBe(pidBefore);
    // Autocommit: the INSERT before the kill had committed; it was not run a second time.
    expect(rows?.rows).toEqual([{ x: 1 }]);
    // Prepared statements belong to the old connection: statements with values are prepared again.
    expect(connection.query([{ text: 'SELECT x FROM t WHERE x = $1', values: [1] }])[0]?.rows).toEqual([{ x: 1 }]);
  });

  it('never carries the rest of a transaction over to a new connection: it fails once, the ROLLBACK succeeds', async () => {
    const schema = freshSchema();
    const connection = rawConnection();
    connection.query([{ text: `CREATE SCHEMA "${schema}"` }]);
    connection.setSessionSetup([{ text: `SET search_path TO "${schema}"` }]);
    connection.query([{ text: 'CREATE TABLE t (x INTEGER)' }]);

    connection.query([{ text: 'BEGIN' }, { text: 'INSERT INTO t VALUES (1)' }]);
    expect(await terminateStoreBackends()).toBe(1);
    expect(() => connection.query([{ text: 'INSERT INTO t VALUES (2)' }, { text: 'COMMIT' }])).toThrow(LOST);
    expect(connection.query([{ text: 'ROLLBACK' }])).toHaveLength(1);
    expect(connection.query([{ text: 'SELECT count(*) AS n FROM t' }])[0]?.rows).toEqual([{ n: 0 }]);

    // Cut inside one call: that call fails and the connection's next call runs on a new one.
    expect(() => connection.query([{ text: 'BEGIN' }, { text: 'INSERT INTO t VALUES (3)' }, SELF_KILL, { text: 'COMMIT' }])).toThrow(LOST);
    expect(connection.query([{ text: 'SELECT count(*) AS n FROM t' }])[0]?.rows).toEqual([{ n: 0 }]);
  });

  it('a store whose backend was terminated goes on in its schema, and so does the cluster store', async () => {
    const schema = freshSchema();
    const store = closeLater(openPostgresStore(url(), { schema, callTimeoutMs: 5_000 }));
    const clusterStore = closeLater(openPostgresCluster(url(), { schema, callTimeoutMs: 5_000 }));
    const added = store.add(sub('streamer1'));
    expect(clusterStore.heartbeat('node-a', 30_000)).toEqual(['node-a']);

    expect(await terminateStoreBackends()).toBe(2);

    expect(atMostOneLoss(() => store.get(added.id))).toEqual(added);
    expect(store.add(sub('streamer2')).streamerId).toBe('streamer2');
    expect(store.listStreamers()).toEqual(['streamer1', 'streamer2']);
    expect(atMostOneLoss(() => clusterStore.heartbeat('node-b', 30_000))).toEqual(['node-a', 'node-b']);
  });

  it('while the server is down each call fails quickly and clearly; once it is back the stores work again', async () => {
    const schema = freshSchema();
    const callTimeoutMs = 5_000;
    const store = closeLater(openPostgresStore(url(), { schema, callTimeoutMs, connectTimeoutMs: 2_000 }));
    const clusterStore = closeLater(openPostgresCluster(url(), { schema, callTimeoutMs, connectTimeoutMs: 2_000 }));
    const added = store.add(sub('streamer1'));
    clusterStore.heartbeat('node-a', 60_000);

    running().stopServer();
    try {
      // The first call may be the one that finds the connection gone; from then on the server is unreachable.
      const failures: string[] = [];
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        try {
          store.get(added.id);
          expect.fail('a call succeeded while the server was down');
        } catch (err) {
          // Typed, whatever the driver said: the callers keep what they hold and try again.
          expect(err).toBeInstanceOf(StorageUnavailableError);
          expect(err).toMatchObject({ reason: 'gone' });
          failures.push(describeError((err as StorageUnavailableError).cause));
        }
        expect(Date.now() - started).toBeLessThan(callTimeoutMs); // failed, did not hang until the deadline
      }
      expect(failures.slice(1)).toEqual([expect.stringMatching(/^PostgreSQL is unreachable: .*ECONNREFUSED/), expect.stringMatching(/^PostgreSQL is unreachable: .*ECONNREFUSED/)]);
      expect(failures[0]).toMatch(/^(PostgreSQL is unreachable: |the connection to PostgreSQL was lost: )/);
      expect(() => clusterStore.heartbeat('node-a', 60_000)).toThrow(/PostgreSQL is unreachable|connection to PostgreSQL was lost/);
      expect(store.health()).toMatchObject({ ok: false, reason: 'gone' });
      expect(clusterStore.health()).toMatchObject({ ok: false, reason: 'gone' });
    } finally {
      await running().startServer();
    }

    expect(store.get(added.id)).toEqual(added);
    expect(store.add(sub('streamer2')).streamerId).toBe('streamer2');
    expect(clusterStore.heartbeat('node-b', 60_000)).toEqual(['node-a', 'node-b']);
    expect(store.health()).toEqual({ ok: true });
    expect(clusterStore.health()).toEqual({ ok: true });
  });

  it('after a call that timed out, the next call works on a new worker with the session setup', () => {
    const schema = freshSchema();
    const connection = rawConnection(500);
    connection.query([{ text: `CREATE SCHEMA "${schema}"` }]);
    connection.setSessionSetup([{ text: `SET search_path TO "${schema}"` }]);
    expect(() => connection.query([{ text: 'SELECT pg_sleep(3)' }])).toThrow('PostgreSQL did not answer within 500 ms.');
    expect(connection.query([{ text: 'SELECT current_schema() AS schema' }])[0]?.rows).toEqual([{ schema }]);
  });
});
