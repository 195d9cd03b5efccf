/**
 * What the image and compose.yaml promise around the container, checked without a Docker engine:
 * the HEALTHCHECK script answers right for every HTTP_PORT (0 included) and HTTP_HOST; compose
 * publishes the endpoint on the host's loopback only; and a container with nothing configured
 * (compose's environment, no .env) says what is missing and waits instead of replaying the demo.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer } from '../../src/http/server.js';
import { say, startupText } from '../../src/i18n/index.js';
import { startBotNode, until } from '../e2e/bot-node.js';

const root = join(import.meta.dirname, '..', '..');

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `node dist/healthcheck.js` as the HEALTHCHECK runs it (from source here), in the image's environment plus `env`. */
function healthcheck(env: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/healthcheck.ts'],
      { cwd: root, env: { PATH: process.env.PATH ?? '', SOOP_ALERTS_CONTAINER: '1', HTTP_HOST: '0.0.0.0', ...env }, encoding: 'utf8', timeout: 20_000 },
      (_err, _stdout, stderr) => resolve({ status: child.exitCode, stderr }),
    );
  });
}

describe('the HEALTHCHECK script', () => {
  let onEvery: HttpServer;
  let onLoopback: HttpServer;
  const ready = () => ({ ok: true, checks: {} });
  const metrics = { contentType: 'text/plain', render: async () => '' };
  beforeAll(async () => {
    onEvery = await startHttpServer({ port: 0, host: '0.0.0.0', ready, metrics });
    onLoopback = await startHttpServer({ port: 0, host: '127.0.0.1', ready, metrics });
  });
  afterAll(async () => {
    await Promise.all([onEvery.close(), onLoopback.close()]);
  });

  it('is healthy when /healthz answers on HTTP_PORT, whichever HTTP_HOST the bot listens on', async () => {
    expect((await healthcheck({ HTTP_PORT: String(onEvery.port) })).status).toBe(0);
    expect((await healthcheck({ HTTP_PORT: String(onLoopback.port), HTTP_HOST: '127.0.0.1' })).status).toBe(0);
  });

  it('is healthy with HTTP_PORT=0: the endpoint is off by choice, there is nothing to ask', async () => {
    expect(await healthcheck({ HTTP_PORT: '0' })).toEqual({ status: 0, stderr: '' });
  });

  it('is unhealthy, saying why in one line, when nothing answers', async () => {
    const result = await healthcheck({ HTTP_PORT: String(await closedPort()) });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^\/healthz: .+\n$/);
  });
});

describe('compose.yaml', () => {
  const compose = readFileSync(join(root, 'compose.yaml'), 'utf8');
  const live = compose
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .join('\n');

  it("publishes the endpoint on the host's loopback only, listening on every interface inside", () => {
    const ports = [...live.matchAll(/^\s+- "([^"]+)"$/gm)].map((m) => m[1]);
    expect(ports).toEqual(['127.0.0.1:8080:8080']);
    expect(live).toMatch(/^\s+HTTP_HOST: 0\.0\.0\.0$/m);
    expect(live).toMatch(/^\s+HTTP_PORT: "8080"$/m);
    expect(live).toMatch(/^\s+SOOP_ALERTS_CONTAINER: "1"$/m);
    expect(live).toMatch(/^\s+restart: unless-stopped$/m);
  });
});

describe('a container with nothing configured', () => {
  it('says what is missing once, runs no demo, keeps waiting (no restart loop), and stops on SIGTERM', async () => {
    // compose's fixed environment with no .env: no token, no WATCH.
    const node = startBotNode('container', { SOOP_ALERTS_CONTAINER: '1', HTTP_PORT: '0', HTTP_HOST: '0.0.0.0', DATABASE_PATH: '/nonexistent/never-opened.db', LOCALE: 'en' });
    const message = say('en', startupText.nothingConfigured);
    await until(() => node.logs.includes(message), 'the nothing-configured line', 20_000);
    await new Promise((r) => setTimeout(r, 2500));
    expect(node.child.exitCode).toBeNull();
    expect(node.logs.split(message)).toHaveLength(2);
    expect(node.logs).not.toMatch(/demo|simbj01|방송/);
    const signalledAt = Date.now();
    node.child.kill('SIGTERM');
    expect(await node.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expect(node.logs).not.toMatch(/^\s+at /m);
  }, 40_000);
});
