/**
 * Versioned schema migrations. `PRAGMA user_version` holds the version of the last one applied;
 * each migration runs in its own transaction together with the version bump, so a crash leaves the
 * database either before or after a migration, never half-way. Append new migrations; never edit one
 * that has shipped.
 */

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'subscriptions, outbox and state',
    sql: `
      CREATE TABLE subscriptions (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        platform         TEXT    NOT NULL,
        destination_id   TEXT    NOT NULL,
        guild_id         TEXT,
        streamer_id      TEXT    NOT NULL,
        created_by       TEXT    NOT NULL,
        created_at       INTEGER NOT NULL,
        paused           INTEGER NOT NULL DEFAULT 0,
        paused_reason    TEXT,
        events           TEXT    NOT NULL,
        min_balloons     INTEGER NOT NULL DEFAULT 0,
        loud_above       INTEGER,
        mention_role_id  TEXT,
        keywords         TEXT    NOT NULL DEFAULT '[]',
        exclude_words    TEXT    NOT NULL DEFAULT '[]',
        only_from_roles  TEXT    NOT NULL DEFAULT '[]',
        locale           TEXT    NOT NULL DEFAULT 'ko',
        UNIQUE (platform, destination_id, streamer_id)
      );
      CREATE INDEX subscriptions_streamer ON subscriptions (streamer_id);
      CREATE INDEX subscriptions_guild ON subscriptions (guild_id) WHERE guild_id IS NOT NULL;

      -- No foreign key to subscriptions: an accepted alert outlives the subscription that produced it.
      -- No AUTOINCREMENT either (it costs a page write per commit): a new id is max(id) + 1, so an id
      -- could only come back after the newest rows were pruned, and pruning never takes pending rows.
      CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY,
        idempotency_key  TEXT    NOT NULL UNIQUE,
        subscription_id  INTEGER NOT NULL,
        platform         TEXT    NOT NULL,
        destination_id   TEXT    NOT NULL,
        guild_id         TEXT,
        priority         INTEGER NOT NULL,
        payload          TEXT    NOT NULL,
        created_at       INTEGER NOT NULL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        not_before       INTEGER NOT NULL DEFAULT 0,
        sent_at          INTEGER,
        failed_error     TEXT
      );
      CREATE INDEX outbox_pending ON outbox (priority, id) WHERE sent_at IS NULL AND failed_error IS NULL;

      CREATE TABLE state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'outbox rows remember the batched message they went out in',
    sql: 'ALTER TABLE outbox ADD COLUMN batch_key TEXT;',
  },
  {
    version: 3,
    description: 'outbox rows remember when they were first attempted (the give-up window counts from it)',
    sql: 'ALTER TABLE outbox ADD COLUMN first_attempt_at INTEGER;',
  },
  {
    version: 4,
    description: 'the alert language of each destination',
    sql: `
      CREATE TABLE destination_settings (
        platform        TEXT NOT NULL,
        destination_id  TEXT NOT NULL,
        locale          TEXT NOT NULL,
        PRIMARY KEY (platform, destination_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    description: 'destinations subscribed before they had a language take their first subscription\'s, for all their subscriptions',
    sql: `
      INSERT OR IGNORE INTO destination_settings (platform, destination_id, locale)
        SELECT platform, destination_id, locale FROM subscriptions s
        WHERE id = (SELECT min(id) FROM subscriptions f WHERE f.platform = s.platform AND f.destination_id = s.destination_id);
      UPDATE subscriptions SET locale = (
          SELECT d.locale FROM destination_settings d WHERE d.platform = subscriptions.platform AND d.destination_id = subscriptions.destination_id)
        WHERE EXISTS (
          SELECT 1 FROM destination_settings d
          WHERE d.platform = subscriptions.platform AND d.destination_id = subscriptions.destination_id AND d.locale <> subscriptions.locale);
    `,
  },
];

/** The part of a SQLite connection migrations need (better-sqlite3's Database fits). */
export interface MigrationTarget {
  exec(sql: string): unknown;
  pragma(source: string, options: { simple: true }): unknown;
}

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

export function schemaVersion(db: MigrationTarget): number {
  const version = db.pragma('user_version', { simple: true });
  return typeof version === 'number' ? version : 0;
}

/**
 * Applies every migration newer than the database's version; returns the versions applied.
 * Throws when the database comes from a newer build (its version is unknown here).
 */
export function migrate(db: MigrationTarget, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const found = schemaVersion(db);
  if (found > latest) {
    throw new Error(`its schema version is ${found} but this build only knows up to ${latest}; upgrade the bot.`);
  }
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    // BEGIN IMMEDIATE takes the write lock first, so two processes opening the same file cannot both
    // apply a migration: the second one re-reads the version under the lock and skips it.
    db.exec('BEGIN IMMEDIATE');
    try {
      if (schemaVersion(db) >= migration.version) {
        db.exec('COMMIT');
        continue;
      }
      db.exec(migration.sql);
      db.exec(`PRAGMA user_version = ${migration.version}`);
      db.exec('COMMIT');
      applied.push(migration.version);
    } catch (err) {
      rollbackQuietly(db);
      throw new Error(`migration ${migration.version} (${migration.description}) failed: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  }
  return applied;
}

/** Some errors already rolled the transaction back; a second ROLLBACK then fails and must not hide the first error. */
function rollbackQuietly(db: MigrationTarget): void {
  try {
    db.exec('ROLLBACK');
  } catch {
    // nothing left to roll back
  }
}
