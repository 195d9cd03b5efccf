/**
 * The Telegram adapter: a grammY bot pointed at `apiUrl` (Telegram, a self-hosted Bot API server,
 * or the test fake), its sink, and its commands. Updates are taken by long polling through
 * @grammyjs/runner (handled concurrently, in order within a chat, so one slow chat never blocks
 * the others) or, by config, through a webhook. No throttler and no auto-retry here: pacing and
 * retries belong to the router's limiter, which reads the DeliveryErrors the sink throws.
 */
import { createServer, type Server } from 'node:http';
import { Bot, GrammyError, webhookCallback, type Api } from 'grammy';
import type { Update } from 'grammy/types';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import type { CommandService } from '../commands/service.js';
import { AppError, describeError } from '../core/errors.js';
import type { Locale } from '../core/locale.js';
import { reach } from '../core/reach.js';
import { maskSecrets } from '../core/secrets.js';
import { TELEGRAM, pauseReasonText, say, startupText } from '../i18n/index.js';
import { silentLogger, type Logger } from '../log.js';
import type { DestinationChange } from '../route/router.js';
import type { Sink } from '../route/sink.js';
import { describeTelegramError } from './errors.js';
import { createHandlers } from './handlers.js';
import { menuCommands } from './menu.js';
import { AdminChecker } from './permissions.js';
import { createTelegramSink } from './sink.js';

export interface TelegramWebhookOptions {
  /** The public https URL Telegram posts updates to (it must reach `host:port` + `path`). */
  readonly url: string;
  readonly port: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  /** Default: the URL's path. */
  readonly path?: string;
  /** Checked against X-Telegram-Bot-Api-Secret-Token; strongly recommended. */
  readonly secretToken?: string;
}

export interface TelegramAdapterOptions {
  readonly token: string;
  /** Bot API root without a trailing slash, e.g. https://api.telegram.org. */
  readonly apiUrl: string;
  readonly logger?: Logger;
  readonly mode?: 'polling' | 'webhook';
  /**
   * Polling mode with several nodes: start() does not poll; `exclusive` polls, started and stopped
   * by whichever node holds the poller lease (Telegram allows one getUpdates consumer per token).
   */
  readonly deferPolling?: boolean;
  readonly webhook?: TelegramWebhookOptions;
  /** How long an admin check is trusted (default 60 s). */
  readonly adminCacheMs?: number;
  /** Long-poll timeout of getUpdates (default 30 s). */
  readonly pollTimeoutSeconds?: number;
  /** Timeout of one alert send (default 15 s). */
  readonly sendTimeoutMs?: number;
  /** Updates handled at once (default 100). */
  readonly concurrency?: number;
  /**
   * How long start() keeps trying to reach the Bot API before it fails. Default: until it answers
   * or stop() is called (said once when it becomes unreachable, once when it answers again).
   */
  readonly startTimeoutMs?: number;
  /** The language of the operator's log lines (config LOCALE; default ko). */
  readonly locale?: Locale;
}

/** Matches PlatformAdapter (src/app.ts) structurally; telegram/ may not import app.ts. */
export interface TelegramAdapter {
  readonly name: 'telegram';
  readonly sink: Sink;
  readonly ready: boolean;
  /** The bot's @username once started. */
  readonly username: string | undefined;
  /** Webhook mode: the port the webhook server listens on (useful with port 0). */
  readonly webhookPort: number | undefined;
  /** With `deferPolling`: the long polling, for the node holding the lease to run. */
  readonly exclusive: readonly { readonly name: string; start(): Promise<void>; stop(): Promise<void> }[] | undefined;
  start(commands: CommandService): Promise<void>;
  stop(): Promise<void>;
  onDestinationChange(change: DestinationChange): void;
}

/** grammY types signals with its abort-controller shim; node-fetch takes the native one. */
type ApiSignal = NonNullable<Parameters<Api['getChatMember']>[2]>;

const ALLOWED_UPDATES: readonly Exclude<keyof Update, 'update_id'>[] = ['message', 'channel_post', 'callback_query', 'my_chat_member'];

