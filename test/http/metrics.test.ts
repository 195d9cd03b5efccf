import { describe, expect, expectTypeOf, it } from 'vitest';
import type { EngineStatus } from '../../src/engine/streamer-engine.js';
import type { DeliveryResult } from '../../src/route/router.js';
import { createMetrics, type DeliveryResultLike, type EngineStatusLike, type MetricsSource } from '../../src/http/metrics.js';
import { sample } from './prom-text.js';

function engine(streamerId: string, over: Partial<EngineStatusLike> = {}): EngineStatusLike {
  return {
    streamerId,
    state: 'joined',
    reconnects: 0,
    shed: { critical: 0, chat: 0, noise: 0 },
    queueDepth: 0,
    packets: 0,
    decodeErrors: 0,
    ...over,
  };
}

interface FakeSource extends MetricsSource {
  engines: EngineStatusLike[];
  backlog: number | Error;
  pending: number;
}

function fakeSource(): FakeSource {
  const source: FakeSource = {
    engines: [],
    backlog: 0,
    pending: 0,
    engineStatuses: () => source.engines,
    outboxBacklog: () => {
      if (source.backlog instanceof Error) throw source.backlog;
      return source.backlog;
    },
    pendingAlerts: () => source.pending,
  };
  return source;
}

describe('createMetrics', () => {
  it('accepts the engine status and the router delivery result as they are', () => {
    expectTypeOf<EngineStatus>().toExtend<EngineStatusLike>();
    expectTypeOf<DeliveryResult>().toExtend<DeliveryResultLike>();
    const metrics = createMetrics(fakeSource(), { defaultMetrics: false });
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('reports the database size, keeping the last value while the database is away', async () => {
    let bytes: number | undefined = 123_456;
    const metrics = createMetrics({ ...fakeSource(), databaseBytes: () => bytes }, { defaultMetrics: false });
    expect(sample(await metrics.render(), 'soop_alerts_database_bytes')).toBe(123_456);
    bytes = undefined;
    expect(sample(await metrics.render(), 'soop_alerts_database_bytes')).toBe(123_456);
    bytes = 200_000;
    expect(sample(await metrics.render(), 'soop_alerts_database_bytes')).toBe(200_000);
    expect(sample(await createMetrics(fakeSource(), { defaultMetrics: false }).render(), 'soop_alerts_database_bytes')).toBeUndefined();
  });

  it('reports the cluster: live nodes and the leases this node holds, only when there is a cluster', async () => {
    const single = await createMetrics(fakeSource(), { defaultMetrics: false }).render();
    expect(single).not.toContain('soop_alerts_cluster_nodes ');
    const source = { ...fakeSource(), cluster: () => ({ nodes: 3, streamers: 100, destinations: 7 }) };
    const text = await createMetrics(source, { defaultMetrics: false }).render();
    expect(sample(text, 'soop_alerts_cluster_nodes')).toBe(3);
    expect(sample(text, 'soop_alerts_cluster_leases', { kind: 'streamer' })).toBe(100);
    expect(sample(text, 'soop_alerts_cluster_leases', { kind: 'destination' })).toBe(7);
  });

  it('reports engines by state, queue depth, packets, shed packets, reconnects and decode errors', async () => {
    const source = fakeSource();
    source.engines = [
      engine('a', { packets: 100, queueDepth: 3, shed: { critical: 0, chat: 4, noise: 10 }, reconnects: 1, decodeErrors: 2 }),
      engine('b', { packets: 50, queueDepth: 7, shed: { critical: 0, chat: 0, noise: 5 } }),
      engine('c', { state: 'offline', reconnects: 2 }),
    ];
    const text = await createMetrics(source, { defaultMetrics: false }).render();

    expect(sample(text, 'soop_alerts_engines', { state: 'joined' })).toBe(2);
    expect(sample(text, 'soop_alerts_engines', { state: 'offline' })).toBe(1);
    expect(sample(text, 'soop_alerts_packets_total')).toBe(150);
    expect(sample(text, 'soop_alerts_queue_depth')).toBe(10);
    expect(sample(text, 'soop_alerts_queue_depth_max')).toBe(7);
    expect(sample(text, 'soop_alerts_shed_packets_total', { kind: 'noise' })).toBe(15);
    expect(sample(text, 'soop_alerts_shed_packets_total', { kind: 'chat' })).toBe(4);
    expect(sample(text, 'soop_alerts_shed_packets_total', { kind: 'critical' })).toBe(0);
    expect(sample(text, 'soop_alerts_reconnects_total')).toBe(3);
    expect(sample(text, 'soop_alerts_decode_errors_total')).toBe(2);
  });

  it('keeps totals monotonic when engines stop, start or restart between scrapes', async () => {
    const source = fakeSource();
    const metrics = createMetrics(source, { defaultMetrics: false });
    source.engines = [engine('a', { packets: 100 }), engine('b', { packets: 50, state: 'offline' })];
    await metrics.render();

    // b stopped; a grew by 60; c is new with 5; d appears, then restarts from a lower count.
    source.engines = [engine('a', { packets: 160 }), engine('c', { packets: 5 }), engine('d', { packets: 40 })];
    let text = await metrics.render();
    expect(sample(text, 'soop_alerts_packets_total')).toBe(150 + 60 + 5 + 40);
    expect(sample(text, 'soop_alerts_engines', { state: 'joined' })).toBe(3);
    expect(sample(text, 'soop_alerts_engines', { state: 'offline' })).toBe(0);

    source.engines = [engine('a', { packets: 160 }), engine('c', { packets: 5 }), engine('d', { packets: 8 })];
    text = await metrics.render();
    expect(sample(text, 'soop_alerts_packets_total')).toBe(255 + 8);
  });

  it('computes packets per second over a ~10 s window of scrapes', async () => {
    const source = fakeSource();
    let clock = 0;
    const metrics = createMetrics(source, { defaultMetrics: false, now: () => clock });
    const scrape = async (at: number, packets: number): Promise<number | undefined> => {
      clock = at;
      source.engines = [engine('a', { packets })];
      return sample(await metrics.render(), 'soop_alerts_packets_per_second');
    };

    expect(await scrape(0, 1000)).toBe(0); // nothing to compare with yet
    expect(await scrape(5_000, 1500)).toBe(100); // 500 over 5 s
    expect(await scrape(12_000, 1700)).toBe(700 / 12); // window start is still the t=0 scrape
    expect(await scrape(20_000, 2500)).toBe(1000 / 15); // baseline moved to t=5 s, the newest at least 10 s old
  });

  it('counts deliveries by platform and kind: alerts sent and failed, 429 answers and retries', async () => {
    const metrics = createMetrics(fakeSource(), { defaultMetrics: false });
    metrics.recordDelivery({ platform: 'discord', kind: 'donation', outcome: 'sent', alerts: 2 });
    metrics.recordDelivery({ platform: 'discord', kind: 'donation', outcome: 'sent', alerts: 1 });
    metrics.recordDelivery({ platform: 'telegram', kind: 'chat', outcome: 'sent', alerts: 25 });
    metrics.recordDelivery({ platform: 'telegram', kind: 'chat', outcome: 'failed', alerts: 4 });
    metrics.recordDelivery({ platform: 'discord', kind: 'donation', outcome: 'rateLimited', alerts: 3 });
    metrics.recordDelivery({ platform: 'discord', kind: 'donation', outcome: 'rateLimited', alerts: 3 });
    metrics.recordDelivery({ platform: 'telegram', kind: 'live', outcome: 'retry', alerts: 1 });
    const text = await metrics.render();

    expect(sample(text, 'soop_alerts_alerts_sent_total', { platform: 'discord', kind: 'donation' })).toBe(3);
    expect(sample(text, 'soop_alerts_alerts_sent_total', { platform: 'telegram', kind: 'chat' })).toBe(25);
    expect(sample(text, 'soop_alerts_alerts_failed_total', { platform: 'telegram', kind: 'chat' })).toBe(4);
    expect(sample(text, 'soop_alerts_rate_limited_total', { platform: 'discord', kind: 'donation' })).toBe(2);
    expect(sample(text, 'soop_alerts_delivery_retries_total', { platform: 'telegram', kind: 'live' })).toBe(1);
    expect(sample(text, 'soop_alerts_alerts_failed_total', { platform: 'discord', kind: 'donation' })).toBeUndefined();
  });

  it('reports outbox backlog and pending alerts, keeping the last value when a source throws', async () => {
    const source = fakeSource();
    const metrics = createMetrics(source, { defaultMetrics: false });
    source.backlog = 12;
    source.pending = 3;
    let text = await metrics.render();
    expect(sample(text, 'soop_alerts_outbox_backlog')).toBe(12);
    expect(sample(text, 'soop_alerts_pending_alerts')).toBe(3);

    source.backlog = new Error('The database connection is not open');
    source.pending = 1;
    text = await metrics.render();
    expect(sample(text, 'soop_alerts_outbox_backlog')).toBe(12);
    expect(sample(text, 'soop_alerts_pending_alerts')).toBe(1);
    expect(sample(text, 'soop_alerts_metrics_source_errors_total', { source: 'outbox' })).toBe(1);
  });

  it('includes process metrics, each instance in its own registry', async () => {
    const first = createMetrics(fakeSource());
    const second = createMetrics(fakeSource());
    first.recordDelivery({ platform: 'discord', kind: 'donation', outcome: 'sent', alerts: 1 });
    const [a, b] = await Promise.all([first.render(), second.render()]);
    expect(sample(a, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(a).toContain('nodejs_heap_size_used_bytes');
    expect(sample(a, 'soop_alerts_alerts_sent_total', { platform: 'discord', kind: 'donation' })).toBe(1);
    expect(sample(b, 'soop_alerts_alerts_sent_total', { platform: 'discord', kind: 'donation' })).toBeUndefined();
    // Collecting the default process metrics of two registries can take seconds on a loaded 2-core machine.
  }, 20_000);
});
