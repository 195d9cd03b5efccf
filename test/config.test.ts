import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/core/errors.js';

describe('loadConfig', () => {
  it('gives working defaults for an empty environment (console mode)', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      discordToken: undefined,
      telegramToken: undefined,
      soopLiveInfoUrl: 'https://live.sooplive.com/afreeca/player_live_api.php',
      soopPlayerUrl: 'https://play.sooplive.com',
      soopChatTransport: 'auto',
      databasePath: './data/soop-alerts.db',
      databaseUrl: undefined,
      httpPort: 8080,
      watch: [],
      limits: { perDestination: 25, perGuild: 100 },
      engine: { queueCapacity: 4096, workers: 3, maxEngines: 2000 },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads streamers from WATCH and the command line, normalised and deduplicated', () => {
    const config = loadConfig({ WATCH: 'KHM11903, https://play.sooplive.co.kr/abc123', KEYWORDS: '대박, 안녕 ' }, ['abc123', 'zzz99']);
    expect(config.watch).toEqual(['khm11903', 'abc123', 'zzz99']);
    expect(config.keywords).toEqual(['대박', '안녕']);
  });

  it('reads the cluster settings and the Discord shards, fixed or leased', () => {
    const fixed = loadConfig({ NODE_ID: 'node-a', LEASE_TTL_SECONDS: '9', DISCORD_SHARDS: '1, 3', DISCORD_SHARD_COUNT: '4' });
    expect(fixed.cluster).toEqual({ nodeId: 'node-a', leaseTtlMs: 9000 });
    expect(fixed.discordShards).toEqual({ ids: [1, 3], count: 4 });
    expect(fixed.discordLeasedShards).toBeUndefined();
    expect(loadConfig({ DISCORD_SHARD_COUNT: '2' }).discordShards).toEqual({ ids: [0, 1], count: 2 });
    const leased = loadConfig({ DISCORD_SHARDS: 'auto', DISCORD_SHARD_COUNT: '4', DATABASE_URL: 'postgres://db/x' });
    expect(leased.discordLeasedShards).toEqual({ count: 4 });
    expect(leased.discordShards).toBeUndefined();
    expect(loadConfig({}).cluster.nodeId).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
  });

  it('refuses shard settings that cannot work, saying why', () => {
    const problems = (env: Record<string, string>): string => {
      try {
        loadConfig({ LOCALE: 'en', ...env });
      } catch (err) {
        return (err as ConfigError).problems.join('\n');
      }
      return '';
    };
    expect(problems({ DISCORD_SHARDS: 'auto' })).toMatch(/DISCORD_SHARDS=auto needs DISCORD_SHARD_COUNT/);
    expect(problems({ DISCORD_SHARDS: 'auto', DISCORD_SHARD_COUNT: '2' })).toMatch(/DISCORD_SHARDS=auto needs DATABASE_URL/);
    expect(problems({ DISCORD_SHARDS: '0,5', DISCORD_SHARD_COUNT: '2' })).toMatch(/shard ids from 0 to 1/);
    expect(problems({ DISCORD_SHARDS: '0' })).toMatch(/DISCORD_SHARDS needs DISCORD_SHARD_COUNT/);
    expect(problems({ NODE_ID: 'has space' })).toMatch(/NODE_ID must be/);
    expect(problems({ LEASE_TTL_SECONDS: '1' })).toMatch(/LEASE_TTL_SECONDS must be a whole number from 2/);
  });

  it('keeps finished outbox rows OUTBOX_RETENTION_DAYS (default 7), a whole number of days from 1', () => {
    expect(loadConfig({}).outboxRetentionMs).toBe(7 * 86_400_000);
    expect(loadConfig({ OUTBOX_RETENTION_DAYS: '30' }).outboxRetentionMs).toBe(30 * 86_400_000);
    for (const bad of ['0', '-1', '1.5', 'week']) expect(() => loadConfig({ OUTBOX_RETENTION_DAYS: bad })).toThrow(/OUTBOX_RETENTION_DAYS/);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ LOCALE: 'en', HTTP_PORT: 'eighty', SOOP_CHAT_TRANSPORT: 'carrier-pigeon', DISCORD_API_URL: 'ftp://x', DATABASE_URL: 'mysql://db', WATCH: 'ok1,not valid!' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/HTTP_PORT must be a whole number/);
    expect(problems).toMatch(/SOOP_CHAT_TRANSPORT must be one of auto, wss, ws/);
    expect(problems).toMatch(/DISCORD_API_URL must be an http\(s\) URL/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/not a valid SOOP streamer id/);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('turns Telegram webhook mode on only with a URL, and never keeps a trailing slash on API roots', () => {
    expect(loadConfig({}).telegramWebhook).toBeUndefined();
    const config = loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://bot.example/tg', TELEGRAM_WEBHOOK_SECRET: 's3cret-value', TELEGRAM_API_URL: 'http://127.0.0.1:9000/' });
    expect(config.telegramWebhook).toEqual({ url: 'https://bot.example/tg', port: 8443, secret: 's3cret-value' });
    expect(config.telegramApiUrl).toBe('http://127.0.0.1:9000');
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' }).databaseUrl).toBe('postgres://u:p@127.0.0.1:5432/db');
  });
  it('picks the operator language from LOCALE, else LANG, else Korean', () => {
    expect(loadConfig({}).locale).toBe('ko');
    expect(loadConfig({ LANG: 'en_US.UTF-8' }).locale).toBe('en');
    expect(loadConfig({ LANG: 'C.UTF-8' }).locale).toBe('ko');
    expect(loadConfig({ LANG: 'en_US.UTF-8', LOCALE: 'ko' }).locale).toBe('ko');
    expect(loadConfig({ LOCALE: 'EN' }).locale).toBe('en');
    expect(() => loadConfig({ LOCALE: 'fr', LANG: 'en' })).toThrow(/LOCALE must be one of ko, en \(got "fr"\)/);
  });

  it('binds the HTTP endpoint to loopback, except in the image (SOOP_ALERTS_CONTAINER=1)', () => {
    expect(loadConfig({})).toMatchObject({ httpHost: '127.0.0.1', inContainer: false });
    expect(loadConfig({ SOOP_ALERTS_CONTAINER: '1' })).toMatchObject({ httpHost: '0.0.0.0', inContainer: true });
    expect(loadConfig({ SOOP_ALERTS_CONTAINER: '1', HTTP_HOST: '127.0.0.1' }).httpHost).toBe('127.0.0.1');
    expect(loadConfig({ HTTP_HOST: '::' }).httpHost).toBe('::');
    expect(() => loadConfig({ HTTP_HOST: 'http://0.0.0.0', LOCALE: 'en' })).toThrow(/HTTP_HOST must be an IP address or a host name/);
  });

  it('masks credentials quoted in a problem', () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789ab';
    const error = (() => {
      try {
        loadConfig({ LOCALE: 'en', DISCORD_API_URL: token, HTTP_PORT: token, NODE_ID: `x/${token}` });
      } catch (err) {
        return err as ConfigError;
      }
      return undefined;
    })();
    expect(error?.problems).toEqual([
      'DISCORD_API_URL must be an http(s) URL (got "***")',
      'NODE_ID must be 1 to 64 letters, digits, dots, dashes, underscores or colons (got "x/***")',
      'HTTP_PORT must be a whole number from 0 to 65535 (got "***")',
    ]);
  });
});
