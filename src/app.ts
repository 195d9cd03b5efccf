/**
 * createApp wires everything from injected parts — no environment, no SDK imports — so a test can
 * build the whole bot with fakes (main.ts does the same with the real ones).
 */
import { systemClock, type Clock } from './core/async.js';
import type { ChatSourceFactory } from './core/chat-source.js';
import type { SoopEvent, StreamerEvent } from './core/events.js';
import type { LiveInfoFetcher } from './core/live-info.js';
import type { RawPacket } from './core/packet.js';
import { CommandService } from './commands/service.js';
import { parseStatusView, serializeStatusView } from './commands/status-view.js';
import type { CommandEffects } from './commands/ports.js';
import type { BroadcastLedger } from './engine/ledger.js';
import { EngineRegistry } from './engine/registry.js';
import { logEngineStates } from './engine/state-lines.js';
import { StreamerEngine, type EngineStatus } from './engine/streamer-engine.js';
import type { Locale } from './i18n/index.js';
import { DeliveryLimiter, type PlatformRules } from './route/limiter.js';
import { Router, type DeliveryResult, type DestinationChange } from './route/router.js';
import { sampleAlert } from './route/sample-alert.js';
import type { Sink } from './route/sink.js';
import type { Destination, Platform, StoreLimits, SubscriptionStore } from './store/types.js';
import type { ClusterStore } from './store/cluster-types.js';
import { ClusterCoordinator, type ExclusiveTask } from './cluster/coordinator.js';
import { isStorageUnavailable } from './store/errors.js';
import { describeError } from './core/errors.js';
import type { StorageHealthPort, StorageState } from './store/health.js';
import { StorageMonitor } from './store/monitor.js';
import { DAY_MS, RetentionJob } from './store/retention.js';
import type { Logger } from './log.js';

/** A chat platform: delivers alerts and takes commands. */
export interface PlatformAdapter {
  readonly name: string;
  readonly sink: Sink;
  start(commands: CommandService): Promise<void>;
  stop(): Promise<void>;
  /** Connected and able to take commands (readiness). */
  readonly ready: boolean;
  /** Work only one node of a cluster may do (Telegram long polling); the coordinator runs it under a lease. */
  readonly exclusive?: readonly ExclusiveTask[] | undefined;
  /** Told when a destination was disabled or moved (e.g. to tell the server's admins). */
  onDestinationChange?(change: DestinationChange): void;
}

export interface AppDeps {
  readonly store: SubscriptionStore;
  readonly logger: Logger;
  /** The operator's language for the engine state lines in the log (default ko). */
  readonly locale?: Locale;
  readonly createChatSource: ChatSourceFactory;
  readonly translate: (packet: RawPacket) => SoopEvent;
  readonly fetchLiveInfo: LiveInfoFetcher;
  /** Sinks without commands (console). */
  readonly sinks?: readonly Sink[];
  readonly adapters?: readonly PlatformAdapter[];
  readonly engine: { readonly queueCapacity: number; readonly workers: number; readonly maxEngines: number; readonly graceMs?: number };
  readonly limits?: StoreLimits;
  readonly clock?: Clock;
  readonly rateRules?: Partial<Record<Platform, PlatformRules>>;
  readonly delayedAfterMs?: number;
  /** How long transient failures are retried before a message is given up (default 24 h). */
  readonly deliveryGiveUpMs?: number;
  readonly onDelivery?: (result: DeliveryResult) => void;
  readonly onEngineStatus?: (status: EngineStatus) => void;
  /** How long sent and given-up outbox rows, and broadcasts not seen since, are kept (default 7 days). */
  readonly outboxRetentionMs?: number;
  /** Several nodes share the database: streamers and destinations are split through leases. */
  readonly cluster?: { readonly store: ClusterStore; readonly nodeId: string; readonly leaseTtlMs: number; readonly claimIntervalMs?: number };
}

/** A change another node (or this one) made in the shared database. */
export type StoreChange = { readonly type: 'subscription'; readonly streamerId: string } | { readonly type: 'outbox' | 'leases' | 'resync' };

export interface App {
  readonly registry: EngineRegistry;
  readonly router: Router;
  readonly commands: CommandService;
  start(): Promise<void>;
  /** Stops taking work, flushes the outbox until the deadline, stops engines and adapters. */
  stop(deadlineMs?: number): Promise<void>;
  /** Re-reads the store and makes the running engines match it. */
  syncEngines(): void;
  /** Cluster mode: this node's part (undefined on a single node). */
  readonly coordinator: ClusterCoordinator | undefined;
  /** Cluster mode: a change notification from the database. */
  storeChanged(change: StoreChange): void;
  /** Whether the database answers (readiness): healthy, or failing since when and why. */
  storage(): StorageState;
}

