import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createMetrics, type EngineStatusLike, type Metrics } from '../../src/http/metrics.js';
import { HttpServerError, startHttpServer, type HttpLogger, type HttpServer, type MetricsText, type Readiness } from '../../src/http/server.js';
import type { Logger } from '../../src/log.js';
import { sample } from './prom-text.js';

const open: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function joined(streamerId: string, packets: number): EngineStatusLike {
  return { streamerId, state: 'joined', reconnects: 0, shed: { critical: 0, chat: 0, noise: 0 }, queueDepth: 0, packets, decodeErrors: 0 };
}

async function start(over: { ready?: () => Readiness; render?: () => Promise<string> } = {}) {
  const app = { storeOpen: true, discord: true as boolean | string, engines: [joined('streamer1', 42)], backlog: 2 };
  const metrics = createMetrics(
    { engineStatuses: () => app.engines, outboxBacklog: () => app.backlog, pendingAlerts: () => 0 },
    { defaultMetrics: false },
  );
  const ready =
    over.ready ??
    ((): Readiness => {
      const checks = { store: app.storeOpen, discord: app.discord };
      return { ok: Object.values(checks).every((c) => c === true), checks };
    });
  const server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    metrics: over.render ? { contentType: metrics.contentType, render: over.render } : metrics,
    ready,
  });
  open.push(server);
  const url = (path: string): string => `http://127.0.0.1:${server.port}${path}`;
  return { app, metrics, server, url };
}

describe('startHttpServer', () => {
  it('answers /healthz with 200 ok (taking the app logger and metrics as they are)', async () => {
    expectTypeOf<Logger>().toExtend<HttpLogger>();
    expectTypeOf<Metrics>().toExtend<MetricsText>();
    const { url } = await start();
    const res = await fetch(url('/healthz'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
    const head = await fetch(url('/healthz'), { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('answers /readyz with the checks, 200 when all pass and 503 as soon as one does not', async () => {
    const { app, url } = await start();
    let res = await fetch(url('/readyz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, checks: { store: true, discord: true } });

    app.discord = 'the Discord gateway is not connected';
    res = await fetch(url('/readyz'));
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ ok: false, checks: { store: true, discord: 'the Discord gateway is not connected' } });

    app.discord = true;
    expect((await fetch(url('/readyz'))).status).toBe(200);
  });

  it('answers 503 when the readiness check itself throws', async () => {
    const { url } = await start({
      ready: () => {
        throw new Error('store is closed');
      },
    });
    const res = await fetch(url('/readyz'));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ok: false, checks: { ready: 'the readiness check failed: store is closed' } });
  });

  it('serves Prometheus text on /metrics with the current figures', async () => {
    const { app, metrics, url } = await start();
    metrics.recordDelivery({ platform: 'telegram', kind: 'donation', outcome: 'sent', alerts: 1 });
    let res = await fetch(url('/metrics?x=1'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(metrics.contentType);
    let text = await res.text();
    expect(sample(text, 'soop_alerts_alerts_sent_total', { platform: 'telegram', kind: 'donation' })).toBe(1);
    expect(sample(text, 'soop_alerts_packets_total')).toBe(42);
    expect(sample(text, 'soop_alerts_outbox_backlog')).toBe(2);

    app.engines = [joined('streamer1', 50), { ...joined('streamer2', 0), state: 'offline' }];
    app.backlog = 0;
    res = await fetch(url('/metrics'));
    text = await res.text();
    expect(sample(text, 'soop_alerts_packets_total')).toBe(50);
    expect(sample(text, 'soop_alerts_engines', { state: 'offline' })).toBe(1);
    expect(sample(text, 'soop_alerts_outbox_backlog')).toBe(0);
  });

  it('answers 500 when the metrics cannot be rendered', async () => {
    const { url } = await start({ render: () => Promise.reject(new Error('boom')) });
    const res = await fetch(url('/metrics'));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('metrics could not be rendered\n');
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const { url } = await start();
    expect((await fetch(url('/'))).status).toBe(404);
    expect((await fetch(url('/metrics/extra'))).status).toBe(404);
    const post = await fetch(url('/metrics'), { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('says which port is taken and how to fix it when it cannot listen', async () => {
    const { server } = await start();
    const attempt = startHttpServer({
      port: server.port,
      host: '127.0.0.1',
      locale: 'en',
      metrics: { contentType: 'text/plain', render: () => Promise.resolve('') },
      ready: () => ({ ok: true, checks: {} }),
    });
    await expect(attempt).rejects.toBeInstanceOf(HttpServerError);
    await expect(attempt).rejects.toThrow(
      `The HTTP endpoint cannot listen on 127.0.0.1:${server.port}: the port is already in use. Set HTTP_PORT to a free port, or to 0 to turn the endpoint off.`,
    );
  });

  it('closes promptly even with a keep-alive connection open, and stops answering', async () => {
    const { server, url } = await start();
    expect((await fetch(url('/healthz'))).status).toBe(200); // leaves an idle keep-alive socket in fetch's pool
    await server.close();
    open.splice(open.indexOf(server), 1);
    await expect(fetch(url('/healthz'))).rejects.toThrow();
  });
});
