import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSoopSimulator } from '../../src/simulator/server.js';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { chatPacket, membershipJoinPacket, starBalloonPacket, userMetaPacket } from '../../src/simulator/packets.js';
import { createStack } from './harness.js';

let sim: SoopSimulator;
let stacks: ReturnType<typeof createStack>[] = [];
let n = 0;
const fresh = (): string => `enginebj${++n}`;
const stack = (opts: Omit<Parameters<typeof createStack>[0], 'simulator'> = {}) => {
  const s = createStack({ simulator: sim, ...opts });
  stacks.push(s);
  return s;
};

beforeAll(async () => {
  sim = await startSoopSimulator();
});
afterEach(async () => {
  await Promise.all(stacks.map((s) => s.close()));
  stacks = [];
});
afterAll(async () => {
  await sim.close();
});

describe('engine against the fake SOOP server', () => {
  it('shares one socket between two subscriptions and stops it with the last one', async () => {
    const id = fresh();
    const room = sim.room(id);
    room.goLive({ title: '공유 테스트' });
    const s = stack();
    s.registry.acquire(id);
    s.registry.acquire(id);
    await room.waitForJoined(1);
    room.send(chatPacket({ message: '안녕하세요', userId: 'viewer01', nickname: '테스터' }));
    await vi.waitFor(() => expect(s.events.some((e) => e.event.kind === 'chat')).toBe(true));
    expect(room.connections).toBe(1);
    expect(s.events.map((e) => e.event.kind).slice(0, 3)).toEqual(['login', 'join', 'live']);
    expect(s.events[2]?.event).toMatchObject({ kind: 'live', title: '공유 테스트' });
    s.registry.release(id);
    expect(s.registry.refs(id)).toBe(1);
    expect(room.connections).toBe(1);
    s.registry.release(id);
    await vi.waitFor(() => expect(room.connections).toBe(0));
    expect(s.registry.size).toBe(0);
  });

  it('follows a restart with a new CHATNO: offline once, live once per broadcast', async () => {
    const id = fresh();
    const room = sim.room(id);
    room.goLive();
    const firstChatNo = room.chatNo;
    const s = stack();
    s.registry.acquire(id);
    await room.waitForJoined(1);
    room.restart();
    expect(room.chatNo).not.toBe(firstChatNo);
    await room.waitForJoined(1, 5000);
    room.send(starBalloonPacket({ streamerId: id, userId: 'fan1', nickname: '팬', count: 100 }));
    await vi.waitFor(() => expect(s.events.some((e) => e.event.kind === 'donation')).toBe(true));
    const kinds = s.events.map((e) => e.event.kind).filter((k) => ['live', 'offline', 'donation', 'broadcastEnd'].includes(k));
    expect(kinds).toEqual(['live', 'broadcastEnd', 'offline', 'live', 'donation']);
    const donation = s.events.find((e) => e.event.kind === 'donation');
    expect(donation?.broadcastNo).toBe(room.broadcastNo);
    expect(s.registry.status(id)).toMatchObject({ state: 'joined', broadcastNo: room.broadcastNo });
  });

  it('a silent socket is noticed by the watchdog and the engine reconnects', async () => {
    const id = fresh();
    const room = sim.room(id);
    room.goLive();
    const s = stack({ client: { silenceMs: 300, keepaliveMs: 100 } });
    s.registry.acquire(id);
    await room.waitForJoined(1);
    room.setStalled(true);
    await vi.waitFor(() => expect(s.registry.status(id)?.state).toBe('reconnecting'), { timeout: 3000 });
    room.setStalled(false);
    await vi.waitFor(() => expect(s.registry.status(id)).toMatchObject({ state: 'joined', reconnects: 1 }), { timeout: 5000 });
    expect(s.events.filter((e) => e.event.kind === 'live')).toHaveLength(1);
  });

  it('sheds membership and chat under overload but delivers every donation', async () => {
    const id = fresh();
    const room = sim.room(id);
    room.goLive();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let donations = 0;
    const s = stack({
      queueCapacity: 50,
      onEvent: async (e) => {
        if (e.event.kind === 'donation') donations++;
        await gate;
      },
    });
    s.registry.acquire(id);
    await room.waitForJoined(1);
    const burst = [];
    for (let i = 0; i < 300; i++) {
      burst.push(membershipJoinPacket([{ userId: `u${i}`, nickname: `n${i}` }]), userMetaPacket([{ userId: `u${i}` }]));
      burst.push(chatPacket({ message: `채팅 ${i}`, userId: `u${i}`, nickname: `n${i}` }));
      if (i % 10 === 0) burst.push(starBalloonPacket({ streamerId: id, userId: `u${i}`, nickname: `n${i}`, count: 10 }));
    }
    room.send(burst, 'together');
    await vi.waitFor(() => expect(s.registry.status(id)?.shed.noise).toBeGreaterThan(0));
    release();
    await vi.waitFor(() => expect(donations).toBe(30));
    const status = s.registry.status(id);
    expect(status?.shed.chat).toBeGreaterThan(0);
    expect(status?.shed.critical).toBe(0);
  });

  it('reports adult and subscriber-only rooms as restricted, with slow re-checks', async () => {
    const adult = fresh();
    const subs = fresh();
    sim.room(adult).setState('adult');
    sim.room(subs).setState('subscribersOnly');
    const s = stack();
    s.registry.acquire(adult);
    s.registry.acquire(subs);
    await vi.waitFor(() => {
      expect(s.registry.status(adult)).toMatchObject({ state: 'restricted', restrictedReason: 'adult' });
      expect(s.registry.status(subs)).toMatchObject({ state: 'restricted', restrictedReason: 'subscribersOnly' });
    });
    await new Promise((r) => setTimeout(r, 700));
    // restrictedCheckMs is 300 ms here (±20 %): a few checks, never a tight loop.
    expect(sim.room(adult).liveInfoRequests).toBeLessThanOrEqual(5);
  });

  it('keeps 500 offline streamers within the live-info request budget', async () => {
    const rate = 50;
    const s = stack({ ratePerSecond: rate, maxEngines: 600, client: { offlineCheckMs: 50 } });
    const before = sim.stats.liveInfoRequests;
    const ids = Array.from({ length: 500 }, () => fresh());
    const started = performance.now();
    for (const id of ids) s.registry.acquire(id);
    await new Promise((r) => setTimeout(r, 1500));
    const elapsedS = (performance.now() - started) / 1000;
    const made = sim.stats.liveInfoRequests - before;
    // The burst of 10 plus the steady rate; nothing close to 500 streamers × a 50 ms cadence.
    expect(made).toBeLessThanOrEqual(10 + Math.ceil(rate * elapsedS) + 2);
    expect(made).toBeGreaterThan(rate * 0.5);
    expect(s.budget.waiting).toBeGreaterThan(400);
  });
});
