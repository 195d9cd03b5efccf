import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/route/alert.js';
import {
  DISCORD_LIMITS,
  KIND_COLOUR,
  TELEGRAM_TEXT_LIMIT,
  renderConsole,
  renderConsoleDigest,
  renderDiscord,
  renderDiscordDigest,
  renderTelegram,
  renderTelegramDigest,
  renderDiscordMinimal,
  renderTelegramMinimal,
  type DiscordEmbed,
  type DiscordMessage,
  type TelegramMessage,
} from '../../src/route/format.js';
import { chat, donation, mission, subscription } from './fixtures.js';

const ROLE = '123456789012345678';
const base = { streamerId: 'khm11903', locale: 'ko', loud: false } as const;

const starAlert = (patch: Partial<Alert> = {}, event: Parameters<typeof donation>[0] = {}): Alert =>
  ({ ...base, kind: 'star', event: donation({ fanOrder: 1234, ...event }), ...patch }) as Alert;
const chatAlert = (message: string, patch: Partial<Alert> = {}, event: Parameters<typeof chat>[1] = {}): Alert =>
  ({ ...base, kind: 'chat', event: chat(message, event), ...patch }) as Alert;
const liveAlert = (patch: Partial<Alert> = {}): Alert =>
  ({ ...base, kind: 'live', event: { kind: 'live', broadcastNo: '280000000', title: '오늘은 _노래_ 방송', streamerNickname: '스트리머' }, ...patch }) as Alert;

const INJECTION = '<b>&</b> **bold** @everyone @here <@&123456789012345678> <@99> <#42> [x](http://evil)';

const embedOf = (m: DiscordMessage): DiscordEmbed => m.embeds[0] as DiscordEmbed;
const embedText = (e: DiscordEmbed): string => [e.title, e.description ?? '', ...e.fields.flatMap((f) => [f.name, f.value]), e.footer?.text ?? ''].join('\n');
const embedSize = (e: DiscordEmbed): number => embedText(e).length - (2 + e.fields.length * 2);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What Discord shows of escaped markdown: a backslash before any non-alphanumeric shows that character. */
const unescapeDiscord = (text: string): string => text.replace(/\\([^0-9A-Za-z\s])/g, '$1');

/** What Telegram shows of an HTML message: tags removed, the four entities decoded. */
function visible(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Only our tags, balanced, and every '&' starts one of the four entities. */
function expectWellFormedHtml(html: string): void {
  const stack: string[] = [];
  for (const [, close, name] of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    expect(['b', 'i', 'a', 'blockquote']).toContain(name);
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name as string);
  }
  expect(stack).toEqual([]);
  expect(html.replace(/&(amp|lt|gt|quot);/g, '')).not.toContain('&');
}

