/**
 * One node's part in a cluster of bot processes sharing a database.
 *
 * - Streamers: a node crawls a streamer only while it holds the streamer's lease. Leases stay
 *   where they are while their holder has no more than its fair share (every move is a moment
 *   with nobody crawling); free ones (new streamers, a dead node's) are placed on the nodes with
 *   room, the same way by every node (assignment.ts planLeases). A node gives back what it no
 *   longer needs or holds beyond its share, stopping the engine before the lease goes, so at no
 *   time do two nodes crawl one streamer. Leases are renewed with the heartbeat (every TTL/3); a node that cannot
 *   reach the database stops its engines before its leases can expire.
 * - Destinations: the node chosen by rendezvous hashing takes the lease of a destination that has
 *   pending alerts, claims its outbox rows (FOR UPDATE SKIP LOCKED) and paces it alone; the lease
 *   goes back once the destination is idle. Rows of a destination whose holder died are claimed by
 *   the next holder once the lease expires.
 */
import type { ClusterStore } from '../store/cluster-types.js';
import { STREAMER_PREFIX, destinationLease, streamerLease } from '../store/cluster-types.js';
import type { Destination, OutboxEntry, Platform } from '../store/types.js';
import { isStorageUnavailable } from '../store/errors.js';
import { ownerOf, planLeases } from './assignment.js';

export interface ClusterLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the coordinator drives on this node: the engine registry. */
export interface EngineControl {
  /** Runs (or keeps running) the streamer's engine with this many subscriptions; false when the cap refused it. */
  run(streamerId: string, subscriptions: number): boolean;
  stop(streamerId: string): Promise<void>;
}

/** What the coordinator drives on this node: the router's queues. */
export interface DeliveryControl {
  adopt(rows: readonly OutboxEntry[], options: { readonly single: boolean }): number;
  holds(destination: Destination): boolean;
  release(destination: Destination): void;
}

/** Work only one node may do at a time (Telegram long polling), run by the node holding its lease. */
export interface ExclusiveTask {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterCoordinatorOptions {
  readonly store: ClusterStore;
  readonly nodeId: string;
  readonly leaseTtlMs: number;
  /** Platforms this node has a sink for; other destinations are left to nodes that do. */
  readonly platforms: readonly Platform[];
  readonly engines: EngineControl;
  readonly exclusive?: readonly ExclusiveTask[];
  readonly delivery: DeliveryControl;
  /** The live nodes changed (e.g. to share the platforms' global rate limits). */
  readonly onNodesChange?: (nodes: readonly string[]) => void;
  readonly logger?: ClusterLogger;
  /** How often pending outbox rows are looked for without a notification (default 1 s). */
  readonly claimIntervalMs?: number;
  /** Most rows claimed at once (default 500). */
  readonly claimBatch?: number;
  readonly now?: () => number;
  /** The status of each engine this node runs, serialised, published with every heartbeat (for /status on other nodes). */
  readonly engineStatuses?: () => readonly { readonly streamerId: string; readonly status: string }[];
  /** How long to wait after the first heartbeat before taking streamers (default TTL/3, at most 5 s). */
  readonly settleMs?: number;
}

export interface ClusterStatus {
  readonly nodeId: string;
  readonly nodes: readonly string[];
  readonly streamers: readonly string[];
  readonly destinations: number;
}

const destinationKey = (d: Destination): string => `${d.platform}:${d.id}`;
const EXCLUSIVE_PREFIX = 'exclusive:';
const exclusiveLease = (name: string): string => `${EXCLUSIVE_PREFIX}${name}`;

export class ClusterCoordinator {
  private readonly store: ClusterStore;
  private readonly nodeId: string;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly streamers = new Set<string>();
  private readonly destinations = new Map<string, Destination>();
  /** Exclusive tasks this node runs (their lease names). */
  private readonly exclusiveHeld = new Set<string>();
  private nodes: string[] = [];
  /** Local time until which the leases we hold are certainly ours (last renewal + TTL − margin). */
  private validUntil = 0;
  private leaseTimer: NodeJS.Timeout | undefined;
  private claimTimer: NodeJS.Timeout | undefined;
  private soonTimer: NodeJS.Timeout | undefined;
  private claimSoonTimer: NodeJS.Timeout | undefined;
  private leaseRun: Promise<void> | undefined;
  private leaseAgain = false;
  private stopped = false;
  /** A database call failed with StorageUnavailableError and no heartbeat has succeeded since. */
  private databaseAway = false;
  /** False until the start-up pause is over: no lease pass before. */
  private joined = false;

