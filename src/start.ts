/**
 * The bot as a process (`npm start`, `node dist/main.js`, `soop-alerts start`): config → logger →
 * store → adapters → app.start(); SIGTERM/SIGINT → app.stop(). With no platform token the bot runs
 * in console mode; with no token and nothing to watch it runs the offline demo (in the Docker
 * image it waits instead, see Config.inContainer).
 *
 * Promises kept here: a signal is honoured at every moment, start-up included, and the process
 * is gone within 5 s of it; a start-up failure is one sentence on stderr and exit code 1 (2 for a
 * bad configuration), never a stack trace; an unhandled rejection is a bug, said in one line.
 */
import { config as loadDotenv } from 'dotenv';
import { buildBot, syncConsoleSubscriptions } from './bootstrap.js';
import { configLocale, loadConfig, type Config } from './config.js';
import { ConfigError, describeError } from './core/errors.js';
import type { Locale } from './core/locale.js';
import { maskSecrets } from './core/secrets.js';
import { runDemo } from './demo.js';
import { createDiscordAdapter } from './discord/adapter.js';
import { createTelegramAdapter } from './telegram/adapter.js';
import type { PlatformAdapter } from './app.js';
import { createMetrics } from './http/metrics.js';
import { startHttpServer, type HttpServer } from './http/server.js';
import { say, startupText } from './i18n/index.js';
import { createLogger, redactSecrets, type Logger } from './log.js';
import { openPostgresStore, redactUrl } from './store/postgres.js';
import { openPostgresCluster } from './store/postgres-cluster.js';
import { listenForStoreChanges } from './store/postgres-listener.js';
import type { ClusterStore } from './store/cluster-types.js';
import type { StorageHealthPort } from './store/health.js';
import { openSqliteStore } from './store/sqlite.js';

/** From the first signal to the process being gone. */
const STOP_DEADLINE_MS = 4500;
/** How long the outbox is flushed on a stop (the rest of the deadline closes everything else). */
const FLUSH_MS = 3000;
/** How long the clean-up after a failed start may take. */
const CLEANUP_MS = 3000;

/** One line a person reads on stderr (before the logger exists, and for the final failure). */
function errorLine(line: string): void {
  process.stderr.write(`${redactSecrets(line)}\n`);
}

function consoleLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

function makeLogger(config: Config, consoleMode: boolean): Logger {
  const secrets = [config.discordToken, config.telegramToken, config.telegramWebhook?.secret].filter((s): s is string => s !== undefined);
  // In console mode alerts own stdout; logs go to stderr.
  const out = consoleMode ? process.stderr : process.stdout;
  return createLogger({ level: config.logLevel, secrets, pretty: out.isTTY === true, prettyFd: consoleMode ? 2 : 1, destination: out });
}

interface Shutdown {
  /** Aborted by the first SIGTERM or SIGINT. */
  readonly signal: AbortSignal;
  /** Resolves on the first signal (never rejects). */
  readonly requested: Promise<NodeJS.Signals>;
}

/**
 * Listens for SIGTERM/SIGINT from the very start. The first one asks for a clean stop and arms a
 * deadline after which the process exits anyway; a second one exits at once.
 */
