import { describe, expect, it } from 'vitest';
import { buildKeywordMatcher, type KeywordEntry } from '../../src/route/keyword-matcher.js';
import { SKIP, SLOW, foldTable, normalizeFast, normalizeForMatch } from '../../src/route/normalize.js';

describe('normalizeForMatch', () => {
  it('lower-cases, drops whitespace and zero-width characters', () => {
    expect(normalizeForMatch('Hello  World')).toBe('helloworld');
    expect(normalizeForMatch('a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf\u00ADg')).toBe('abcdefg');
    expect(normalizeForMatch('안 녕\t하\n세요')).toBe('안녕하세요');
    expect(normalizeForMatch('\u3000전각\u00A0공백')).toBe('전각공백');
  });

  it('folds full-width Latin to ASCII', () => {
    expect(normalizeForMatch('ＧＧ ｗｐ！')).toBe('ggwp!');
  });

  it('composes decomposed Hangul (NFC), even when a zero-width space splits the jamo', () => {
    const decomposed = '\u1112\u1161\u11AB'; // ᄒ ᅡ ᆫ = 한
    expect(normalizeForMatch(decomposed)).toBe('한');
    expect(normalizeForMatch('\u1112\u200B\u1161\u11AB')).toBe('한');
  });

  it('keeps compatibility jamo as they are (no NFKC): ㅋㅏ does not become 카', () => {
    expect(normalizeForMatch('ㅋㅋㅋ')).toBe('ㅋㅋㅋ');
    expect(normalizeForMatch('ㅋㅏ')).not.toBe('카');
  });

  it('the fast per-unit fold agrees with the definition', () => {
    const samples = [
      'Hello World', '안녕하세요 여러분', 'ＡＢＣ　ｄｅｆ', 'ÀÉÎ õü', 'Ελληνικά ΣΟΦΟΣ', 'İstanbul', 'e\u0301', 'Å Ω',
      '🎉 파티 🎉', '\u1112\u1161\u11AB', 'a\u200Bb', 'ㅋㅋㅋ', '𐐀𐐨', 'Straße', '\u0000x', 'ＫＯＲＥＡ 대한민국', '❤️ 1️⃣ 👨‍👩‍👧', 'é\uFE0F\u0301',
    ];
    for (const s of samples) expect(normalizeFast(s), s).toBe(normalizeForMatch(s));
  });

  it('the fold table marks ignorable and context-dependent units', () => {
    const t = foldTable();
    expect(t[0x20]).toBe(SKIP);
    expect(t[0x200b]).toBe(SKIP);
    expect(t['A'.charCodeAt(0)]).toBe('a'.charCodeAt(0));
    expect(t[0xff21]).toBe('a'.charCodeAt(0)); // Ａ
    expect(t[0x0301]).toBe(SLOW); // combining acute
    expect(t[0x1161]).toBe(SLOW); // conjoining vowel ᅡ
    expect(t[0x03a3]).toBe(SLOW); // Σ: final sigma depends on context
    expect(t[0xfe0f]).toBe(0xfe0f); // emoji variation selector stays on the fast path
    expect(t['한'.charCodeAt(0)]).toBe('한'.charCodeAt(0));
  });
});

const entry = (subscriptionId: number, keywords: string[], excludeWords: string[] = []): KeywordEntry => ({ subscriptionId, keywords, excludeWords });

