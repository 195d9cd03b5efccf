/**
 * A socket that keeps dropping after working sessions: each reconnect is immediate, the backoff
 * ladder only climbs over connects that fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { startSoopSimulator } from '../../src/simulator/server.js';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { chatPacket } from '../../src/simulator/packets.js';
import { sleep, watchRoom } from './connection-harness.js';

let sim: SoopSimulator;
beforeAll(async () => {
  sim = await startSoopSimulator();
});
afterAll(async () => {
  await sim.close();
});

describe('a socket dropped again and again', () => {
  it('reconnects at once after every session that received data: the gap never grows', async () => {
    const room = sim.room('dropbj01');
    room.goLive();
    // The default backoff (1 s base, 60 s cap): on a ladder that grows per drop the waits would be 0.5, 1, 2, 4 … s.
    const c = watchRoom(sim, 'dropbj01');
    await c.waitFor('joined');
    const gaps: number[] = [];
    for (let drop = 1; drop <= 6; drop++) {
      room.send(chatPacket({ message: `채팅 ${drop}`, userId: 'viewer', nickname: '시청자' }));
      await sleep(1100); // the socket works for a while (3 s in the bench), then drops
      const droppedAt = performance.now();
      room.dropConnections();
      await c.waitFor('joined', drop + 1);
      gaps.push((c.of('joined')[drop]?.at ?? Infinity) - droppedAt);
    }
    await c.stop();
    expect(c.of('reconnecting').map((s) => (s.state.state === 'reconnecting' ? s.state.delayMs : -1))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Math.max(...gaps)).toBeLessThan(400);
  });

  it('still backs off, growing, while connects fail (SOOP unreachable)', async () => {
    const room = sim.room('dropbj02');
    room.goLive();
    const c = watchRoom(sim, 'dropbj02', { backoff: { baseMs: 40, maxMs: 1000 } });
    await c.waitFor('joined');
    await sleep(1100);
    room.setLiveInfoFault('http500');
    room.dropConnections();
    await c.waitFor('reconnecting', 4);
    room.setLiveInfoFault(null);
    await c.waitFor('joined', 2);
    await c.stop();
    const delays = c.of('reconnecting').map((s) => (s.state.state === 'reconnecting' ? s.state.delayMs : -1));
    // The drop after a working session: now. Then the failed live-info checks climb: 20, 40, 80 ms…
    expect(delays.slice(0, 4)).toEqual([0, 20, 40, 80]);
    expect(c.of('reconnecting')[1]?.state).toMatchObject({ cause: 'unreachable' });
  });
});