describe('renderDiscord', () => {
  it('a star balloon alert: title, colour, donor, count, fan club, top fan', () => {
    const m = renderDiscord(starAlert({ at: Date.UTC(2026, 10, 26) }, { newTopFan: true, count: 1000, message: '사랑해요' }));
    const e = embedOf(m);
    expect(e.title).toBe('⭐ 별풍선 1,000개');
    expect(e.color).toBe(KIND_COLOUR.star);
    expect(e.description).toBe('**닉네임** \\(viewer01\\)\n> 사랑해요');
    expect(e.fields).toEqual([
      { name: '개수', value: '1,000', inline: true },
      { name: '팬클럽', value: '\\#1234', inline: true },
      { name: '열혈팬', value: '새 열혈팬!', inline: true },
    ]);
    expect(e.footer?.text).toBe('SOOP · khm11903');
    expect(e.timestamp).toBe('2026-11-26T00:00:00.000Z');
    expect(m.content).toBeUndefined();
    expect(m.allowedMentions).toEqual({ parse: [], roles: [] });
  });

  it('English, and the other donation types', () => {
    expect(embedOf(renderDiscord(starAlert({ locale: 'en' }))).title).toBe('⭐ 100 star balloons');
    expect(embedOf(renderDiscord(starAlert({}, { type: 'vod' }))).title).toBe('⭐ VOD 별풍선 100개');
    const ad = { ...base, kind: 'ad', event: donation({ type: 'stationAd', count: 500 }) } as Alert;
    expect(embedOf(renderDiscord(ad))).toMatchObject({ title: '📢 방송국 애드벌룬 500개', color: KIND_COLOUR.ad });
    const video = { ...base, locale: 'en', kind: 'video', event: donation({ type: 'video', count: 3 }) } as Alert;
    expect(embedOf(renderDiscord(video)).title).toBe('🎬 3 video balloons');
  });

  it('loud alerts mention the subscription role, and only it', () => {
    const loud = renderDiscord(starAlert({ loud: true, mentionRoleId: ROLE }));
    expect(loud.content).toBe(`<@&${ROLE}>`);
    expect(loud.allowedMentions).toEqual({ parse: [], roles: [ROLE] });
    const quietWithRole = renderDiscord(starAlert({ loud: false, mentionRoleId: ROLE }));
    expect(quietWithRole.content).toBeUndefined();
    expect(quietWithRole.allowedMentions.roles).toEqual([]);
    const badRole = renderDiscord(starAlert({ loud: true, mentionRoleId: '@everyone' }));
    expect(badRole.content).toBeUndefined();
    expect(badRole.allowedMentions.roles).toEqual([]);
  });

  it('a keyword chat is clearly a quote, never a balloon alert', () => {
    const e = embedOf(renderDiscord(chatAlert('별풍선 100개 감사합니다')));
    expect(e.title).toBe('💬 키워드 채팅');
    expect(e.color).toBe(KIND_COLOUR.chat);
    const balloonColours = [KIND_COLOUR.star, KIND_COLOUR.ad, KIND_COLOUR.video, KIND_COLOUR.mission];
    expect(balloonColours).not.toContain(e.color);
    expect(e.description).toBe('**닉네임** \\(viewer01\\)\n> 별풍선 100개 감사합니다');
    expect(e.fields).toEqual([]);
    const en = embedOf(renderDiscord(chatAlert('gg', { locale: 'en' })));
    expect(en.title).toBe('💬 Keyword chat');
    expect(embedText(en)).not.toMatch(/balloon/i);
  });

  it('escapes markdown and neutralises mentions and links in every untrusted string', () => {
    const e = embedOf(renderDiscord(starAlert({}, { nickname: INJECTION, message: INJECTION })));
    const text = embedText(e);
    expect(text).toContain('\\*\\*bold\\*\\*');
    expect(text).not.toMatch(/(^|[^\\])\*\*bold/);
    expect(text).not.toMatch(/@(everyone|here)/);
    // Every '<' is escaped (so no reference can start), and the ping shapes are broken on top.
    expect(text).not.toMatch(/(^|[^\\])</);
    expect(text).not.toMatch(/<\\?@/);
    expect(text).not.toContain('](http');
    expect(text).not.toContain('http://');
    expect(text).toContain('\\[x\\]\\(http\\://evil\\)');
    const chatText = embedText(embedOf(renderDiscord(chatAlert(INJECTION, {}, { nickname: '# heading\n> quote' }))));
    expect(chatText).toContain('\\# heading');
    expect(chatText).not.toMatch(/<\\?@/);
    // The quote is ours: the chat's own '>' cannot close it or start another.
    expect(chatText).toContain('> \\<b\\>&\\<');
  });

  it('escapes the live title; keeps our own link clickable', () => {
    const e = embedOf(renderDiscord(liveAlert()));
    expect(e).toMatchObject({ title: '🔴 방송 시작', url: 'https://play.sooplive.com/khm11903', color: KIND_COLOUR.live });
    expect(e.description).toBe('**스트리머** \\(khm11903\\)\n오늘은 \\_노래\\_ 방송');
    expect(e.fields).toEqual([{ name: '방송 보기', value: 'https://play.sooplive.com/khm11903', inline: false }]);
    const off = embedOf(renderDiscord({ ...base, locale: 'en', kind: 'offline', event: { kind: 'offline', broadcastNo: '1' } }));
    expect(off.title).toBe('⚫ Stream ended');
  });

  it('subscriptions and missions', () => {
    const gift = embedOf(
      renderDiscord({ ...base, kind: 'subscription', event: subscription({ type: 'gift', recipientId: 'lucky', recipientNickname: '행운', tier: 1 }) }),
    );
    expect(gift.title).toBe('🎁 구독 선물');
    expect(gift.fields).toContainEqual({ name: '받는 사람', value: '행운 \\(lucky\\)', inline: true });
    const months = embedOf(renderDiscord({ ...base, locale: 'en', kind: 'subscription', event: subscription({ type: 'consecutive', months: 12 }) }));
    expect(months.title).toBe('💜 Subscription renewed');
    expect(months.fields).toContainEqual({ name: 'Subscribed', value: '12 months', inline: true });
    const m = embedOf(renderDiscord({ ...base, kind: 'mission', event: mission() }));
    expect(m.title).toBe('🎯 도전 미션 별풍선 50개');
    expect(m.fields).toEqual([{ name: '미션', value: '노래 부르기', inline: false }]);
  });

  it('marks test and delayed alerts in the title and footer', () => {
    const e = embedOf(renderDiscord(starAlert({ test: true, delayed: true })));
    expect(e.title).toBe('🧪 테스트 알림 · ⏱ 지연됨 · ⭐ 별풍선 100개');
    expect(e.footer?.text).toBe('SOOP · khm11903 · 🧪 테스트 알림 · ⏱ 지연됨');
    expect(embedOf(renderDiscord(chatAlert('x', { delayed: true, locale: 'en' }))).title).toBe('⏱ delayed · 💬 Keyword chat');
  });

  it('respects the embed limits, truncating by code points with …', () => {
    const huge = '😀'.repeat(5000) + '**' + '<'.repeat(3000);
    for (const alert of [chatAlert(huge, {}, { nickname: 'n'.repeat(1000) }), starAlert({}, { nickname: huge, message: huge })]) {
      const e = embedOf(renderDiscord(alert));
      expect(e.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
      expect(e.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
      expect(e.description).toMatch(/…$/);
      expect(e.description).not.toMatch(LONE_SURROGATE);
      for (const f of e.fields) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(embedSize(e)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
    }
    const title = embedOf(renderDiscord({ ...base, kind: 'mission', event: mission({ title: '_'.repeat(3000) }) }));
    expect(title.fields[0]?.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(title.fields[0]?.value).toMatch(/^(\\_)+…$/);
  });
});

describe('renderTelegram', () => {
  it('HTML with every untrusted string escaped', () => {
    const [msg] = renderTelegram(starAlert({}, { nickname: '<b>&</b>', message: INJECTION }));
    expect(msg?.parseMode).toBe('HTML');
    expect(msg?.text).toContain('<b>&lt;b&gt;&amp;&lt;/b&gt;</b> (viewer01)');
    // '@everyone' is a valid Telegram username shape: it gets a zero-width space, no escape exists.
    expect(msg?.text).toContain('<blockquote>&lt;b&gt;&amp;&lt;/b&gt; **bold** @\u200Beveryone');
    expectWellFormedHtml(msg?.text ?? '');
    expect(visible(msg?.text ?? '').replace(/@\u200B/g, '@')).toContain(INJECTION);
  });

  it('exact shape of a donation and a chat', () => {
    const [d] = renderTelegram(starAlert({}, { message: '사랑해요' }));
    expect(d?.text).toBe(
      '⭐ <b>별풍선 100개</b>\n<b>닉네임</b> (viewer01)\n<blockquote>사랑해요</blockquote>\n<i>개수: </i>100\n<i>팬클럽: </i>#1234\n<i>SOOP · khm11903</i>',
    );
    const [c] = renderTelegram(chatAlert('안녕\n하세요', { locale: 'en' }));
    expect(c?.text).toBe('💬 <b>Keyword chat</b>\n<b>닉네임</b> (viewer01)\n<blockquote>안녕\n하세요</blockquote>\n<i>SOOP · khm11903</i>');
    expect(c?.disableLinkPreview).toBe(true);
  });

  it('quiet below the loud threshold, with sound at or above it', () => {
    expect(renderTelegram(starAlert({ loud: false }))[0]?.disableNotification).toBe(true);
    expect(renderTelegram(starAlert({ loud: true }))[0]?.disableNotification).toBe(false);
  });

  it('live links to the stream; test and delayed are marked', () => {
    const [m] = renderTelegram(liveAlert({ test: true, delayed: true, locale: 'en' }));
    expect(m?.text).toContain('<i>🧪 Test alert · ⏱ delayed · </i>🔴 <a href="https://play.sooplive.com/khm11903"><b>Live now</b></a>');
    expect(m?.disableLinkPreview).toBe(false);
  });

  it('one message per alert: the quote is cut with … within 4,096 visible characters, never inside an escape', () => {
    // '&' and '<' escape to 5 and 4 characters, so HTML length and visible length differ a lot.
    const body = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? '&<>' : '가😀 ')).join('');
    const messages = renderTelegram(chatAlert(body));
    expect(messages).toHaveLength(1);
    const shown = visible(messages[0]?.text ?? '');
    expect(shown.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(shown.length).toBeGreaterThan(TELEGRAM_TEXT_LIMIT - 20);
    expect(shown).not.toMatch(LONE_SURROGATE);
    expectWellFormedHtml(messages[0]?.text ?? '');
    const quoted = /\n([^\n]*…)\n/.exec(shown)?.[1] ?? '';
    expect(body.startsWith(quoted.slice(0, -1)), 'the quote is a prefix of the chat').toBe(true);
  });

  it('with a small limit every cut stays outside the escapes, and the message stays within it', () => {
    const limit = 60;
    for (let shift = 0; shift < 8; shift++) {
      const text = 'a'.repeat(shift) + '&&<<>>""'.repeat(4) + 'z'.repeat(30);
      for (const m of renderTelegram(chatAlert(text), limit)) {
        expect(visible(m.text).length).toBeLessThanOrEqual(limit);
        expectWellFormedHtml(m.text);
        const quote = /<blockquote>(.*)<\/blockquote>/.exec(m.text)?.[1] ?? '';
        expect(quote).toMatch(/^(a|&amp;|&lt;|&gt;|&quot;|z)*…$/);
      }
    }
  });
});

describe('renderConsole', () => {
  it('one readable line per alert', () => {
    expect(renderConsole(starAlert())).toBe('[별풍선] khm11903 ← 닉네임 (viewer01) ×100 · 팬클럽 #1234');
    expect(renderConsole(chatAlert('안녕하세요', { locale: 'en' }))).toBe('[chat] khm11903 닉네임 (viewer01): 안녕하세요');
    expect(renderConsole(chatAlert('안녕하세요'))).toBe('[채팅] khm11903 닉네임 (viewer01): 안녕하세요');
    expect(renderConsole(liveAlert())).toBe('[방송 시작] khm11903 · 오늘은 _노래_ 방송 · https://play.sooplive.com/khm11903');
    expect(renderConsole(starAlert({ test: true }, { type: 'vod', message: 'hi' }))).toBe(
      '[🧪 테스트 알림] [별풍선] khm11903 ← 닉네임 (viewer01) ×100 · VOD 별풍선 · 팬클럽 #1234 · "hi"',
    );
  });

  it('strips control characters and bidi overrides', () => {
    const line = renderConsole(chatAlert('a\u0007b\nc\u202Ed\u0000', {}, { nickname: 'ev\u001b[31mil\r\n' }));
    expect(line).toBe('[채팅] khm11903 ev[31mil (viewer01): ab cd');
    expect(renderConsoleDigest([chatAlert('x'), starAlert()])).toHaveLength(2);
  });
});

describe('digests', () => {
  const chats = Array.from({ length: 300 }, (_, i) => chatAlert(`메시지 ${i} ${'말'.repeat(40)} <&>`, {}, { nickname: `닉${i}`, userId: `user${i}` }));

  it('Discord: many chats in as few messages as fit, nothing dropped', () => {
    const messages = renderDiscordDigest(chats);
    expect(messages.length).toBeGreaterThan(1);
    const all = messages.map((m) => embedOf(m).description ?? '').join('\n');
    for (let i = 0; i < 300; i++) expect(all).toContain(`**닉${i}** \\(user${i}\\): 메시지 ${i} `);
    messages.forEach((m, i) => {
      const e = embedOf(m);
      expect(e.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
      expect(embedSize(e)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
      expect(e.title).toBe(`💬 키워드 채팅 300건 \\(${i + 1}/${messages.length}\\)`);
      expect(e.color).toBe(KIND_COLOUR.chat);
      expect(m.allowedMentions).toEqual({ parse: [], roles: [] });
    });
  });

  it('Discord: a donation digest lists every donation; a loud one mentions once', () => {
    const donations = [starAlert(), starAlert({ loud: true, mentionRoleId: ROLE }, { count: 5000, nickname: '@everyone' })];
    const [m, ...rest] = renderDiscordDigest(donations);
    expect(rest).toEqual([]);
    expect(m?.content).toBe(`<@&${ROLE}>`);
    const e = embedOf(m as DiscordMessage);
    expect(e.title).toBe('📋 알림 2건');
    expect(e.description).toBe('⭐ **닉네임** \\(viewer01\\) ×100 · 팬클럽 \\#1234\n⭐ **@\u200Beveryone** \\(viewer01\\) ×5,000 · 팬클럽 \\#1234');
    expect(renderDiscordDigest([])).toEqual([]);
    expect(renderDiscordDigest([chatAlert('x')])).toEqual([renderDiscord(chatAlert('x'))]);
  });

  it('Telegram: split by whole lines within 4,096, header on each part, nothing dropped', () => {
    const messages: TelegramMessage[] = renderTelegramDigest(chats);
    expect(messages.length).toBeGreaterThan(1);
    const shown = messages.map((m) => visible(m.text)).join('\n');
    for (let i = 0; i < 300; i++) expect(shown).toContain(`💬 닉${i} (user${i}): 메시지 ${i} ${'말'.repeat(40)} <&>`);
    messages.forEach((m, i) => {
      expect(visible(m.text).length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expectWellFormedHtml(m.text);
      expect(m.text.startsWith(`<b>💬 키워드 채팅 300건 · khm11903 (${i + 1}/${messages.length})</b>\n`)).toBe(true);
      expect(m.disableNotification).toBe(true);
    });
  });

  it('Telegram: a digest with a loud alert rings; several streamers are named per line', () => {
    const mixed = [starAlert({ loud: true }), { ...starAlert(), streamerId: 'other01' } as Alert];
    const [m] = renderTelegramDigest(mixed);
    expect(m?.disableNotification).toBe(false);
    expect(visible(m?.text ?? '')).toBe('📋 알림 2건\n⭐ [khm11903] 닉네임 (viewer01) ×100 · 팬클럽 #1234\n⭐ [other01] 닉네임 (viewer01) ×100 · 팬클럽 #1234');
  });
});

describe('literal display and limits of the reported cases', () => {
  const NICK = '<b>&</b>*_별빛_*';

  it('a copied nickname is the nickname: Discord escapes with backslashes, no invisible characters', () => {
    const e = embedOf(renderDiscord(starAlert({}, { nickname: NICK })));
    const bold = /^\*\*(.*)\*\* \\\(viewer01\\\)$/.exec(e.description?.split('\n')[0] ?? '')?.[1] ?? '';
    expect(bold).toBe('\\<b\\>&\\</b\\>\\*\\_별빛\\_\\*');
    expect(unescapeDiscord(bold)).toBe(NICK);
    expect(e.description).not.toMatch(/\u200B/);
  });

  it('a copied nickname is the nickname: Telegram uses HTML entities only', () => {
    const [m] = renderTelegram(starAlert({}, { nickname: NICK }));
    const bold = /\n<b>(.*?)<\/b> \(viewer01\)/.exec(m?.text ?? '')?.[1] ?? '';
    expect(bold).toBe('&lt;b&gt;&amp;&lt;/b&gt;*_별빛_*');
    expect(visible(bold)).toBe(NICK);
  });

  it('a donation message of 5,000 "*" fits the description and the total', () => {
    const e = embedOf(renderDiscord(starAlert({}, { message: '*'.repeat(5000) })));
    expect(e.description?.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(embedSize(e)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
    expect(e.description).toMatch(/\n> (\\\*)+…$/);
  });

  it('"x" + 9,000 spaces + "y" is one Telegram message that is not blank', () => {
    const messages = renderTelegram(chatAlert(`x${' '.repeat(9000)}y`));
    expect(messages).toHaveLength(1);
    const shown = visible(messages[0]?.text ?? '');
    expect(shown.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(shown.startsWith('💬 키워드 채팅\n닉네임 (viewer01)\nx ')).toBe(true);
    expect(shown).toMatch(/x {100,}…/);
  });
});

describe('minimal renderings (the fallback after a 400)', () => {
  const many = Array.from({ length: 200 }, (_, i) => starAlert({}, { nickname: `**닉${i}** @everyone`, message: '<&>'.repeat(2000) }));

  it('Discord: content only, escaped, within 2,000, the rest counted', () => {
    const [m, ...rest] = renderDiscordMinimal(many);
    expect(rest).toEqual([]);
    expect(m?.embeds).toEqual([]);
    expect(m?.allowedMentions).toEqual({ parse: [], roles: [] });
    const content = m?.content ?? '';
    expect(content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(content).toContain('⭐ \\*\\*닉0\\*\\* @\u200Beveryone \\(viewer01\\) ×100');
    const shown = content.split('\n').length - 1;
    expect(content.endsWith(`\n…외 ${200 - shown}건`)).toBe(true);
    expect(renderDiscordMinimal([])).toEqual([]);
  });

  it('Discord: a loud alert still mentions its role, and only it', () => {
    const [m] = renderDiscordMinimal([starAlert({ loud: true, mentionRoleId: ROLE, locale: 'en' })]);
    expect(m?.content?.startsWith(`<@&${ROLE}>\n⭐ \\[khm11903\\] 닉네임`)).toBe(true);
    expect(m?.allowedMentions).toEqual({ parse: [], roles: [ROLE] });
  });

  it('Telegram: one plain-text message (no parse mode), within 4,096, never blank', () => {
    const [one, ...none] = renderTelegramMinimal([chatAlert(`x${' '.repeat(9000)}y`)]);
    expect(none).toEqual([]);
    expect(one?.parseMode).toBeUndefined();
    expect(one?.text.startsWith('💬 키워드 채팅\n닉네임 (viewer01)\nx   ')).toBe(true);
    expect(one?.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    const [digest] = renderTelegramMinimal(many.map((a) => ({ ...a, locale: 'en' }) as Alert));
    expect(digest?.parseMode).toBeUndefined();
    expect(digest?.text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(digest?.text.startsWith('📋 200 alerts · khm11903\n⭐ **닉0** @\u200Beveryone (viewer01) ×100 · Fan club #1234 — <&>')).toBe(true);
    expect(digest?.text).toMatch(/\n…and \d+ more$/);
  });
});
