/**
 * Composition root: config → logger → store → adapters → app.start(); SIGTERM/SIGINT → app.stop().
 * With no platform token the bot runs in console mode; with no token and nothing to watch it runs
 * the offline demo (the bundled SOOP simulator), so `npm start` always shows something real.
 */
import { config as loadDotenv } from 'dotenv';
import { buildBot, syncConsoleSubscriptions } from './bootstrap.js';
import { loadConfig, type Config } from './config.js';
import { ConfigError, describeError } from './core/errors.js';
import { runDemo } from './demo.js';
import { createDiscordAdapter } from './discord/adapter.js';
import { createTelegramAdapter } from './telegram/adapter.js';
import type { PlatformAdapter } from './app.js';
import { createMetrics } from './http/metrics.js';
import { startHttpServer, type HttpServer } from './http/server.js';
import { createLogger, type Logger } from './log.js';
import { openPostgresStore, redactUrl } from './store/postgres.js';
import { openPostgresCluster } from './store/postgres-cluster.js';
import { listenForStoreChanges, type StoreListener } from './store/postgres-listener.js';
import type { ClusterStore } from './store/cluster-types.js';
import type { StorageHealthPort } from './store/health.js';
import { openSqliteStore } from './store/sqlite.js';

function consoleLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

function makeLogger(config: Config, consoleMode: boolean): Logger {
  const secrets = [config.discordToken, config.telegramToken, config.telegramWebhook?.secret].filter((s): s is string => s !== undefined);
  // In console mode alerts own stdout; logs go to stderr.
  const out = consoleMode ? process.stderr : process.stdout;
  return createLogger({ level: config.logLevel, secrets, pretty: out.isTTY === true, prettyFd: consoleMode ? 2 : 1, destination: out });
}

async function main(argv: readonly string[]): Promise<number> {
  loadDotenv({ quiet: true });
  const demo = argv.includes('--demo');
  const streamers = argv.filter((a) => !a.startsWith('--'));
  let config: Config;
  try {
    config = loadConfig(process.env, streamers);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const consoleMode = !config.discordToken && !config.telegramToken;
  const logger = makeLogger(config, consoleMode);

  if (demo || (consoleMode && config.watch.length === 0)) {
    if (!demo) logger.info('no platform token and nothing to watch (WATCH=, or npm start -- <streamer>): running the offline demo');
    const abort = new AbortController();
    const onSignal = (): void => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    await runDemo({ logger, write: consoleLine, speed: config.demoSpeed, keywords: config.keywords, signal: abort.signal });
    return 0;
  }

  // Listen for signals first: a SIGTERM during start-up still means a clean stop.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // DATABASE_URL selects PostgreSQL; the SQLite file stays the default.
  const store = config.databaseUrl ? openPostgresStore(config.databaseUrl) : openSqliteStore(config.databasePath);
  const dataIn = config.databaseUrl ? `PostgreSQL ${redactUrl(config.databaseUrl)}` : `SQLite ${config.databasePath}`;
  let storeOpen = true;
  if (consoleMode) syncConsoleSubscriptions(store, config.watch, config.keywords);
  const adapters: PlatformAdapter[] = [];
  if (config.discordToken) {
    adapters.push(
      createDiscordAdapter({
        token: config.discordToken,
        apiUrl: config.discordApiUrl,
        logger: logger.child({ component: 'discord' }),
        ...(config.discordShards ? { shards: config.discordShards } : {}),
        ...(config.discordLeasedShards ? { leasedShards: config.discordLeasedShards } : {}),
      }),
    );
  }
  if (config.telegramToken) {
    const webhook = config.telegramWebhook;
    adapters.push(
      createTelegramAdapter({
        token: config.telegramToken,
        apiUrl: config.telegramApiUrl,
        logger: logger.child({ component: 'telegram' }),
        // On a shared database one node at a time polls (Telegram allows one getUpdates consumer).
        ...(config.databaseUrl && !webhook ? { deferPolling: true } : {}),
        ...(webhook ? { mode: 'webhook' as const, webhook: { url: webhook.url, port: webhook.port, ...(webhook.secret ? { secretToken: webhook.secret } : {}) } } : {}),
      }),
    );
  }
  const metrics = createMetrics({
    engineStatuses: () => app.registry.statuses(),
    outboxBacklog: () => (storeOpen ? store.outboxBacklog() : 0),
    pendingAlerts: () => app.router.pending(),
    ...(config.databaseUrl
      ? {
          cluster: () => {
            const status = app.coordinator?.status();
            return { nodes: status?.nodes.length ?? 0, streamers: status?.streamers.length ?? 0, destinations: status?.destinations ?? 0 };
          },
        }
      : {}),
  });
  // On PostgreSQL the bot runs as one node of a cluster (alone, it simply holds every lease).
  const clusterStore: (ClusterStore & StorageHealthPort) | undefined = config.databaseUrl ? openPostgresCluster(config.databaseUrl) : undefined;
  const bot = buildBot({
    config,
    store,
    logger,
    ...(clusterStore ? { cluster: { store: clusterStore, nodeId: config.cluster.nodeId, leaseTtlMs: config.cluster.leaseTtlMs } } : {}),
    adapters,
    onDelivery: metrics.recordDelivery,
    ...(consoleMode ? { consoleWrite: consoleLine } : {}),
  });
  const app = bot.app;
  const http: HttpServer | undefined =
    config.httpPort === 0
      ? undefined
      : await startHttpServer({
          port: config.httpPort,
          metrics,
          logger,
          ready: () => {
            const checks: Record<string, boolean> = {
              // 503 while the database fails (disk full, server away): the bot keeps running meanwhile.
              store: storeOpen && store.health().ok && (clusterStore?.health().ok ?? true),
              ...Object.fromEntries(adapters.map((a) => [a.name, a.ready])),
              ...(app.coordinator ? { cluster: app.coordinator.healthy } : {}),
            };
            return { ok: Object.values(checks).every((c) => c), checks };
          },
        });
  logger.info(
    {
      mode: consoleMode ? 'console' : 'bot',
      watch: consoleMode ? config.watch : undefined,
      keywords: consoleMode ? config.keywords : undefined,
      data: dataIn,
      http: http ? `http://0.0.0.0:${http.port}` : 'off',
    },
    consoleMode
      ? `console mode: printing alerts for ${config.watch.join(', ')}; data in ${dataIn}`
      : `bot mode (${adapters.map((a) => a.name).join(', ')}); data in ${dataIn}`,
  );
  let listener: StoreListener | undefined;
  if (config.databaseUrl) {
    const listenLogger = logger.child({ component: 'cluster' });
    listener = listenForStoreChanges(config.databaseUrl, {
      onSubscriptionChange: (streamerId) => app.storeChanged({ type: 'subscription', streamerId }),
      onOutbox: () => app.storeChanged({ type: 'outbox' }),
      onLeasesReleased: () => app.storeChanged({ type: 'leases' }),
      onResync: () => app.storeChanged({ type: 'resync' }),
      onError: (message) => listenLogger.warn(message),
    });
    await listener.ready;
  }
  await app.start();
  if (app.coordinator) logger.info({ node: config.cluster.nodeId, ...app.coordinator.status(), streamers: app.coordinator.status().streamers.length }, 'joined the cluster');

  await stopRequested;
  logger.info('shutting down: flushing alerts');
  await app.stop(4000);
  await listener?.close();
  bot.budget.close();
  storeOpen = false;
  clusterStore?.close();
  await http?.close();
  store.close();
  logger.info('stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`soop-alerts failed: ${describeError(err)}\n`);
    process.exitCode = 1;
  },
);