  constructor(private readonly options: ClusterCoordinatorOptions) {
    this.store = options.store;
    this.nodeId = options.nodeId;
    this.ttlMs = options.leaseTtlMs;
    this.now = options.now ?? Date.now;
  }

  /**
   * Joins: a first heartbeat, a pause so that nodes starting together see each other before any
   * takes streamers (otherwise the first one up takes them all, then hands most back), then the
   * lease pass and the timers.
   */
  async start(): Promise<void> {
    this.store.heartbeat(this.nodeId, this.ttlMs);
    const settleMs = this.options.settleMs ?? Math.min(5000, Math.floor(this.ttlMs / 3));
    if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
    this.joined = true;
    await this.refreshLeases();
    this.claim();
    this.leaseTimer = setInterval(() => void this.refreshLeases(), Math.max(200, Math.floor(this.ttlMs / 3)));
    this.claimTimer = setInterval(() => this.claim(), this.options.claimIntervalMs ?? 1000);
  }

  /** Whether this node crawls the streamer (holds its lease). */
  owns(streamerId: string): boolean {
    return this.streamers.has(streamerId);
  }

  /**
   * Whether this node may send a destination's outbox rows now: it holds the lease and the lease
   * cannot have expired (the event loop may have been blocked past a renewal). When the lease is
   * in doubt the destination is dropped here and claimed afresh, if still ours, by the next claim.
   */
  mayDeliver(destination: Destination): boolean {
    const key = destinationKey(destination);
    if (!this.destinations.has(key)) return false;
    if (this.now() < this.validUntil) return true;
    this.destinations.delete(key);
    return false;
  }

  /** The status the crawling node last published for a streamer (undefined when none is fresh). */
  remoteStatus(streamerId: string): { readonly nodeId: string; readonly status: string; readonly ageMs: number } | undefined {
    try {
      const found = this.store.readStatus(streamerId);
      // Older than a few heartbeats: its node is gone or not crawling it any more.
      return found && found.ageMs <= this.ttlMs ? found : undefined;
    } catch {
      return undefined;
    }
  }

  private publishStatuses(): void {
    if (!this.options.engineStatuses || this.stopped) return;
    try {
      this.store.publishStatuses(
        this.nodeId,
        this.options.engineStatuses().filter((s) => this.streamers.has(s.streamerId)),
      );
    } catch (err) {
      this.databaseFailed(err, 'could not publish the engine statuses');
    }
  }

  /**
   * A call to the database failed. While it is away (StorageUnavailableError) that is said once,
   * not on every heartbeat and claim; the timers keep trying and databaseAnswered() says when it is back.
   */
  private databaseFailed(err: unknown, what: string): void {
    if (!isStorageUnavailable(err)) {
      this.options.logger?.error({ err: String(err) }, what);
      return;
    }
    if (this.databaseAway) return;
    this.databaseAway = true;
    this.options.logger?.warn({ err: String(err) }, `${what}: no answer from the database; heartbeats and claims keep retrying`);
  }

  private databaseAnswered(): void {
    if (!this.databaseAway) return;
    this.databaseAway = false;
    this.options.logger?.info({}, 'cluster heartbeat answered again');
  }

  /** Joined, and the last heartbeat is recent enough that the leases held are certainly still ours. */
  get healthy(): boolean {
    return this.joined && !this.stopped && this.now() < this.validUntil;
  }

  status(): ClusterStatus {
    return { nodeId: this.nodeId, nodes: [...this.nodes], streamers: [...this.streamers].sort(), destinations: this.destinations.size };
  }

