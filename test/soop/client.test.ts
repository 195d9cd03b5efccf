import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Buffer } from 'node:buffer';
import type { ChatSource, ChatSourceState } from '../../src/engine/chat-source.js';
import type { LiveInfoFetcher } from '../../src/core/live-info.js';
import { createSoopChatClient, type SoopChatClientOptions } from '../../src/soop/client.js';
import { createLiveInfoFetcher } from '../../src/soop/live-info.js';
import { DEFAULT_RECOVERY } from '../../src/soop/reconnect-policy.js';
import { broadcastEndPacket, chatPacket, membershipJoinPacket } from '../../src/simulator/packets.js';
import { startSoopSimulator, type SoopSimulator } from '../../src/simulator/server.js';

const STREAMER = 'testbj01';

interface Seen {
  readonly code: number;
  readonly returnCode: number;
  readonly text: string;
}

let sim: SoopSimulator;

beforeEach(async () => {
  sim = await startSoopSimulator();
});

afterEach(async () => {
  await sim.close();
});

function timeoutCount(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

function start(overrides: Partial<SoopChatClientOptions> = {}) {
  const controller = new AbortController();
  const states: ChatSourceState[] = [];
  const packets: Seen[] = [];
  const options: SoopChatClientOptions = {
    fetchLiveInfo: createLiveInfoFetcher({ url: sim.liveInfoUrl, timeoutMs: 1000 }),
    transport: 'ws',
    keepaliveMs: 5000,
    silenceMs: 5000,
    joinTimeoutMs: 500,
    offlineCheckMs: 80,
    restrictedCheckMs: 400,
    backoff: { baseMs: 10, maxMs: 100 },
    random: () => 0.5, // no jitter: 100 ms waits are exactly 100 ms
    recovery: {
      loginRefused: { ...DEFAULT_RECOVERY.loginRefused, minDelayMs: 60 },
      joinRefused: { ...DEFAULT_RECOVERY.joinRefused, minDelayMs: 60 },
    },
    ...overrides,
  };
  const client = createSoopChatClient(STREAMER, options);
  const source: ChatSource = client; // implements the engine's port exactly
  let settled = false;
  const running = source
    .run(
      {
        onPacket: (packet) => packets.push({ code: packet.code, returnCode: packet.returnCode, text: Buffer.from(packet.body).toString('utf8') }),
        onState: (state) => states.push(state),
      },
      controller.signal,
    )
    .then(() => {
      settled = true;
    });
  const names = (): string[] => states.map((s) => s.state);
  const count = (name: ChatSourceState['state']): number => states.filter((s) => s.state === name).length;
  return {
    client,
    states,
    packets,
    names,
    count,
    isSettled: () => settled,
    waitFor: (name: ChatSourceState['state'], times = 1, timeout = 3000) =>
      vi.waitFor(
        () => {
          if (count(name) < times) throw new Error(`waiting for ${times}× "${name}"; states so far: ${names().join(' → ')}`);
        },
        { timeout, interval: 5 },
      ),
    stop: async () => {
      controller.abort(new Error('test over'));
      await running;
    },
  };
}

const chatTexts = (packets: readonly Seen[]): string[] => packets.filter((p) => p.code === 5).map((p) => p.text.split('\f')[1] ?? '');

describe('SOOP chat client against the simulator', () => {
  it('checks live info, logs in, joins, and delivers every packet in order (separate, together, split)', async () => {
    const room = sim.room(STREAMER);
    room.goLive({ title: '테스트 방송' });
    const c = start();
    await c.waitFor('joined');
    expect(c.names()).toEqual(['checking', 'connecting', 'joined']);
    expect(c.states[1]).toEqual({ state: 'connecting', broadcastNo: room.broadcastNo, attempt: 1 });
    expect(c.states[2]).toEqual({ state: 'joined', broadcastNo: room.broadcastNo, chatNo: room.chatNo, title: '테스트 방송', streamerNickname: STREAMER });
    // The handshake replies are delivered too, first.
    expect(c.packets[0]).toMatchObject({ code: 1, returnCode: 0 });
    expect(c.packets[1]).toMatchObject({ code: 2, returnCode: 0 });
    expect(c.packets[1]?.text.split('\f')[1]).toBe(room.chatNo);

    const chat = (n: number) => chatPacket({ message: `채팅 ${n} 😀`, userId: `viewer${n}`, nickname: `시청자${n}` });
    room.send([chat(1), chat(2)], 'separate');
    room.send([chat(3), membershipJoinPacket([{ userId: 'v', nickname: 'n', flags: '16|0' }]), chat(4)], 'together');
    room.send([chat(5), chat(6), chat(7)], 'split');
    await vi.waitFor(() => expect(chatTexts(c.packets)).toHaveLength(7), { timeout: 2000, interval: 5 });
    expect(chatTexts(c.packets)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `채팅 ${n} 😀`));
    expect(c.client.framing.errors).toBe(0);
    await c.stop();
    expect(c.names().at(-1)).toBe('stopped');
  });

  it('sends keepalives while joined', async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    const c = start({ keepaliveMs: 20 });
    await c.waitFor('joined');
    await vi.waitFor(() => expect(room.received.keepalives).toBeGreaterThanOrEqual(3), { timeout: 2000, interval: 5 });
    await c.stop();
  });

  it('re-checks an offline streamer on the offline cadence, never in a tight loop', async () => {
    const room = sim.room(STREAMER); // offline
    const c = start({ offlineCheckMs: 100 });
    await c.waitFor('offline', 3);
    await c.stop();
    // 3 checks take ≥ 200 ms; a tight loop would have made hundreds of requests.
    expect(room.liveInfoRequests).toBeGreaterThanOrEqual(3);
    expect(room.liveInfoRequests).toBeLessThanOrEqual(5);
    expect(c.count('connecting')).toBe(0);
    expect(sim.stats.connections).toBe(0);
  });

  it.each(['adult', 'adultPassword', 'subscribersOnly', 'password'] as const)('reports a %s room as restricted and re-checks slowly', async (state) => {
    const room = sim.room(STREAMER);
    room.setState(state);
    const c = start({ restrictedCheckMs: 400 });
    await c.waitFor('restricted');
    expect(c.states.at(-1)).toEqual({ state: 'restricted', reason: state });
    await new Promise((r) => setTimeout(r, 150));
    await c.stop();
    expect(room.liveInfoRequests).toBe(1);
    expect(room.received.logins).toBe(0);
  });

  it('reconnects after the server drops the socket, re-reading live info first', async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    const c = start();
    await c.waitFor('joined');
    const requestsBefore = room.liveInfoRequests;
    room.dropConnections();
    await c.waitFor('joined', 2);
    expect(c.names()).toEqual(['checking', 'connecting', 'joined', 'reconnecting', 'checking', 'connecting', 'joined']);
    const reconnecting = c.states[3];
    expect(reconnecting).toMatchObject({ state: 'reconnecting', reason: expect.stringMatching(/^socket(Closed|Error)/) });
    expect(room.liveInfoRequests).toBe(requestsBefore + 1);
    expect(room.received.logins).toBe(2);
    await c.stop();
  });

  it('treats a silent connection as stalled and reconnects', async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    const c = start({ silenceMs: 150, keepaliveMs: 40 });
    await c.waitFor('joined');
    room.setStalled(true);
    await c.waitFor('reconnecting');
    expect(c.states.find((s) => s.state === 'reconnecting')).toMatchObject({ reason: expect.stringMatching(/^stalled: nothing received for \d+ ms, not even a pong$/) });
    room.setStalled(false);
    await c.waitFor('joined', 2);
    await c.stop();
  });

  it('times out a join that gets no reply, then retries', async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    room.setStalled(true);
    const c = start({ joinTimeoutMs: 100 });
    await c.waitFor('reconnecting');
    expect(c.states.find((s) => s.state === 'reconnecting')).toMatchObject({ reason: 'joinTimeout: no 0001 login reply within 100 ms' });
    room.setStalled(false);
    await c.waitFor('joined');
    await c.stop();
  });

  it('on 0088 reports ended and does not reconnect until a new broadcast starts', async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    const c = start();
    await c.waitFor('joined');
    const first = { broadcastNo: room.broadcastNo, chatNo: room.chatNo };
    room.end();
    await c.waitFor('ended');
    expect(c.states.find((s) => s.state === 'ended')).toEqual({ state: 'ended', broadcastNo: first.broadcastNo });
    expect(c.packets.map((p) => p.code).slice(-2)).toEqual([7, 88]);
    await c.waitFor('offline', 2);
    expect(room.received.logins).toBe(1);
    expect(c.count('reconnecting')).toBe(0);

    room.goLive();
    await c.waitFor('joined', 2);
    const joined = c.states.filter((s) => s.state === 'joined').at(-1);
    expect(joined).toMatchObject({ broadcastNo: room.broadcastNo, chatNo: room.chatNo });
    expect(room.chatNo).not.toBe(first.chatNo);
    await c.stop();
  });

  it('follows a restart to the new CHATNO', async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    const c = start();
    await c.waitFor('joined');
    const firstChatNo = room.chatNo;
    room.restart();
    await c.waitFor('joined', 2);
    expect(c.names()).toEqual(['checking', 'connecting', 'joined', 'ended', 'checking', 'connecting', 'joined']);
    expect(c.states.at(-1)).toMatchObject({ chatNo: room.chatNo });
    expect(room.chatNo).not.toBe(firstChatNo);
    await c.stop();
  });

  it('does not rejoin a broadcast that sent 0088 while live info still reports it', async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    const c = start();
    await c.waitFor('joined');
    room.send(broadcastEndPacket()); // the room stays "live" with the same BNO
    await c.waitFor('ended', 3);
    expect(room.received.logins).toBe(1);
    expect(c.count('connecting')).toBe(1);
    room.restart();
    await c.waitFor('joined', 2);
    await c.stop();
  });

  it('retries a refused login later, with backoff', async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    room.failNextLogin(7, '시스템 에러가 발생 했습니다. (중복 세션)');
    const c = start();
    await c.waitFor('joined');
    expect(c.names()).toEqual(['checking', 'connecting', 'reconnecting', 'checking', 'connecting', 'joined']);
    expect(c.states[2]).toEqual({
      state: 'reconnecting',
      reason: 'loginRefused: return code 7: 시스템 에러가 발생 했습니다. (중복 세션)',
      delayMs: 60,
      cause: 'refused',
    });
    expect(c.states[4]).toMatchObject({ state: 'connecting', attempt: 2 });
    expect(c.packets[0]).toMatchObject({ code: 1, returnCode: 7 });
    await c.stop();
  });

  it('retries a refused join after re-reading live info', async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    const real = createLiveInfoFetcher({ url: sim.liveInfoUrl, timeoutMs: 1000 });
    let calls = 0;
    const staleOnce: LiveInfoFetcher = async (id, signal, options) => {
      const info = await real(id, signal, options);
      calls++;
      return calls === 1 && info.status === 'live' ? { ...info, chatNo: '1' } : info;
    };
    const c = start({ fetchLiveInfo: staleOnce });
    await c.waitFor('joined');
    expect(c.states[2]).toMatchObject({ state: 'reconnecting', reason: expect.stringMatching(/^joinRefused: return code 12/) });
    await c.stop();
  });

  it('keeps retrying while live info fails, then joins', async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    room.setLiveInfoFault('http500');
    const c = start();
    await c.waitFor('reconnecting', 3);
    const delays = c.states.flatMap((s) => (s.state === 'reconnecting' ? [s.delayMs] : []));
    expect(delays.slice(0, 3)).toEqual([8, 15, 30]); // 10 ms base doubling, random 0.5
    expect(c.states[1]).toMatchObject({ reason: expect.stringContaining('HTTP 500') });
    room.setLiveInfoFault(null);
    await c.waitFor('joined');
    await c.stop();
  });

  it('keeps retrying when the chat server cannot be reached', async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    const real = createLiveInfoFetcher({ url: sim.liveInfoUrl, timeoutMs: 1000 });
    const unreachable: LiveInfoFetcher = async (id, signal, options) => {
      const info = await real(id, signal, options);
      return info.status === 'live' ? { ...info, chatHost: 'bad host' } : info;
    };
    const c = start({ fetchLiveInfo: unreachable });
    await c.waitFor('reconnecting', 2);
    expect(c.states.find((s) => s.state === 'reconnecting')).toMatchObject({ reason: expect.stringMatching(/^connectFailed: ws:\/\/bad host:/) });
    expect(c.states.filter((s) => s.state === 'connecting').map((s) => (s.state === 'connecting' ? s.attempt : 0)).slice(0, 2)).toEqual([1, 2]);
    await c.stop();
    expect(c.names().at(-1)).toBe('stopped');
  });

  it('refuses a second concurrent run of the same client', async () => {
    const c = start();
    await c.waitFor('offline');
    await expect(c.client.run({ onPacket: () => undefined, onState: () => undefined }, new AbortController().signal)).rejects.toThrow(/already running/);
    await c.stop();
  });

  it("'auto' falls back from wss (CHPT+1) to ws (CHPT)", async () => {
    const room = sim.room(STREAMER);
    room.goLive();
    const c = start({ transport: 'auto', connectTimeoutMs: 300 });
    await c.waitFor('joined');
    expect(c.count('reconnecting')).toBe(0);
    await c.stop();
  });

  it('stops promptly on abort, in every phase, leaving nothing running', async () => {
    const room = sim.room(STREAMER);
    const timersBefore = timeoutCount();

    // joined
    room.goLive();
    const joined = start({ keepaliveMs: 20, silenceMs: 1000 });
    await joined.waitFor('joined');
    await joined.stop();
    expect(joined.names().at(-1)).toBe('stopped');
    await vi.waitFor(() => expect(room.connections).toBe(0), { timeout: 1000, interval: 5 });

    // waiting on a long offline cadence
    room.end();
    const offline = start({ offlineCheckMs: 60_000 });
    await offline.waitFor('offline');
    await offline.stop();
    expect(offline.names()).toEqual(['checking', 'offline', 'stopped']);

    // a live-info request that never answers
    room.setLiveInfoFault('hang');
    const hanging = start();
    await vi.waitFor(() => expect(room.liveInfoRequests).toBeGreaterThan(0), { timeout: 1000, interval: 5 });
    await hanging.stop();
    expect(hanging.names()).toEqual(['checking', 'stopped']);

    const requests = sim.stats.liveInfoRequests;
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.stats.liveInfoRequests).toBe(requests);
    expect(timeoutCount()).toBeLessThanOrEqual(timersBefore);
    expect([joined, offline, hanging].every((c) => c.isSettled())).toBe(true);
  });
});
