/**
 * The precise rule a reply is held to.
 *
 * A Korean reply may contain Latin letters only in:
 *  - the values the user (or SOOP) supplied: streamer ids, keywords, titles, role names, what was typed;
 *  - command names (`/watch`, `/settings language`) and URLs;
 *  - option syntax people type: `min=`, `loud=`, `ko|en`, the language codes `ko` / `en`;
 *  - identifiers written with an underscore (`loud_above`, `MAX_ENGINES`, an error code like `STORAGE_UNAVAILABLE`);
 *  - example streamer ids (lower-case letters followed by digits, `streamer01`);
 *  - the names SOOP, VOD (SOOP's own Korean UI says "VOD") and Discord's `@everyone`.
 * Everything else Latin is an English word in a Korean reply, and fails.
 *
 * An English reply may contain Hangul only in the values the user (or SOOP) supplied.
 */
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

const KOREAN_ALLOWED: readonly RegExp[] = [
  /https?:\/\/\S+/g,
  /\/[a-z]+(?: language)?\b/g,
  /\b(?:min|loud)=/g,
  /\bko\|en\b/g,
  /\b(?:ko|en)\b/g,
  /\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b/g,
  /\b[a-z]+\d+\b/g,
  /\bSOOP\b/g,
  /\bVOD\b/g,
  /@everyone\b/g,
];

function withoutValues(text: string, values: readonly string[]): string {
  let rest = text;
  for (const value of [...values].filter((v) => v.length > 0).sort((a, b) => b.length - a.length)) rest = rest.split(value).join(' ');
  return rest;
}

/** The English words left in a Korean reply (empty when it passes). */
export function englishInKorean(text: string, userValues: readonly string[] = []): string[] {
  let rest = withoutValues(text, userValues);
  for (const allowed of KOREAN_ALLOWED) rest = rest.replace(allowed, ' ');
  return rest.match(/[A-Za-z]+/g) ?? [];
}

/** The Hangul left in an English reply (empty when it passes). */
export function hangulInEnglish(text: string, userValues: readonly string[] = []): string[] {
  const rest = withoutValues(text, userValues);
  return rest.match(new RegExp(`${HANGUL.source}+`, 'g')) ?? [];
}

/** Throws, naming the offending words, when a reply breaks the rule of its language. */
export function assertInLanguage(locale: 'ko' | 'en', text: string, userValues: readonly string[] = [], label = ''): void {
  if (text.trim().length === 0) throw new Error(`${label}: empty ${locale} reply`);
  const bad = locale === 'ko' ? englishInKorean(text, userValues) : hangulInEnglish(text, userValues);
  if (bad.length > 0) throw new Error(`${label}: ${locale === 'ko' ? 'English in a Korean' : 'Hangul in an English'} reply (${bad.join(', ')}): ${JSON.stringify(text)}`);
}