  /** Subscriptions or leases changed somewhere: run the lease pass soon (coalesced). */
  refreshSoon(): void {
    if (this.stopped || this.soonTimer) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      void this.refreshLeases();
    }, 20);
  }

  /** New outbox rows somewhere: claim soon (coalesced, so a burst of notifications is one claim). */
  claimSoon(): void {
    if (this.stopped || this.claimSoonTimer) return;
    this.claimSoonTimer = setTimeout(() => {
      this.claimSoonTimer = undefined;
      this.claim();
    }, 5);
  }

  /** Stops the timers and waits for a pass in progress: from now on nothing is started or claimed. */
  async halt(): Promise<void> {
    this.stopped = true;
    clearInterval(this.leaseTimer);
    clearInterval(this.claimTimer);
    clearTimeout(this.soonTimer);
    clearTimeout(this.claimSoonTimer);
    await this.leaseRun;
  }

  /** Leaves the cluster (after halt, once engines and router have stopped): every lease goes back at once. */
  async leave(): Promise<void> {
    await this.stopExclusive(new Set());
    this.streamers.clear();
    this.destinations.clear();
    try {
      this.store.leave(this.nodeId);
    } catch (err) {
      this.options.logger?.warn({ err: String(err) }, 'could not give the leases back; they expire by themselves');
    }
  }

  /** One lease pass at a time; a request during a pass runs one more pass after it. */
  refreshLeases(): Promise<void> {
    if (this.stopped || !this.joined) return Promise.resolve();
    if (this.leaseRun) {
      this.leaseAgain = true;
      return this.leaseRun;
    }
    this.leaseRun = this.leasePass()
      .catch((err: unknown) => this.databaseFailed(err, 'cluster lease pass failed'))
      .finally(() => {
        this.leaseRun = undefined;
        if (this.leaseAgain && !this.stopped) {
          this.leaseAgain = false;
          void this.refreshLeases();
        }
      });
    return this.leaseRun;
  }

  private async leasePass(): Promise<void> {
    const started = this.now();
    let held: Set<string>;
    try {
      const nodes = this.store.heartbeat(this.nodeId, this.ttlMs);
      held = new Set(this.store.renewLeases(this.nodeId, this.ttlMs));
      this.validUntil = started + this.ttlMs - Math.min(2000, this.ttlMs / 4);
      this.databaseAnswered();
      if (!nodes.includes(this.nodeId)) nodes.push(this.nodeId);
      nodes.sort();
      if (nodes.join('\n') !== this.nodes.join('\n')) {
        this.nodes = nodes;
        this.options.logger?.info({ nodes }, 'cluster nodes');
        this.options.onNodesChange?.(nodes);
      }
    } catch (err) {
      this.databaseFailed(err, 'cannot reach the database for the cluster heartbeat');
      if (this.now() >= this.validUntil) await this.dropEverything('the leases may have expired');
      return;
    }
    this.releaseUnknown(held);
    await this.dropLost(held);
    await this.balanceStreamers();
    await this.balanceExclusive();
    this.publishStatuses();
  }

  /** Leases of ours this process does not use (an earlier life under the same NODE_ID) go back. */
  private releaseUnknown(held: Set<string>): void {
    const known = new Set([...[...this.streamers].map(streamerLease), ...[...this.destinations.values()].map(destinationLease), ...this.exclusiveHeld]);
    const unknown = [...held].filter((name) => !known.has(name));
    if (unknown.length === 0) return;
    this.store.releaseLeases(this.nodeId, unknown);
    for (const name of unknown) held.delete(name);
    this.options.logger?.info({ leases: unknown.length }, 'gave back leases left from an earlier run of this node');
  }

  /** Leases that were not renewed belong to someone else now (or nobody): stop using them. */
  private async dropLost(held: ReadonlySet<string>): Promise<void> {
    const lost = [...this.streamers].filter((streamerId) => !held.has(streamerLease(streamerId)));
    for (const streamerId of lost) this.streamers.delete(streamerId);
    await Promise.all(lost.map((streamerId) => this.options.engines.stop(streamerId)));
    if (lost.length > 0) this.options.logger?.warn({ streamers: lost.length }, 'lost the leases of streamers; stopped crawling them');
    await this.stopExclusive(held);
    for (const [key, destination] of this.destinations) {
      if (held.has(destinationLease(destination))) continue;
      this.destinations.delete(key);
      this.options.delivery.release(destination);
      this.options.logger?.warn({ destination: key }, 'lost the lease of a destination');
    }
  }

  /**
   * Who holds each unexpired lease under `prefix` (by lease name). For our own, this process's view
   * (`mine`) wins: a lease the database says is ours but that we do not use is left out (an earlier
   * life's, given back by releaseUnknown), and one we use counts as ours.
   */
  private currentOwners(prefix: string, mine: ReadonlySet<string>): Map<string, string> {
    const owners = new Map<string, string>();
    for (const lease of this.store.listLeases(prefix)) {
      if (lease.expiresInMs > 0 && lease.owner !== this.nodeId) owners.set(lease.name, lease.owner);
    }
    for (const name of mine) owners.set(name, this.nodeId);
    return owners;
  }

  /**
   * Exclusive tasks (a Telegram poller, Discord shards) are placed like streamers, fairly and
   * sticky, but with no tolerance: two shards on two nodes go one each. A task is stopped before
   * its lease is given back.
   */
  private async balanceExclusive(): Promise<void> {
    const tasks = new Map((this.options.exclusive ?? []).map((task) => [exclusiveLease(task.name), task]));
    if (tasks.size === 0 || this.stopped) return;
    const owners = this.currentOwners(EXCLUSIVE_PREFIX, this.exclusiveHeld);
    const plan = planLeases({ me: this.nodeId, nodes: this.nodes, keys: [...tasks.keys()], owners, tolerance: 0 });
    for (const name of plan.giveBack) {
      const task = tasks.get(name);
      if (!task || !this.exclusiveHeld.has(name)) continue;
      this.exclusiveHeld.delete(name);
      await task.stop().catch(() => undefined);
      this.store.releaseLeases(this.nodeId, [name]);
      this.options.logger?.info({ task: task.name }, 'gave an exclusive task back to the node it is assigned to');
    }
    for (const name of plan.take) {
      const task = tasks.get(name);
      if (!task || this.stopped || this.store.acquireLeases(this.nodeId, [name], this.ttlMs).length === 0) continue;
      this.exclusiveHeld.add(name);
      // Not awaited: a start may take a while (a Discord shard waits for READY), and the lease
      // pass must keep renewing meanwhile.
      task.start().then(
        () => this.options.logger?.info({ task: task.name }, 'took an exclusive task'),
        (err: unknown) => {
          if (!this.exclusiveHeld.delete(name)) return;
          this.options.logger?.error({ task: task.name, err: String(err) }, 'could not start an exclusive task; its lease is given back');
          try {
            this.store.releaseLeases(this.nodeId, [name]);
          } catch {
            // it expires by itself
          }
        },
      );
    }
  }

  private async stopExclusive(held: ReadonlySet<string>): Promise<void> {
    for (const task of this.options.exclusive ?? []) {
      const name = exclusiveLease(task.name);
      if (!this.exclusiveHeld.has(name) || held.has(name)) continue;
      this.exclusiveHeld.delete(name);
      await task.stop().catch(() => undefined);
      this.options.logger?.warn({ task: task.name }, 'lost the lease of an exclusive task; stopped it');
    }
  }

  private async dropEverything(reason: string): Promise<void> {
    if (this.streamers.size === 0 && this.destinations.size === 0 && this.exclusiveHeld.size === 0) return;
    this.options.logger?.error({ streamers: this.streamers.size, reason }, 'stopping every engine until the database answers again');
    await this.dropLost(new Set());
  }

  private async balanceStreamers(): Promise<void> {
    const active = this.store.activeStreamers();
    const owners = new Map<string, string>();
    for (const [name, owner] of this.currentOwners(STREAMER_PREFIX, new Set([...this.streamers].map(streamerLease)))) {
      owners.set(name.slice(STREAMER_PREFIX.length), owner);
    }
    const plan = planLeases({ me: this.nodeId, nodes: this.nodes, keys: [...active.keys()], owners });

    // Give back first (engine stopped before the lease goes), so the new owner can start.
    const giveBack = plan.giveBack.filter((s) => this.streamers.has(s));
    for (const streamerId of giveBack) this.streamers.delete(streamerId);
    await Promise.all(giveBack.map((streamerId) => this.options.engines.stop(streamerId)));
    if (giveBack.length > 0) {
      this.store.releaseLeases(this.nodeId, giveBack.map(streamerLease));
      this.options.logger?.info({ streamers: giveBack.length, crawling: this.streamers.size }, 'gave streamers back (unwatched, or more than this node\'s share)');
    }
    if (this.stopped) return;
    for (const streamerId of this.streamers) this.options.engines.run(streamerId, active.get(streamerId) ?? 0);
    if (plan.take.length === 0) return;
    const won = this.store.acquireLeases(this.nodeId, plan.take.map(streamerLease), this.ttlMs);
    const refused: string[] = [];
    for (const name of won) {
      const streamerId = name.slice(STREAMER_PREFIX.length);
      if (this.options.engines.run(streamerId, active.get(streamerId) ?? 0)) this.streamers.add(streamerId);
      else refused.push(name);
    }
    // A streamer this node cannot run (engine cap) must not stay leased: another node may run it.
    if (refused.length > 0) {
      this.store.releaseLeases(this.nodeId, refused);
      this.options.logger?.warn({ refused: refused.length }, 'engine cap reached; left streamers to other nodes');
    }
    if (won.length > 0) this.options.logger?.info({ took: won.length - refused.length, crawling: this.streamers.size }, 'took streamer leases');
  }

  /** Takes the destinations with pending alerts that fall to this node, claims their rows, gives idle ones back. */
  claim(): void {
    if (this.stopped || this.now() >= this.validUntil) return;
    const batch = this.options.claimBatch ?? 500;
    let claimed: number;
    try {
      const withWork = this.store.destinationsWithWork().filter((d) => this.options.platforms.includes(d.platform));
      const busy = new Set(withWork.map(destinationKey));
      const wanted = withWork.filter((d) => !this.destinations.has(destinationKey(d)) && ownerOf(destinationKey(d), this.nodes) === this.nodeId);
      const won = new Set(this.store.acquireLeases(this.nodeId, wanted.map(destinationLease), this.ttlMs));
      const fresh = wanted.filter((d) => won.has(destinationLease(d)));
      const held = [...this.destinations.values()];
      for (const d of fresh) this.destinations.set(destinationKey(d), d);
      const rows = this.store.claimOutbox(this.nodeId, held, fresh, batch);
      const freshKeys = new Set(fresh.map(destinationKey));
      // Rows another holder (or an earlier life of this node) had: their head may have been in flight.
      const handedOver = rows.filter((c) => freshKeys.has(destinationKey(c.row.destination)) || (c.previousOwner !== undefined && c.previousOwner !== this.nodeId));
      const handedOverIds = new Set(handedOver.map((c) => c.row.id));
      this.options.delivery.adopt(
        handedOver.map((c) => c.row),
        { single: true },
      );
      this.options.delivery.adopt(
        rows.filter((c) => !handedOverIds.has(c.row.id)).map((c) => c.row),
        { single: false },
      );
      claimed = rows.length;
      this.releaseIdle(busy);
    } catch (err) {
      this.databaseFailed(err, 'claiming outbox rows failed; retrying');
      return;
    }
    if (claimed >= batch) this.claimSoon();
  }

  /** Destinations with nothing queued here and nothing pending (or now assigned elsewhere) go back. */
  private releaseIdle(withWork: ReadonlySet<string>): void {
    const idle: Destination[] = [];
    for (const [key, destination] of this.destinations) {
      if (this.options.delivery.holds(destination)) continue;
      if (withWork.has(key) && ownerOf(key, this.nodes) === this.nodeId) continue;
      idle.push(destination);
      this.destinations.delete(key);
    }
    if (idle.length > 0) this.store.releaseLeases(this.nodeId, idle.map(destinationLease));
  }
}