export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  const { token } = options;
  const logger = (options.logger ?? silentLogger).child({ component: 'telegram' });
  const mode = options.mode ?? 'polling';
  if (mode === 'webhook' && !options.webhook) throw new AppError('CONFIG_INVALID', 'Telegram webhook mode needs a webhook URL and port.');
  const pollTimeout = options.pollTimeoutSeconds ?? 30;
  // The client timeout must outlast a long poll; alert sends carry their own shorter timeout.
  const bot = new Bot(token, { client: { apiRoot: options.apiUrl.replace(/\/+$/, ''), timeoutSeconds: pollTimeout + 30 } });
  const locale = options.locale ?? 'ko';
  const apiUrl = maskSecrets(options.apiUrl);
  /** Aborted by stop(): a start-up still retrying gives up at once. */
  const stopping = new AbortController();
  /** Since when getUpdates has been failing (the runner retries it): said once, and once when it works again. */
  let pollingDownSince: number | undefined;
  bot.api.config.use(async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (method === 'getUpdates' && pollingDownSince !== undefined) {
        logger.info(say(locale, startupText.platformReachable, 'Telegram', Date.now() - pollingDownSince));
        pollingDownSince = undefined;
      }
      return result;
    } catch (err) {
      if (method === 'getUpdates' && !signal?.aborted && pollingDownSince === undefined) {
        pollingDownSince = Date.now();
        const reason = describeTelegramError(err, token);
        logger.warn({ err: reason }, say(locale, startupText.platformUnreachable, 'Telegram', apiUrl, reason));
      }
      throw err;
    }
  });
  bot.catch((err) => logger.error({ update: err.ctx.update.update_id, err: describeTelegramError(err.error, token) }, say(locale, startupText.telegramHandlerFailed)));

  const sink = createTelegramSink({ api: bot.api, token, ...(options.sendTimeoutMs !== undefined ? { sendTimeoutMs: options.sendTimeoutMs } : {}) });
  let runner: RunnerHandle | undefined;
  let server: Server | undefined;
  let ready = false;
  let started = false;

  /** A wrong token (401; 404 for a malformed one) or another refusal that retrying cannot fix. */
  function fatalStartError(err: unknown): AppError | undefined {
    if (!(err instanceof GrammyError) || err.error_code >= 500 || err.error_code === 429) return undefined;
    if (err.error_code === 401 || err.error_code === 404) return new AppError('TELEGRAM_TOKEN_REJECTED', say(locale, startupText.telegramTokenRejected, err.error_code));
    return new AppError('TELEGRAM_START', describeTelegramError(err, token));
  }

  /**
   * getMe, retried with backoff while the Bot API cannot be reached (network errors, 5xx, 429), until
   * it answers, stop() is called, or `startTimeoutMs` passes. grammY's own bot.init() would retry
   * silently and without end, so the bot info is fetched here and handed to it.
   */
  async function init(): Promise<void> {
    const timeoutMs = options.startTimeoutMs;
    const signal = timeoutMs === undefined ? stopping.signal : AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]);
    let lastError = '';
    try {
      bot.botInfo = await reach((attempt) => bot.api.getMe(attempt as unknown as ApiSignal), {
        signal,
        isFatal: (err) => fatalStartError(err) !== undefined,
        describe: (err) => (lastError = describeTelegramError(err, token)),
        report: {
          unreachable: (reason) => logger.warn({ url: apiUrl, reason }, say(locale, startupText.platformUnreachable, 'Telegram', apiUrl, reason)),
          reachable: (downMs) => logger.info({ downMs }, say(locale, startupText.platformReachable, 'Telegram', downMs)),
        },
      });
    } catch (err) {
      const fatal = fatalStartError(err);
      if (fatal) throw fatal;
      if (stopping.signal.aborted || timeoutMs === undefined) throw err;
      const within = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
      throw new AppError('TELEGRAM_START', `Could not reach the Telegram Bot API at ${apiUrl} within ${within}: ${lastError || describeError(err)}`);
    }
  }

  async function setMenus(): Promise<void> {
    try {
      await bot.api.setMyCommands(menuCommands('ko'));
      await bot.api.setMyCommands(menuCommands('en'), { language_code: 'en' });
    } catch (err) {
      logger.warn({ err: describeTelegramError(err, token) }, say(locale, startupText.telegramMenuFailed));
    }
  }

  async function startPolling(): Promise<void> {
    await bot.api.deleteWebhook();
    runner = run(bot, {
      runner: { fetch: { timeout: pollTimeout, allowed_updates: ALLOWED_UPDATES }, silent: true, retryInterval: 'exponential' },
      sink: { concurrency: options.concurrency ?? 100 },
    });
    void runner.task()?.then(
      () => undefined,
      (err: unknown) => {
        ready = false;
        logger.error({ err: describeTelegramError(err, token) }, say(locale, startupText.telegramPollingStopped));
      },
    );
  }

  async function stopPolling(): Promise<void> {
    const stopping = runner?.isRunning() ? runner.stop() : Promise.resolve();
    runner = undefined;
    await stopping;
  }

  async function startWebhook(webhook: TelegramWebhookOptions): Promise<void> {
    const path = webhook.path ?? new URL(webhook.url).pathname;
    const handle = webhookCallback(bot, 'http', {
      onTimeout: 'return',
      timeoutMilliseconds: 9_000,
      ...(webhook.secretToken !== undefined ? { secretToken: webhook.secretToken } : {}),
    });
    const listening = createServer((req, res) => {
      if (req.method !== 'POST' || req.url?.split('?')[0] !== path) {
        res.writeHead(404).end();
        return;
      }
      handle(req, res).catch((err: unknown) => {
        logger.warn({ err: describeTelegramError(err, token) }, say(locale, startupText.telegramWebhookFailed));
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(webhook.port, webhook.host ?? '0.0.0.0', () => {
        listening.off('error', reject);
        resolve();
      });
    });
    server = listening;
    await bot.api.setWebhook(webhook.url, {
      allowed_updates: ALLOWED_UPDATES,
      ...(webhook.secretToken !== undefined ? { secret_token: webhook.secretToken } : {}),
    });
  }

  return {
    name: 'telegram',
    sink,
    get ready() {
      return ready;
    },
    get username() {
      return bot.isInited() ? bot.botInfo.username : undefined;
    },
    get webhookPort() {
      const address = server?.address();
      return typeof address === 'object' && address !== null ? address.port : undefined;
    },
    async start(commands: CommandService): Promise<void> {
      if (started) throw new AppError('TELEGRAM_START', 'The Telegram adapter was already started.');
      started = true;
      await init();
      const admins = new AdminChecker({
        memberStatus: async (chatId, userId) => (await bot.api.getChatMember(chatId, userId, AbortSignal.timeout(10_000) as unknown as ApiSignal)).status,
        ...(options.adminCacheMs !== undefined ? { ttlMs: options.adminCacheMs } : {}),
      });
      // In order within a chat (so two commands in one chat never race), concurrent across chats.
      bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
      bot.use(createHandlers({ commands, admins, token, logger }));
      await setMenus();
      // stop() came while the menus were set: start nothing that would outlive it.
      stopping.signal.throwIfAborted();
      if (mode === 'webhook' && options.webhook) await startWebhook(options.webhook);
      else if (!options.deferPolling) await startPolling();
      ready = true;
      logger.info({ bot: bot.botInfo.username, mode }, say(locale, startupText.telegramStarted, bot.botInfo.username, mode));
    },
    exclusive:
      mode === 'polling' && options.deferPolling
        ? [
            {
              name: 'telegram:polling',
              async start() {
                if (!started || runner?.isRunning()) return;
                await startPolling();
                logger.info(say(locale, startupText.telegramPollingTaken));
              },
              stop: stopPolling,
            },
          ]
        : undefined,
    async stop(): Promise<void> {
      ready = false;
      stopping.abort(new AppError('TELEGRAM_STOPPED', 'Telegram adapter stopped'));
      await stopPolling();
      const closing = server;
      server = undefined;
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    onDestinationChange(change: DestinationChange): void {
      if (change.type === 'moved') {
        logger.info({ from: change.destination.id, to: change.to, subscriptions: change.subscriptions }, say(locale, startupText.telegramChatMoved));
        return;
      }
      logger.warn({ chat: change.destination.id, reason: change.reason, subscriptions: change.subscriptions }, say(locale, startupText.telegramChatStopped));
      // A rejected message (not a lost chat) means the bot can still post: say why alerts stopped.
      if (!change.reason.startsWith('Telegram rejected the message')) return;
      const chatLocale = change.locale ?? 'ko';
      const text = say(chatLocale, TELEGRAM.alertsRefusedNotice, pauseReasonText(chatLocale, change.reason));
      bot.api.sendMessage(change.destination.id, text, { link_preview_options: { is_disabled: true } }).catch((err: unknown) => {
        logger.debug({ err: describeTelegramError(err, token) }, 'could not tell the chat why alerts stopped');
      });
    },
  };
}
