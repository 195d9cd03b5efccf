/**
 * Pure pieces of the Telegram commands: locale, argument parsing, callback data and plain-text
 * splitting (usage texts are in src/i18n). No grammY here, so all of it is unit-tested without a bot.
 */
import { localeFromTag, type Locale } from '../i18n/index.js';

export type { Locale };

/** Telegram's limit on a message's visible text, in UTF-16 code units. */
export const TEXT_LIMIT = 4096;
/** Telegram's limit on callback_data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;
/** Telegram's limit on the toast of answerCallbackQuery. */
export const CALLBACK_ANSWER_LIMIT = 200;

/** 'en', 'en-US' → English; anything else (or unknown) → Korean, the default. */
export function localeOf(languageCode: string | undefined): Locale {
  return localeFromTag(languageCode, 'ko');
}

export function tokens(text: string): string[] {
  return text.split(/\s+/).filter((s) => s.length > 0);
}

export interface SubscribeArgs {
  readonly streamer: string;
  /** The keyword text (commas or spaces separate keywords), without option tokens. */
  readonly keywordText: string;
  readonly minBalloons?: number;
  readonly loudAbove?: number;
}

const OPTION = /^(min|loud|최소|알림음)=(.*)$/i;

/** `/subscribe <streamer> [keywords…] [min=N] [loud=N]`; undefined when the streamer is missing. */
export function parseSubscribe(text: string): SubscribeArgs | undefined {
  const [streamer, ...rest] = tokens(text);
  if (streamer === undefined) return undefined;
  const words: string[] = [];
  let minBalloons: number | undefined;
  let loudAbove: number | undefined;
  for (const token of rest) {
    const option = OPTION.exec(token);
    if (!option) {
      words.push(token);
      continue;
    }
    // Left for the service to validate: "min=abc" becomes NaN and gets its clear sentence.
    const value = Number(option[2]?.trim() === '' ? Number.NaN : option[2]);
    const name = (option[1] ?? '').toLowerCase();
    if (name === 'min' || name === '최소') minBalloons = value;
    else loudAbove = value;
  }
  return {
    streamer,
    keywordText: words.join(' '),
    ...(minBalloons !== undefined ? { minBalloons } : {}),
    ...(loudAbove !== undefined ? { loudAbove } : {}),
  };
}

export type KeywordAction = 'add' | 'remove' | 'list';

const KEYWORD_ACTIONS: Record<string, KeywordAction> = {
  add: 'add', '+': 'add', 추가: 'add',
  remove: 'remove', rm: 'remove', del: 'remove', delete: 'remove', '-': 'remove', 삭제: 'remove', 제거: 'remove',
  list: 'list', ls: 'list', 보기: 'list', 목록: 'list',
};

/** `/keywords <streamer> [add|remove|list] [words…]`; the action defaults to list. */
export function parseKeywords(text: string): { streamer: string; action: KeywordAction; wordText: string } | { error: 'usage' | 'action'; given?: string } {
  const [streamer, actionToken, ...rest] = tokens(text);
  if (streamer === undefined) return { error: 'usage' };
  if (actionToken === undefined) return { streamer, action: 'list', wordText: '' };
  const action = KEYWORD_ACTIONS[actionToken.toLowerCase()];
  if (!action) return { error: 'action', given: actionToken };
  return { streamer, action, wordText: rest.join(' ') };
}

/** `/minballoons <streamer> <n>`. */
export function parseMinBalloons(text: string): { streamer: string; count: number } | undefined {
  const [streamer, count, ...extra] = tokens(text);
  if (streamer === undefined || count === undefined || extra.length > 0) return undefined;
  return { streamer, count: Number(count) };
}

/** The first argument, if any (`/pause [streamer]`, `/status <streamer>`, ...). */
export function firstArg(text: string): string | undefined {
  return tokens(text)[0];
}

/** `/settings language ko` → 'ko'; `/settings` or `/settings language` → '' (show it); another setting → undefined. */
export function parseSettings(text: string): string | undefined {
  const [setting, value, ...extra] = tokens(text);
  if (setting === undefined) return '';
  if (!['language', 'lang', '언어'].includes(setting.toLowerCase()) || extra.length > 0) return undefined;
  return value ?? '';
}

/** What a /list button does. */
export type ListAction = 'unsubscribe' | 'pause' | 'resume';

const ACTION_CODES: Record<ListAction, string> = { unsubscribe: 'u', pause: 'p', resume: 'r' };
const CODE_ACTIONS: Record<string, ListAction> = { u: 'unsubscribe', p: 'pause', r: 'resume' };
const CALLBACK_PREFIX = 'sa1';

/** `sa1:u:streamer01`; throws if it would not fit Telegram's 64 bytes (it always does for valid ids). */
export function encodeCallback(action: ListAction, streamerId: string): string {
  const data = `${CALLBACK_PREFIX}:${ACTION_CODES[action]}:${streamerId}`;
  if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_LIMIT) throw new RangeError(`callback data over ${CALLBACK_DATA_LIMIT} bytes: ${data}`);
  return data;
}

export function decodeCallback(data: string | undefined): { action: ListAction; streamerId: string } | undefined {
  if (data === undefined) return undefined;
  const match = /^sa1:([upr]):([a-z0-9_]{1,40})$/.exec(data);
  const action = match?.[1] !== undefined ? CODE_ACTIONS[match[1]] : undefined;
  if (!match?.[2] || !action) return undefined;
  return { action, streamerId: match[2] };
}

/** Cuts `text` to at most `limit` UTF-16 units without splitting a surrogate pair; adds "…" when cut. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = limit - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}

/**
 * Splits plain text into messages of at most `limit` UTF-16 units: at line breaks when possible,
 * else at a space, else anywhere (never inside a surrogate pair). Empty text gives no messages.
 */
export function splitPlain(text: string, limit = TEXT_LIMIT): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) {
      cut = limit;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
    }
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.trim().length > 0) chunks.push(rest);
  return chunks;
}
