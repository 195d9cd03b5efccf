/**
 * Prometheus metrics for the bot, in a private Registry (tests create many; nothing touches
 * prom-client's global registry).
 *
 * Engine figures are read from plain source functions once per scrape (`render()`), so one scrape
 * sees one consistent snapshot. Per-engine totals (packets, shed, reconnects, decode errors) are
 * turned into process-wide counters by adding each engine's increase since the previous scrape:
 * the counters stay monotonic when an engine stops or restarts (an engine whose count went down
 * started over, so its whole count is new).
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** What the metrics need of an engine status (the engine's EngineStatus fits it as is). */
export interface EngineStatusLike {
  readonly streamerId: string;
  readonly state: string;
  readonly reconnects: number;
  readonly shed: { readonly critical: number; readonly chat: number; readonly noise: number };
  readonly queueDepth: number;
  readonly packets: number;
  readonly decodeErrors: number;
}

/** One delivery reported by the router's `onDelivery` (the router's DeliveryResult fits it as is). */
export interface DeliveryResultLike {
  readonly platform: string;
  readonly kind: string;
  readonly outcome: 'sent' | 'failed' | 'rateLimited' | 'retry';
  /** Alerts in the message (a batch or digest carries several). */
  readonly alerts: number;
}

/** Plain functions the app supplies; each is called once per scrape. */
export interface MetricsSource {
  engineStatuses(): readonly EngineStatusLike[];
  /** Durable outbox rows waiting to be sent (deferred ones included). */
  outboxBacklog(): number;
  /** Alerts queued in memory for delivery. */
  pendingAlerts(): number;
  /** What the database takes on disk (bytes); undefined keeps the last value (e.g. while it is away). */
  databaseBytes?(): number | undefined;
  /** Several nodes on one database: what this node sees and holds (absent on a single node). */
  cluster?(): { readonly nodes: number; readonly streamers: number; readonly destinations: number };
}

export interface MetricsOptions {
  /** Monotonic clock in ms for the packets-per-second window (default performance.now). */
  readonly now?: () => number;
  /** The packets-per-second window (ms; default 10 s). */
  readonly rateWindowMs?: number;
  /** Process metrics (CPU, memory, event loop lag, GC) from prom-client (default true). */
  readonly defaultMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  /** The Content-Type of `render()`'s text. */
  readonly contentType: string;
  /** Counts one delivery; the app calls it from the router's `onDelivery`. */
  recordDelivery(result: DeliveryResultLike): void;
  /** Takes a snapshot of the sources and returns the Prometheus text exposition. */
  render(): Promise<string>;
}

const PREFIX = 'soop_alerts_';
type ShedKind = keyof EngineStatusLike['shed'];
const SHED_KINDS: readonly ShedKind[] = ['noise', 'chat', 'critical'];

/** Per-engine cumulative figure → one process-wide monotonic total. */
class DeltaTotal {
  private readonly last = new Map<string, number>();
  total = 0;

  /** Folds in this scrape's values; engines absent from it are forgotten. */
  update(values: ReadonlyMap<string, number>): number {
    let added = 0;
    for (const [id, value] of values) {
      const previous = this.last.get(id) ?? 0;
      added += value >= previous ? value - previous : value;
    }
    this.last.clear();
    for (const [id, value] of values) this.last.set(id, value);
    this.total += added;
    return added;
  }
}

/** Rate of a monotonic total over a sliding window of scrape-time samples. */
class WindowRate {
  private samples: { at: number; total: number }[] = [];
  constructor(private readonly windowMs: number) {}

  sample(at: number, total: number): number {
    this.samples.push({ at, total });
    // Keep the newest sample at least a window old as the baseline, drop anything older.
    while (this.samples.length > 2 && (this.samples[1] as { at: number }).at <= at - this.windowMs) this.samples.shift();
    const first = this.samples[0] as { at: number; total: number };
    const elapsedMs = at - first.at;
    return elapsedMs > 0 ? ((total - first.total) * 1000) / elapsedMs : 0;
  }
}