describe('buildKeywordMatcher', () => {
  it('matches Korean and English keywords as substrings, case-insensitively', () => {
    const m = buildKeywordMatcher([entry(1, ['안녕']), entry(2, ['Hello']), entry(3, ['방송'])]);
    expect(m.match('안녕하세요')).toEqual([1]);
    expect(m.match('HELLO there')).toEqual([2]);
    expect(m.match('say hello, 안녕!')).toEqual([1, 2]);
    expect(m.match('otherwise')).toEqual([]);
    expect(m.match('')).toEqual([]);
  });

  it('ignores whitespace and zero-width characters on both sides', () => {
    const m = buildKeywordMatcher([entry(1, ['별 풍선']), entry(2, ['free money'])]);
    expect(m.match('별풍선 주세요')).toEqual([1]);
    expect(m.match('별\u200B풍\u200D선')).toEqual([1]);
    expect(m.match('F r e e\u00A0M\u2060oney')).toEqual([2]);
    expect(m.match('ｆｒｅｅ ｍｏｎｅｙ')).toEqual([2]);
  });

  it('matches keywords whose text arrives decomposed (slow path)', () => {
    const m = buildKeywordMatcher([entry(1, ['한국'])]);
    expect(m.match('\u1112\u1161\u11AB\u1100\u116E\u11A8 최고')).toEqual([1]);
    const accents = buildKeywordMatcher([entry(2, ['café'])]);
    expect(accents.match('CAFE\u0301 au lait')).toEqual([2]);
  });

  it('matches emoji keywords without matching half of another emoji', () => {
    const m = buildKeywordMatcher([entry(1, ['🎉']), entry(2, ['❤️']), entry(3, ['👍🏽'])]);
    expect(m.match('축하해요 🎉🎉')).toEqual([1]);
    expect(m.match('사랑해요 ❤️')).toEqual([2]);
    expect(m.match('👍')).toEqual([]);
    expect(m.match('좋아요 👍🏽')).toEqual([3]);
    // 🎊 shares its high surrogate with 🎉 (both U+1F3xx): no false match.
    expect(m.match('🎊')).toEqual([]);
  });

  it('drops keywords that normalise to nothing or are not well-formed', () => {
    const m = buildKeywordMatcher([entry(1, ['', '   ', '\u200B']), entry(2, ['\uD83C', 'ok'])]);
    expect(m.match('anything at all 🎉')).toEqual([]);
    expect(m.match('ok')).toEqual([2]);
    expect(m.patternCount).toBe(1);
  });

  it('exclude words veto only their own subscription', () => {
    const m = buildKeywordMatcher([entry(1, ['이벤트'], ['광고']), entry(2, ['이벤트'])]);
    expect(m.match('이벤트 합니다')).toEqual([1, 2]);
    expect(m.match('광고 이벤트 합니다')).toEqual([2]);
    expect(m.match('광 고 이벤트')).toEqual([2]);
    expect(m.match('광고만')).toEqual([]);
  });

  it('an exclude word that contains the keyword still vetoes', () => {
    const m = buildKeywordMatcher([entry(1, ['gg'], ['ggwp'])]);
    expect(m.match('gg')).toEqual([1]);
    expect(m.match('GG WP')).toEqual([]);
  });

  it('finds overlapping and nested keywords (failure links)', () => {
    const m = buildKeywordMatcher([entry(1, ['he']), entry(2, ['she']), entry(3, ['hers']), entry(4, ['ushers'])]);
    expect(m.match('ushers')).toEqual([1, 2, 3, 4]);
    expect(m.match('sher')).toEqual([1, 2]);
    const korean = buildKeywordMatcher([entry(1, ['하하하']), entry(2, ['하하'])]);
    expect(korean.match('하하')).toEqual([2]);
    expect(korean.match('하하하하')).toEqual([1, 2]);
  });

  it('reports each subscription once, in entry order, whatever the number of hits', () => {
    const m = buildKeywordMatcher([entry(9, ['a', 'b']), entry(3, ['a'])]);
    expect(m.match('ababab')).toEqual([9, 3]);
  });

  it('a subscription without keywords never matches, even with exclude words', () => {
    const m = buildKeywordMatcher([entry(1, [], ['x']), entry(2, ['x'])]);
    expect(m.match('x')).toEqual([2]);
  });

  it('agrees with a naive includes() over many subscriptions and random lines', () => {
    // Includes units that force the slow path: conjoining jamo and a combining accent.
    const alphabet = [...'가나다라마바ㅋㅎabcAB 🎉\u200B\u1100\u1161e\u0301Σ'];
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const word = (len: number): string => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');
    const entries: KeywordEntry[] = [];
    for (let id = 1; id <= 300; id++) {
      entries.push(entry(id, Array.from({ length: 1 + rnd(4) }, () => word(1 + rnd(3))), rnd(3) === 0 ? [word(2)] : []));
    }
    const m = buildKeywordMatcher(entries);
    for (let i = 0; i < 300; i++) {
      const line = word(rnd(25));
      const text = normalizeForMatch(line);
      const expected = entries
        .filter((e) => {
          const keywords = e.keywords.map(normalizeForMatch).filter((k) => k.length > 0);
          const excludes = e.excludeWords.map(normalizeForMatch).filter((k) => k.length > 0);
          return keywords.some((k) => text.includes(k)) && !excludes.some((k) => text.includes(k));
        })
        .map((e) => e.subscriptionId);
      expect(m.match(line), line).toEqual(expected);
    }
  });

  it('builds 1,000 subscriptions × 20 keywords and matches among them', () => {
    const entries = Array.from({ length: 1000 }, (_, i) => entry(i + 1, Array.from({ length: 20 }, (_, k) => `kw${i}x${k}`)));
    entries.push(entry(5000, ['키워드']));
    const m = buildKeywordMatcher(entries);
    expect(m.patternCount).toBe(20_001);
    expect(m.match('hi KW999X19 and 키 워 드')).toEqual([1000, 5000]);
    expect(m.match('kw0x1')).toEqual([1]);
  });
});
