/**
 * The PostgreSQL store against a real PostgreSQL: a throwaway cluster started for this file
 * (pg-cluster.ts), one fresh schema per test. Without PostgreSQL installed the suite is skipped on
 * a developer's machine, but fails in CI (.ci/run installs it).
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { StoreOpenError } from '../../src/store/errors.js';
import { PG_LATEST_VERSION, PG_MIGRATIONS } from '../../src/store/postgres-migrations.js';
import { SyncPgConnection } from '../../src/store/postgres-sync.js';
import { migratePostgres, openPostgresStore, redactUrl, type PostgresStoreOptions } from '../../src/store/postgres.js';
import type { NewOutboxEntry, NewSubscription } from '../../src/store/types.js';
import { describeStoreContract } from './contract.js';
import { pgSuite, usePgCluster } from './pg-suite.js';

const suite = pgSuite('the PostgreSQL store tests');

suite('postgres', () => {
  const cluster = usePgCluster();
  const url = (): string => cluster().url;
  let schemaSeq = 0;
  const freshSchema = (): string => `test_${++schemaSeq}`;
  const open = (schema: string, options: PostgresStoreOptions = {}) => openPostgresStore(url(), { schema, ...options });

  describeStoreContract('postgres', () => open(freshSchema()));

  it("reports its schema's size on disk, which grows with the outbox; a probe writes and leaves nothing behind", () => {
    const store = open(freshSchema());
    try {
      const before = store.databaseBytes();
      expect(before).toBeGreaterThan(0);
      const rows = Array.from({ length: 300 }, (_, i) => ({
        idempotencyKey: `k${i}`,
        subscriptionId: 1,
        destination: { platform: 'discord' as const, id: 'c' },
        priority: 0,
        payload: 'x'.repeat(1000),
        createdAt: i,
      }));
      store.enqueueOutbox(rows);
      expect(store.databaseBytes()).toBeGreaterThan(before);
      store.probe();
      expect(store.getState('storage:probe')).toBeUndefined();
      expect(store.health()).toEqual({ ok: true });
    } finally {
      store.close();
    }
  });

  const sub: NewSubscription = {
    destination: { platform: 'discord', id: 'chan-1', guildId: 'guild-1' },
    streamerId: 'streamer1',
    createdBy: 'user-1',
    events: ['star', 'chat'],
    minBalloons: 10,
    loudAbove: 1000,
    mentionRoleId: 'role-1',
    keywords: ['후원'],
    excludeWords: [],
    onlyFromRoles: ['manager'],
    locale: 'ko',
  };
  const entry = (key: string): NewOutboxEntry => ({ idempotencyKey: key, subscriptionId: 1, destination: sub.destination, priority: 0, payload: '{}', createdAt: 1 });

  /** Raw statements in a schema, on a connection of its own. */
  function sql(schema: string, text: string, values: readonly (string | number)[] = []): Record<string, unknown>[] {
    const connection = new SyncPgConnection(url(), { connectTimeoutMs: 5_000, callTimeoutMs: 5_000 });
    try {
      const results = connection.query([{ text: `SET search_path TO "${schema}"` }, { text, values }]);
      return results[1]?.rows ?? [];
    } finally {
      connection.close();
    }
  }

  describe('postgres store', () => {
    it('keeps everything across close and reopen, and migrates once', () => {
      const schema = freshSchema();
      const first = open(schema, { clock: { now: () => 1_700_000_000_123 } });
      const added = first.add(sub);
      const [row] = first.enqueueOutbox([entry('k1')]);
      first.setState('broadcast:streamer1', '123');
      first.close();
      first.close(); // closing twice is harmless

      const second = open(schema);
      expect(second.get(added.id)).toEqual({ ...added, createdAt: 1_700_000_000_123 });
      expect(second.pendingOutbox(10)).toEqual([row]);
      expect(second.getState('broadcast:streamer1')).toBe('123');
      expect(second.enqueueOutbox([entry('k1')])).toEqual([]);
      second.close();
      expect(sql(schema, 'SELECT version FROM schema_migrations ORDER BY version').map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    });

    it('keeps a destination\'s language, and gives one subscribed before migration 6 its first subscription\'s (migration 7)', () => {
      const schema = freshSchema();
      open(schema, { migrations: PG_MIGRATIONS.filter((m) => m.version <= 6) }).close();
      const insert = "INSERT INTO subscriptions (platform, destination_id, streamer_id, created_by, created_at, events, locale) VALUES ($1, $2, $3, 'u', 0, '[]', $4)";
      sql(schema, insert, ['discord', 'chan-a', 'bja1', 'en']);
      sql(schema, insert, ['discord', 'chan-a', 'bja2', 'ko']);
      const store = open(schema);
      expect(store.getDestinationLocale({ platform: 'discord', id: 'chan-a' })).toBe('en');
      expect(store.listByDestination({ platform: 'discord', id: 'chan-a' }).map((s) => s.locale)).toEqual(['en', 'en']);
      expect(store.setDestinationLocale({ platform: 'discord', id: 'chan-a' }, 'ko')).toBe(2);
      store.close();
      const again = open(schema);
      expect(again.getDestinationLocale({ platform: 'discord', id: 'chan-a' })).toBe('ko');
      expect(again.find({ platform: 'discord', id: 'chan-a' }, 'bja2')?.locale).toBe('ko');
      again.close();
    });

    it('refuses a schema written by a newer build, naming the server', () => {
      const schema = freshSchema();
      open(schema).close();
      sql(schema, "INSERT INTO schema_migrations (version, description) VALUES ($1, 'from the future')", [PG_LATEST_VERSION + 1]);
      expect(() => open(schema)).toThrow(StoreOpenError);
      expect(() => open(schema)).toThrow(
        `Cannot open the subscription database at ${url()}: its schema version is ${PG_LATEST_VERSION + 1} but this build only knows up to ${PG_LATEST_VERSION}; upgrade the bot.`,
      );
    });

    it('rolls a failing migration back entirely and keeps the version before it', () => {
      const schema = freshSchema();
      open(schema).close();
      const broken = [...PG_MIGRATIONS, { version: PG_LATEST_VERSION + 1, description: 'broken', sql: 'CREATE TABLE extra (x INTEGER); INSERT INTO nowhere VALUES (1);' }];
      expect(() => open(schema, { migrations: broken })).toThrow(`migration ${PG_LATEST_VERSION + 1} (broken) failed: relation "nowhere" does not exist`);
      expect(sql(schema, 'SELECT max(version) AS v FROM schema_migrations')[0]?.v).toBe(PG_LATEST_VERSION);
      expect(sql(schema, "SELECT count(*) AS n FROM pg_tables WHERE schemaname = $1 AND tablename = 'extra'", [schema])[0]?.n).toBe(0);
    });

    it('applies nothing when another connection already migrated', () => {
      const schema = freshSchema();
      open(schema).close();
      const connection = new SyncPgConnection(url(), { connectTimeoutMs: 5_000, callTimeoutMs: 5_000 });
      connection.query([{ text: `SET search_path TO "${schema}"` }]);
      expect(migratePostgres(connection)).toEqual([]);
      connection.close();
    });

    it('fails with STORE_OPEN_FAILED, without the password, when the server cannot be reached', async () => {
      const unreachable = `postgres://bot:s3cret@127.0.0.1:${await closedPort()}/alerts`;
      let caught: unknown;
      try {
        openPostgresStore(unreachable, { connectTimeoutMs: 2_000 });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect(caught).toMatchObject({ code: 'STORE_OPEN_FAILED', path: redactUrl(unreachable) });
      const message = (caught as Error).message;
      expect(message).toMatch(/^Cannot open the subscription database at postgres:\/\/bot:\*\*\*@127\.0\.0\.1:\d+\/alerts: .*ECONNREFUSED.*\.$/);
      expect(message).not.toContain('s3cret');
    });

    it('writes an outbox batch in one statement: a bad row saves none of the batch', () => {
      const store = open(freshSchema());
      const bad = { ...entry('bad'), payload: null as unknown as string };
      expect(() => store.enqueueOutbox([entry('good'), bad])).toThrow(/null value in column "payload"/);
      expect(store.outboxBacklog()).toBe(0);
      expect(store.enqueueOutbox([entry('good')])).toHaveLength(1);
      store.close();
    });

    it('sees a subscription added through another connection as a duplicate, and a limit counted across connections', () => {
      const schema = freshSchema();
      const a = open(schema);
      const b = open(schema);
      a.add(sub);
      expect(() => b.add(sub)).toThrow('This channel already watches streamer1.');
      expect(() => b.add({ ...sub, streamerId: 'streamer2' }, { perDestination: 1, perGuild: 10 })).toThrow('This channel has reached its limit of 1 subscription.');
      expect(b.listStreamers()).toEqual(['streamer1']);
      a.close();
      b.close();
    });

    it('keeps working after a failed statement (the transaction is rolled back)', () => {
      const store = open(freshSchema());
      const added = store.add(sub);
      expect(() => store.add(sub)).toThrow('This channel already watches streamer1.');
      expect(store.update(added.id, { minBalloons: 5 })?.minBalloons).toBe(5);
      expect(store.listByDestination(sub.destination)).toHaveLength(1);
      store.close();
    });

    it('says clearly that a closed store cannot be used', () => {
      const store = open(freshSchema());
      store.close();
      expect(() => store.get(1)).toThrow('The PostgreSQL store cannot be used: it was closed.');
    });
  });
});

/** A port nothing listens on (it was free a moment ago). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}