export function createMetrics(source: MetricsSource, options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const now = options.now ?? (() => performance.now());
  const registers = [registry];
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const engines = new Gauge({ name: `${PREFIX}engines`, help: 'Streamer engines by state.', labelNames: ['state'] as const, registers });
  const packets = new Counter({ name: `${PREFIX}packets_total`, help: 'SOOP packets received by all engines.', registers });
  const packetsPerSecond = new Gauge({
    name: `${PREFIX}packets_per_second`,
    help: 'SOOP packets received per second, over the last ~10 s of scrapes.',
    registers,
  });
  const shed = new Counter({
    name: `${PREFIX}shed_packets_total`,
    help: 'Packets dropped by full engine queues, by kind (noise = membership packets; critical ones are never shed).',
    labelNames: ['kind'] as const,
    registers,
  });
  const queueDepth = new Gauge({ name: `${PREFIX}queue_depth`, help: 'Packets queued across all engines.', registers });
  const queueDepthMax = new Gauge({ name: `${PREFIX}queue_depth_max`, help: 'The deepest engine queue.', registers });
  const reconnects = new Counter({ name: `${PREFIX}reconnects_total`, help: 'SOOP chat reconnections by all engines.', registers });
  const decodeErrors = new Counter({ name: `${PREFIX}decode_errors_total`, help: 'SOOP packets that could not be decoded.', registers });
  const outboxBacklog = new Gauge({ name: `${PREFIX}outbox_backlog`, help: 'Durable outbox rows waiting to be sent.', registers });
  const pendingAlerts = new Gauge({ name: `${PREFIX}pending_alerts`, help: 'Alerts queued in memory for delivery.', registers });
  const databaseBytes = source.databaseBytes
    ? new Gauge({
        name: `${PREFIX}database_bytes`,
        help: 'What the database takes on disk: SQLite file + WAL; PostgreSQL: the tables and indexes of its schema.',
        registers,
      })
    : undefined;
  // Only in a cluster: a single node has no leases to report.
  const clusterGauges = source.cluster
    ? {
        nodes: new Gauge({ name: `${PREFIX}cluster_nodes`, help: 'Live bot nodes sharing the database, as this node last saw them.', registers }),
        leases: new Gauge({
          name: `${PREFIX}cluster_leases`,
          help: 'Leases this node holds, by kind (streamer = crawled here, destination = paced here).',
          labelNames: ['kind'] as const,
          registers,
        }),
      }
    : undefined;
  const sourceErrors = new Counter({
    name: `${PREFIX}metrics_source_errors_total`,
    help: 'Scrapes where a metrics source threw (its figures kept their previous values).',
    labelNames: ['source'] as const,
    registers,
  });

  const deliveryLabels = ['platform', 'kind'] as const;
  const sent = new Counter({ name: `${PREFIX}alerts_sent_total`, help: 'Alerts delivered.', labelNames: deliveryLabels, registers });
  const failed = new Counter({ name: `${PREFIX}alerts_failed_total`, help: 'Alerts given up on.', labelNames: deliveryLabels, registers });
  const rateLimited = new Counter({
    name: `${PREFIX}rate_limited_total`,
    help: 'Sends answered with a rate limit (HTTP 429).',
    labelNames: deliveryLabels,
    registers,
  });
  const retried = new Counter({
    name: `${PREFIX}delivery_retries_total`,
    help: 'Sends that failed transiently and were scheduled again.',
    labelNames: deliveryLabels,
    registers,
  });

  const packetTotal = new DeltaTotal();
  const shedTotals = { noise: new DeltaTotal(), chat: new DeltaTotal(), critical: new DeltaTotal() };
  const reconnectTotal = new DeltaTotal();
  const decodeErrorTotal = new DeltaTotal();
  const rate = new WindowRate(options.rateWindowMs ?? 10_000);
  const statesSeen = new Set<string>();

  function read<T>(name: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch {
      sourceErrors.inc({ source: name });
      return undefined;
    }
  }

  function observeEngines(statuses: readonly EngineStatusLike[]): void {
    const byState = new Map<string, number>();
    const by = (pick: (s: EngineStatusLike) => number): Map<string, number> => new Map(statuses.map((s) => [s.streamerId, pick(s)]));
    let depth = 0;
    let deepest = 0;
    for (const s of statuses) {
      byState.set(s.state, (byState.get(s.state) ?? 0) + 1);
      statesSeen.add(s.state);
      depth += s.queueDepth;
      deepest = Math.max(deepest, s.queueDepth);
    }
    // A state no engine is in any more reads 0 rather than vanishing from the output.
    for (const state of statesSeen) engines.set({ state }, byState.get(state) ?? 0);
    queueDepth.set(depth);
    queueDepthMax.set(deepest);

    packets.inc(packetTotal.update(by((s) => s.packets)));
    packetsPerSecond.set(rate.sample(now(), packetTotal.total));
    for (const kind of SHED_KINDS) shed.inc({ kind }, shedTotals[kind].update(by((s) => s.shed[kind])));
    reconnects.inc(reconnectTotal.update(by((s) => s.reconnects)));
    decodeErrors.inc(decodeErrorTotal.update(by((s) => s.decodeErrors)));
  }

  // Shed kinds exist from the first scrape, at 0, so a rate() over them needs no special case.
  for (const kind of SHED_KINDS) shed.inc({ kind }, 0);

  return {
    registry,
    contentType: registry.contentType,
    recordDelivery(result) {
      const labels = { platform: result.platform, kind: result.kind };
      switch (result.outcome) {
        case 'sent':
          sent.inc(labels, result.alerts);
          break;
        case 'failed':
          failed.inc(labels, result.alerts);
          break;
        case 'rateLimited':
          rateLimited.inc(labels);
          break;
        case 'retry':
          retried.inc(labels);
          break;
      }
    },
    async render() {
      const statuses = read('engines', () => source.engineStatuses());
      if (statuses) observeEngines(statuses);
      const backlog = read('outbox', () => source.outboxBacklog());
      if (backlog !== undefined) outboxBacklog.set(backlog);
      const pending = read('pending', () => source.pendingAlerts());
      if (pending !== undefined) pendingAlerts.set(pending);
      const bytes = databaseBytes ? read('database', () => source.databaseBytes?.()) : undefined;
      if (databaseBytes && bytes !== undefined) databaseBytes.set(bytes);
      const cluster = clusterGauges ? read('cluster', () => source.cluster?.()) : undefined;
      if (clusterGauges && cluster) {
        clusterGauges.nodes.set(cluster.nodes);
        clusterGauges.leases.set({ kind: 'streamer' }, cluster.streamers);
        clusterGauges.leases.set({ kind: 'destination' }, cluster.destinations);
      }
      return registry.metrics();
    },
  };
}