/** The PostgreSQL cluster store reports its connection's health; a test's in-memory one may not. */
function hasHealth(store: object): store is StorageHealthPort {
  return typeof (store as Partial<StorageHealthPort>).health === 'function' && typeof (store as Partial<StorageHealthPort>).onHealthChange === 'function';
}

/** The keys of storeLedger (engine/ledger.ts liveKey, offlineKey): their value is a last-seen time. */
const LEDGER_PREFIXES = ['live:', 'offline:'] as const;

/**
 * Remembers announced broadcasts in the store, so a restart never announces one twice. The value
 * is when the broadcast was last seen (refreshed on each claim, i.e. each join), so that the
 * retention job removes only broadcasts not seen for the retention period, never one still live.
 * While the database is away the claim is decided in memory (announced once per process); the
 * outbox's idempotency key (`live:<broadcast>`) still stops a second alert per destination.
 */
export function storeLedger(store: SubscriptionStore, clock: Clock, logger: Pick<Logger, 'debug'>): BroadcastLedger {
  const claimedHere = new Set<string>();
  return {
    claim(key) {
      try {
        const seen = store.getState(key) !== undefined;
        store.setState(key, String(clock.now()));
        if (seen) return false;
      } catch (err) {
        if (!isStorageUnavailable(err)) throw err;
        logger.debug({ key }, 'broadcast ledger decided in memory: the database is unavailable');
      }
      if (claimedHere.has(key)) return false;
      claimedHere.add(key);
      return true;
    },
  };
}

