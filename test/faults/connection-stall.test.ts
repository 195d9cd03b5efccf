/** A socket that stays open but goes silent (no data, no pongs) is noticed within SOOP_SILENCE_SECONDS. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { startSoopSimulator } from '../../src/simulator/server.js';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { chatPacket } from '../../src/simulator/packets.js';
import { sleep, watchRoom } from './connection-harness.js';

const SILENCE_MS = 1500;

let sim: SoopSimulator;
beforeAll(async () => {
  sim = await startSoopSimulator();
});
afterAll(async () => {
  await sim.close();
});

describe('a stalled socket', () => {
  it('is taken for stalled within the silence window and reconnected at once', async () => {
    const room = sim.room('stallbj01');
    room.goLive();
    const c = watchRoom(sim, 'stallbj01', { silenceMs: SILENCE_MS, keepaliveMs: 200 });
    await c.waitFor('joined');
    room.send(chatPacket({ message: '마지막 채팅', userId: 'viewer', nickname: '시청자' }));
    await sleep(100);
    const stalledAt = performance.now();
    room.setStalled(true); // the socket stays open; nothing comes back, not even a pong
    await c.waitFor('reconnecting', 1, 4 * SILENCE_MS);
    const noticedAfter = (c.of('reconnecting')[0]?.at ?? Infinity) - stalledAt;
    expect(noticedAfter).toBeLessThanOrEqual(SILENCE_MS);
    expect(c.of('reconnecting')[0]?.state).toMatchObject({ reason: expect.stringMatching(/^stalled/), delayMs: 0, cause: 'dropped' });
    room.setStalled(false);
    await c.waitFor('joined', 2);
    await c.stop();
  });
});
