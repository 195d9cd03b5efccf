/**
 * The whole bot for end-to-end tests: real grammY + the fake Bot API + the fake SOOP server + the
 * real app (buildBot), with pacing windows short enough for a test.
 */
import { vi } from 'vitest';
import type { App } from '../../src/app.js';
import { buildBot } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import type { PlatformRules } from '../../src/route/limiter.js';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { SubscriptionStore } from '../../src/store/types.js';
import { createTelegramAdapter, type TelegramAdapter, type TelegramAdapterOptions } from '../../src/telegram/adapter.js';
import { startFakeTelegram, type FakeTelegram, type SentMessage } from '../fakes/telegram.js';

export const FAST_TELEGRAM_RULES: PlatformRules = {
  perDestination: [{ limit: 20, windowMs: 1000 }],
  global: [{ limit: 200, windowMs: 1000 }],
};

export interface TelegramWorld {
  readonly sim: SoopSimulator;
  readonly fake: FakeTelegram;
  readonly store: SubscriptionStore;
  readonly adapter: TelegramAdapter;
  readonly app: App;
  /** Waits for the oldest message to `chatId` not taken by an earlier call that matches, and takes it. */
  next(chatId: number, match?: (m: SentMessage) => boolean, timeoutMs?: number): Promise<SentMessage>;
  close(): Promise<void>;
}

export async function startTelegramWorld(adapterOptions: Partial<TelegramAdapterOptions> = {}): Promise<TelegramWorld> {
  const sim = await startSoopSimulator();
  const fake = await startFakeTelegram();
  const store = createMemoryStore();
  const adapter = createTelegramAdapter({ token: fake.token, apiUrl: fake.apiRoot, logger: silentLogger, sendTimeoutMs: 3000, ...adapterOptions });
  const config = loadConfig({
    TELEGRAM_TOKEN: fake.token,
    TELEGRAM_API_URL: fake.apiRoot,
    SOOP_LIVE_INFO_URL: sim.liveInfoUrl,
    SOOP_CHAT_TRANSPORT: 'ws',
    LIVE_INFO_RPS: '200',
    LIVE_INFO_TIMEOUT_MS: '2000',
    OFFLINE_CHECK_SECONDS: '1',
    DATABASE_PATH: ':memory:',
  });
  const { app, budget } = buildBot({ config, store, logger: silentLogger, adapters: [adapter], rateRules: { telegram: FAST_TELEGRAM_RULES }, engineGraceMs: 0 });
  await app.start();
  const taken = new Set<number>();
  return {
    sim,
    fake,
    store,
    adapter,
    app,
    async next(chatId, match = () => true, timeoutMs = 5000) {
      let found: SentMessage | undefined;
      await vi.waitFor(
        () => {
          const messages = fake.sentTo(chatId);
          found = messages.find((m) => !taken.has(m.messageId) && match(m));
          if (!found) throw new Error(`no matching message to ${chatId} yet; not yet taken: ${JSON.stringify(messages.filter((m) => !taken.has(m.messageId)).map((m) => m.visible))}`);
        },
        { timeout: timeoutMs, interval: 20 },
      );
      taken.add((found as SentMessage).messageId);
      return found as SentMessage;
    },
    async close() {
      await app.stop(500);
      budget.close();
      await fake.close();
      await sim.close();
      store.close();
    },
  };
}
