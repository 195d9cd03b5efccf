/**
 * Builds the real bot from a Config: the SOOP client behind a global live-info budget, the
 * platform adapters (or the console sink), and the app. Shared by main.ts and the demo.
 */
import { createApp, type App, type AppDeps, type PlatformAdapter } from './app.js';
import type { Config } from './config.js';
import { isMembershipCode } from './core/packet.js';
import { RequestBudget, budgetedFetcher } from './engine/request-budget.js';
import type { Logger } from './log.js';
import { createConsoleSink } from './route/console-sink.js';
import type { DeliveryResult } from './route/router.js';
import type { Sink } from './route/sink.js';
import { createSoopChatClient } from './soop/client.js';
import { createLiveInfoFetcher } from './soop/live-info.js';
import { configureSoopPlayerUrl } from './core/soop-hosts.js';
import { translatePacket } from './soop/translate.js';
import { ALL_ALERT_KINDS, type Destination, type Platform, type SubscriptionStore } from './store/types.js';
import type { PlatformRules } from './route/limiter.js';
import type { EngineStatus } from './engine/streamer-engine.js';
import { subscriptionRequest } from './commands/subscription-request.js';

export const CONSOLE_DESTINATION: Destination = { platform: 'console', id: 'stdout' };

export interface BotOptions {
  readonly config: Config;
  readonly store: SubscriptionStore;
  readonly logger: Logger;
  readonly adapters?: readonly PlatformAdapter[];
  /** Console mode: where alert lines go. */
  readonly consoleWrite?: (line: string) => void;
  readonly onDelivery?: (result: DeliveryResult) => void;
  readonly onEngineStatus?: (status: EngineStatus) => void;
  /** Overrides of the platforms' pacing rules (tests use short windows). */
  readonly rateRules?: Partial<Record<Platform, PlatformRules>>;
  /** How long an engine without subscriptions keeps running (default 30 s). */
  readonly engineGraceMs?: number;
  /** Several nodes on one PostgreSQL database. */
  readonly cluster?: AppDeps['cluster'];
}

export interface Bot {
  readonly app: App;
  readonly budget: RequestBudget;
}

export function buildBot(options: BotOptions): Bot {
  const { config, logger } = options;
  configureSoopPlayerUrl(config.soopPlayerUrl);
  const budget = new RequestBudget({ ratePerSecond: config.liveInfo.requestsPerSecond, burst: Math.max(1, Math.ceil(config.liveInfo.requestsPerSecond)) });
  const fetchLiveInfo = budgetedFetcher(createLiveInfoFetcher({ url: config.soopLiveInfoUrl, timeoutMs: config.liveInfo.timeoutMs }), budget);
  const soopLogger = logger.child({ component: 'soop' });
  const sinks: Sink[] = options.consoleWrite ? [createConsoleSink(options.consoleWrite)] : [];
  const app = createApp({
    store: options.store,
    logger,
    locale: config.locale,
    fetchLiveInfo,
    translate: translatePacket,
    createChatSource: (streamerId) =>
      createSoopChatClient(streamerId, {
        fetchLiveInfo,
        transport: config.soopChatTransport,
        keepaliveMs: config.engine.keepaliveMs,
        silenceMs: config.engine.silenceMs,
        offlineCheckMs: config.liveInfo.offlineCheckMs,
        restrictedCheckMs: config.liveInfo.restrictedCheckMs,
        // Nothing downstream uses join/leave lists: skip them by their header, unread.
        framerOptions: { skip: isMembershipCode },
        logger: soopLogger,
      }),
    sinks,
    adapters: options.adapters ?? [],
    engine: {
      queueCapacity: config.engine.queueCapacity,
      workers: config.engine.workers,
      maxEngines: config.engine.maxEngines,
      ...(options.engineGraceMs !== undefined ? { graceMs: options.engineGraceMs } : {}),
    },
    ...(options.rateRules ? { rateRules: options.rateRules } : {}),
    limits: config.limits,
    outboxRetentionMs: config.outboxRetentionMs,
    deliveryGiveUpMs: config.deliveryGiveUpMs,
    ...(options.onDelivery ? { onDelivery: options.onDelivery } : {}),
    ...(options.onEngineStatus ? { onEngineStatus: options.onEngineStatus } : {}),
    ...(options.cluster ? { cluster: options.cluster } : {}),
  });
  return { app, budget };
}

/** Console mode: one console subscription per watched streamer, with the configured keywords. */
export function syncConsoleSubscriptions(store: SubscriptionStore, streamers: readonly string[], keywords: readonly string[]): void {
  const wanted = new Set(streamers);
  for (const sub of store.listByDestination(CONSOLE_DESTINATION)) if (!wanted.has(sub.streamerId)) store.remove(sub.id);
  for (const streamerId of streamers) {
    const existing = store.find(CONSOLE_DESTINATION, streamerId);
    if (existing) {
      store.update(existing.id, { keywords, paused: false, events: ALL_ALERT_KINDS });
      continue;
    }
    store.add(subscriptionRequest(CONSOLE_DESTINATION, streamerId, 'console', { keywords }));
  }
}
