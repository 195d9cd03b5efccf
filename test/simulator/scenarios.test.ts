import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { parseReplay, startReplay } from '../../src/simulator/replay.js';
import { runScenario } from '../../src/simulator/scenarios.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { runSimulate } from '../../src/cli/simulate.js';
import { RawClient, websocketUrl } from './raw-client.js';
import { REAL_FRAMES_FILE } from '../soop/real-frames.js';

const FRAMES = REAL_FRAMES_FILE;

let sim: SoopSimulator;
beforeAll(async () => {
  sim = await startSoopSimulator();
});
afterAll(async () => {
  await sim.close();
});

describe('scenarios', () => {
  it('demo: gifts of every kind, an end, a restart with a new CHATNO, more traffic, a final end', async () => {
    const room = sim.room('demobj');
    const steps: string[] = [];
    const done = runScenario(room, 'demo', { speed: 40, onStep: (s) => steps.push(s) });
    await expect.poll(() => room.state).toBe('live');
    const firstChatNo = room.chatNo;
    const first = await RawClient.joined(websocketUrl(sim.port, 'demobj'), firstChatNo);
    await first.waitFor((c) => c.closed, 5000);
    const codes = first.codes();
    for (const code of [5, 18, 87, 105, 91, 93, 108, 121, 7, 12, 58, 104]) expect(codes, `code ${code}`).toContain(code);
    expect(codes.slice(-2)).toEqual([7, 88]);
    const chats = first.packets.filter((p) => p.code === 5).map((p) => p.fields[1]);
    expect(chats.some((t) => t?.includes('안녕'))).toBe(true);
    expect(chats.some((t) => t?.includes('대박'))).toBe(true);
    expect(chats).toContain('1');

    await expect.poll(() => room.state === 'live' && room.chatNo !== firstChatNo).toBe(true);
    const second = await RawClient.joined(websocketUrl(sim.port, 'demobj'), room.chatNo);
    await second.waitFor((c) => c.closed, 5000);
    expect(second.codes()).toContain(18);
    expect(second.codes().slice(-1)).toEqual([88]);
    await done;
    expect(room.state).toBe('offline');
    expect(steps.at(-1)).toMatch(/demo over/);
    first.close();
    second.close();
  });

  it('live: chats and balloons until aborted', async () => {
    const room = sim.room('livebj');
    const controller = new AbortController();
    const done = runScenario(room, 'live', { signal: controller.signal, speed: 20 });
    await expect.poll(() => room.state).toBe('live');
    const client = await RawClient.joined(websocketUrl(sim.port, 'livebj'), room.chatNo);
    await client.waitFor((c) => c.codes().includes(18) || c.codes().includes(87), 5000);
    expect(client.codes().filter((c) => c === 5).length).toBeGreaterThan(5);
    controller.abort();
    await done;
    client.close();
  });

  it.each([
    ['offline', 'offline'],
    ['adult', 'adult'],
    ['subscribers', 'subscribersOnly'],
    ['missing', 'missing'],
  ] as const)('%s sets the room state and waits', async (name, state) => {
    const room = sim.room(`still-${name}`);
    const controller = new AbortController();
    const done = runScenario(room, name, { signal: controller.signal });
    expect(room.state).toBe(state);
    controller.abort();
    await done;
  });
});

describe('replay', () => {
  it('parses the captured frames, skipping client and handshake messages', () => {
    const messages = parseReplay(readFileSync(FRAMES, 'utf8'));
    // 186 lines − 3 client lines − 3 captured 0001/0002 server replies
    expect(messages).toHaveLength(180);
    expect(messages.every((m) => m.delayMs >= 0 && m.delayMs <= 1000)).toBe(true);
    expect(() => parseReplay('{"hex":"zz"}')).toThrow(/line 1 has no valid "hex"/);
    expect(() => parseReplay('\nnot json')).toThrow(/line 2 is not JSON/);
  });

  it('plays every message, in order, to each client that joins, from the start', async () => {
    const room = sim.room('replaybj');
    room.goLive();
    room.joinBurst = 0;
    const messages = parseReplay(readFileSync(FRAMES, 'utf8'), { speed: 1000 });
    const stop = startReplay(room, messages);
    const a = await RawClient.joined(websocketUrl(sim.port, 'replaybj'), room.chatNo);
    await a.waitFor((c) => c.messages.length === 2 + messages.length, 5000);
    const b = await RawClient.joined(websocketUrl(sim.port, 'replaybj'), room.chatNo);
    await b.waitFor((c) => c.messages.length === 2 + messages.length, 5000);
    for (const client of [a, b]) {
      expect(client.messages.slice(2)).toEqual(messages.map((m) => m.bytes));
      expect(client.framer.counters.errors).toBe(0);
    }
    expect(a.codes().filter((c) => c === 5)).toHaveLength(149);
    stop();
    a.close();
    b.close();
  });
});

describe('simulate command', () => {
  it('prints the live-info URL and streamer, serves the scenario, and stops on abort', async () => {
    const controller = new AbortController();
    let out = '';
    const exit = runSimulate(['--streamer', 'clibj', '--scenario', 'live', '--speed', '10'], {
      signal: controller.signal,
      write: (t) => (out += t),
    });
    await expect.poll(() => out).toMatch(/SOOP_LIVE_INFO_URL=(\S+)/);
    const url = /SOOP_LIVE_INFO_URL=(\S+)/.exec(out)?.[1] ?? '';
    expect(out).toContain('streamer: clibj');
    const res = await fetch(`${url}?bjid=clibj`, { method: 'POST', body: 'bid=clibj&type=live' });
    const info = (await res.json()) as { CHANNEL: { RESULT: number; CHPT: string } };
    expect(info.CHANNEL.RESULT).toBe(1);
    expect(url).toContain(`:${info.CHANNEL.CHPT}/`);
    controller.abort();
    expect(await exit).toBe(0);
    await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
  });

  it('replays a file to joining clients', async () => {
    const controller = new AbortController();
    let out = '';
    const exit = runSimulate(['--replay', FRAMES, '--streamer', 'replaycli', '--speed', '1000'], {
      signal: controller.signal,
      write: (t) => (out += t),
    });
    await expect.poll(() => out).toMatch(/replaying 180 messages/);
    const url = /SOOP_LIVE_INFO_URL=(\S+)/.exec(out)?.[1] ?? '';
    const info = (await (await fetch(url, { method: 'POST', body: 'bid=replaycli' })).json()) as {
      CHANNEL: { CHATNO: string; CHPT: string };
    };
    const client = await RawClient.joined(websocketUrl(Number(info.CHANNEL.CHPT), 'replaycli'), info.CHANNEL.CHATNO);
    await client.waitFor((c) => c.codes().filter((code) => code === 5).length === 149, 5000);
    client.close();
    controller.abort();
    expect(await exit).toBe(0);
  });

  it('refuses bad arguments with exit code 2', async () => {
    const signal = AbortSignal.abort();
    let errors = '';
    const io = { signal, write: (): void => {}, writeError: (t: string): void => void (errors += t) };
    expect(await runSimulate(['--scenario', 'nope'], io)).toBe(2);
    expect(await runSimulate(['--port', 'x'], io)).toBe(2);
    expect(await runSimulate(['--bogus'], io)).toBe(2);
    expect(errors).toContain('unknown scenario "nope"');
    expect(errors).toContain('--port must be a number');
  });
});
