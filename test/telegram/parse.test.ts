import { describe, expect, it } from 'vitest';
import {
  CALLBACK_DATA_LIMIT,
  decodeCallback,
  encodeCallback,
  localeOf,
  parseKeywords,
  parseMinBalloons,
  parseSubscribe,
  splitPlain,
  truncate,
} from '../../src/telegram/parse.js';
import { menuCommands } from '../../src/telegram/menu.js';

describe('telegram command parsing', () => {
  it('takes the locale from language_code: en* is English, everything else Korean', () => {
    expect(localeOf('en')).toBe('en');
    expect(localeOf('en-GB')).toBe('en');
    expect(localeOf('ko')).toBe('ko');
    expect(localeOf('de')).toBe('ko');
    expect(localeOf(undefined)).toBe('ko');
  });

  it('/subscribe: streamer, keyword text, and min=/loud= options (Korean names too)', () => {
    expect(parseSubscribe('')).toBeUndefined();
    expect(parseSubscribe('  streamer01  ')).toEqual({ streamer: 'streamer01', keywordText: '' });
    expect(parseSubscribe('streamer01 안녕, 축하 합니다 loud=1000 min=10')).toEqual({
      streamer: 'streamer01',
      keywordText: '안녕, 축하 합니다',
      loudAbove: 1000,
      minBalloons: 10,
    });
    expect(parseSubscribe('s01 최소=5 알림음=50')).toMatchObject({ minBalloons: 5, loudAbove: 50 });
    // A bad number is left for the service to refuse with its own sentence.
    expect(parseSubscribe('s01 loud=abc')?.loudAbove).toBeNaN();
    expect(parseSubscribe('s01 min=')?.minBalloons).toBeNaN();
  });

  it('/keywords: the action defaults to list; unknown actions are reported', () => {
    expect(parseKeywords('')).toEqual({ error: 'usage' });
    expect(parseKeywords('s01')).toEqual({ streamer: 's01', action: 'list', wordText: '' });
    expect(parseKeywords('s01 add 안녕, 축하')).toEqual({ streamer: 's01', action: 'add', wordText: '안녕, 축하' });
    expect(parseKeywords('s01 삭제 안녕')).toMatchObject({ action: 'remove' });
    expect(parseKeywords('s01 frobnicate x')).toEqual({ error: 'action', given: 'frobnicate' });
  });

  it('/minballoons needs exactly a streamer and a count', () => {
    expect(parseMinBalloons('s01 100')).toEqual({ streamer: 's01', count: 100 });
    expect(parseMinBalloons('s01')).toBeUndefined();
    expect(parseMinBalloons('s01 1 2')).toBeUndefined();
  });

  it('callback data round-trips and stays within 64 bytes for the longest streamer id', () => {
    const longest = 'a'.repeat(24);
    for (const action of ['unsubscribe', 'pause', 'resume'] as const) {
      const data = encodeCallback(action, longest);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
      expect(decodeCallback(data)).toEqual({ action, streamerId: longest });
    }
    expect(() => encodeCallback('pause', 'x'.repeat(70))).toThrow(RangeError);
    expect(decodeCallback('sa1:x:s01')).toBeUndefined();
    expect(decodeCallback('other:u:s01')).toBeUndefined();
    expect(decodeCallback(undefined)).toBeUndefined();
  });

  it('splits long plain text at line breaks, within the limit, never inside a surrogate pair', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `• streamer${i} — 별풍선, 키워드 채팅`);
    const chunks = splitPlain(lines.join('\n'), 1000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(1000);
    expect(chunks.join('\n')).toBe(lines.join('\n'));
    const emoji = '😀'.repeat(600); // 1200 UTF-16 units, no spaces
    const parts = splitPlain(emoji, 1001);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(1001);
    expect(parts.join('')).toBe(emoji);
    expect(splitPlain('')).toEqual([]);
  });

  it('truncates to a limit with an ellipsis, keeping emoji whole', () => {
    expect(truncate('short', 10)).toBe('short');
    const cut = truncate('😀😀😀', 4);
    expect(cut.length).toBeLessThanOrEqual(4);
    expect(cut).toBe('😀…');
  });

  it('menus: the same commands in Korean and English, valid names and descriptions', () => {
    const ko = menuCommands('ko');
    const en = menuCommands('en');
    expect(ko.map((c) => c.command)).toEqual(en.map((c) => c.command));
    for (const c of [...ko, ...en]) {
      expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(256);
    }
    expect(ko.map((c) => c.command)).toEqual(expect.arrayContaining(['subscribe', 'unsubscribe', 'list', 'keywords', 'minballoons', 'pause', 'resume', 'status', 'test', 'help']));
  });
});
