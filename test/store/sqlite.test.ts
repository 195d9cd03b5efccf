import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { StoreOpenError } from '../../src/store/errors.js';
import { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { NewSubscription } from '../../src/store/types.js';
import { describeStoreContract } from './contract.js';

const root = mkdtempSync(join(tmpdir(), 'soop-store-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let fileSeq = 0;
const freshPath = (): string => join(root, `db-${++fileSeq}`, 'alerts.sqlite');

describeStoreContract('sqlite :memory:', () => openSqliteStore(':memory:'));
describeStoreContract('sqlite file', () => openSqliteStore(freshPath()));

describe('sqlite size and probe', () => {
  it('reports file + WAL bytes, which grow with the outbox; a probe writes and leaves nothing behind', () => {
    const path = freshPath();
    const store = openSqliteStore(path);
    try {
      const before = store.databaseBytes();
      expect(before).toBeGreaterThan(0);
      store.enqueueOutbox(
        Array.from({ length: 300 }, (_, i) => ({
          idempotencyKey: `k${i}`,
          subscriptionId: 1,
          destination: { platform: 'discord' as const, id: 'c' },
          priority: 0,
          payload: 'x'.repeat(1000),
          createdAt: i,
        })),
      );
      const after = store.databaseBytes();
      expect(after).toBeGreaterThan(before + 300_000);
      expect(after).toBe(statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0));
      store.probe();
      expect(store.getState('storage:probe')).toBeUndefined();
      expect(openSqliteStore(':memory:').databaseBytes()).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });
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

function readPragma(path: string, pragma: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma(pragma, { simple: true });
  } finally {
    db.close();
  }
}

describe('sqlite store on disk', () => {
  it('creates the parent folder, uses WAL and keeps everything across close and reopen', () => {
    const path = freshPath();
    const first = openSqliteStore(path, { clock: { now: () => 42 } });
    const added = first.add(sub);
    const [row] = first.enqueueOutbox([
      { idempotencyKey: 'k1', subscriptionId: added.id, destination: sub.destination, priority: 0, payload: '{"n":1}', createdAt: 5 },
    ]);
    first.setState('broadcast:streamer1', '123');
    first.close();
    first.close(); // closing twice is harmless

    expect(existsSync(path)).toBe(true);
    expect(readPragma(path, 'journal_mode')).toBe('wal');
    const second = openSqliteStore(path);
    expect(second.get(added.id)).toEqual({ ...added, createdAt: 42 });
    expect(second.pendingOutbox(10)).toEqual([row]);
    expect(second.getState('broadcast:streamer1')).toBe('123');
    expect(second.enqueueOutbox([{ ...row!, idempotencyKey: 'k1' }])).toEqual([]);
    second.close();
  });

  it('migrates once: reopening applies nothing and keeps user_version at the latest', () => {
    const path = freshPath();
    openSqliteStore(path).close();
    expect(readPragma(path, 'user_version')).toBe(LATEST_VERSION);
    const again = openSqliteStore(path);
    again.add(sub);
    again.close();
    openSqliteStore(path).close();
    expect(readPragma(path, 'user_version')).toBe(LATEST_VERSION);
    const db = new Database(path);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('keeps a destination\'s alert language across close and reopen (migration 4 on a version-3 file too)', () => {
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 3));
    db.close();
    const store = openSqliteStore(path);
    store.add(sub);
    expect(store.setDestinationLocale(sub.destination, 'en')).toBe(1);
    store.close();
    const again = openSqliteStore(path);
    expect(again.getDestinationLocale(sub.destination)).toBe('en');
    expect(again.find(sub.destination, sub.streamerId)?.locale).toBe('en');
    again.close();
  });

  it('gives a destination subscribed before migration 4 its first subscription\'s language, for all its subscriptions (migration 5)', () => {
    const path = freshPath();
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 4));
    const insert = db.prepare("INSERT INTO subscriptions (platform, destination_id, streamer_id, created_by, created_at, events, locale) VALUES (?, ?, ?, 'u', 0, '[]', ?)");
    insert.run('discord', 'chan-a', 'bja1', 'en');
    insert.run('discord', 'chan-a', 'bja2', 'ko');
    insert.run('telegram', '-100', 'bja1', 'ko');
    db.close();
    const store = openSqliteStore(path);
    expect(store.getDestinationLocale({ platform: 'discord', id: 'chan-a' })).toBe('en');
    expect(store.listByDestination({ platform: 'discord', id: 'chan-a' }).map((s) => s.locale)).toEqual(['en', 'en']);
    expect(store.getDestinationLocale({ platform: 'telegram', id: '-100' })).toBe('ko');
    store.close();
  });

  it('refuses a database written by a newer build, naming the path', () => {
    const path = freshPath();
    openSqliteStore(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    expect(() => openSqliteStore(path)).toThrow(StoreOpenError);
    expect(() => openSqliteStore(path)).toThrow(`Cannot open the subscription database at ${path}: its schema version is ${LATEST_VERSION + 1}`);
  });

  it('fails with STORE_OPEN_FAILED and the path when the folder cannot be created', () => {
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const path = join(blocker, 'sub', 'alerts.sqlite');
    let caught: unknown;
    try {
      openSqliteStore(path);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ code: 'STORE_OPEN_FAILED', path });
    expect((caught as Error).message).toMatch(new RegExp(`^Cannot open the subscription database at ${escape(path)}: .+\\.$`));
  });

  it('fails with STORE_OPEN_FAILED when the file is not a database', () => {
    const path = join(root, 'garbage.sqlite');
    writeFileSync(path, 'this is certainly not an SQLite file, it is a text file of sufficient length'.repeat(20));
    expect(() => openSqliteStore(path)).toThrow(/^Cannot open the subscription database at .*garbage\.sqlite: file is not a database\.$/);
  });
});

describe('sqlite outbox', () => {
  it('writes a batch in one transaction: a bad row saves none of the batch', () => {
    const store = openSqliteStore(':memory:');
    const good = { idempotencyKey: 'good', subscriptionId: 1, destination: sub.destination, priority: 0, payload: '{}', createdAt: 1 };
    const bad = { ...good, idempotencyKey: 'bad', payload: null as unknown as string };
    expect(() => store.enqueueOutbox([good, bad])).toThrow(/NOT NULL/);
    expect(store.outboxBacklog()).toBe(0);
    expect(store.enqueueOutbox([good])).toHaveLength(1);
    store.close();
  });

  it('sees a subscription added through another connection to the same file as a duplicate', () => {
    const path = freshPath();
    const a = openSqliteStore(path);
    const b = openSqliteStore(path);
    a.add(sub);
    expect(() => b.add(sub)).toThrow('This channel already watches streamer1.');
    a.close();
    b.close();
  });
});

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('roll a failing migration back entirely and keep the version before it', () => {
    const db = new Database(':memory:');
    const broken = [...MIGRATIONS, { version: LATEST_VERSION + 1, description: 'broken', sql: 'CREATE TABLE extra (x); INSERT INTO nowhere VALUES (1);' }];
    expect(() => migrate(db, broken)).toThrow(`migration ${LATEST_VERSION + 1} (broken) failed: no such table: nowhere`);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").pluck().get()).toBe(0);
    db.close();
  });
});

describe('sqlite store durability', () => {
  it('keeps every committed outbox row when the writing process is SIGKILLed', async () => {
    const path = freshPath();
    const batches = 40;
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./crash-child.ts', import.meta.url)), path, String(batches)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('done\n')) {
          // Killed right after the last write: no close(), no checkpoint, rows only in the WAL.
          process.kill(child.pid!, 'SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`child exited before writing: ${stderr}`)));
    });
    expect(await exit).toBe('SIGKILL');
    expect(existsSync(`${path}-wal`)).toBe(true);

    const store = openSqliteStore(path);
    expect(store.outboxBacklog()).toBe(batches * 3);
    const rows = store.pendingOutbox(1_000);
    expect(rows).toHaveLength(batches * 3);
    expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(batches * 3);
    expect(rows.every((r) => r.attempts === 0)).toBe(true);
    store.close();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
