/** The whole bot (real discord.js, real app, SQLite) against the fake Discord and the fake SOOP server. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBot, type Bot } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { createDiscordAdapter, type DiscordAdapter, type DiscordLogger } from '../../src/discord/adapter.js';
import { silentLogger } from '../../src/log.js';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { SubscriptionStore } from '../../src/store/types.js';
import type { FakeDiscord } from '../fakes/discord.js';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string | undefined;
}

export function recordingLogger(lines: LogLine[]): DiscordLogger {
  const at =
    (level: LogLine['level']) =>
    (obj: object, msg?: string): void =>
      void lines.push({ level, obj, msg });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface RunningBot {
  readonly bot: Bot;
  readonly store: SubscriptionStore;
  readonly adapter: DiscordAdapter;
  readonly logs: LogLine[];
  stop(deadlineMs?: number): Promise<void>;
}

export function tempDatabase(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'soop-discord-'));
  return { path: join(dir, 'bot.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the bot as main.ts would, pointed at the fakes, with pacing sized to the fake's window. */
export async function startBot(options: { fake: FakeDiscord; sim: SoopSimulator; databasePath: string }): Promise<RunningBot> {
  const { fake, sim } = options;
  const config = loadConfig({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.apiUrl,
    SOOP_LIVE_INFO_URL: sim.liveInfoUrl,
    SOOP_CHAT_TRANSPORT: 'ws',
    OFFLINE_CHECK_SECONDS: '1',
    LIVE_INFO_RPS: '100',
    LOG_LEVEL: 'silent',
  });
  const store = openSqliteStore(options.databasePath);
  const logs: LogLine[] = [];
  const adapter = createDiscordAdapter({ token: fake.token, apiUrl: fake.apiUrl, logger: recordingLogger(logs), readyTimeoutMs: 5000, locale: 'en' });
  const bot = buildBot({
    config,
    store,
    logger: silentLogger,
    adapters: [adapter],
    engineGraceMs: 0,
    rateRules: { discord: { perDestination: [{ limit: 5, windowMs: 500 }], global: [{ limit: 50, windowMs: 1000 }] } },
  });
  await bot.app.start();
  return {
    bot,
    store,
    adapter,
    logs,
    async stop(deadlineMs = 1000) {
      await bot.app.stop(deadlineMs);
      bot.budget.close();
    },
  };
}
