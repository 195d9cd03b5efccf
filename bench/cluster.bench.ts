/**
 * Alerts per second through the shared PostgreSQL outbox, 1 node vs 3 nodes (issue G).
 *
 * A throwaway PostgreSQL cluster (test/store/pg-cluster.ts; fsync off) holds K pending donation
 * alerts spread round-robin over D 'console' destinations (no pacing rules, so the database path
 * is what is measured). Each node is its own process (bench/cluster-node.ts): PostgresStore +
 * ClusterStore + shared Router + ClusterCoordinator + LISTEN, with a sink that waits a simulated
 * platform round trip of 2–5 ms per message (awaited; a destination sends one message at a time).
 * The clock runs from the moment the nodes are told to start (all of them connected), or from the
 * commit of the rows, until the last row's sent_at; every run gets a fresh schema.
 *
 * The outbox is ANALYZEd once the rows are in: with statistics from a time when nothing was pending,
 * the planner sends every markSent through a pending partial index and scans the whole backlog
 * (tens of ms per call at K = 20,000); markSentWithStaleStatistics measures that case on its own.
 *
 * Two scenarios:
 * - prefilled: the rows are there before the nodes start (a cluster (re)starting on a backlog);
 * - burst: the nodes are running and see each other, then the K rows arrive in one transaction.
 *
 * Correctness is checked, not assumed: every node returns the id of every alert its sink sent;
 * each of the K rows must have been sent exactly once, be marked sent in the database, and no lease
 * may be left behind once the nodes have left.
 *
 * Besides alerts/s, each run reports the busiest node's share of the rows, the most destination
 * leases one node held, the nodes' CPU, the whole machine's busy fraction (2 cores shared with
 * PostgreSQL and whoever else runs), and how long the nodes' event loops were blocked in each
 * database call (the stores are synchronous).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { Alert } from '../src/route/alert.js';
import { openPostgresStore } from '../src/store/postgres.js';
import type { NewOutboxEntry } from '../src/store/types.js';
import { findPostgresBinDir, startPgCluster } from '../test/store/pg-cluster.js';
import type { NodeConfig, NodeMessage, ParentMessage } from './cluster-node.js';
import { report } from './report.js';

const ROWS = 20_000;
const DESTINATIONS = 200;
const SEND_LATENCY_MS: readonly [number, number] = [2, 5];
const LEASE_TTL_MS = 10_000;
const RUN_TIMEOUT_MS = 40_000;
const BENCH = 'cluster';

const here = dirname(fileURLToPath(import.meta.url));

type Scenario = 'prefilled' | 'burst';

interface RunResult {
  readonly seconds: number;
  readonly duplicates: number;
  readonly missing: number;
  readonly markedSent: number;
  readonly leasesLeft: number;
  /** Share of the rows sent by the busiest node (1/N = perfectly even). */
  readonly busiestShare: number;
  readonly messages: number;
  readonly nodeCpuSeconds: number;
  /** Most destination leases one node held at a time (sampled every 100 ms). */
  readonly peakDestinations: number;
  /** Time the nodes' event loops spent blocked in each database call, summed over the nodes. */
  readonly dbMs: Readonly<Record<string, number>>;
  /** Busy fraction of the whole machine (every core, everyone's work) during the run. */
  readonly machineBusy: number;
  readonly warnings: number;
}

function alertFor(i: number): Alert {
  return {
    kind: 'star',
    streamerId: 'streamer1',
    locale: 'ko',
    loud: false,
    at: Date.now(),
    event: { kind: 'donation', code: '0018', type: 'star', userId: `fan${i % 997}`, nickname: '열혈팬', count: 100, fanOrder: 0, newTopFan: false, uuid: `r${i}` },
  };
}

function outboxRows(): NewOutboxEntry[] {
  const now = Date.now();
  return Array.from({ length: ROWS }, (_, i) => {
    const destination = `bench-${i % DESTINATIONS}`;
    return {
      idempotencyKey: `streamer1:r${i}:console:${destination}`,
      subscriptionId: 1 + (i % DESTINATIONS),
      destination: { platform: 'console', id: destination },
      priority: 0,
      payload: JSON.stringify(alertFor(i)),
      createdAt: now,
    };
  });
}

/** A fresh schema, migrated (the store's own migrations). */
function createSchema(url: string, schema: string): void {
  openPostgresStore(url, { schema }).close();
}

/** The K rows, in one transaction (one statement, one NOTIFY). */
function enqueueAll(url: string, schema: string): void {
  const store = openPostgresStore(url, { schema });
  try {
    store.enqueueOutbox(outboxRows());
  } finally {
    store.close();
  }
}

