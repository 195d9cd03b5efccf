import { DiscordAPIError, HTTPError, PermissionFlagsBits, RateLimitError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/core/errors.js';
import { COMMAND_NAMES, commandDefinitions } from '../../src/discord/commands.js';
import { toDeliveryError } from '../../src/discord/errors.js';
import { localeOf, replyPages } from '../../src/discord/interactions.js';
import { botMissingText, memberMayManage, missingBotPermissions } from '../../src/discord/permissions.js';
import { DISCORD } from '../../src/i18n/index.js';
import { MAX_NONCE_LENGTH, createDiscordSink, messageNonce } from '../../src/discord/sink.js';
import type { Alert } from '../../src/route/alert.js';

const apiError = (status: number, code: number, extra: object = {}): DiscordAPIError =>
  new DiscordAPIError({ code, message: 'nope', ...extra }, code, status, 'POST', 'https://discord.com/api/v10/channels/123456789012345678/messages', { body: undefined, files: undefined });

const rateLimit = (retryAfter: number): RateLimitError =>
  new RateLimitError({ global: false, hash: 'h', limit: 5, majorParameter: '123456789012345678', method: 'POST', retryAfter, route: '/channels/:id/messages', scope: 'user', sublimitTimeout: 0, timeToReset: retryAfter, url: 'u' });

describe('toDeliveryError', () => {
  it('rate limits become rateLimited with the wait in ms', () => {
    expect(toDeliveryError(rateLimit(1500))).toMatchObject({ kind: 'rateLimited', retryAfterMs: 1500 });
    expect(toDeliveryError(apiError(429, 0, { retry_after: 2.5 }))).toMatchObject({ kind: 'rateLimited', retryAfterMs: 2500 });
    expect(toDeliveryError(rateLimit(0)).retryAfterMs).toBeGreaterThan(0);
  });

  it.each([
    [404, 10003, 'Unknown Channel (10003)'],
    [404, 10004, 'Unknown Guild (10004)'],
    [403, 50001, 'Missing Access (50001)'],
    [403, 50013, 'Missing Permissions (50013): the bot cannot post in this channel'],
  ])('%i / %i is permanent with a clear reason', (status, code, reason) => {
    const err = toDeliveryError(apiError(status, code));
    expect(err.kind).toBe('permanent');
    expect(err.message).toContain(reason);
  });

  it('5xx, network errors, timeouts and HTTP errors without a Discord verdict are transient', () => {
    expect(toDeliveryError(apiError(502, 0)).kind).toBe('transient');
    expect(toDeliveryError(new TypeError('fetch failed')).kind).toBe('transient');
    expect(toDeliveryError(Object.assign(new Error('aborted'), { name: 'AbortError' })).message).toContain('did not answer in time');
    expect(toDeliveryError(new HTTPError(403, 'Forbidden', 'POST', 'u', { body: undefined, files: undefined })).kind).toBe('transient');
  });

  it('a bad message (400: our rendering) or a bad token (401) does not pause the channel; other 4xx do', () => {
    expect(toDeliveryError(apiError(400, 50035)).kind).toBe('rendering');
    expect(toDeliveryError(apiError(401, 0)).kind).toBe('transient');
    expect(toDeliveryError(apiError(401, 0)).message).toContain('DISCORD_TOKEN');
    expect(toDeliveryError(apiError(403, 20001)).kind).toBe('permanent');
    const own = DeliveryError.permanent('x');
    expect(toDeliveryError(own)).toBe(own);
  });
});

describe('messageNonce', () => {
  it('is short, stable per key and page, and differs between them', () => {
    const a = messageNonce('dcbj1:uuid:abc:discord:123456789012345678');
    expect(a.length).toBeLessThanOrEqual(MAX_NONCE_LENGTH);
    expect(a).toMatch(/^[0-9a-z]+$/);
    expect(messageNonce('dcbj1:uuid:abc:discord:123456789012345678')).toBe(a);
    expect(messageNonce('dcbj1:uuid:abc:discord:123456789012345678', 1)).not.toBe(a);
    expect(messageNonce('dcbj1:uuid:abd:discord:123456789012345678')).not.toBe(a);
    for (let i = 0; i < 200; i++) expect(messageNonce(`k${i}`).length).toBeLessThanOrEqual(MAX_NONCE_LENGTH);
  });
});

describe('the Discord sink', () => {
  const alert = (count: number, loud = false): Alert => ({
    kind: 'star',
    streamerId: 'sinkbj',
    locale: 'ko',
    loud,
    ...(loud ? { mentionRoleId: '223456789012345678' } : {}),
    event: { kind: 'donation', code: '0018', type: 'star', userId: 'fan', nickname: '@everyone', count, fanOrder: 0, newTopFan: false },
  });

  it('posts the embed with allowed_mentions and a nonce, and maps failures', async () => {
    const posts: { route: string; body: Record<string, unknown> }[] = [];
    const sink = createDiscordSink({
      async post(route, options) {
        posts.push({ route, body: options.body as Record<string, unknown> });
        if (posts.length === 2) throw rateLimit(700);
        return {};
      },
    });
    const destination = { platform: 'discord' as const, id: '123456789012345678', guildId: '323456789012345678' };
    await sink.send({ destination, alerts: [alert(1000, true)], key: 'k1' });
    expect(posts[0]?.route).toBe('/channels/123456789012345678/messages');
    expect(posts[0]?.body).toMatchObject({ content: '<@&223456789012345678>', allowed_mentions: { parse: [], roles: ['223456789012345678'] }, nonce: messageNonce('k1'), enforce_nonce: true });
    await expect(sink.send({ destination, alerts: [alert(5), alert(6)], key: 'k2+2' })).rejects.toMatchObject({ kind: 'rateLimited', retryAfterMs: 700 });
    expect(posts[1]?.body).not.toHaveProperty('content');
    expect(posts[1]?.body.allowed_mentions).toEqual({ parse: [], roles: [] });
  });
});

describe('slash command definitions', () => {
  const defs = commandDefinitions();

  it('has every command, Korean names and descriptions, guild-only', () => {
    expect(defs.map((d) => d.name)).toEqual([...COMMAND_NAMES]);
    for (const d of defs) {
      expect(d.name_localizations?.ko, d.name).toMatch(/^[\p{L}\p{N}_-]{1,32}$/u);
      expect(d.description_localizations?.ko, d.name).toBeTruthy();
      expect(d.contexts).toEqual([0]);
    }
  });

  it('management commands default to Manage Channels; /help is for everyone', () => {
    for (const d of defs) expect(d.default_member_permissions, d.name).toBe(d.name === 'help' ? null : String(PermissionFlagsBits.ManageChannels));
  });

  it('/watch has the documented options, /keywords its subcommands', () => {
    const watch = defs.find((d) => d.name === 'watch');
    expect(watch?.options?.map((o) => o.name)).toEqual(['streamer', 'keywords', 'min_balloons', 'events', 'mention_role', 'loud_above']);
    expect(watch?.options?.[0]).toMatchObject({ required: true, name_localizations: { ko: '스트리머' } });
    const keywords = defs.find((d) => d.name === 'keywords');
    expect(keywords?.options?.map((o) => o.name)).toEqual(['add', 'remove', 'list']);
    const unwatch = defs.find((d) => d.name === 'unwatch');
    expect(unwatch?.options?.[0]).toMatchObject({ name: 'streamer', autocomplete: true });
  });
});

describe('permission checks', () => {
  const { ViewChannel, SendMessages, EmbedLinks, ManageChannels, Administrator, SendMessagesInThreads } = PermissionFlagsBits;

  it('members need Manage Channels (or Administrator)', () => {
    expect(memberMayManage(ViewChannel | SendMessages)).toBe(false);
    expect(memberMayManage(ManageChannels)).toBe(true);
    expect(memberMayManage(String(Administrator))).toBe(true);
    expect(memberMayManage(null)).toBe(false);
  });

  it('names exactly what the bot lacks, in both languages', () => {
    expect(missingBotPermissions(ViewChannel | SendMessages | EmbedLinks)).toEqual([]);
    const missing = missingBotPermissions(ViewChannel | SendMessages);
    expect(missing.map((p) => p.name)).toEqual(['EmbedLinks']);
    expect(missingBotPermissions(ViewChannel | EmbedLinks | SendMessages, true).map((p) => p.name)).toEqual(['SendMessagesInThreads']);
    expect(missingBotPermissions(ViewChannel | EmbedLinks | SendMessagesInThreads, true)).toEqual([]);
    expect(botMissingText(missing, 'ko', DISCORD.nothingSaved)).toContain('링크 첨부. 채널 설정');
    expect(botMissingText(missing, 'ko', DISCORD.nothingSaved)).toContain('아무것도 저장하지 않았습니다.');
    expect(botMissingText(missing, 'en', DISCORD.nothingSaved)).toContain('Embed Links. ');
    expect(botMissingText(missing, 'en', DISCORD.nothingSaved)).toContain('Nothing was saved.');
  });
});

describe('replies', () => {
  it('picks the locale from the Discord client', () => {
    expect(localeOf('en-US')).toBe('en');
    expect(localeOf('en-GB')).toBe('en');
    expect(localeOf('ko')).toBe('ko');
    expect(localeOf('ja')).toBe('ko');
  });

  it('escapes markdown, links channel ids, and splits long replies under 2,000 characters', () => {
    expect(replyPages('**bold** @everyone (#123456789012345678)')).toEqual(['\\*\\*bold\\*\\* @\u200Beveryone \\(<#123456789012345678>\\)']);
    const pages = replyPages(Array.from({ length: 100 }, (_, i) => `• streamer${i} — ${'x'.repeat(50)}`).join('\n'));
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(2000);
  });
});
