/** The real crawling stack (simulator ↔ SOOP client ↔ engine ↔ registry) wired for tests and benches. */
import type { StreamerEvent } from '../../src/core/events.js';
import { isMembershipCode } from '../../src/core/packet.js';
import { createMemoryLedger, type BroadcastLedger } from '../../src/engine/ledger.js';
import { EngineRegistry } from '../../src/engine/registry.js';
import { RequestBudget, budgetedFetcher } from '../../src/engine/request-budget.js';
import { StreamerEngine } from '../../src/engine/streamer-engine.js';
import { createSoopChatClient, type SoopChatClientOptions } from '../../src/soop/client.js';
import { createLiveInfoFetcher } from '../../src/soop/live-info.js';
import { translatePacket } from '../../src/soop/translate.js';
import type { SoopSimulator } from '../../src/simulator/api.js';

export interface StackOptions {
  readonly simulator: SoopSimulator;
  readonly onEvent?: (event: StreamerEvent) => void | Promise<void>;
  readonly queueCapacity?: number;
  readonly ratePerSecond?: number;
  readonly maxEngines?: number;
  readonly graceMs?: number;
  readonly client?: Partial<SoopChatClientOptions>;
  readonly skipMembership?: boolean;
  readonly ledger?: BroadcastLedger;
}

export function createStack(options: StackOptions) {
  const events: StreamerEvent[] = [];
  const budget = new RequestBudget({ ratePerSecond: options.ratePerSecond ?? 1000, burst: 10 });
  const fetchLiveInfo = budgetedFetcher(createLiveInfoFetcher({ url: options.simulator.liveInfoUrl, timeoutMs: 2000 }), budget);
  const ledger = options.ledger ?? createMemoryLedger();
  const engines = new Map<string, StreamerEngine>();
  const registry = new EngineRegistry({
    maxEngines: options.maxEngines ?? 100,
    graceMs: options.graceMs ?? 0,
    createEngine: (streamerId) => {
      const engine = new StreamerEngine({
        streamerId,
        source: createSoopChatClient(streamerId, {
          fetchLiveInfo,
          transport: 'ws',
          keepaliveMs: 1000,
          offlineCheckMs: 100,
          restrictedCheckMs: 300,
          backoff: { baseMs: 20, maxMs: 200 },
          ...(options.skipMembership ? { framerOptions: { skip: isMembershipCode } } : {}),
          ...options.client,
        }),
        translate: translatePacket,
        onEvent: options.onEvent ?? ((e) => void events.push(e)),
        ledger,
        queueCapacity: options.queueCapacity ?? 4096,
        workers: 3,
      });
      engines.set(streamerId, engine);
      return engine;
    },
  });
  return {
    registry,
    events,
    budget,
    engines,
    async close(): Promise<void> {
      await registry.stopAll();
      budget.close();
    },
  };
}
