/**
 * Property test of the renderings: random untrusted strings (markup of both platforms, mentions,
 * HTML, emoji with ZWJ sequences and surrogate pairs, zero-width and bidi characters, newlines,
 * runs of spaces; 0–20,000 characters) as nicknames, messages and titles of every alert kind, one
 * by one and batched, on both platforms. Every rendering must pass the checks the real platforms
 * make (the fakes' own checkers: Discord's embed limits, Telegram's HTML parser and 1–4,096 visible
 * characters), never be blank, never let a mention parse, and show a nickname exactly as written.
 *
 * A small seeded generator instead of a property-testing library: the seed is printed in every
 * failure message, so a failing case can be replayed by setting it.
 */
import { describe, expect, it } from 'vitest';
import { messageBody } from '../../src/discord/sink.js';
import type { Alert } from '../../src/route/alert.js';
import {
  renderDiscord,
  renderDiscordDigest,
  renderDiscordMinimal,
  renderTelegram,
  renderTelegramDigest,
  renderTelegramMinimal,
  type DiscordMessage,
  type TelegramMessage,
} from '../../src/route/format.js';
import { stripControls } from '../../src/route/text.js';
import { discordBodyViolations, isEmptyDiscordMessage } from '../fakes/discord-limits.js';
import { parseTelegramHtml } from '../fakes/telegram.js';
import { chat, donation, mission, subscription } from './fixtures.js';

const SEED = Number(process.env.FORMAT_PROPERTY_SEED ?? 20261201);
const ROLE = '223456789012345678';

/** mulberry32: a tiny, good-enough seeded generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  // Discord markdown and references
  '*', '**', '_', '__', '~~', '`', '```', '||', '>', '> ', '>>> ', '# ', '## ', '-# ', '- ', '+ ', '1. ', '\\', '[x](https://evil.example)', '<https://x.y>', 'https://evil.example/a_b', ':smile:', '<:e:123456789012345678>', '<t:1700000000:R>', '</cmd:123456789012345678>',
  // mentions
  '@everyone', '@here', '@EVERYONE', '<@123456789012345678>', '<@!123456789012345678>', '<@&123456789012345678>', '<#123456789012345678>', '@durov', '@username_5', '<@', '@',
  // HTML and entities
  '<b>', '</b>', '<b>&</b>', '&amp;', '&lt;', '&', '<', '>', '"', "'", '<a href="x">', '</blockquote>', '&#65;',
  // emoji: surrogate pairs, ZWJ sequences, flags, skin tones, keycaps, variation selectors
  '😀', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇰🇷', '👍🏽', '1️⃣', '❤️', '𝕏', '\u200D',
  // invisible and direction
  '\u200B', '\u200C', '\u2060', '\uFEFF', '\u00AD', '\u3164', '\u2800', '\u200F', '\u202E', '\u2066', 'שלום', 'مرحبا',
  // controls and line breaks
  '\n', '\r\n', '\n\n', '\t', '\u0000', '\u0007', '\u001b[31m', '\u2028',
  // ordinary text
  '별빛', '안녕하세요', 'ㅋㅋㅋ', 'hello', ' ', '     ', 'a', '가',
];

function randomString(next: () => number, maxLength: number): string {
  const target = Math.floor(next() * (maxLength + 1));
  let text = '';
  // Sometimes one piece over and over (5,000 '*', 9,000 spaces), sometimes a mix.
  const repeated = next() < 0.2 ? PIECES[Math.floor(next() * PIECES.length)] : undefined;
  while (text.length < target) text += repeated ?? (PIECES[Math.floor(next() * PIECES.length)] as string);
  return text;
}

/** A length: mostly short, sometimes huge (0–20,000). */
function randomLength(next: () => number): number {
  const r = next();
  if (r < 0.5) return 60;
  if (r < 0.8) return 1500;
  return 20_000;
}

const KINDS = ['star', 'ad', 'video', 'subscription', 'mission', 'live', 'offline', 'chat'] as const;

