/**
 * One cluster node for bench/cluster.bench.ts, run as its own process (`fork` with `--import tsx`):
 * its own PostgresStore, ClusterStore, shared-mode Router, ClusterCoordinator and LISTEN connection,
 * as src/app.ts wires them, with no engines (the outbox is pre-filled by the parent) and a 'console'
 * sink (unlimited pacing) that only counts what it is given after a simulated platform round trip.
 *
 * IPC: argv[2] is a JSON NodeConfig. The node says `ready` once connected, starts the coordinator on
 * `start`, reports `status` every 100 ms, and on `stop` halts, flushes, leaves and answers `done`
 * with the id (the donation's uuid) of every alert its sink sent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ClusterCoordinator, type ClusterLogger } from '../src/cluster/coordinator.js';
import { DeliveryLimiter } from '../src/route/limiter.js';
import { Router } from '../src/route/router.js';
import type { Delivery, Sink } from '../src/route/sink.js';
import { openPostgresCluster } from '../src/store/postgres-cluster.js';
import { listenForStoreChanges } from '../src/store/postgres-listener.js';
import { openPostgresStore } from '../src/store/postgres.js';

export interface NodeConfig {
  readonly url: string;
  readonly schema: string;
  readonly nodeId: string;
  readonly leaseTtlMs: number;
  /** Simulated platform round trip per message: uniform in [min, max] ms. */
  readonly sendLatencyMs: readonly [number, number];
}

export type ParentMessage = { readonly type: 'start' } | { readonly type: 'stop' };

export type NodeMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'status'; readonly nodes: number; readonly destinations: number; readonly sent: number }
  | {
      readonly type: 'done';
      readonly nodeId: string;
      readonly ids: readonly string[];
      readonly messages: number;
      readonly maxDestinations: number;
      readonly warnings: number;
      readonly cpuMs: number;
      /** Milliseconds this node's event loop spent blocked in each timed database call. */
      readonly dbMs: Readonly<Record<string, number>>;
    };

const config = JSON.parse(process.argv[2] ?? '{}') as NodeConfig;
const tell = (message: NodeMessage): void => void process.send?.(message);

let warnings = 0;
const logger: ClusterLogger = {
  info: () => undefined,
  warn: (obj, msg) => {
    warnings++;
    process.stderr.write(`[${config.nodeId}] warn ${msg ?? ''} ${JSON.stringify(obj)}\n`);
  },
  error: (obj, msg) => {
    warnings++;
    process.stderr.write(`[${config.nodeId}] error ${msg ?? ''} ${JSON.stringify(obj)}\n`);
  },
};

const sentIds: string[] = [];
let messages = 0;
const [minLatency, maxLatency] = config.sendLatencyMs;
const countingSink: Sink = {
  platform: 'console',
  async send(delivery: Delivery): Promise<void> {
    await sleep(minLatency + Math.random() * (maxLatency - minLatency));
    messages++;
    for (const alert of delivery.alerts) sentIds.push(alert.kind === 'star' ? (alert.event.uuid ?? '?') : '?');
  },
};

const dbMs: Record<string, number> = {};

/** The same object, with the named (synchronous) methods timed into dbMs. */
function timed<T extends object>(target: T, names: readonly (keyof T & string)[]): T {
  return new Proxy(target, {
    get(obj, property, receiver) {
      const value: unknown = Reflect.get(obj, property, receiver);
      if (typeof value !== 'function' || !names.includes(property as keyof T & string)) return value;
      const name = property as string;
      return (...args: unknown[]): unknown => {
        const started = performance.now();
        try {
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        } finally {
          dbMs[name] = (dbMs[name] ?? 0) + performance.now() - started;
        }
      };
    },
  });
}

const store = timed(openPostgresStore(config.url, { schema: config.schema }), ['markSent', 'markSentMany']);
const clusterStore = timed(openPostgresCluster(config.url, { schema: config.schema }), [
  'claimOutbox',
  'destinationsWithWork',
  'acquireLeases',
  'releaseLeases',
  'heartbeat',
  'renewLeases',
]);
const router = new Router({ store, shared: true, sinks: [countingSink], limiter: new DeliveryLimiter({}), logger });
const coordinator = new ClusterCoordinator({
  store: clusterStore,
  nodeId: config.nodeId,
  leaseTtlMs: config.leaseTtlMs,
  platforms: ['console'],
  logger,
  engines: { run: () => false, stop: async () => undefined },
  delivery: router,
});
const listener = listenForStoreChanges(
  config.url,
  {
    onSubscriptionChange: () => coordinator.refreshSoon(),
    onOutbox: () => coordinator.claimSoon(),
    onLeasesReleased: () => coordinator.refreshSoon(),
    onResync: () => {
      coordinator.refreshSoon();
      coordinator.claimSoon();
    },
    onError: (message) => logger.error({}, message),
  },
  { schema: config.schema },
);

let statusTimer: NodeJS.Timeout | undefined;
let maxDestinations = 0;
let cpuBefore = process.cpuUsage();

async function stop(): Promise<void> {
  clearInterval(statusTimer);
  await coordinator.halt();
  await router.stop(2000);
  coordinator.leave();
  await listener.close();
  const cpu = process.cpuUsage(cpuBefore);
  tell({ type: 'done', nodeId: config.nodeId, ids: sentIds, messages, maxDestinations, warnings, cpuMs: (cpu.user + cpu.system) / 1000, dbMs });
  clusterStore.close();
  store.close();
  process.disconnect();
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'start') {
    cpuBefore = process.cpuUsage();
    void coordinator.start().then(() => {
      statusTimer = setInterval(() => {
        const status = coordinator.status();
        maxDestinations = Math.max(maxDestinations, status.destinations);
        tell({ type: 'status', nodes: status.nodes.length, destinations: status.destinations, sent: sentIds.length });
      }, 100);
    });
  } else if (message.type === 'stop') {
    void stop();
  }
});

await listener.ready;
tell({ type: 'ready' });
