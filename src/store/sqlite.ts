/** The default SubscriptionStore: one SQLite file through better-sqlite3 (the only importer of the driver). */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../core/async.js';
import { describeError } from '../core/errors.js';
import { DuplicateError, StoreOpenError, sqliteFailureReason } from './errors.js';
import { STORE_READS, StorageHealth, guardStore, type StorageHealthPort } from './health.js';
import { migrate } from './migrations.js';
import { applyPatch, assertWithinLimits, newOutboxEntry, newSubscription } from './model.js';
import type {
  Destination,
  Locale,
  NewOutboxEntry,
  NewSubscription,
  OutboxEntry,
  StoreLimits,
  Subscription,
  SubscriptionPatch,
  SubscriptionStore,
} from './types.js';
import { toOutboxEntry, toSubscription, type OutboxRow, type SubscriptionRow } from './rows.js';

export interface SqliteStoreOptions {
  /** Stamps `createdAt` of new subscriptions. */
  readonly clock?: Clock;
  /** How long a write waits for another connection's lock before failing (ms). */
  readonly busyTimeoutMs?: number;
}

/** Opens (creating it and its folder if needed) and migrates the database at `path`; `':memory:'` works too. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SubscriptionStore {
  const clock = options.clock ?? systemClock;
  const inMemory = path === ':memory:' || path === '';
  const store = new SqliteSubscriptionStore(openDatabase(path, options.busyTimeoutMs ?? 5000), clock, inMemory ? undefined : resolve(path));
  return guardStore(store, new StorageHealth(sqliteFailureReason, clock), STORE_READS);
}


function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  const inMemory = path === ':memory:' || path === '';
  let db: Database.Database | undefined;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(path, { timeout: busyTimeoutMs });
    // Durability: in WAL mode a commit appends the transaction to the -wal file with write() before
    // returning, so once enqueueOutbox returns the rows survive the process dying at any moment
    // (crash, SIGKILL, OOM kill): a bot killed between the outbox write and the send finds them on
    // restart. synchronous=NORMAL skips the fsync on each commit, so only an OS crash or power loss
    // can lose the last few commits (the database itself stays consistent). That is the trade we
    // want: FULL would fsync every donation and cap writes at the disk's flush rate.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoint (copy the WAL back into the database, with an fsync) every ~16 MB instead of ~4 MB:
    // fewer, cheaper-per-row checkpoints on the outbox write path; the WAL file is trimmed back after.
    db.pragma('wal_autocheckpoint = 4000');
    db.pragma(`journal_size_limit = ${32 * 1024 * 1024}`);
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof StoreOpenError) throw err;
    throw new StoreOpenError(path, sentence(describeError(err)), err);
  }
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

type SqlValue = string | number | null;
type DestinationKey = [platform: string, destinationId: string];

const SUBSCRIPTION_COLUMNS =
  'platform, destination_id, guild_id, streamer_id, created_by, created_at, paused, paused_reason, events, min_balloons, loud_above, mention_role_id, keywords, exclude_words, only_from_roles, locale';
const OUTBOX_COLUMNS = 'id, idempotency_key, subscription_id, platform, destination_id, guild_id, priority, payload, created_at, attempts, not_before, batch_key, first_attempt_at';
const PENDING = 'sent_at IS NULL AND failed_error IS NULL';

const PROBE_KEY = 'storage:probe';

class SqliteSubscriptionStore implements Omit<SubscriptionStore, keyof StorageHealthPort> {
  private readonly db: Database.Database;
  private readonly clock: Clock;
  /** The database file (undefined in memory). */
  private readonly file: string | undefined;

  private readonly insertSubscription;
  private readonly selectById;
  private readonly selectByKey;
  private readonly updateSubscription;
  private readonly deleteById;
  private readonly selectByDestination;
  private readonly selectByGuild;
  private readonly selectByStreamer;
  private readonly selectStreamers;
  private readonly countByDestination;
  private readonly countByGuild;
  private readonly deleteMoveConflicts;
  private readonly moveSubscriptions;
  private readonly movePendingOutbox;
  private readonly pauseByDestination;
  private readonly deleteByDestination;
  private readonly insertOutbox;
  private readonly selectPending;
  private readonly updateBatch;
  private readonly updateSent;
  private readonly updateFailed;
  private readonly updateDeferred;
  private readonly countPending;
  private readonly deleteFinished;
  private readonly deleteOldState;
  private readonly insertProbe;
  private readonly deleteProbe;
  private readonly selectState;
  private readonly upsertState;

  private readonly addTx;
  private readonly updateTx;
  private readonly moveTx;
  private readonly enqueueTx;

  constructor(db: Database.Database, clock: Clock, file: string | undefined) {
    this.db = db;
    this.clock = clock;
    this.file = file;
    const sub = <P extends unknown[]>(where: string) =>
      db.prepare<P, SubscriptionRow>(`SELECT id, ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE ${where}`);

    this.insertSubscription = db.prepare<SqlValue[]>(
      `INSERT INTO subscriptions (${SUBSCRIPTION_COLUMNS}) VALUES (${SUBSCRIPTION_COLUMNS.split(',').map(() => '?').join(', ')})`,
    );
    this.selectById = sub<[number]>('id = ?');
    this.selectByKey = sub<[...DestinationKey, string]>('platform = ? AND destination_id = ? AND streamer_id = ?');
    this.updateSubscription = db.prepare<SqlValue[]>(
      `UPDATE subscriptions SET paused = ?, paused_reason = ?, events = ?, min_balloons = ?, loud_above = ?, mention_role_id = ?,
         keywords = ?, exclude_words = ?, only_from_roles = ?, locale = ? WHERE id = ?`,
    );
    this.deleteById = db.prepare<[number]>('DELETE FROM subscriptions WHERE id = ?');
    this.selectByDestination = sub<DestinationKey>('platform = ? AND destination_id = ? ORDER BY id');
    this.selectByGuild = sub<[string]>('guild_id = ? ORDER BY id');
    this.selectByStreamer = sub<[string]>('streamer_id = ? ORDER BY id');
    this.selectStreamers = db.prepare<[], string>('SELECT DISTINCT streamer_id FROM subscriptions ORDER BY streamer_id').pluck();
    this.countByDestination = db.prepare<DestinationKey, number>('SELECT count(*) FROM subscriptions WHERE platform = ? AND destination_id = ?').pluck();
    this.countByGuild = db.prepare<[string], number>('SELECT count(*) FROM subscriptions WHERE guild_id = ?').pluck();
    this.deleteMoveConflicts = db.prepare<[...DestinationKey, ...DestinationKey]>(
      `DELETE FROM subscriptions WHERE platform = ? AND destination_id = ? AND streamer_id IN
         (SELECT streamer_id FROM subscriptions WHERE platform = ? AND destination_id = ?)`,
    );
    this.moveSubscriptions = db.prepare<[string, ...DestinationKey]>('UPDATE subscriptions SET destination_id = ? WHERE platform = ? AND destination_id = ?');
    this.movePendingOutbox = db.prepare<[string, ...DestinationKey]>(
      `UPDATE outbox SET destination_id = ? WHERE platform = ? AND destination_id = ? AND ${PENDING}`,
    );
    this.pauseByDestination = db.prepare<[string, ...DestinationKey]>(
      'UPDATE subscriptions SET paused = 1, paused_reason = ? WHERE platform = ? AND destination_id = ?',
    );
    this.deleteByDestination = db.prepare<DestinationKey>('DELETE FROM subscriptions WHERE platform = ? AND destination_id = ?');

    this.insertOutbox = db.prepare<SqlValue[]>(
      `INSERT INTO outbox (idempotency_key, subscription_id, platform, destination_id, guild_id, priority, payload, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
    );
    this.selectPending = db.prepare<[number, number], OutboxRow>(
      `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE ${PENDING} AND not_before <= ? ORDER BY priority, id LIMIT ?`,
    );
    this.updateBatch = db.prepare<[string, number]>(`UPDATE outbox SET batch_key = ? WHERE id = ? AND ${PENDING}`);
    this.updateSent = db.prepare<[number, number]>(`UPDATE outbox SET sent_at = ? WHERE id = ? AND ${PENDING}`);
    this.updateFailed = db.prepare<[string, number]>(`UPDATE outbox SET failed_error = ? WHERE id = ? AND ${PENDING}`);
    this.updateDeferred = db.prepare<[number, number | null, number]>(
      `UPDATE outbox SET attempts = attempts + 1, not_before = ?, first_attempt_at = COALESCE(first_attempt_at, ?) WHERE id = ? AND ${PENDING}`,
    );
    this.countPending = db.prepare<[], number>(`SELECT count(*) FROM outbox WHERE ${PENDING}`).pluck();
    // Oldest first and bounded, so that a big prune is many short writes between which the event
    // loop runs. Scanning by rowid finds the old rows at once; only the last batch reads on to the end.
    this.deleteFinished = db.prepare<[number, number]>(
      `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE NOT (${PENDING}) AND created_at < ? ORDER BY id LIMIT ?)`,
    );
    this.deleteOldState = db.prepare<[string, string, number, number]>(
      `DELETE FROM state WHERE key IN
         (SELECT key FROM state WHERE substr(key, 1, length(?)) = ? AND value GLOB '[0-9]*' AND CAST(value AS INTEGER) < ? LIMIT ?)`,
    );
    // Two pages' worth, so the probe needs room in the file (or WAL) as a real write would.
    this.insertProbe = db.prepare<[string]>(`INSERT OR REPLACE INTO state (key, value) VALUES (?, hex(randomblob(4096)))`);
    this.deleteProbe = db.prepare<[string]>('DELETE FROM state WHERE key = ?');
    this.selectState = db.prepare<[string], string>('SELECT value FROM state WHERE key = ?').pluck();
    this.upsertState = db.prepare<[string, string]>('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

    this.addTx = db.transaction((input: NewSubscription, limits: StoreLimits | undefined): Subscription => {
      const dest = destinationKey(input.destination);
      const existing = this.selectByKey.get(...dest, input.streamerId);
      if (existing) throw new DuplicateError(input.destination, input.streamerId, existing.id);
      if (limits) {
        const guildId = input.destination.guildId;
        assertWithinLimits(input.destination, limits, {
          inDestination: () => this.countByDestination.get(...dest) ?? 0,
          inGuild: () => (guildId === undefined ? 0 : (this.countByGuild.get(guildId) ?? 0)),
        });
      }
      const draft = newSubscription(0, input, this.clock.now());
      const info = this.insertSubscription.run(...subscriptionValues(draft));
      return { ...draft, id: Number(info.lastInsertRowid) };
    });

    this.updateTx = db.transaction((id: number, patch: SubscriptionPatch) => this.writePatch(id, patch));

    this.moveTx = db.transaction((from: Destination, toId: string): number => {
      const source = destinationKey(from);
      this.deleteMoveConflicts.run(...source, from.platform, toId);
      const moved = this.moveSubscriptions.run(toId, ...source).changes;
      this.movePendingOutbox.run(toId, ...source);
      return moved;
    });

    this.enqueueTx = db.transaction((entries: readonly NewOutboxEntry[]): OutboxEntry[] => {
      const inserted: OutboxEntry[] = [];
      for (const entry of entries) {
        const { destination } = entry;
        const info = this.insertOutbox.run(
          entry.idempotencyKey,
          entry.subscriptionId,
          destination.platform,
          destination.id,
          destination.guildId ?? null,
          entry.priority,
          entry.payload,
          entry.createdAt,
        );
        if (info.changes === 1) {
          inserted.push(newOutboxEntry(Number(info.lastInsertRowid), entry));
        }
      }
      return inserted;
    });
  }

  add(sub: NewSubscription, limits?: StoreLimits): Subscription {
    try {
      return this.addTx.immediate(sub, limits);
    } catch (err) {
      // Another connection may have inserted the same row between our check and our insert.
      if (isUniqueViolation(err)) {
        const existing = this.find(sub.destination, sub.streamerId);
        if (existing) throw new DuplicateError(sub.destination, sub.streamerId, existing.id);
      }
      throw err;
    }
  }

  get(id: number): Subscription | undefined {
    const row = this.selectById.get(id);
    return row && toSubscription(row);
  }

  find(destination: Destination, streamerId: string): Subscription | undefined {
    const row = this.selectByKey.get(...destinationKey(destination), streamerId);
    return row && toSubscription(row);
  }

  update(id: number, patch: SubscriptionPatch): Subscription | undefined {
    return this.updateTx.immediate(id, patch);
  }

  private writePatch(id: number, patch: SubscriptionPatch): Subscription | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    const next = applyPatch(current, patch);
    this.updateSubscription.run(...settingValues(next), id);
    return next;
  }

  remove(id: number): boolean {
    return this.deleteById.run(id).changes > 0;
  }

  listByDestination(destination: Destination): Subscription[] {
    return this.selectByDestination.all(...destinationKey(destination)).map(toSubscription);
  }

  listByGuild(guildId: string): Subscription[] {
    return this.selectByGuild.all(guildId).map(toSubscription);
  }

  listByStreamer(streamerId: string): Subscription[] {
    return this.selectByStreamer.all(streamerId).map(toSubscription);
  }

  listStreamers(): string[] {
    return this.selectStreamers.all();
  }

  moveDestination(from: Destination, toId: string): number {
    if (from.id === toId) return 0;
    return this.moveTx.immediate(from, toId);
  }

  disableDestination(destination: Destination, reason: string, remove = false): number {
    const key = destinationKey(destination);
    return remove ? this.deleteByDestination.run(...key).changes : this.pauseByDestination.run(reason, ...key).changes;
  }

  enqueueOutbox(entries: readonly NewOutboxEntry[]): OutboxEntry[] {
    if (entries.length === 0) return [];
    return this.enqueueTx.immediate(entries);
  }

  pendingOutbox(limit: number, now?: number): OutboxEntry[] {
    // SQLite reads a negative LIMIT as "no limit"; the port means "nothing".
    return this.selectPending.all(now ?? Number.MAX_SAFE_INTEGER, Math.max(0, limit)).map(toOutboxEntry);
  }

  markSent(id: number, sentAt: number): void {
    this.updateSent.run(sentAt, id);
  }

  markBatch(ids: readonly number[], batchKey: string): void {
    this.db.transaction(() => {
      for (const id of ids) this.updateBatch.run(batchKey, id);
    })();
  }

  markSentMany(ids: readonly number[], sentAt: number): void {
    if (ids.length === 1) return this.markSent(ids[0] as number, sentAt);
    this.db.transaction(() => {
      for (const id of ids) this.updateSent.run(sentAt, id);
    })();
  }

  markFailed(id: number, error: string): void {
    this.updateFailed.run(error, id);
  }

  deferOutbox(id: number, notBefore: number, firstAttemptAt?: number): void {
    this.updateDeferred.run(notBefore, firstAttemptAt ?? null, id);
  }

  outboxBacklog(): number {
    return this.countPending.get() ?? 0;
  }

  pruneOutbox(createdBefore: number, limit = Number.MAX_SAFE_INTEGER): number {
    return this.deleteFinished.run(createdBefore, Math.max(0, limit)).changes;
  }

  pruneState(keyPrefix: string, before: number, limit = Number.MAX_SAFE_INTEGER): number {
    return this.deleteOldState.run(keyPrefix, keyPrefix, before, Math.max(0, limit)).changes;
  }

  databaseBytes(): number {
    if (this.file === undefined) {
      const pages = Number(this.db.pragma('page_count', { simple: true }));
      return pages * Number(this.db.pragma('page_size', { simple: true }));
    }
    return fileBytes(this.file) + fileBytes(`${this.file}-wal`);
  }

  probe(): void {
    this.db.transaction(() => {
      this.insertProbe.run(PROBE_KEY);
      this.deleteProbe.run(PROBE_KEY);
    }).immediate();
  }

  getDestinationLocale(destination: Destination): Locale | undefined {
    const locale = this.db
      .prepare<DestinationKey, string>('SELECT locale FROM destination_settings WHERE platform = ? AND destination_id = ?')
      .pluck()
      .get(...destinationKey(destination));
    return locale === 'ko' || locale === 'en' ? locale : undefined;
  }

  setDestinationLocale(destination: Destination, locale: Locale): number {
    const key = destinationKey(destination);
    return this.db.transaction(() => {
      this.db
        .prepare<[...DestinationKey, string]>(
          'INSERT INTO destination_settings (platform, destination_id, locale) VALUES (?, ?, ?) ON CONFLICT (platform, destination_id) DO UPDATE SET locale = excluded.locale',
        )
        .run(...key, locale);
      return this.db.prepare<[string, ...DestinationKey]>('UPDATE subscriptions SET locale = ? WHERE platform = ? AND destination_id = ?').run(locale, ...key).changes;
    }).immediate();
  }

  getState(key: string): string | undefined {
    return this.selectState.get(key);
  }

  setState(key: string, value: string): void {
    this.upsertState.run(key, value);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** A file's size; 0 when it does not exist (no WAL yet, or checkpointed away). */
function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function destinationKey(destination: Destination): DestinationKey {
  return [destination.platform, destination.id];
}

function subscriptionValues(s: Subscription): SqlValue[] {
  return [s.destination.platform, s.destination.id, s.destination.guildId ?? null, s.streamerId, s.createdBy, s.createdAt, ...settingValues(s)];
}

/** The columns a patch can change, in the order of the INSERT's tail and the UPDATE's SET list. */
function settingValues(s: Subscription): SqlValue[] {
  return [
    s.paused ? 1 : 0,
    s.pausedReason ?? null,
    JSON.stringify(s.events),
    s.minBalloons,
    s.loudAbove ?? null,
    s.mentionRoleId ?? null,
    JSON.stringify(s.keywords),
    JSON.stringify(s.excludeWords),
    JSON.stringify(s.onlyFromRoles),
    s.locale,
  ];
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
