/**
 * The only reader of process.env. Validates everything at once and returns a frozen, typed Config;
 * a bad config becomes one ConfigError listing every problem.
 */
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { ConfigError, InputError } from './core/errors.js';
import { parseStreamerId } from './core/ids.js';
import { localeFromTag, type Locale } from './core/locale.js';
import { maskSecrets } from './core/secrets.js';
import { DEFAULT_SOOP_LIVE_INFO_URL, DEFAULT_SOOP_PLAYER_URL } from './core/soop-hosts.js';
import { problemText, say, startupText } from './i18n/index.js';

export type ChatTransport = 'auto' | 'wss' | 'ws';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  /** The language of the operator's lines (start-up, failures, logs): LOCALE, else from LANG, else ko. */
  readonly locale: Locale;
  /**
   * Running in the soop-alerts image (SOOP_ALERTS_CONTAINER=1, set by the Dockerfile): the HTTP
   * endpoint listens on every interface by default, and with nothing configured the bot waits
   * instead of running the demo (a container that exits would be restarted, replaying it forever).
   */
  readonly inContainer: boolean;
  readonly discordToken: string | undefined;
  readonly discordApiUrl: string;
  readonly telegramToken: string | undefined;
  readonly telegramApiUrl: string;
  /** Webhook mode when set (public https URL); long polling otherwise. */
  readonly telegramWebhook: { readonly url: string; readonly port: number; readonly secret: string | undefined } | undefined;
  readonly soopLiveInfoUrl: string;
  /** SOOP's player site: the Origin of SOOP requests and the links in alerts. */
  readonly soopPlayerUrl: string;
  readonly soopChatTransport: ChatTransport;
  readonly databasePath: string;
  /** PostgreSQL instead of the SQLite file when set (postgres://user:password@host:port/database). */
  readonly databaseUrl: string | undefined;
  /**
   * Several bot processes sharing one PostgreSQL database (DATABASE_URL): this process's name and
   * how long its leases (on streamers and destinations) last without a heartbeat.
   */
  readonly cluster: { readonly nodeId: string; readonly leaseTtlMs: number };
  /** Discord gateway shards this process runs (DISCORD_SHARDS) out of DISCORD_SHARD_COUNT; undefined = one process, discord.js decides. */
  readonly discordShards: { readonly ids: readonly number[]; readonly count: number } | undefined;
  /** DISCORD_SHARDS=auto (needs DATABASE_URL): the nodes share DISCORD_SHARD_COUNT shards through leases. */
  readonly discordLeasedShards: { readonly count: number } | undefined;
  readonly watch: readonly string[];
  readonly keywords: readonly string[];
  readonly logLevel: LogLevel;
  readonly httpPort: number;
  /** The address the HTTP endpoint binds: HTTP_HOST, default 127.0.0.1 (0.0.0.0 in the image). */
  readonly httpHost: string;
  /** Most subscriptions per channel/chat, and per Discord server. */
  readonly limits: { readonly perDestination: number; readonly perGuild: number };
  /** The offline demo's speed factor (tests run it faster). */
  readonly demoSpeed: number;
  /** Transient failures and 429s are retried this long after a message's first attempt (DELIVERY_GIVE_UP_HOURS). */
  readonly deliveryGiveUpMs: number;
  /** OUTBOX_RETENTION_DAYS: sent and given-up outbox rows (and broadcasts not seen since) are deleted after this long. */
  readonly outboxRetentionMs: number;
  readonly engine: {
    readonly queueCapacity: number;
    readonly workers: number;
    readonly maxEngines: number;
    readonly keepaliveMs: number;
    readonly silenceMs: number;
  };
  readonly liveInfo: {
    readonly requestsPerSecond: number;
    readonly timeoutMs: number;
    readonly offlineCheckMs: number;
    readonly restrictedCheckMs: number;
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/** A value quoted in a problem, with whatever looks like a credential masked. */
const shown = (raw: string): string => maskSecrets(raw);

/** LOCALE when it is ko or en, else the language of LANG, else Korean. */
export function configLocale(env: Env): Locale {
  const fallback = localeFromTag(env.LANG?.trim(), 'ko');
  const raw = env.LOCALE?.trim().toLowerCase();
  return raw === 'ko' || raw === 'en' ? raw : fallback;
}

class Reader {
  readonly problems: string[] = [];
  constructor(
    private readonly env: Env,
    private readonly locale: Locale,
  ) {}

  string(name: string, fallback: string): string {
    const value = this.env[name]?.trim();
    return value ? value : fallback;
  }

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(say(this.locale, startupText.wholeNumber, name, min, max, shown(raw)));
      return fallback;
    }
    return value;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      this.problems.push(say(this.locale, startupText.number, name, min, max, shown(raw)));
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(say(this.locale, startupText.oneOf, name, allowed, shown(raw)));
      return fallback;
    }
    return raw as T;
  }

  url(name: string, fallback: string): string {
    const value = this.string(name, fallback).replace(/\/+$/, '');
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
    } catch {
      this.problems.push(say(this.locale, startupText.httpUrl, name, shown(value)));
    }
    return value;
  }

  postgresUrl(name: string): string | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    let protocol = '';
    try {
      protocol = new URL(value).protocol;
    } catch {
      // reported below
    }
    // The value may hold a password: the problem names the variable, not its value.
    if (protocol !== 'postgres:' && protocol !== 'postgresql:') this.problems.push(say(this.locale, startupText.postgresUrl, name));
    return value;
  }

  nodeId(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    if (!/^[A-Za-z0-9._:-]{1,64}$/.test(value)) this.problems.push(say(this.locale, startupText.nodeId, name, shown(value)));
    return value;
  }

  /** DISCORD_SHARDS=0,1 with DISCORD_SHARD_COUNT=4: both or neither. */
  shards(idsName: string, countName: string): { ids: number[]; count: number } | undefined {
    const rawIds = this.list(idsName);
    const count = this.int(countName, 0, 1, 100_000);
    if (rawIds.length === 0 && count === 0) return undefined;
    if (count === 0) {
      this.problems.push(say(this.locale, startupText.shardsNeedCount, idsName, countName));
      return undefined;
    }
    if (rawIds.length === 0) return { ids: Array.from({ length: count }, (_, i) => i), count };
    const ids: number[] = [];
    for (const raw of rawIds) {
      const id = Number(raw);
      if (!Number.isInteger(id) || id < 0 || id >= count) this.problems.push(say(this.locale, startupText.shardIds, idsName, count - 1, shown(raw)));
      else if (!ids.includes(id)) ids.push(id);
    }
    return ids.length > 0 ? { ids, count } : undefined;
  }

  /** DISCORD_SHARDS=auto: needs the shard count and a shared database to lease them through. */
  leasedShards(idsName: string, countName: string, databaseName: string): { count: number } | undefined {
    if (this.optional(idsName)?.toLowerCase() !== 'auto') return undefined;
    const count = this.int(countName, 0, 1, 100_000);
    if (count === 0) this.problems.push(say(this.locale, startupText.autoShardsNeedCount, idsName, countName));
    if (!this.optional(databaseName)) this.problems.push(say(this.locale, startupText.autoShardsNeedDatabase, idsName, databaseName));
    return count > 0 ? { count } : undefined;
  }

  /** An address to listen on: an IP address or a host name. */
  host(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    if (isIP(value) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/.test(value)) this.problems.push(say(this.locale, startupText.httpHost, name, shown(value)));
    return value;
  }

  list(name: string): string[] {
    return (this.env[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }

  streamers(name: string, extra: readonly string[]): string[] {
    const ids = new Set<string>();
    for (const raw of [...this.list(name), ...extra]) {
      try {
        ids.add(parseStreamerId(raw));
      } catch (err) {
        this.problems.push(say(this.locale, startupText.badStreamer, name, shown(err instanceof InputError ? problemText(this.locale, err.problem) : (err as Error).message)));
      }
    }
    return [...ids];
  }
}

/** Builds the Config from an environment (process.env in main) and extra streamer ids from argv. */
export function loadConfig(env: Env, argvStreamers: readonly string[] = []): Config {
  const locale = configLocale(env);
  const r = new Reader(env, locale);
  const rawLocale = env.LOCALE?.trim().toLowerCase();
  if (rawLocale && rawLocale !== 'ko' && rawLocale !== 'en') r.problems.push(say(locale, startupText.oneOf, 'LOCALE', ['ko', 'en'], shown(rawLocale)));
  const inContainer = env.SOOP_ALERTS_CONTAINER?.trim() === '1';
  const config: Config = {
    locale,
    inContainer,
    discordToken: r.optional('DISCORD_TOKEN'),
    discordApiUrl: r.url('DISCORD_API_URL', 'https://discord.com/api'),
    telegramToken: r.optional('TELEGRAM_TOKEN'),
    telegramApiUrl: r.url('TELEGRAM_API_URL', 'https://api.telegram.org'),
    telegramWebhook: r.optional('TELEGRAM_WEBHOOK_URL')
      ? {
          url: r.url('TELEGRAM_WEBHOOK_URL', ''),
          port: r.int('TELEGRAM_WEBHOOK_PORT', 8443, 1, 65535),
          secret: r.optional('TELEGRAM_WEBHOOK_SECRET'),
        }
      : undefined,
    soopLiveInfoUrl: r.url('SOOP_LIVE_INFO_URL', DEFAULT_SOOP_LIVE_INFO_URL),
    soopPlayerUrl: r.url('SOOP_PLAYER_URL', DEFAULT_SOOP_PLAYER_URL),
    soopChatTransport: r.oneOf<ChatTransport>('SOOP_CHAT_TRANSPORT', 'auto', ['auto', 'wss', 'ws']),
    databasePath: r.string('DATABASE_PATH', './data/soop-alerts.db'),
    databaseUrl: r.postgresUrl('DATABASE_URL'),
    cluster: {
      nodeId: r.nodeId('NODE_ID', `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9._:-]/g, '-').slice(-64)),
      leaseTtlMs: r.int('LEASE_TTL_SECONDS', 15, 2, 600) * 1000,
    },
    discordShards: r.optional('DISCORD_SHARDS')?.toLowerCase() === 'auto' ? undefined : r.shards('DISCORD_SHARDS', 'DISCORD_SHARD_COUNT'),
    discordLeasedShards: r.leasedShards('DISCORD_SHARDS', 'DISCORD_SHARD_COUNT', 'DATABASE_URL'),
    watch: r.streamers('WATCH', argvStreamers),
    keywords: r.list('KEYWORDS'),
    logLevel: r.oneOf<LogLevel>('LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    httpPort: r.int('HTTP_PORT', 8080, 0, 65535),
    httpHost: r.host('HTTP_HOST', inContainer ? '0.0.0.0' : '127.0.0.1'),
    limits: {
      perDestination: r.int('MAX_SUBSCRIPTIONS_PER_CHANNEL', 25, 1, 10_000),
      perGuild: r.int('MAX_SUBSCRIPTIONS_PER_SERVER', 100, 1, 100_000),
    },
    demoSpeed: r.number('DEMO_SPEED', 1, 0.1, 1000),
    outboxRetentionMs: r.int('OUTBOX_RETENTION_DAYS', 7, 1, 3650) * 24 * 3_600_000,
    deliveryGiveUpMs: Math.round(r.number('DELIVERY_GIVE_UP_HOURS', 24, 0.01, 24 * 365) * 3_600_000),
    engine: {
      queueCapacity: r.int('ENGINE_QUEUE_CAPACITY', 4096, 16, 1_000_000),
      workers: r.int('ENGINE_WORKERS', 3, 1, 64),
      maxEngines: r.int('MAX_ENGINES', 2000, 1, 100_000),
      keepaliveMs: r.int('SOOP_KEEPALIVE_SECONDS', 20, 5, 600) * 1000,
      silenceMs: r.int('SOOP_SILENCE_SECONDS', 30, 10, 3600) * 1000,
    },
    liveInfo: {
      requestsPerSecond: r.number('LIVE_INFO_RPS', 4, 0.1, 1000),
      timeoutMs: r.int('LIVE_INFO_TIMEOUT_MS', 8000, 100, 120_000),
      offlineCheckMs: r.int('OFFLINE_CHECK_SECONDS', 60, 1, 86_400) * 1000,
      restrictedCheckMs: r.int('RESTRICTED_CHECK_SECONDS', 600, 1, 86_400) * 1000,
    },
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return Object.freeze(config);
}
