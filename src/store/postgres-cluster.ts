/**
 * The ClusterStore on PostgreSQL: node heartbeats, leases and outbox claims, on its own synchronous
 * connection (the subscription store keeps its own). Expiry is computed by the database's clock
 * (`clock_timestamp()`), so every node agrees on when a lease has run out.
 */
import { DESTINATION_PREFIX, type ClaimedRow, type ClusterStore, type LeaseInfo } from './cluster-types.js';
import { systemClock } from '../core/async.js';
import { postgresFailureReason } from './errors.js';
import { StorageHealth, guardStore, type StorageHealthPort } from './health.js';
import { makeDestination } from './model.js';
import { LEASES_CHANNEL } from './postgres-listener.js';
import { OUTBOX_COLUMNS, PENDING, openPostgresConnection, type PostgresStoreOptions } from './postgres.js';
import type { PgResult, SqlParam } from './postgres-protocol.js';
import type { SyncPgConnection } from './postgres-sync.js';
import { toOutboxEntry, type OutboxRow } from './rows.js';
import type { Destination, Platform } from './types.js';

/** Opens (and migrates) the cluster tables at `url`; throws StoreOpenError. Calls throw StorageUnavailableError while the server is away. */
export function openPostgresCluster(url: string, options: PostgresStoreOptions = {}): ClusterStore & StorageHealthPort {
  const health = new StorageHealth(postgresFailureReason, options.clock ?? systemClock);
  return guardStore(new PostgresClusterStore(openPostgresConnection(url, options)), health, CLUSTER_READS);
}

const CLUSTER_READS: ReadonlySet<string> = new Set(['listLeases', 'activeStreamers', 'readStatus', 'destinationsWithWork']);

const EXPIRES = "clock_timestamp() + ($2::bigint * interval '1 millisecond')";
/** Node rows this long past their expiry are deleted by whoever heartbeats next. */
const FORGET_NODES_AFTER = "interval '1 hour'";

class PostgresClusterStore implements ClusterStore {
  constructor(private readonly connection: SyncPgConnection) {}

  private one(text: string, values: readonly SqlParam[] = []): PgResult {
    const [result] = this.connection.query([{ text, values }]);
    if (!result) throw new Error('PostgreSQL returned no result.');
    return result;
  }

  heartbeat(nodeId: string, ttlMs: number): string[] {
    const [, , live] = this.connection.query([
      {
        text: `INSERT INTO nodes (node_id, heartbeat_at, expires_at) VALUES ($1, clock_timestamp(), ${EXPIRES})
               ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at`,
        values: [nodeId, ttlMs],
      },
      { text: `DELETE FROM nodes WHERE expires_at < clock_timestamp() - ${FORGET_NODES_AFTER}` },
      { text: 'SELECT node_id FROM nodes WHERE expires_at > clock_timestamp() ORDER BY node_id COLLATE "C"' },
    ]);
    return (live?.rows ?? []).map((row) => String(row.node_id));
  }

  renewLeases(nodeId: string, ttlMs: number): string[] {
    return this.one(`UPDATE leases SET expires_at = ${EXPIRES} WHERE owner = $1 AND expires_at > clock_timestamp() RETURNING name`, [nodeId, ttlMs]).rows.map(
      (row) => String(row.name),
    );
  }

  acquireLeases(nodeId: string, names: readonly string[], ttlMs: number): string[] {
    if (names.length === 0) return [];
    // The conditional upsert is atomic per row: of two nodes racing for a free lease, one inserts
    // and the other's DO UPDATE finds an unexpired lease of someone else and returns nothing.
    return this.one(
      `INSERT INTO leases (name, owner, expires_at, acquired_at)
       SELECT name, $1, ${EXPIRES}, clock_timestamp() FROM unnest($3::text[]) AS t(name)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, acquired_at = excluded.acquired_at
        WHERE leases.owner = excluded.owner OR leases.expires_at <= clock_timestamp()
       RETURNING name`,
      // A name given twice would make the upsert touch its row twice, which PostgreSQL refuses.
      [nodeId, ttlMs, [...new Set(names)]],
    ).rows.map((row) => String(row.name));
  }

  releaseLeases(nodeId: string, names: readonly string[]): void {
    if (names.length === 0) return;
    const remove = { text: 'DELETE FROM leases WHERE owner = $1 AND name = ANY($2::text[])', values: [nodeId, [...names]] };
    // A streamer (or an exclusive task) given back: wake the other nodes, its new owner should not
    // wait for its next heartbeat. Destinations come and go all the time and are claimed on demand.
    const wake = names.some((n) => !n.startsWith(DESTINATION_PREFIX));
    this.connection.query(wake ? [remove, { text: `SELECT pg_notify('${LEASES_CHANNEL}', current_schema())` }] : [remove]);
  }

