/**
 * Versioned schema migrations for the PostgreSQL store: the same tables as SQLite's (migrations.ts),
 * in PostgreSQL's types. PostgreSQL has no `user_version`, so a `schema_migrations` table records the
 * versions applied. Append new migrations; never edit one that has shipped.
 */
import type { Migration } from './migrations.js';

export const PG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'subscriptions, outbox and state',
    sql: `
      CREATE TABLE subscriptions (
        id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform         TEXT    NOT NULL,
        destination_id   TEXT    NOT NULL,
        guild_id         TEXT,
        streamer_id      TEXT    NOT NULL,
        created_by       TEXT    NOT NULL,
        created_at       BIGINT  NOT NULL,
        paused           BOOLEAN NOT NULL DEFAULT FALSE,
        paused_reason    TEXT,
        events           TEXT    NOT NULL,
        min_balloons     BIGINT  NOT NULL DEFAULT 0,
        loud_above       BIGINT,
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
      CREATE TABLE outbox (
        id               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        idempotency_key  TEXT    NOT NULL UNIQUE,
        subscription_id  BIGINT  NOT NULL,
        platform         TEXT    NOT NULL,
        destination_id   TEXT    NOT NULL,
        guild_id         TEXT,
        priority         INTEGER NOT NULL,
        payload          TEXT    NOT NULL,
        created_at       BIGINT  NOT NULL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        not_before       BIGINT  NOT NULL DEFAULT 0,
        sent_at          BIGINT,
        failed_error     TEXT
      );
      CREATE INDEX outbox_pending ON outbox (priority, id) WHERE sent_at IS NULL AND failed_error IS NULL;

      CREATE TABLE state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];

export const PG_LATEST_VERSION = PG_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
