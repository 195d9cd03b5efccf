/**
 * The offline demo: the bundled SOOP simulator plays a scripted, lively stream (Korean chat, keyword
 * hits, star/ad/video balloons, a subscription, a mission, a stream end and a restart) and the bot
 * watches it in console mode — the whole pipeline, in one process, ending by itself.
 */
import { buildBot, syncConsoleSubscriptions } from './bootstrap.js';
import { loadConfig } from './config.js';
import type { Logger } from './log.js';
import { runScenario } from './simulator/scenarios.js';
import { startSoopSimulator } from './simulator/server.js';
import { createMemoryStore } from './store/memory.js';
import type { Locale } from './core/locale.js';
import { say, startupText } from './i18n/index.js';

export interface DemoOptions {
  readonly logger: Logger;
  readonly write: (line: string) => void;
  /** Divides every scripted delay (tests run it faster). */
  readonly speed?: number;
  readonly keywords?: readonly string[];
  readonly signal?: AbortSignal;
  /** The operator's language for the demo's own lines and the engine's state lines. */
  readonly locale?: Locale;
}

export const DEMO_STREAMER = 'simbj01';

export async function runDemo(options: DemoOptions): Promise<void> {
  const { logger, write } = options;
  const locale = options.locale ?? 'ko';
  const simulator = await startSoopSimulator();
  const keywords = options.keywords && options.keywords.length > 0 ? options.keywords : ['대박', '안녕'];
  const config = loadConfig({
    SOOP_LIVE_INFO_URL: simulator.liveInfoUrl,
    SOOP_CHAT_TRANSPORT: 'ws',
    OFFLINE_CHECK_SECONDS: '1',
    LIVE_INFO_RPS: '50',
    LOG_LEVEL: 'silent',
    LOCALE: locale,
  });
  const store = createMemoryStore();
  syncConsoleSubscriptions(store, [DEMO_STREAMER], keywords);
  const { app, budget } = buildBot({ config, store, logger, consoleWrite: write });
  logger.info(
    { simulator: simulator.liveInfoUrl, streamer: DEMO_STREAMER, keywords, data: 'in memory (demo)' },
    say(locale, startupText.demoRunning, DEMO_STREAMER, keywords),
  );
  await app.start();
  try {
    await runScenario(simulator.room(DEMO_STREAMER), 'demo', {
      speed: options.speed ?? 1,
      ...(options.signal ? { signal: options.signal } : {}),
      onStep: (step) => logger.debug({ step }, 'simulator'),
    });
  } catch (err) {
    if (!options.signal?.aborted) throw err;
  }
  // Give the last packets time to cross the socket and the router.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await app.router.idle();
  await app.stop(3000);
  budget.close();
  store.close();
  await simulator.close();
  logger.info(say(locale, startupText.demoFinished));
}