  leave(nodeId: string): void {
    this.connection.query([
      { text: 'DELETE FROM leases WHERE owner = $1', values: [nodeId] },
      { text: 'DELETE FROM nodes WHERE node_id = $1', values: [nodeId] },
      { text: 'DELETE FROM engine_status WHERE node_id = $1', values: [nodeId] },
      { text: `SELECT pg_notify('${LEASES_CHANNEL}', current_schema())` },
    ]);
  }

  listLeases(prefix: string): LeaseInfo[] {
    return this.one(
      `SELECT name, owner, (extract(epoch FROM expires_at - clock_timestamp()) * 1000)::bigint AS expires_in
         FROM leases WHERE starts_with(name, $1) ORDER BY name COLLATE "C"`,
      [prefix],
    ).rows.map((row) => ({ name: String(row.name), owner: String(row.owner), expiresInMs: Number(row.expires_in) }));
  }

  activeStreamers(): Map<string, number> {
    const rows = this.one('SELECT streamer_id, count(*) AS n FROM subscriptions WHERE NOT paused GROUP BY streamer_id').rows;
    return new Map(rows.map((row) => [String(row.streamer_id), Number(row.n)]));
  }

  publishStatuses(nodeId: string, statuses: readonly { readonly streamerId: string; readonly status: string }[]): void {
    const ids = statuses.map((s) => s.streamerId);
    this.connection.query([
      {
        text: `INSERT INTO engine_status (streamer_id, node_id, status, updated_at)
               SELECT id, $1, status, clock_timestamp() FROM unnest($2::text[], $3::text[]) AS t(id, status)
               ON CONFLICT (streamer_id) DO UPDATE SET node_id = excluded.node_id, status = excluded.status, updated_at = excluded.updated_at`,
        values: [nodeId, ids, statuses.map((s) => s.status)],
      },
      { text: 'DELETE FROM engine_status WHERE node_id = $1 AND NOT (streamer_id = ANY($2::text[]))', values: [nodeId, ids] },
    ]);
  }

  readStatus(streamerId: string): { readonly nodeId: string; readonly status: string; readonly ageMs: number } | undefined {
    const row = this.one(
      `SELECT node_id, status, (extract(epoch FROM clock_timestamp() - updated_at) * 1000)::bigint AS age FROM engine_status WHERE streamer_id = $1`,
      [streamerId],
    ).rows[0];
    return row ? { nodeId: String(row.node_id), status: String(row.status), ageMs: Number(row.age) } : undefined;
  }

  destinationsWithWork(): Destination[] {
    return this.one(`SELECT DISTINCT ON (platform, destination_id) platform, destination_id, guild_id FROM outbox WHERE ${PENDING}`).rows.map((row) =>
      makeDestination(String(row.platform) as Platform, String(row.destination_id), row.guild_id === null ? undefined : String(row.guild_id)),
    );
  }

  claimOutbox(nodeId: string, held: readonly Destination[], fresh: readonly Destination[], limit: number): ClaimedRow[] {
    if ((held.length === 0 && fresh.length === 0) || limit <= 0) return [];
    // (platform, destination_id) pairs, matched as pairs so the pending-destination index serves them.
    const result = this.one(
      `WITH candidates AS (
         SELECT id, claimed_by AS previous FROM outbox
          WHERE ${PENDING}
            AND (((platform, destination_id) IN (SELECT * FROM unnest($2::text[], $3::text[])) AND claimed_by IS DISTINCT FROM $1)
                 OR (platform, destination_id) IN (SELECT * FROM unnest($4::text[], $5::text[])))
          ORDER BY priority, id
          LIMIT $6
          FOR UPDATE SKIP LOCKED)
       UPDATE outbox SET claimed_by = $1 FROM candidates WHERE outbox.id = candidates.id
       RETURNING ${OUTBOX_COLUMNS.split(', ')
         .map((c) => `outbox.${c}`)
         .join(', ')}, candidates.previous`,
      [nodeId, held.map((d) => d.platform), held.map((d) => d.id), fresh.map((d) => d.platform), fresh.map((d) => d.id), limit],
    );
    return (result.rows as unknown as (OutboxRow & { previous: string | null })[])
      .map((row) => ({ row: toOutboxEntry(row), previousOwner: row.previous ?? undefined }))
      .sort((a, b) => a.row.priority - b.row.priority || a.row.id - b.row.id);
  }

  close(): void {
    this.connection.close();
  }
}
