/**
 * Keyword matching throughput: one streamer, 1,000 subscriptions × 20 keywords (Korean + English),
 * chat lines like SOOP's (short, Korean-heavy, ㅋㅋ, emoji, some English), a few percent matching.
 * Lines go through `match` whole, normalisation included.
 */
import { buildKeywordMatcher, type KeywordEntry } from '../src/route/keyword-matcher.js';
import { measureRate, report } from './report.js';

const SUBSCRIPTIONS = 1_000;
const KEYWORDS_PER_SUB = 20;

/** Deterministic PRNG (mulberry32) so every run sees the same words and lines. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Syllables chat lines are made of. */
const chatSyllables = [...'가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후기니디리미비시이지치키티피히방송합니다감사해요'];
/** Keywords draw from 500 syllables of the whole Hangul block, so they rarely appear by chance. */
const keywordSyllables = Array.from({ length: 500 }, () => String.fromCharCode(0xac00 + Math.floor(random() * 11_172)));
const latin = 'abcdefghijklmnopqrstuvwxyz';

function koreanWord(length: number, from: readonly string[] = chatSyllables): string {
  let word = '';
  for (let i = 0; i < length; i++) word += pick(from);
  return word;
}

function englishWord(length: number): string {
  let word = '';
  for (let i = 0; i < length; i++) word += latin[Math.floor(random() * latin.length)];
  return word;
}

function entries(): KeywordEntry[] {
  const out: KeywordEntry[] = [];
  for (let s = 0; s < SUBSCRIPTIONS; s++) {
    const keywords: string[] = [];
    for (let k = 0; k < KEYWORDS_PER_SUB; k++) {
      keywords.push(k % 2 === 0 ? koreanWord(2 + Math.floor(random() * 3), keywordSyllables) : englishWord(4 + Math.floor(random() * 5)));
    }
    out.push({ subscriptionId: s + 1, keywords, excludeWords: s % 10 === 0 ? [koreanWord(3, keywordSyllables)] : [] });
  }
  return out;
}

function chatLines(count: number, keywords: readonly string[]): string[] {
  const fixed = ['ㅋㅋㅋㅋㅋㅋ', '안녕하세요 여러분!', 'gg', 'ㅎㅇㅎㅇ 🎉', '오늘 방송 재밌네요 ㅋㅋ', 'lol that was close', '감사합니다 ❤️', '?', '와 미쳤다 진짜'];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.03) lines.push(`${pick(fixed)} ${pick(keywords)} ${koreanWord(2)}`);
    else if (r < 0.4) lines.push(pick(fixed));
    else if (r < 0.8) lines.push(`${koreanWord(2 + Math.floor(random() * 6))} ${koreanWord(2 + Math.floor(random() * 4))} ${pick(fixed)}`);
    else lines.push(`${englishWord(3)} ${englishWord(6)} ${koreanWord(3)}`);
  }
  return lines;
}

export async function run(): Promise<void> {
  const subs = entries();
  buildKeywordMatcher(subs.slice(0, 1)); // the first build also fills the shared fold table once
  const builds: number[] = [];
  let matcher = buildKeywordMatcher(subs);
  for (let i = 0; i < 3; i++) matcher = buildKeywordMatcher(subs); // warm-up
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    matcher = buildKeywordMatcher(subs);
    builds.push(performance.now() - start);
  }
  builds.sort((a, b) => a - b);
  report({ bench: 'keywords', metric: 'keywords.build.ms', value: builds[Math.floor(builds.length / 2)] as number, unit: 'ms' });

  const lines = chatLines(
    4_096,
    subs.flatMap((e) => e.keywords),
  );
  let matched = 0;
  const linesPerSec = measureRate(3_000, () => {
    for (const line of lines) matched += matcher.match(line).length;
    return lines.length;
  });
  report({ bench: 'keywords', metric: 'keywords.match.linesPerSec', value: linesPerSec, unit: 'lines/s' });
  const matchingLines = lines.filter((line) => matcher.match(line).length > 0).length;
  report({ bench: 'keywords', metric: 'keywords.match.matchingLineShare', value: matchingLines / lines.length, unit: 'ratio' });
  if (matched < 0) throw new Error('unreachable: keeps the work observable');
}
