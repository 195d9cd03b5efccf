/**
 * The Discord platform adapter (discord.js 14): a gateway client with the Guilds intent only (slash
 * commands need no message content), the REST client the sink posts with, slash command
 * registration, and the lifecycle events that remove subscriptions (bot removed from a server,
 * channel deleted) plus a startup check of stored servers against the gateway's READY. With
 * `shards`, it runs some of the bot's gateway shards (shards.ts); REST sends work for any guild.
 */
import { Client, DiscordjsErrorCodes, Events, GatewayIntentBits, PermissionFlagsBits, Routes, type Channel, type Guild } from 'discord.js';
import type { CommandService } from '../commands/service.js';
import { AppError, describeError } from '../core/errors.js';
import type { Locale } from '../core/locale.js';
import { reach } from '../core/reach.js';
import { maskSecrets } from '../core/secrets.js';
import { DISCORD, localeFromTag, pauseReasonText, say, startupText } from '../i18n/index.js';
import type { DestinationChange } from '../route/router.js';
import type { Sink } from '../route/sink.js';
import { commandDefinitions } from './commands.js';
import { handleInteraction } from './interactions.js';
import { registersCommands, runsGuild, type ShardSpec } from './shards.js';
import { createDiscordSink } from './sink.js';

export interface DiscordLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DiscordAdapterOptions {
  readonly token: string;
  /** e.g. https://discord.com/api (DISCORD_API_URL); a fake Discord in tests. */
  readonly apiUrl: string;
  readonly logger?: DiscordLogger;
  /** Bulk-overwrite the slash commands on every start (default true). */
  readonly registerCommands?: boolean;
  /** How long one login waits for READY before it counts as failed (default 30 s, plus 6 s per extra shard run here). */
  readonly readyTimeoutMs?: number;
  /** The language of the operator's log lines (config LOCALE; default ko). */
  readonly locale?: Locale;
  /** REST request timeout (default 10 s). */
  readonly requestTimeoutMs?: number;
  /**
   * The gateway shards this process runs, out of the total across every process (config
   * `discordShards`). Undefined: one process, one shard, every guild.
   */
  readonly shards?: ShardSpec;
  /**
   * Several nodes on one database, shards taken by lease (DISCORD_SHARDS=auto): start() opens no
   * gateway; `exclusive` has one task per shard, started by whichever node holds its lease.
   */
  readonly leasedShards?: { readonly count: number };
}

/** Structurally the app's PlatformAdapter (app.ts is off limits to this layer). */
export interface DiscordAdapter {
  readonly name: string;
  readonly sink: Sink;
  start(commands: CommandService): Promise<void>;
  stop(): Promise<void>;
  readonly ready: boolean;
  onDestinationChange(change: DestinationChange): void;
  /** The underlying client (tests, diagnostics); with leased shards it only does REST. */
  readonly client: Client;
  /** With leased shards: one gateway task per shard, for the node holding its lease to run. */
  readonly exclusive: readonly { readonly name: string; start(): Promise<void>; stop(): Promise<void> }[] | undefined;
}

