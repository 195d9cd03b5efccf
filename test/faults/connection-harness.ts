/** One SOOP chat client against the simulator, recording every state with the time it was reported. */
import { performance } from 'node:perf_hooks';
import { vi } from 'vitest';
import type { ChatSourceState } from '../../src/core/chat-source.js';
import { createSoopChatClient, type SoopChatClientOptions } from '../../src/soop/client.js';
import { createLiveInfoFetcher } from '../../src/soop/live-info.js';
import type { SoopSimulator } from '../../src/simulator/api.js';

export interface TimedState {
  readonly at: number;
  readonly state: ChatSourceState;
}

export function watchRoom(sim: SoopSimulator, streamerId: string, overrides: Partial<SoopChatClientOptions> = {}) {
  const controller = new AbortController();
  const states: TimedState[] = [];
  const client = createSoopChatClient(streamerId, {
    fetchLiveInfo: createLiveInfoFetcher({ url: sim.liveInfoUrl, timeoutMs: 2000 }),
    transport: 'ws',
    random: () => 0, // the smallest jitter: backoff waits are the bottom of their range
    ...overrides,
  });
  const running = client.run({ onPacket: () => {}, onState: (state) => states.push({ at: performance.now(), state }) }, controller.signal);
  const count = (name: ChatSourceState['state']): number => states.filter((s) => s.state.state === name).length;
  return {
    states,
    count,
    of: (name: ChatSourceState['state']): TimedState[] => states.filter((s) => s.state.state === name),
    waitFor: (name: ChatSourceState['state'], times = 1, timeout = 5000) =>
      vi.waitFor(
        () => {
          if (count(name) < times) throw new Error(`waiting for ${times}× "${name}"; states so far: ${states.map((s) => s.state.state).join(' → ')}`);
        },
        { timeout, interval: 5 },
      ),
    stop: async () => {
      controller.abort(new Error('test over'));
      await running;
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