/** Jiffies since boot over every core, from /proc/stat (zeros where there is none). */
function machineCpu(): { busy: number; total: number } {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

function sumRecords(records: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const record of records) for (const [key, value] of Object.entries(record)) sum[key] = (sum[key] ?? 0) + value;
  return sum;
}

class NodeHandle {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  nodes = 0;
  done: Extract<NodeMessage, { type: 'done' }> | undefined;

  constructor(config: NodeConfig) {
    this.child = fork(join(here, 'cluster-node.ts'), [JSON.stringify(config)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.ready = new Promise((resolve, reject) => {
      this.child.once('exit', (code) => reject(new Error(`node ${config.nodeId} exited (code ${code}) before it was ready`)));
      this.child.on('message', (message: NodeMessage) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'status') this.nodes = message.nodes;
        else if (message.type === 'done') this.done = message;
      });
    });
  }

  send(message: ParentMessage): void {
    this.child.send(message);
  }
}

async function until(what: string, deadline: number, check: () => boolean | Promise<boolean>, everyMs = 10): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

async function runOnce(url: string, scenario: Scenario, nodeCount: number): Promise<RunResult> {
  const schema = `bench_cluster_${scenario}_n${nodeCount}`;
  createSchema(url, schema);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const handles: NodeHandle[] = [];
  try {
    await db.query(`SET search_path TO ${schema}`);
    if (scenario === 'prefilled') {
      enqueueAll(url, schema);
      await db.query('ANALYZE outbox');
    }
    for (let i = 1; i <= nodeCount; i++) {
      handles.push(new NodeHandle({ url, schema, nodeId: `bench-node-${i}`, leaseTtlMs: LEASE_TTL_MS, sendLatencyMs: SEND_LATENCY_MS }));
    }
    await Promise.all(handles.map((h) => h.ready));
    let startedAt: number;
    let cpuAtStart = machineCpu();
    if (scenario === 'prefilled') {
      startedAt = Date.now();
      for (const h of handles) h.send({ type: 'start' });
    } else {
      for (const h of handles) h.send({ type: 'start' });
      await until('the nodes to see each other', Date.now() + RUN_TIMEOUT_MS, () => handles.every((h) => h.nodes === nodeCount));
      enqueueAll(url, schema);
      // The rows are visible (and NOTIFY sent) from the commit on; the statistics follow at once.
      startedAt = Date.now();
      cpuAtStart = machineCpu();
      await db.query('ANALYZE outbox');
    }
    // Polled slowly so as not to load the database; the finish time is the last sent_at (the nodes' Date.now()).
    const backlog = async (): Promise<number> => Number((await db.query('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND failed_error IS NULL')).rows[0]?.n);
    await until('the outbox to drain', Date.now() + RUN_TIMEOUT_MS, async () => (await backlog()) === 0, 200);
    const finishedAt = Number((await db.query('SELECT max(sent_at) AS t FROM outbox')).rows[0]?.t);
    const seconds = (finishedAt - startedAt) / 1000;
    const cpuAtEnd = machineCpu();
    const machineBusy = (cpuAtEnd.busy - cpuAtStart.busy) / Math.max(1, cpuAtEnd.total - cpuAtStart.total);

    for (const h of handles) h.send({ type: 'stop' });
    await Promise.all(handles.map((h) => h.exited));
    const done = handles.map((h) => {
      if (!h.done) throw new Error('a node exited without reporting what it sent');
      return h.done;
    });

    const counts = new Map<string, number>();
    for (const d of done) for (const id of d.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    let duplicates = 0;
    for (const n of counts.values()) duplicates += n - 1;
    let missing = 0;
    for (let i = 0; i < ROWS; i++) if (!counts.has(`r${i}`)) missing++;
    const dbCounts = (
      await db.query(
        `SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL) AS sent,
                (SELECT count(*) FROM leases) AS leases`,
      )
    ).rows[0];
    const perNode = done.map((d) => d.ids.length);
    return {
      seconds,
      duplicates,
      missing,
      markedSent: Number(dbCounts?.sent),
      leasesLeft: Number(dbCounts?.leases),
      busiestShare: Math.max(...perNode) / Math.max(1, perNode.reduce((a, b) => a + b, 0)),
      messages: done.reduce((a, d) => a + d.messages, 0),
      nodeCpuSeconds: done.reduce((a, d) => a + d.cpuMs, 0) / 1000,
      peakDestinations: Math.max(...done.map((d) => d.maxDestinations)),
      machineBusy,
      dbMs: sumRecords(done.map((d) => d.dbMs)),
      warnings: done.reduce((a, d) => a + d.warnings, 0),
    };
  } finally {
    for (const h of handles) if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
    await db.end();
  }
}

/**
 * Milliseconds per markSent while a backlog of K pending rows sits on a table whose statistics were
 * taken when almost nothing was pending (a long-lived outbox, then a burst): the planner believes the
 * pending partial indexes are tiny and picks one over the primary key for `id = $2 AND pending`,
 * scanning the whole backlog per call. Then the same once ANALYZE has run, for comparison.
 */
async function markSentWithStaleStatistics(url: string, db: pg.Client): Promise<{ stale: number; fresh: number }> {
  const schema = 'bench_cluster_stale_stats';
  const store = openPostgresStore(url, { schema });
  try {
    await db.query(`SET search_path TO ${schema}`);
    const history = store.enqueueOutbox(outboxRows().slice(0, 2_000));
    for (const row of history) store.markSent(row.id, Date.now());
    await db.query('ANALYZE outbox');
    const backlog = store.enqueueOutbox(outboxRows().map((r) => ({ ...r, idempotencyKey: `backlog:${r.idempotencyKey}` })));
    const msPerCall = (rows: readonly { id: number }[]): number => {
      const started = performance.now();
      for (const row of rows) store.markSent(row.id, Date.now());
      return (performance.now() - started) / rows.length;
    };
    const stale = msPerCall(backlog.slice(0, 40));
    await db.query('ANALYZE outbox');
    const fresh = msPerCall(backlog.slice(40, 440));
    return { stale, fresh };
  } finally {
    store.close();
  }
}

function reportRun(prefix: string, nodeCount: number, r: RunResult): void {
  const m = (metric: string, value: number, unit: string): void => report({ bench: BENCH, metric: `${prefix}.nodes${nodeCount}.${metric}`, value, unit });
  m('alertsPerSec', ROWS / r.seconds, 'alerts/s');
  m('seconds', r.seconds, 's');
  m('messagesSent', r.messages, 'messages');
  m('busiestNodeShare', r.busiestShare, 'fraction');
  m('alertsPerNodeCpuSec', ROWS / r.nodeCpuSeconds, 'alerts/cpu-s');
  m('destinationLeasesPeak', r.peakDestinations, 'leases');
  m('machineCpuBusy', r.machineBusy, 'fraction');
  for (const [call, ms] of Object.entries(r.dbMs).sort()) m(`dbSeconds.${call}`, ms / 1000, 's');
  m('duplicates', r.duplicates, 'alerts');
  m('missing', r.missing, 'alerts');
  if (r.markedSent !== ROWS) process.stderr.write(`cluster bench: ${r.markedSent} of ${ROWS} rows marked sent in the database\n`);
  if (r.leasesLeft !== 0) process.stderr.write(`cluster bench: ${r.leasesLeft} leases left after every node left\n`);
  if (r.warnings > 0) process.stderr.write(`cluster bench: the nodes logged ${r.warnings} warnings/errors (above)\n`);
}

export async function run(): Promise<void> {
  const binDir = findPostgresBinDir();
  if (!binDir) {
    process.stdout.write(`${JSON.stringify({ bench: BENCH, skipped: 'PostgreSQL not found (no /usr/lib/postgresql/<version>/bin, PG_BIN_DIR unset)' })}\n`);
    return;
  }
  const cluster = await startPgCluster(binDir);
  try {
    const scenarios: [Scenario, string][] = [
      ['prefilled', 'cluster.outbox'],
      ['burst', 'cluster.outbox.burst'],
    ];
    let duplicates = 0;
    let missing = 0;
    for (const [scenario, prefix] of scenarios) {
      const one = await runOnce(cluster.url, scenario, 1);
      reportRun(prefix, 1, one);
      const three = await runOnce(cluster.url, scenario, 3);
      reportRun(prefix, 3, three);
      report({ bench: BENCH, metric: `${prefix}.speedup`, value: one.seconds / three.seconds, unit: 'x' });
      duplicates += one.duplicates + three.duplicates;
      missing += one.missing + three.missing;
    }
    report({ bench: BENCH, metric: 'cluster.outbox.duplicates', value: duplicates, unit: 'alerts' });
    report({ bench: BENCH, metric: 'cluster.outbox.missing', value: missing, unit: 'alerts' });
    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    try {
      const markSent = await markSentWithStaleStatistics(cluster.url, db);
      report({ bench: BENCH, metric: 'cluster.outbox.markSent.staleStatsMs', value: markSent.stale, unit: 'ms/call' });
      report({ bench: BENCH, metric: 'cluster.outbox.markSent.freshStatsMs', value: markSent.fresh, unit: 'ms/call' });
    } finally {
      await db.end();
    }
  } finally {
    cluster.stop();
  }
}