export function createApp(deps: AppDeps): App {
  const { store, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const adapters = deps.adapters ?? [];
  const ledger = storeLedger(store, clock, logger);
  const storeLogger = logger.child({ component: 'store' });
  const clusterHealth = deps.cluster && hasHealth(deps.cluster.store) ? [deps.cluster.store] : [];
  const storageMonitor = new StorageMonitor({ store, others: clusterHealth, logger: storeLogger, now: () => clock.now() });
  const retention = new RetentionJob({
    store,
    retentionMs: deps.outboxRetentionMs ?? 7 * DAY_MS,
    statePrefixes: LEDGER_PREFIXES,
    clock,
    logger: storeLogger,
  });

  const limiter = new DeliveryLimiter({ clock, ...(deps.rateRules ? { rules: deps.rateRules } : {}) });
  const sinks = [...(deps.sinks ?? []), ...adapters.map((a) => a.sink)];
  const router: Router = new Router({
    store,
    shared: deps.cluster !== undefined,
    ...(deps.cluster ? { mayDeliver: (destination: Destination): boolean => coordinator?.mayDeliver(destination) ?? false } : {}),
    sinks,
    limiter,
    clock,
    logger,
    ...(deps.delayedAfterMs !== undefined ? { delayedAfterMs: deps.delayedAfterMs } : {}),
    ...(deps.deliveryGiveUpMs !== undefined ? { giveUpAfterMs: deps.deliveryGiveUpMs } : {}),
    ...(deps.onDelivery ? { onDelivery: deps.onDelivery } : {}),
    onDestinationChange: (change) => {
      syncEngines();
      for (const adapter of adapters) if (adapter.sink.platform === change.destination.platform) adapter.onDestinationChange?.(change);
    },
  });

  /**
   * An event the router could not take must not escape into the engine: a worker that throws
   * never finishes, and after one throw per worker the engine stops handing events on for good.
   * (The router keeps events through a database outage itself; this is the last line.)
   */
  function routeSafely(event: StreamerEvent): void {
    try {
      router.handle(event);
    } catch (err) {
      const fields = { streamer: event.streamerId, kind: event.event.kind, err: describeError(err) };
      if (isStorageUnavailable(err)) logger.warn(fields, 'an event was lost: the database is unavailable');
      else logger.error(fields, 'an event could not be routed (bug)');
    }
  }

  const registry = new EngineRegistry({
    maxEngines: deps.engine.maxEngines,
    graceMs: deps.engine.graceMs ?? 30_000,
    createEngine: (streamerId) => {
      const logState = logEngineStates(logger, deps.locale);
      return new StreamerEngine({
        streamerId,
        source: deps.createChatSource(streamerId),
        translate: deps.translate,
        onEvent: (event: StreamerEvent) => routeSafely(event),
        ledger,
        queueCapacity: deps.engine.queueCapacity,
        workers: deps.engine.workers,
        onStatus: (status) => {
          logState(status);
          deps.onEngineStatus?.(status);
        },
      });
    },
  });

  const coordinator: ClusterCoordinator | undefined = deps.cluster
    ? new ClusterCoordinator({
        store: deps.cluster.store,
        nodeId: deps.cluster.nodeId,
        leaseTtlMs: deps.cluster.leaseTtlMs,
        ...(deps.cluster.claimIntervalMs !== undefined ? { claimIntervalMs: deps.cluster.claimIntervalMs } : {}),
        platforms: sinks.map((s) => s.platform),
        logger: logger.child({ component: 'cluster' }),
        engines: {
          run: (streamerId, subscriptions) => registry.setRefs(streamerId, subscriptions),
          stop: (streamerId) => registry.stopNow(streamerId),
        },
        delivery: router,
        exclusive: adapters.flatMap((a) => a.exclusive ?? []),
        engineStatuses: () => registry.statuses().map((status) => ({ streamerId: status.streamerId, status: serializeStatusView(status) })),
        // One bot token, n senders: each takes 1/n of the platform's global budget.
        onNodesChange: (nodes) => limiter.setGlobalShare(1 / Math.max(1, nodes.length)),
      })
    : undefined;

  function syncEngines(): void {
    if (coordinator) {
      coordinator.refreshSoon();
      return;
    }
    const refs = new Map<string, number>();
    for (const streamerId of store.listStreamers()) {
      const active = store.listByStreamer(streamerId).filter((s) => !s.paused).length;
      if (active > 0) refs.set(streamerId, active);
    }
    const refused = registry.reconcile(refs);
    if (refused.length > 0) logger.warn({ refused: refused.length, max: deps.engine.maxEngines }, 'engine cap reached; some streamers are not watched');
  }

  const effects: CommandEffects = {
    subscriptionsChanged(streamerId) {
      router.invalidate(streamerId);
      if (coordinator) {
        // The node that crawls it hears it through the database's notification.
        coordinator.refreshSoon();
        return;
      }
      // Only this streamer's count changed: no need to re-read every subscription.
      const active = store.listByStreamer(streamerId).filter((s) => !s.paused).length;
      if (!registry.setRefs(streamerId, active)) logger.warn({ streamer: streamerId, max: deps.engine.maxEngines }, 'engine cap reached; streamer not watched');
    },
    canWatch: (streamerId) => registry.canAcquire(streamerId),
    engineStatus(streamerId) {
      const local = registry.status(streamerId);
      if (local || !coordinator) return local;
      // Another node crawls it: the status it last published.
      const remote = coordinator.remoteStatus(streamerId);
      const view = remote ? parseStatusView(remote.status) : undefined;
      return view && remote ? { ...view, crawledBy: { node: remote.nodeId, ageMs: remote.ageMs } } : undefined;
    },
    checkLiveInfo: (streamerId) => deps.fetchLiveInfo(streamerId, AbortSignal.timeout(10_000), { urgent: true }),
    sendTest(subscription) {
      router.sendTest(subscription, { ...sampleAlert(subscription, 'star', clock.now()), test: true });
    },
    deliveryStatus(destination) {
      const issues = router.deliveryIssues(destination);
      return { givenUp: issues.givenUp, lastGivenUpAt: issues.lastAt, lastReason: issues.lastReason, heldEvents: router.storageBacklog().heldEvents };
    },
  };
  const commands = new CommandService(store, effects, deps.limits ?? { perDestination: 25, perGuild: 100 });

  return {
    registry,
    router,
    commands,
    syncEngines,
    coordinator,
    storage: () => storageMonitor.health(),
    storeChanged(change) {
      if (!coordinator) return;
      if (change.type === 'outbox') {
        coordinator.claimSoon();
        return;
      }
      // Subscriptions changed (one streamer's, or maybe any while the notifications were down):
      // the cached routes go; leases moving change no subscription.
      if (change.type === 'subscription') router.invalidate(change.streamerId);
      if (change.type === 'resync') router.invalidate();
      coordinator.refreshSoon();
      if (change.type === 'resync') coordinator.claimSoon();
    },
    async start() {
      storageMonitor.start();
      retention.start();
      const pending = router.start();
      if (pending > 0) logger.info({ pending }, 'delivering alerts left from the last run');
      // Together: one platform still being retried must not hide another's rejected token.
      await Promise.all(adapters.map((adapter) => adapter.start(commands)));
      if (coordinator) await coordinator.start();
      else syncEngines();
    },
    async stop(deadlineMs = 5000) {
      await retention.stop();
      // Engines first: they hand what they still hold to the router, which then flushes; then
      // the leases go back, so the other nodes take over at once rather than after the TTL.
      await coordinator?.halt();
      await registry.stopAll();
      await router.stop(deadlineMs);
      await coordinator?.leave();
      await Promise.all(adapters.map((a) => a.stop()));
      storageMonitor.stop();
    },
  };
}
