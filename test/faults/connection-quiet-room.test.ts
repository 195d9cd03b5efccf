/**
 * A quiet room (no chat for several silence windows) whose server answers pings is kept; only a
 * change in live info ends its session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSoopSimulator } from '../../src/simulator/server.js';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { sleep, watchRoom } from './connection-harness.js';

const SILENCE_MS = 600;

let sim: SoopSimulator;
beforeAll(async () => {
  sim = await startSoopSimulator();
});
afterAll(async () => {
  await sim.close();
});

describe('a quiet room', () => {
  it('answering pings, with unchanged live info, is kept: no reconnect', async () => {
    const room = sim.room('quietbj01');
    room.joinBurst = 0; // nothing at all after the join reply
    room.goLive();
    const c = watchRoom(sim, 'quietbj01', { silenceMs: SILENCE_MS, keepaliveMs: 5000, offlineCheckMs: 1000 });
    await c.waitFor('joined');
    const requestsAtJoin = room.liveInfoRequests;
    await sleep(5 * SILENCE_MS);
    expect(c.count('reconnecting')).toBe(0);
    expect(room.received.logins).toBe(1);
    expect(room.connections).toBe(1);
    // It did ask live info whether the broadcast is still the one it joined.
    expect(room.liveInfoRequests).toBeGreaterThan(requestsAtJoin);
    await c.stop();
  });

  it('ends the session when live info no longer reports the broadcast (ended without 0088)', async () => {
    const room = sim.room('quietbj02');
    room.joinBurst = 0;
    room.goLive();
    const c = watchRoom(sim, 'quietbj02', { silenceMs: SILENCE_MS, keepaliveMs: 5000, offlineCheckMs: 300 });
    await c.waitFor('joined');
    room.setState('offline'); // live info says offline; the chat socket stays open and quiet
    await c.waitFor('offline', 1, 5000);
    expect(c.of('reconnecting')[0]?.state).toMatchObject({ reason: expect.stringMatching(/^broadcastGone/), delayMs: 0 });
    await c.stop();
  });

  it('is kept only while its server answers pings: without pongs it is taken for stalled', async () => {
    const room = sim.room('quietbj03');
    room.joinBurst = 0;
    room.goLive();
    const c = watchRoom(sim, 'quietbj03', { silenceMs: SILENCE_MS, keepaliveMs: 5000, offlineCheckMs: 1000 });
    await c.waitFor('joined');
    await sleep(3 * SILENCE_MS);
    expect(c.count('reconnecting')).toBe(0);
    room.answersPings = false;
    await c.waitFor('reconnecting', 1, 4 * SILENCE_MS);
    expect(c.of('reconnecting')[0]?.state).toMatchObject({ reason: expect.stringMatching(/^stalled/) });
    await c.stop();
  });
});