const noop = (): void => undefined;
const silent: DiscordLogger = { debug: noop, info: noop, warn: noop, error: noop };

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const logger = options.logger ?? silent;
  const shards = options.shards;
  const leased = options.leasedShards;
  const newClient = (spec: ShardSpec | undefined): Client =>
    new Client({
    intents: [GatewayIntentBits.Guilds],
    ...(spec ? { shards: [...spec.ids], shardCount: spec.count } : {}),
    // Nobody is pinged unless a message names the role explicitly (the sink passes that role only).
    allowedMentions: { parse: [] },
    rest: {
      api: options.apiUrl,
      // Pacing lives in our limiter (route/limiter.ts), which knows about every destination and
      // requeues durably. If @discordjs/rest also waited on buckets and retried 429s by itself, a
      // 429 would stall a send inside discord.js for the whole retry_after while our router thinks
      // it is in flight, and the two throttlers would fight. So message sends reject instead of
      // waiting: a RateLimitError (pre-emptive or from a 429) goes back to the router as
      // rateLimited(retry_after), which pauses that channel and requeues. Other routes (interaction
      // replies, command registration) keep discord.js's own queueing.
      rejectOnRateLimit: (data) => data.route.startsWith('/channels/'),
      // One immediate retry on a 5xx/timeout: safe because every message has a nonce with
      // enforce_nonce; the router's capped backoff handles anything longer.
      retries: 1,
      offset: 0,
      timeout: options.requestTimeoutMs ?? 10_000,
    },
  });
  const client = newClient(shards);
  /** Leased mode: the gateway client of each shard this node holds. */
  const gateways = new Map<number, Client>();

  // The sink may post before the gateway is up (alerts left in the outbox from the last run).
  client.rest.setToken(options.token);
  const sink = createDiscordSink(client.rest);
  let commands: CommandService | undefined;
  let started = false;
  const locale = options.locale ?? 'ko';
  /** Aborted by stop(): a start-up still retrying gives up at once. */
  const stopping = new AbortController();

  function channelGone(channel: Channel): void {
    if (!commands || channel.isDMBased()) return;
    const destination = { platform: 'discord' as const, id: channel.id, guildId: channel.guildId };
    const removed = commands.destinationGone(destination, 'the channel was deleted', true);
    if (removed > 0) logger.info({ channel: channel.id, guild: channel.guildId, removed }, say(locale, startupText.discordChannelDeleted, removed));
  }

  function guildGone(guild: Guild): void {
    if (!commands) return;
    const removed = commands.guildGone(guild.id, 'the bot was removed from the server');
    if (removed > 0) logger.info({ guild: guild.id, removed }, say(locale, startupText.discordGuildLeft, removed));
  }

  /**
   * Stored servers the bot is no longer in. discord.js emits ClientReady only once every guild of
   * READY arrived by GUILD_CREATE (or after waitGuildTimeout); guilds still unavailable (an outage)
   * stay in the cache, so only servers absent from READY count as gone. With sharding, READY lists
   * only this process's shards: servers of other shards are another process's to check.
   */
  function reconcileGuilds(gateway: Client, spec: ShardSpec | undefined): void {
    if (!commands) return;
    for (const guildId of commands.knownGuilds('discord')) {
      if (!runsGuild(spec, guildId) || gateway.guilds.cache.has(guildId)) continue;
      const removed = commands.guildGone(guildId, 'the bot is no longer in this server (checked at startup)');
      logger.info({ guild: guildId, removed }, say(locale, startupText.discordGuildGoneAtStart, removed));
    }
  }

  /**
   * Tells the server that a channel's alerts were paused, in its system channel (the channel itself
   * is what failed), once per disable, mentioning nobody. Skipped when the bot cannot post there.
   */
  async function noticeDisabled(change: Extract<DestinationChange, { type: 'disabled' }>): Promise<void> {
    const guildId = change.destination.guildId;
    const guild = guildId ? [client, ...gateways.values()].map((c) => c.guilds.cache.get(guildId)).find((g) => g !== undefined) : undefined;
    const notice = guild?.systemChannel;
    const me = guild?.members.me;
    if (!guild || !notice || !me || notice.id === change.destination.id) return;
    if (!notice.permissionsFor(me).has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages])) return;
    const locale = change.locale ?? localeFromTag(guild.preferredLocale, 'ko');
    const content = say(locale, DISCORD.alertsPausedNotice, `<#${change.destination.id}>`, change.subscriptions, pauseReasonText(locale, change.reason));
    try {
      await client.rest.post(Routes.channelMessages(notice.id), { body: { content: content.slice(0, 2000), allowed_mentions: { parse: [] } } });
    } catch (err) {
      logger.debug({ err: describeError(err), guild: guild.id }, 'could not post the paused-alerts notice');
    }
  }

  async function registerCommands(gateway: Client, spec: ShardSpec | undefined): Promise<void> {
    if (options.registerCommands === false || !registersCommands(spec) || !gateway.application) return;
    try {
      await gateway.application.commands.set(commandDefinitions());
      logger.info({ commands: commandDefinitions().length }, say(locale, startupText.discordCommandsRegistered, commandDefinitions().length));
    } catch (err) {
      logger.error({ err: describeError(err) }, say(locale, startupText.discordCommandsFailed));
    }
  }

  /**
   * ClientReady comes once every shard of this process is ready (discord.js waits for all of them).
   * With max_concurrency 1, discord.js identifies its shards 5 s apart, hence the longer default.
   * The waiter is set up before login (READY may come before login() resolves) and cancelled when
   * login fails, so its timer never outlives the attempt; a 4004 close (token refused by the
   * gateway) ends the wait at once.
   */
  function readyWaiter(gateway: Client, spec: ShardSpec | undefined): { promise: Promise<void>; cancel(): void } {
    const timeoutMs = options.readyTimeoutMs ?? 30_000 + 6_000 * Math.max(0, (spec?.ids.length ?? 1) - 1);
    let cancel = noop;
    const promise = new Promise<void>((resolve, reject) => {
      const onReady = (): void => {
        cancel();
        resolve();
      };
      const onDisconnect = (event: { code: number }): void => {
        if (event.code !== 4004) return;
        cancel();
        reject(tokenRejected());
      };
      const timer = setTimeout(() => {
        cancel();
        reject(new Error(`no READY from the gateway within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      gateway.once(Events.ClientReady, onReady);
      gateway.on(Events.ShardDisconnect, onDisconnect);
      cancel = () => {
        clearTimeout(timer);
        gateway.off(Events.ClientReady, onReady);
        gateway.off(Events.ShardDisconnect, onDisconnect);
      };
    });
    // Awaited only after login(); until then a rejection must not count as unhandled.
    promise.catch(noop);
    return { promise, cancel: () => cancel() };
  }

  const tokenRejected = (): AppError => new AppError('DISCORD_TOKEN_REJECTED', say(locale, startupText.discordTokenRejected));
  const isTokenRejected = (err: unknown): boolean =>
    (err instanceof AppError && err.code === 'DISCORD_TOKEN_REJECTED') || (err instanceof Error && 'code' in err && err.code === DiscordjsErrorCodes.TokenInvalid);

  /** One login: READY or an error; a failed attempt leaves the client logged out but still able to send over REST. */
  async function loginOnce(gateway: Client, spec: ShardSpec | undefined): Promise<void> {
    const ready = readyWaiter(gateway, spec);
    try {
      await gateway.login(options.token);
      await ready.promise;
    } catch (err) {
      ready.cancel();
      await gateway.destroy().catch(noop);
      // destroy() forgets the token, and the sink posts with this client's REST.
      gateway.rest.setToken(options.token);
      throw isTokenRejected(err) ? tokenRejected() : err;
    }
  }

  /** Resolves when `signal` aborts; never rejects. */
  const aborted = (signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

  function listen(gateway: Client): void {
    gateway.on(Events.InteractionCreate, (interaction) => {
      if (commands) void handleInteraction(interaction, commands, logger);
    });
    gateway.on(Events.GuildDelete, guildGone);
    gateway.on(Events.ChannelDelete, channelGone);
    gateway.on(Events.ThreadDelete, channelGone);
    gateway.on(Events.Error, (err) => logger.error({ err: describeError(err) }, say(locale, startupText.discordClientError)));
    gateway.on(Events.ShardDisconnect, (event, shard) => logger.warn({ code: event.code, shard }, say(locale, startupText.discordDisconnected)));
    gateway.on(Events.ShardResume, (shard) => logger.info({ shard }, say(locale, startupText.discordResumed)));
  }

  /**
   * Logs a gateway client in and waits for READY, then checks its servers and registers the
   * commands. With `retry`, a Discord that cannot be reached is tried again with backoff (said once
   * when it becomes unreachable and once when it answers) until stop(); a rejected token is final.
   */
  async function connect(gateway: Client, spec: ShardSpec | undefined, retry: boolean): Promise<void> {
    const url = maskSecrets(options.apiUrl);
    if (retry) {
      await reach(
        async (signal) => {
          const attempt = loginOnce(gateway, spec);
          await Promise.race([attempt, aborted(signal)]);
          // Aborted mid-login: whatever the attempt still does ends logged out.
          if (signal.aborted) void attempt.then(() => gateway.destroy(), noop);
          else await attempt;
        },
        {
          signal: stopping.signal,
          isFatal: isTokenRejected,
          describe: (err) => maskSecrets(describeError(err)),
          report: {
            unreachable: (reason) => logger.warn({ url, reason }, say(locale, startupText.platformUnreachable, 'Discord', url, reason)),
            reachable: (downMs) => logger.info({ downMs }, say(locale, startupText.platformReachable, 'Discord', downMs)),
          },
        },
      );
    } else {
      await loginOnce(gateway, spec);
    }
    logger.info({ user: gateway.user?.tag, guilds: gateway.guilds.cache.size, ...(spec ? { shards: spec.ids, shardCount: spec.count } : {}) }, say(locale, startupText.discordConnected, gateway.user?.tag ?? '?', gateway.guilds.cache.size));
    reconcileGuilds(gateway, spec);
    await registerCommands(gateway, spec);
  }

  async function startShard(shard: number, count: number): Promise<void> {
    if (!started || gateways.has(shard)) return;
    const gateway = newClient({ ids: [shard], count });
    listen(gateway);
    gateways.set(shard, gateway);
    try {
      await connect(gateway, { ids: [shard], count }, false);
    } catch (err) {
      gateways.delete(shard);
      await gateway.destroy();
      throw err;
    }
  }

  async function stopShard(shard: number): Promise<void> {
    const gateway = gateways.get(shard);
    gateways.delete(shard);
    await gateway?.destroy();
  }

  if (!leased) listen(client);

  return {
    name: 'discord',
    sink,
    client,
    get ready() {
      // Leased shards: alerts go over REST from the start; each shard's gateway comes with its lease.
      return leased ? started && [...gateways.values()].every((g) => g.isReady()) : client.isReady();
    },
    exclusive: leased
      ? Array.from({ length: leased.count }, (_, shard) => ({
          name: `discord:shard:${shard}`,
          start: () => startShard(shard, leased.count),
          stop: () => stopShard(shard),
        }))
      : undefined,
    async start(service) {
      if (started) return;
      started = true;
      commands = service;
      if (leased) {
        logger.info({ shardCount: leased.count }, say(locale, startupText.discordLeasedShards, leased.count));
        return;
      }
      await connect(client, shards, true);
    },
    async stop() {
      commands = undefined;
      stopping.abort(new AppError('DISCORD_STOPPED', 'Discord adapter stopped'));
      await Promise.all([...gateways.keys()].map((shard) => stopShard(shard)));
      await client.destroy();
    },
    onDestinationChange(change) {
      if (change.type === 'disabled') {
        logger.warn(
          { channel: change.destination.id, guild: change.destination.guildId, reason: change.reason, paused: change.subscriptions },
          say(locale, startupText.discordChannelDisabled),
        );
        void noticeDisabled(change);
      }
    },
  };
}
