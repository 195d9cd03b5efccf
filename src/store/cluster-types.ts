/**
 * The cluster port: what several bot processes sharing one database coordinate through. Times
 * (expiry) are the database's clock, so nodes with skewed clocks still agree. Implemented by the
 * PostgreSQL store (postgres-cluster.ts).
 */
import type { Destination, OutboxEntry } from './types.js';

export interface LeaseInfo {
  readonly name: string;
  readonly owner: string;
  /** Milliseconds until it expires, by the database's clock (negative: expired). */
  readonly expiresInMs: number;
}

/** An outbox row claimed by a node, and who held it before (undefined: nobody). */
export interface ClaimedRow {
  readonly row: OutboxEntry;
  readonly previousOwner: string | undefined;
}

export interface ClusterStore {
  /** Records that `nodeId` is alive for another `ttlMs`; returns every live node id, sorted. */
  heartbeat(nodeId: string, ttlMs: number): string[];
  /** Extends the unexpired leases `nodeId` holds; returns their names (the ones missing were lost). */
  renewLeases(nodeId: string, ttlMs: number): string[];
  /** Takes the named leases that are free or expired (or already ours); returns the names won. */
  acquireLeases(nodeId: string, names: readonly string[], ttlMs: number): string[];
  /** Gives leases back (only ours). */
  releaseLeases(nodeId: string, names: readonly string[]): void;
  /** Leaves the cluster: drops every lease of the node and its heartbeat row. */
  leave(nodeId: string): void;
  /** Leases whose name starts with `prefix` (status pages, tests). */
  listLeases(prefix: string): LeaseInfo[];
  /** Streamers with at least one active (unpaused) subscription, and how many. */
  activeStreamers(): Map<string, number>;
  /**
   * Publishes the engine status (serialised) of every streamer this node crawls; rows this node
   * published earlier for other streamers are removed.
   */
  publishStatuses(nodeId: string, statuses: readonly { readonly streamerId: string; readonly status: string }[]): void;
  /** The status the crawling node last published for a streamer, and how old it is. */
  readStatus(streamerId: string): { readonly nodeId: string; readonly status: string; readonly ageMs: number } | undefined;
  /** Destinations with pending outbox rows (deferred ones included). */
  destinationsWithWork(): Destination[];
  /**
   * Claims pending rows for `nodeId` with FOR UPDATE SKIP LOCKED, oldest first by priority:
   * rows of `held` destinations not already claimed by this node, and every pending row of `fresh`
   * destinations (just acquired: anything claimed before belonged to an earlier owner or life).
   */
  claimOutbox(nodeId: string, held: readonly Destination[], fresh: readonly Destination[], limit: number): ClaimedRow[];
  close(): void;
}

export const STREAMER_PREFIX = 'streamer:';
export const streamerLease = (streamerId: string): string => `${STREAMER_PREFIX}${streamerId}`;
export const DESTINATION_PREFIX = 'destination:';
export const destinationLease = (d: Pick<Destination, 'platform' | 'id'>): string => `${DESTINATION_PREFIX}${d.platform}:${d.id}`;