function listenForSignals(locale: () => Locale, line: (text: string) => void): Shutdown {
  const controller = new AbortController();
  let resolveRequested: (signal: NodeJS.Signals) => void = () => undefined;
  const requested = new Promise<NodeJS.Signals>((resolve) => (resolveRequested = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      line(say(locale(), startupText.secondSignal, signal));
      process.exit(130);
    }
    controller.abort();
    resolveRequested(signal);
    setTimeout(() => {
      line(say(locale(), startupText.stopTimedOut, STOP_DEADLINE_MS));
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { signal: controller.signal, requested };
}

/** Last resort: anything that reaches here is a bug; it is said in one line, without a stack. */
function installLastResort(locale: () => Locale, line: (text: string) => void): void {
  process.on('unhandledRejection', (reason) => line(say(locale(), startupText.unhandledRejection, maskSecrets(describeError(reason)))));
  process.on('uncaughtException', (err) => {
    line(say(locale(), startupText.uncaughtException, maskSecrets(describeError(err))));
    process.exit(1);
  });
}

/** What is open, closed in reverse order; each close is guarded so one failure does not stop the rest. */
class OpenResources {
  private readonly closers: (() => unknown)[] = [];
  constructor(private readonly logger: () => Logger | undefined) {}

  add(close: () => unknown): void {
    this.closers.push(close);
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        this.logger()?.debug({ err: describeError(err) }, 'closing failed');
      }
    }
  }
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T | undefined> =>
  Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);

async function run(argv: readonly string[], shutdown: Shutdown, setLocale: (locale: Locale) => void): Promise<number> {
  const demo = argv.includes('--demo');
  const streamers = argv.filter((a) => !a.startsWith('--'));
  let config: Config;
  try {
    config = loadConfig(process.env, streamers);
  } catch (err) {
    if (err instanceof ConfigError) {
      errorLine(say(configLocale(process.env), startupText.configInvalid, err.problems));
      return 2;
    }
    throw err;
  }
  const { locale } = config;
  setLocale(locale);
  const consoleMode = !config.discordToken && !config.telegramToken;
  const logger = makeLogger(config, consoleMode);
  if (shutdown.signal.aborted) return 0;

  if (demo || (consoleMode && config.watch.length === 0 && !config.inContainer)) {
    if (!demo) logger.info(say(locale, startupText.runningDemo));
    await runDemo({ logger, write: consoleLine, speed: config.demoSpeed, keywords: config.keywords, signal: shutdown.signal, locale: config.locale });
    return 0;
  }
  if (consoleMode && config.watch.length === 0) {
    // In the image: exiting would only get the container restarted, so say what is missing and wait.
    logger.warn(say(locale, startupText.nothingConfigured));
    await shutdown.requested;
    return 0;
  }

  const resources = new OpenResources(() => logger);
  try {
    return await runBot(config, logger, consoleMode, shutdown, resources);
  } finally {
    await within(resources.closeAll(), CLEANUP_MS);
  }
}

async function runBot(config: Config, logger: Logger, consoleMode: boolean, shutdown: Shutdown, resources: OpenResources): Promise<number> {
  const { locale } = config;
  // DATABASE_URL selects PostgreSQL; the SQLite file stays the default.
  const store = config.databaseUrl ? openPostgresStore(config.databaseUrl) : openSqliteStore(config.databasePath);
  let storeOpen = true;
  resources.add(() => {
    storeOpen = false;
    store.close();
  });
  const dataIn = config.databaseUrl ? `PostgreSQL ${redactUrl(config.databaseUrl)}` : `SQLite ${config.databasePath}`;
  if (consoleMode) syncConsoleSubscriptions(store, config.watch, config.keywords);
  const adapters: PlatformAdapter[] = [];
  if (config.discordToken) {
    adapters.push(
      createDiscordAdapter({
        token: config.discordToken,
        apiUrl: config.discordApiUrl,
        locale,
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
        locale,
        logger,
        // On a shared database one node at a time polls (Telegram allows one getUpdates consumer).
        ...(config.databaseUrl && !webhook ? { deferPolling: true } : {}),
        ...(webhook ? { mode: 'webhook' as const, webhook: { url: webhook.url, port: webhook.port, ...(webhook.secret ? { secretToken: webhook.secret } : {}) } } : {}),
      }),
    );
  }
  const metrics = createMetrics({
    engineStatuses: () => app.registry.statuses(),
    outboxBacklog: () => (storeOpen ? store.outboxBacklog() : 0),
    // Not asked while the database fails: the gauge keeps its last value.
    databaseBytes: () => (storeOpen && store.health().ok ? store.databaseBytes() : undefined),
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
  if (clusterStore) resources.add(() => clusterStore.close());
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
  resources.add(() => bot.budget.close());
  let http: HttpServer | undefined;
  if (config.httpPort !== 0) {
    http = await startHttpServer({
      port: config.httpPort,
      host: config.httpHost,
      locale,
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
    const server = http;
    resources.add(() => server.close());
  }
  const platforms = adapters.map((a) => a.name);
  logger.info(
    {
      mode: consoleMode ? 'console' : 'bot',
      watch: consoleMode ? config.watch : undefined,
      keywords: consoleMode ? config.keywords : undefined,
      data: dataIn,
      http: http ? `http://${config.httpHost}:${http.port}` : 'off',
    },
    consoleMode ? say(locale, startupText.consoleMode, config.watch, dataIn) : say(locale, startupText.botMode, platforms, dataIn),
  );
  if (config.databaseUrl) {
    const listenLogger = logger.child({ component: 'cluster' });
    const listener = listenForStoreChanges(config.databaseUrl, {
      onSubscriptionChange: (streamerId) => app.storeChanged({ type: 'subscription', streamerId }),
      onOutbox: () => app.storeChanged({ type: 'outbox' }),
      onLeasesReleased: () => app.storeChanged({ type: 'leases' }),
      onResync: () => app.storeChanged({ type: 'resync' }),
      onError: (message) => listenLogger.warn(message),
    });
    resources.add(() => listener.close());
    await Promise.race([listener.ready, shutdown.requested]);
  }

  // From here app.stop() undoes app.start(), also halfway: a stop stops adapters still connecting.
  let stopped = false;
  const stopApp = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await app.stop(FLUSH_MS);
  };
  resources.add(stopApp);
  if (!shutdown.signal.aborted) {
    const started = app.start();
    const outcome = await Promise.race([started.then(() => 'started' as const), shutdown.requested.then(() => 'stopping' as const)]);
    if (outcome === 'started' && app.coordinator) {
      logger.info({ node: config.cluster.nodeId, ...app.coordinator.status(), streamers: app.coordinator.status().streamers.length }, say(locale, startupText.joinedCluster));
    }
  }

  const signal = await shutdown.requested;
  logger.info({ signal }, say(locale, startupText.stopping, signal));
  await stopApp();
  await resources.closeAll();
  logger.info(say(locale, startupText.stopped));
  return 0;
}

/** Runs the bot until a signal or a failure, then exits the process with its code. */
export async function runBotProcess(argv: readonly string[]): Promise<never> {
  loadDotenv({ quiet: true });
  let locale: Locale = configLocale(process.env);
  const currentLocale = (): Locale => locale;
  installLastResort(currentLocale, errorLine);
  const shutdown = listenForSignals(currentLocale, errorLine);
  // Waiting for a signal with nothing else open (the container with nothing configured) must not
  // let Node find the wait unfinished and exit with code 13; process.exit below ends the process.
  setInterval(() => undefined, 1 << 30);
  let code: number;
  try {
    code = await run(argv, shutdown, (l) => (locale = l));
  } catch (err) {
    // A failure during a stop is not worth reporting: the stop was asked for.
    if (shutdown.signal.aborted) {
      code = 0;
    } else {
      errorLine(say(locale, startupText.startFailed, maskSecrets(describeError(err))));
      code = 1;
    }
  }
  // Whatever a failed or abandoned start left behind (a login still in flight) must not keep the process.
  process.exit(code);
}
