/**
 * The built artifact, as the Dockerfile runs it: `node dist/main.js` in console mode against the
 * SOOP simulator. A balloon is printed and counted in /metrics; SIGTERM exits 0 within 5 s; an
 * alert left pending in the outbox is delivered (marked delayed) by the next start.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DESTINATION } from '../../src/bootstrap.js';
import { subscriptionRequest } from '../../src/commands/subscription-request.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { starBalloonPacket } from '../../src/simulator/packets.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'soop-artifact-'));
let sim: SoopSimulator;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startBot(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string; waitFor: (text: string, ms?: number) => Promise<void> } {
  const child = spawn(process.execPath, ['dist/main.js', 'artifactbj'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', SOOP_LIVE_INFO_URL: sim.liveInfoUrl, SOOP_CHAT_TRANSPORT: 'ws', LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const waitFor = async (text: string, ms = 10_000): Promise<void> => {
    const until = Date.now() + ms;
    while (!out.includes(text)) {
      if (Date.now() > until) throw new Error(`"${text}" did not appear in:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, output: () => out, waitFor };
}

async function stop(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  return { code: await exited, ms: Date.now() - started };
}

beforeAll(async () => {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  sim = await startSoopSimulator();
}, 120_000);
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('node dist/main.js (console mode)', () => {
  it('prints a balloon alert, counts it in /metrics, and exits 0 on SIGTERM within 5 s', async () => {
    const room = sim.room('artifactbj');
    room.goLive({ title: '빌드 테스트' });
    const port = await freePort();
    const bot = startBot({ HTTP_PORT: String(port), DATABASE_PATH: join(dir, 'a.db') });
    await room.waitForJoined(1, 10_000);
    room.send(starBalloonPacket({ streamerId: 'artifactbj', userId: 'fan77', nickname: '빌드팬', count: 77 }));
    await bot.waitFor('[별풍선] artifactbj ← 빌드팬 (fan77) ×77');
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/soop_alerts_alerts_sent_total\{platform="console",kind="star"\} 1/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const { code, ms } = await stop(bot.child);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
  }, 30_000);

  it('delivers an alert left pending in the outbox on the next start, marked delayed', async () => {
    const db = join(dir, 'b.db');
    const store = openSqliteStore(db);
    store.add(subscriptionRequest(CONSOLE_DESTINATION, 'artifactbj', 'console', { events: ['star'] }));
    const sub = store.find(CONSOLE_DESTINATION, 'artifactbj');
    const alert = { kind: 'star', streamerId: 'artifactbj', locale: 'ko', loud: false, event: { kind: 'donation', code: '0018', type: 'star', userId: 'early', nickname: '남은후원', count: 5, fanOrder: 0, newTopFan: false, uuid: 'left-over' } };
    store.enqueueOutbox([{ idempotencyKey: 'artifactbj:uuid:left-over:console:stdout', subscriptionId: sub?.id ?? 0, destination: CONSOLE_DESTINATION, priority: 0, payload: JSON.stringify(alert), createdAt: Date.now() - 10 * 60_000 }]);
    store.close();

    const bot = startBot({ HTTP_PORT: '0', DATABASE_PATH: db });
    await bot.waitFor('남은후원 (early) ×5');
    expect(bot.output()).toMatch(/지연.*남은후원|delayed.*남은후원/);
    expect((await stop(bot.child)).code).toBe(0);
    const after = openSqliteStore(db);
    expect(after.outboxBacklog()).toBe(0);
    after.close();
  }, 30_000);
});
