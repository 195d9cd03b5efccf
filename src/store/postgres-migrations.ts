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
  {
    version: 2,
    description: 'nodes, leases, outbox claims and change notifications (several bot processes)',
    sql: `
      -- Every bot process sharing the database, with its heartbeat.
      CREATE TABLE nodes (
        node_id      TEXT        PRIMARY KEY,
        started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
        heartbeat_at TIMESTAMPTZ NOT NULL,
        expires_at   TIMESTAMPTZ NOT NULL
      );
      -- Who does what: 'streamer:<id>' (crawls it), 'destination:<platform>:<id>' (sends to it).
      CREATE TABLE leases (
        name        TEXT        PRIMARY KEY,
        owner       TEXT        NOT NULL,
        expires_at  TIMESTAMPTZ NOT NULL,
        acquired_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE INDEX leases_owner ON leases (owner);

      -- The node whose router holds the row in memory (claimed under the destination's lease).
      ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
      CREATE INDEX outbox_pending_destination ON outbox (platform, destination_id) WHERE sent_at IS NULL AND failed_error IS NULL;

      -- Subscription changes reach every node (the one crawling the streamer refreshes), and new
      -- outbox rows wake the node that owns the destination. The payload starts with the schema:
      -- NOTIFY is database-wide.
      CREATE FUNCTION soop_notify_subscription() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('soop_alerts_subscriptions', TG_TABLE_SCHEMA || ':' || OLD.streamer_id); END IF;
        IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('soop_alerts_subscriptions', TG_TABLE_SCHEMA || ':' || NEW.streamer_id); END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER subscriptions_notify AFTER INSERT OR UPDATE OR DELETE ON subscriptions
        FOR EACH ROW EXECUTE FUNCTION soop_notify_subscription();

      CREATE FUNCTION soop_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('soop_alerts_outbox', TG_TABLE_SCHEMA);
        RETURN NULL;
      END $$;
      CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION soop_notify_outbox();
    `,
  },
  {
    version: 3,
    description: 'engine status published by the node that crawls each streamer',
    sql: `
      -- So that /status answered on any node shows the crawling node's engine.
      CREATE TABLE engine_status (
        streamer_id TEXT        PRIMARY KEY,
        node_id     TEXT        NOT NULL,
        status      TEXT        NOT NULL,
        updated_at  TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 4,
    description: 'outbox rows remember the batched message they went out in',
    sql: 'ALTER TABLE outbox ADD COLUMN batch_key TEXT;',
  },
  {
    version: 5,
    description: 'outbox rows remember when they were first attempted (the give-up window counts from it)',
    sql: 'ALTER TABLE outbox ADD COLUMN first_attempt_at BIGINT;',
  },
  {
    version: 6,
    description: 'the alert language of each destination',
    sql: `
      CREATE TABLE destination_settings (
        platform        TEXT NOT NULL,
        destination_id  TEXT NOT NULL,
        locale          TEXT NOT NULL,
        PRIMARY KEY (platform, destination_id)
      );
    `,
  },
  {
    version: 7,
    description: 'destinations subscribed before they had a language take their first subscription\'s, for all their subscriptions',
    sql: `
      INSERT INTO destination_settings (platform, destination_id, locale)
        SELECT DISTINCT ON (platform, destination_id) platform, destination_id, locale FROM subscriptions ORDER BY platform, destination_id, id
        ON CONFLICT (platform, destination_id) DO NOTHING;
      UPDATE subscriptions s SET locale = d.locale FROM destination_settings d
        WHERE d.platform = s.platform AND d.destination_id = s.destination_id AND d.locale <> s.locale;
    `,
  },
];

export const PG_LATEST_VERSION = PG_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