function randomAlert(next: () => number): Alert {
  const s = (): string => randomString(next, randomLength(next));
  const meta = {
    streamerId: next() < 0.9 ? 'khm11903' : `bj${Math.floor(next() * 100)}`,
    locale: next() < 0.5 ? 'ko' : 'en',
    loud: next() < 0.3,
    ...(next() < 0.3 ? { mentionRoleId: ROLE } : {}),
    ...(next() < 0.2 ? { test: true } : {}),
    ...(next() < 0.2 ? { delayed: true } : {}),
    at: 1_700_000_000_000,
  } as const;
  const kind = KINDS[Math.floor(next() * KINDS.length)] as (typeof KINDS)[number];
  switch (kind) {
    case 'star':
    case 'ad':
    case 'video':
      return { ...meta, kind, event: donation({ nickname: s(), userId: next() < 0.8 ? 'viewer01' : s(), message: s(), count: Math.floor(next() * 1e6), fanOrder: Math.floor(next() * 3) * 1234, newTopFan: next() < 0.3 }) };
    case 'subscription':
      return { ...meta, kind, event: subscription({ type: next() < 0.5 ? 'gift' : 'consecutive', nickname: s(), recipientNickname: s(), recipientId: 'lucky', months: 3, tier: 2 }) };
    case 'mission':
      return { ...meta, kind, event: mission({ nickname: s(), title: s() }) };
    case 'live':
      return { ...meta, kind, event: { kind: 'live', broadcastNo: '1', title: s(), streamerNickname: s() } };
    case 'offline':
      return { ...meta, kind, event: { kind: 'offline', broadcastNo: '1' } };
    case 'chat':
      return { ...meta, kind, event: chat(s(), { nickname: s() }) };
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Mentions as Discord parses them: not after a backslash, nothing invisible inside. */
const DISCORD_MENTION = /(?<!\\)@(everyone|here)|(?<!\\)<@[!&]?\d+>/i;
/** `@username` as Telegram detects it (a letter or underscore right after the '@'). */
const TELEGRAM_MENTION = /@[A-Za-z_]/;

function discordStrings(m: DiscordMessage): string[] {
  return [m.content ?? '', ...m.embeds.flatMap((e) => [e.title, e.description ?? '', e.footer?.text ?? '', ...e.fields.flatMap((f) => [f.name, f.value])])];
}

function checkDiscord(m: DiscordMessage, context: string): void {
  const body = messageBody(m, 'nonce');
  expect(discordBodyViolations(body), context).toEqual({});
  expect(isEmptyDiscordMessage(body), context).toBe(false);
  expect(m.allowedMentions.parse, context).toEqual([]);
  expect(m.allowedMentions.roles.every((r) => r === ROLE), context).toBe(true);
  for (const e of m.embeds) {
    expect(e.title.trim(), context).not.toBe('');
    for (const f of e.fields) {
      expect(f.name.trim(), context).not.toBe('');
      expect(f.value.trim(), context).not.toBe('');
    }
  }
  for (const text of discordStrings(m)) {
    expect(text, context).not.toMatch(LONE_SURROGATE);
    // A cut never leaves a lone backslash at the end of a string (it would escape our own markup).
    expect((/\\+$/.exec(text)?.[0].length ?? 0) % 2, context).toBe(0);
  }
  // The only mention anywhere is the subscription's role, at the start of `content`, on a loud alert.
  const content = (m.content ?? '').replace(new RegExp(`^<@&${ROLE}>`), '');
  for (const text of [content, ...discordStrings(m).slice(1)]) expect(text, context).not.toMatch(DISCORD_MENTION);
}

function checkTelegram(m: TelegramMessage, context: string): void {
  const visible = m.parseMode === 'HTML' ? parseTelegramHtml(m.text).text : m.text;
  expect(visible.length, context).toBeGreaterThanOrEqual(1);
  expect(visible.length, context).toBeLessThanOrEqual(4096);
  expect(visible.trim(), context).not.toBe('');
  expect(visible, context).not.toMatch(LONE_SURROGATE);
  expect(visible, context).not.toMatch(TELEGRAM_MENTION);
}

const CASES = 120;

describe('format properties (seeded random untrusted text)', () => {
  it(`every alert, alone, is within every limit on both platforms (seed ${SEED})`, () => {
    const next = random(SEED);
    for (let i = 0; i < CASES; i++) {
      const alert = randomAlert(next);
      const context = `seed ${SEED}, case ${i}, ${alert.kind}`;
      checkDiscord(renderDiscord(alert), context);
      const telegram = renderTelegram(alert);
      expect(telegram, context).toHaveLength(1);
      for (const m of telegram) checkTelegram(m, context);
      for (const m of renderDiscordMinimal([alert])) checkDiscord(m, `${context} (minimal)`);
      for (const m of renderTelegramMinimal([alert])) checkTelegram(m, `${context} (minimal)`);
    }
  });

  it(`batches and digests of 2–30 alerts stay within the limits, split rather than overflow (seed ${SEED})`, () => {
    const next = random(SEED + 1);
    for (let i = 0; i < 25; i++) {
      const alerts = Array.from({ length: 2 + Math.floor(next() * 29) }, () => randomAlert(next));
      if (next() < 0.5) alerts.forEach((a, j) => (alerts[j] = { ...a, kind: 'chat', event: chat(randomString(next, 3000), { nickname: randomString(next, 200) }) } as Alert));
      const context = `seed ${SEED + 1}, batch ${i} of ${alerts.length}`;
      const discord = renderDiscordDigest(alerts);
      expect(discord.length, context).toBeGreaterThanOrEqual(1);
      for (const m of discord) checkDiscord(m, context);
      for (const m of renderTelegramDigest(alerts)) checkTelegram(m, context);
      for (const m of renderDiscordMinimal(alerts)) checkDiscord(m, `${context} (minimal)`);
      for (const m of renderTelegramMinimal(alerts)) checkTelegram(m, `${context} (minimal)`);
    }
  });

  /** What a reader copies of a nickname: the nickname, control characters gone, mention shapes broken. */
  const shownNickname = (nick: string): string => stripControls(nick, false).trim();

  it(`a nickname copied from Discord is the nickname: backslash escapes only (seed ${SEED})`, () => {
    const next = random(SEED + 2);
    const unescape = (text: string): string => text.replace(/\\([^0-9A-Za-z\s])/g, '$1');
    for (let i = 0; i < 300; i++) {
      const nick = randomString(next, 120);
      const expected = shownNickname(nick)
        .replace(/@(everyone|here)/gi, '@\u200B$1')
        .replace(/<(?=@)/g, '<\u200B');
      const alert = { streamerId: 'khm11903', locale: 'ko', loud: false, kind: 'star', event: donation({ nickname: nick }) } as Alert;
      const first = renderDiscord(alert).embeds[0]?.description?.split('\n')[0] ?? '';
      const context = `seed ${SEED + 2}, case ${i}: ${JSON.stringify(nick)}`;
      if (expected === '') {
        // No nickname left: the id alone is shown, in bold.
        expect(first, context).toBe('**viewer01**');
        continue;
      }
      const bold = /^\*\*([^]*)\*\* \\\(viewer01\\\)$/.exec(first)?.[1];
      expect(bold, context).toBeDefined();
      expect(unescape(bold ?? ''), context).toBe(expected);
    }
  });

  it(`a nickname copied from Telegram is the nickname: HTML entities only (seed ${SEED})`, () => {
    const next = random(SEED + 3);
    for (let i = 0; i < 300; i++) {
      const nick = randomString(next, 120);
      const expected = shownNickname(nick).replace(/@(?=[A-Za-z_])/g, '@\u200B');
      const alert = { streamerId: 'khm11903', locale: 'ko', loud: false, kind: 'chat', event: chat('hi', { nickname: nick }) } as Alert;
      const [m] = renderTelegram(alert);
      const parsed = parseTelegramHtml(m?.text ?? '');
      const context = `seed ${SEED + 3}, case ${i}: ${JSON.stringify(nick)}`;
      const bold = parsed.entities.filter((e) => e.type === 'bold').map((e) => parsed.text.slice(e.offset, e.offset + e.length));
      // The first bold span is the title; the second is the nickname (or the id alone when none is left).
      expect(bold.slice(1), context).toEqual([expected === '' ? 'viewer01' : expected]);
    }
  });
});
