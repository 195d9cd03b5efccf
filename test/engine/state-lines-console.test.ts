/**
 * The bot in console mode, logging as on a terminal at info: against a closed port and against the
 * simulator, the log is a few one-line state messages (one per state change, not per retry).
 */
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildBot, syncConsoleSubscriptions } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { EngineStatus } from '../../src/engine/streamer-engine.js';
import { createLogger } from '../../src/log.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { createMemoryStore } from '../../src/store/memory.js';

/** Pretty output as a terminal shows it: records split on newlines, colours stripped. */
function terminal() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  // eslint-disable-next-line no-control-regex
  const lines = (): string[] => text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.length > 0);
  return { stream, lines };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function consoleBot(liveInfoUrl: string, streamer: string, out: NodeJS.WritableStream, locale = 'ko') {
  const config = loadConfig({ SOOP_LIVE_INFO_URL: liveInfoUrl, SOOP_CHAT_TRANSPORT: 'ws', LIVE_INFO_RPS: '50', HTTP_PORT: '0', LOCALE: locale }, [streamer]);
  const store = createMemoryStore();
  syncConsoleSubscriptions(store, [streamer], []);
  const statuses: EngineStatus[] = [];
  const alerts: string[] = [];
  const logger = createLogger({ level: 'info', pretty: true, prettyStream: out });
  const bot = buildBot({ config, store, logger, consoleWrite: (line) => alerts.push(line), onEngineStatus: (s) => statuses.push(s) });
  return {
    ...bot,
    statuses,
    alerts,
    async close() {
      await bot.app.stop(1000);
      bot.budget.close();
      store.close();
    },
  };
}

let sim: SoopSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('state lines in console mode', () => {
  it('SOOP unreachable (closed port): one plain line, whatever the number of retries, and no multi-line blocks', async () => {
    const out = terminal();
    const port = await closedPort();
    const bot = consoleBot(`http://127.0.0.1:${port}/afreeca/player_live_api.php`, 'closedbj', out.stream);
    await bot.app.start();
    await vi.waitFor(() => expect(bot.statuses.filter((s) => s.state === 'reconnecting').length).toBeGreaterThanOrEqual(3), { timeout: 8000, interval: 20 });
    await bot.close();
    const lines = out.lines();
    expect(lines.filter((l) => l.includes('SOOP에 연결할 수 없음'))).toHaveLength(1);
    expect(lines.find((l) => l.includes('SOOP에 연결할 수 없음'))).toMatch(/INFO: closedbj: SOOP에 연결할 수 없음 — [\d.]+초 후 다시 시도$/);
    expect(lines.some((l) => /session ended/i.test(l))).toBe(false);
    // Every record is one line: a time, a level, a sentence.
    for (const line of lines) expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] (INFO|WARN|ERROR): /);
    expect(lines).toEqual([expect.stringContaining('closedbj: SOOP에 연결할 수 없음'), expect.stringContaining('closedbj: 감시를 멈춤')]);
  });

  it("speaks the operator's LOCALE", async () => {
    const out = terminal();
    const port = await closedPort();
    const bot = consoleBot(`http://127.0.0.1:${port}/afreeca/player_live_api.php`, 'closedbj', out.stream, 'en');
    await bot.app.start();
    await vi.waitFor(() => expect(out.lines().some((l) => l.includes('cannot reach SOOP'))).toBe(true), { timeout: 8000, interval: 20 });
    await bot.close();
    expect(out.lines()).toEqual([
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\] INFO: closedbj: cannot reach SOOP — retrying in [\d.]+ s$/),
      expect.stringMatching(/INFO: closedbj: stopped watching$/),
    ]);
  });

  it('against the simulator: unreachable, connected, reconnected after a drop — one line each', async () => {
    sim = await startSoopSimulator();
    const room = sim.room('linebj01');
    room.setLiveInfoFault('http500');
    room.goLive({ title: '라인 테스트' });
    const out = terminal();
    const bot = consoleBot(sim.liveInfoUrl, 'linebj01', out.stream);
    await bot.app.start();
    await vi.waitFor(() => expect(bot.statuses.filter((s) => s.state === 'reconnecting').length).toBeGreaterThanOrEqual(2), { timeout: 8000, interval: 20 });
    room.setLiveInfoFault(null);
    await room.waitForJoined(1, 8000);
    await vi.waitFor(() => expect(out.lines().some((l) => l.includes('채팅에 연결됨'))).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a session that worked: reconnected at once
    room.dropConnections();
    await vi.waitFor(() => expect(out.lines().some((l) => l.includes('다시 연결됨'))).toBe(true), { timeout: 5000 });
    await bot.close();
    expect(bot.alerts.some((a) => a.includes('라인 테스트'))).toBe(true);
    const lines = out.lines().map((l) => l.replace(/^\[\d\d:\d\d:\d\d\] INFO: /, ''));
    expect(lines).toEqual([
      expect.stringMatching(/^linebj01: SOOP에 연결할 수 없음 — [\d.]+초 후 다시 시도$/),
      'linebj01: 채팅에 연결됨 — 방송 중: 라인 테스트',
      expect.stringMatching(/^linebj01: 채팅에 다시 연결됨 \([\d.]+초 끊김\)$/),
      'linebj01: 감시를 멈춤',
    ]);
  });
});
