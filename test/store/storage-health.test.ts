/**
 * Storage errors are typed: driver errors that mean "the database is away" become
 * StorageUnavailableError with a reason, health() follows, and a write (probe) clears it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageUnavailableError, postgresFailureReason, sqliteFailureReason, type StorageFailureReason } from '../../src/store/errors.js';
import { StorageHealth, guardStore } from '../../src/store/health.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { NewOutboxEntry } from '../../src/store/types.js';
import { DuplicateError } from '../../src/store/errors.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';

const coded = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('failure classification', () => {
  it.each<[string, StorageFailureReason]>([
    ['SQLITE_FULL', 'full'],
    ['SQLITE_BUSY', 'locked'],
    ['SQLITE_BUSY_SNAPSHOT', 'locked'],
    ['SQLITE_READONLY', 'read-only'],
    ['SQLITE_READONLY_DBMOVED', 'read-only'],
    ['SQLITE_IOERR_WRITE', 'gone'],
    ['SQLITE_CANTOPEN', 'gone'],
    ['ENOSPC', 'full'],
  ])('SQLite %s → %s', (code, reason) => {
    expect(sqliteFailureReason(coded(code))).toBe(reason);
  });

  it('leaves statement errors alone (SQLite)', () => {
    expect(sqliteFailureReason(coded('SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
    expect(sqliteFailureReason(coded('SQLITE_ERROR'))).toBeUndefined();
    expect(sqliteFailureReason(new TypeError('bad'))).toBeUndefined();
  });

  it.each<[string, string, StorageFailureReason]>([
    ['ECONNREFUSED', 'PostgreSQL is unreachable: connect ECONNREFUSED 127.0.0.1:5432', 'gone'],
    ['57P01', 'the connection to PostgreSQL was lost: terminating connection due to administrator command', 'gone'],
    ['08006', 'connection failure', 'gone'],
    ['53100', 'could not extend file: No space left on device', 'full'],
    ['25006', 'cannot execute INSERT in a read-only transaction', 'read-only'],
    ['SOOP_PG_TIMEOUT', 'PostgreSQL did not answer within 30000 ms.', 'timeout'],
    ['57014', 'canceling statement due to statement timeout', 'timeout'],
  ])('PostgreSQL %s → %s', (code, message, reason) => {
    expect(postgresFailureReason(coded(code, message))).toBe(reason);
  });

  it('leaves statement errors alone (PostgreSQL)', () => {
    expect(postgresFailureReason(coded('23505', 'duplicate key value'))).toBeUndefined();
    expect(postgresFailureReason(coded('42601', 'syntax error'))).toBeUndefined();
  });
});

describe('StorageHealth', () => {
  it('announces each change once and wraps driver errors', () => {
    let now = 1000;
    const health = new StorageHealth(sqliteFailureReason, { now: () => now });
    const seen: string[] = [];
    health.onHealthChange((s) => seen.push(s.ok ? 'ok' : s.reason));
    const fail = (): never => {
      throw coded('SQLITE_BUSY', 'database is locked');
    };
    for (let i = 0; i < 3; i++) expect(() => health.run(fail, true)).toThrow(StorageUnavailableError);
    expect(health.health()).toMatchObject({ ok: false, reason: 'locked', since: 1000, detail: 'database is locked' });
    now = 2000;
    expect(health.run(() => 7, false)).toBe(7); // a read proves a lock is gone
    expect(health.health()).toEqual({ ok: true });
    expect(seen).toEqual(['locked', 'ok']);
  });

  it('clears full and read-only only on a successful write', () => {
    const health = new StorageHealth(sqliteFailureReason);
    expect(() =>
      health.run(() => {
        throw coded('SQLITE_FULL', 'database or disk is full');
      }, true),
    ).toThrow(/unavailable \(full\)/);
    health.run(() => 1, false);
    expect(health.health().ok).toBe(false);
    health.run(() => 1, true);
    expect(health.health().ok).toBe(true);
  });

  it('passes other errors through untouched and stays healthy', () => {
    const store = guardStore({ boom: (): void => { throw new DuplicateError({ platform: 'discord', id: 'c' }, 's', 1); } }, new StorageHealth(sqliteFailureReason), new Set());
    expect(() => store.boom()).toThrow(DuplicateError);
    expect(store.health()).toEqual({ ok: true });
  });
});

describe('memory store fault injection', () => {
  it('fails every call with the injected reason, then recovers on the next write', () => {
    let failing: StorageFailureReason | undefined;
    const store = createMemoryStore({ failure: () => failing });
    const sub = store.add(subscriptionRequest({ platform: 'discord', id: 'c1' }, 'bj1', 'u1'));
    failing = 'gone';
    expect(() => store.get(sub.id)).toThrow(StorageUnavailableError);
    expect(store.health()).toMatchObject({ ok: false, reason: 'gone' });
    failing = undefined;
    store.probe();
    expect(store.health()).toEqual({ ok: true });
    expect(store.get(sub.id)?.streamerId).toBe('bj1');
  });
});

/** A tmpfs of `size` at a fresh folder (root only); undefined when it cannot be mounted here. */
function mountTmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'soop-full-'));
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  if (result.status === 0) return dir;
  rmSync(dir, { recursive: true, force: true });
  return undefined;
}

/** Writes a file until the file system is full; returns its path. */
function fillDisk(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch {
    // ENOSPC: full
  } finally {
    closeSync(fd);
  }
  return path;
}

const tinyDisk = mountTmpfs('2m');
afterAll(() => {
  if (!tinyDisk) return;
  spawnSync('umount', [tinyDisk], { stdio: 'ignore' });
  rmSync(tinyDisk, { recursive: true, force: true });
});
if (!tinyDisk) console.warn('storage-health: cannot mount a tmpfs here (not root?); the SQLite disk-full test is skipped');

describe.skipIf(!tinyDisk)('SQLite on a full disk', () => {
  let seq = 0;
  const entry = (): NewOutboxEntry => ({
    idempotencyKey: `k${++seq}`,
    subscriptionId: 1,
    destination: { platform: 'discord', id: 'c1' },
    priority: 0,
    payload: 'x'.repeat(2000),
    createdAt: seq,
  });
  beforeAll(() => writeFileSync(join(tinyDisk as string, 'probe'), ''));

  it('throws StorageUnavailableError(full), keeps reading, and takes writes again once space is freed', () => {
    const store = openSqliteStore(join(tinyDisk as string, 'alerts.db'));
    try {
      store.add(subscriptionRequest({ platform: 'discord', id: 'c1' }, 'bj1', 'u1'));
      store.enqueueOutbox([entry()]);
      const filler = fillDisk(tinyDisk as string);
      let error: unknown;
      for (let i = 0; i < 200 && error === undefined; i++) {
        try {
          store.enqueueOutbox(Array.from({ length: 20 }, entry));
        } catch (err) {
          error = err;
        }
      }
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(error).toMatchObject({ reason: 'full' });
      expect(store.health()).toMatchObject({ ok: false, reason: 'full' });
      expect(store.listStreamers()).toEqual(['bj1']);
      expect(() => store.probe()).toThrow(StorageUnavailableError);
      rmSync(filler);
      store.probe();
      expect(store.health()).toEqual({ ok: true });
      expect(store.enqueueOutbox([entry()])).toHaveLength(1);
    } finally {
      store.close();
    }
  });
});
