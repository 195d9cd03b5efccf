/**
 * Alert → Telegram messages (HTML parse mode), as plain data for the telegram/ adapter.
 *
 * Content is built as lines of styled spans of raw text; HTML is produced only when rendering, with
 * every span's text escaped, so a cut can never fall inside a tag or an `&amp;`-style entity and
 * lengths are what Telegram counts after parsing (visible UTF-16 units).
 *
 * Limits by construction: one alert is one message, its untrusted parts cut with '…' to what the
 * rest leaves of 4,096; a digest is split by whole (bounded) lines, a header on every part; no part
 * is ever blank (Telegram refuses those as "message text is empty").
 *
 * Literal display: HTML entities only, except a zero-width space after an '@' that starts a word:
 * Telegram turns `@username` into a mention that notifies, and has no escape for it.
 */
import type { Alert } from './alert.js';
import { buildCard, summarize, type AlertCard, type AlertSummary } from './card.js';
import { andMore, messagesFor, say } from '../i18n/index.js';
import { ELLIPSIS, escapeAndFit, isBlank, prefixByCodePoints, stripControls, truncate } from './text.js';

export interface TelegramMessage {
  /** HTML, or plain text when `parseMode` is absent (the minimal rendering). */
  readonly text: string;
  readonly parseMode?: 'HTML';
  /** True below the loud threshold: the message arrives without a sound. */
  readonly disableNotification: boolean;
  /** True unless the alert's own link should preview (only live alerts). */
  readonly disableLinkPreview: boolean;
}

export const TELEGRAM_TEXT_LIMIT = 4096;

export interface Span {
  readonly text: string;
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly quote?: boolean;
  /** A link we built; never from user input. */
  readonly href?: string;
}

export type Line = readonly Span[];

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const lineLength = (line: Line): number => line.reduce((n, span) => n + span.text.length, 0);

/** Visible length of lines joined by newlines, as Telegram counts it. */
export function visibleLength(lines: readonly Line[]): number {
  return lines.reduce((n, line, i) => n + lineLength(line) + (i > 0 ? 1 : 0), 0);
}

function wrap(span: Span): string {
  let html = escapeHtml(span.text);
  if (span.italic) html = `<i>${html}</i>`;
  if (span.bold) html = `<b>${html}</b>`;
  if (span.href !== undefined) html = `<a href="${escapeHtml(span.href)}">${html}</a>`;
  return html;
}

/** Lines → HTML; consecutive quoted spans (across line breaks) share one blockquote. */
export function renderLines(lines: readonly Line[]): string {
  const spans: Span[] = [];
  lines.forEach((line, i) => {
    if (i > 0) {
      const previous = lines[i - 1]?.at(-1);
      spans.push({ text: '\n', quote: Boolean(previous?.quote && line[0]?.quote) });
    }
    spans.push(...line);
  });
  let html = '';
  let inQuote = false;
  for (const span of spans) {
    if (Boolean(span.quote) !== inQuote) {
      html += inQuote ? '</blockquote>' : '<blockquote>';
      inQuote = !inQuote;
    }
    html += wrap(span);
  }
  return inQuote ? `${html}</blockquote>` : html;
}

/** Where to cut `text` to keep at most `room` units: a code point boundary, after a space when one is near. */
function cutPoint(text: string, room: number): number {
  const cut = prefixByCodePoints(text, room).length;
  if (cut >= text.length) return cut;
  const space = text.lastIndexOf(' ', cut - 1);
  return space >= cut / 2 ? space + 1 : cut;
}

/** Cuts one over-long line into pieces of at most `limit` visible units each, the first at most `firstRoom`. */
function splitLine(line: Line, limit: number, firstRoom: number): Span[][] {
  const pieces: Span[][] = [];
  let current: Span[] = [];
  let used = limit - firstRoom;
  for (const span of line) {
    let text = span.text;
    while (text.length > 0) {
      const room = limit - used;
      if (text.length <= room) {
        current.push({ ...span, text });
        used += text.length;
        break;
      }
      const cut = cutPoint(text, room);
      if (cut > 0) current.push({ ...span, text: text.slice(0, cut) });
      pieces.push(current);
      current = [];
      used = 0;
      text = text.slice(cut);
    }
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

/** Packs whole lines into chunks of at most `limit` visible units; only a line longer than `limit` is cut. */
export function splitIntoChunks(lines: readonly Line[], limit = TELEGRAM_TEXT_LIMIT): Line[][] {
  if (limit < 2) throw new RangeError('limit must be at least 2 (one code point)');
  const chunks: Line[][] = [];
  let current: Line[] = [];
  let used = 0;
  const flush = (): void => {
    // A piece of nothing but spaces would be refused as empty; dropping it hides nothing.
    if (current.length > 0 && !isBlank(current.map((line) => line.map((span) => span.text).join('')).join(''))) chunks.push(current);
    current = [];
    used = 0;
  };
  for (const line of lines) {
    const length = lineLength(line);
    const separator = current.length > 0 ? 1 : 0;
    if (used + separator + length <= limit) {
      current.push(line);
      used += separator + length;
      continue;
    }
    if (length <= limit) {
      flush();
      current.push(line);
      used = length;
      continue;
    }
    // A line too long for any message starts in the room left in this one.
    const pieces = splitLine(line, limit, Math.max(0, limit - used - separator));
    pieces.forEach((piece, i) => {
      if (piece.length > 0) current.push(piece);
      if (i < pieces.length - 1) flush();
      else used = visibleLength(current);
    });
  }
  flush();
  return chunks;
}

/** Our bounds for the parts of one message, so that they always fit 4,096 together. */
const BOUND = {
  title: 256,
  name: 256,
  id: 80,
  text: 1024,
  field: 1024,
  footer: 256,
  digestQuote: 400,
  details: 200,
} as const;

const ZWSP = '\u200B';

/** Breaks `@username` (a notifying mention in Telegram, with no escape) with a zero-width space. */
export function breakTelegramMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z_])/g, `@${ZWSP}`);
}

/** Untrusted text, mention-guarded and cut with '…' to at most `limit` visible units ('' if none). */
const fit = (text: string, limit: number): string => escapeAndFit(text, limit, breakTelegramMentions);

/** "닉네임 (viewer01)" → bold nickname, plain id, within `limit` visible units. */
function whoSpans(who: string, limit: number): Span[] {
  const at = who.lastIndexOf(' (');
  if (at <= 0 || !who.endsWith(')')) {
    const name = fit(who, Math.min(BOUND.name, limit));
    return name ? [{ text: name, bold: true }] : [];
  }
  const id = fit(who.slice(at), Math.min(BOUND.id, Math.max(0, limit - 8)));
  const name = fit(who.slice(0, at), Math.min(BOUND.name, limit - id.length));
  if (!name) return [];
  return id ? [{ text: name, bold: true }, { text: id }] : [{ text: name, bold: true }];
}

const nonEmpty = (line: Line): boolean => line.some((span) => span.text.length > 0);

/** The lines of one alert, at most `limit` visible units in all: the quote gets what the rest leaves. */
function cardLines(card: AlertCard, limit: number): Line[] {
  const title: Span[] = [];
  if (card.notes.length > 0) title.push({ text: `${card.notes.join(' · ')} · `, italic: true });
  title.push({ text: `${card.emoji} ` });
  title.push({ text: card.title, bold: true, ...(card.url !== undefined ? { href: card.url } : {}) });
  const top: Line[] = [title];
  if (card.who !== undefined) top.push(whoSpans(card.who, BOUND.name + BOUND.id));
  if (card.text !== undefined) top.push([{ text: fit(card.text, BOUND.text) }]);
  const bottom: Line[] = card.fields.map((field) => [
    { text: `${truncate(field.name, 64)}: `, italic: true },
    { text: field.link === true ? truncate(field.value, BOUND.field) : fit(field.value, BOUND.field) },
  ]);
  bottom.push([{ text: fit(card.footer, BOUND.footer), italic: true }]);
  const fixedLines = [...top, ...bottom].filter(nonEmpty);
  const room = limit - visibleLength(fixedLines) - 1;
  if (card.quote === undefined || room < 2) return fixedLines;
  // An empty line inside the quote keeps one space, so the quote stays one block (and is counted).
  const quote = escapeAndFit(card.quote, room, (text) => breakTelegramMentions(text).replace(/^$/gm, ' '));
  const quoted: Line[] = quote.split('\n').map((line) => [{ text: line, quote: true }]);
  return [...top.filter(nonEmpty), ...quoted, ...bottom.filter(nonEmpty)];
}

function messages(chunks: readonly Line[][], loud: boolean, preview: boolean): TelegramMessage[] {
  return chunks.map((chunk) => ({
    text: renderLines(chunk),
    parseMode: 'HTML',
    disableNotification: !loud,
    disableLinkPreview: !preview,
  }));
}

/** One alert → one message (split only if `limit` is below what the fixed lines need). */
export function renderTelegram(alert: Alert, limit = TELEGRAM_TEXT_LIMIT): TelegramMessage[] {
  return messages(splitIntoChunks(cardLines(buildCard(alert), limit), limit), alert.loud, alert.kind === 'live');
}

function digestLine(s: AlertSummary, withStreamer: boolean): Line {
  const spans: Span[] = [];
  if (s.notes.length > 0) spans.push({ text: `${s.notes.join(' · ')} `, italic: true });
  spans.push({ text: `${s.emoji} ` });
  if (withStreamer) spans.push({ text: `[${fit(s.streamerId, 60)}] ` });
  if (s.who !== undefined) spans.push(...whoSpans(s.who, BOUND.name + BOUND.id));
  const tail: string[] = [];
  if (s.amount !== undefined) tail.push(` ${s.amount}`);
  const details = s.details.filter((d) => d).join(' · ');
  if (details) tail.push(` · ${fit(details, BOUND.details)}`);
  if (s.quote !== undefined) {
    const quote = fit(s.quote.replace(/\n/g, ' '), BOUND.digestQuote);
    if (quote) tail.push(`${s.who !== undefined && s.amount === undefined ? ':' : ' —'} ${quote}`);
  }
  if (tail.length > 0) spans.push({ text: tail.join('') });
  return spans;
}

/**
 * Many queued alerts of one destination in as few messages as fit (never dropped): a header, then
 * one line per alert. With a sound if any of them is loud.
 */
export function renderTelegramDigest(alerts: readonly Alert[], limit = TELEGRAM_TEXT_LIMIT): TelegramMessage[] {
  const first = alerts[0];
  if (!first) return [];
  if (alerts.length === 1) return renderTelegram(first, limit);
  const header = digestHeader(alerts);
  const m = messagesFor(first.locale);
  const body = alerts.map((a) => digestLine(summarize(a), !isSingleStreamer(alerts)));
  // Room for the header line and a "(12/34)" part marker on each chunk.
  const reserve = header.length + 1 + 16;
  const chunks = splitIntoChunks(body, Math.max(2, limit - reserve));
  const withHeaders = chunks.map((chunk, i) => {
    const part = chunks.length > 1 ? ` ${m.part(i + 1, chunks.length)}` : '';
    return [[{ text: `${header}${part}`, bold: true }], ...chunk];
  });
  return messages(
    withHeaders,
    alerts.some((a) => a.loud),
    false,
  );
}

const isSingleStreamer = (alerts: readonly Alert[]): boolean => new Set(alerts.map((a) => a.streamerId)).size === 1;

function digestHeader(alerts: readonly Alert[]): string {
  const first = alerts[0];
  if (!first) return '';
  const m = messagesFor(first.locale);
  const title = alerts.every((a) => a.kind === 'chat') ? `💬 ${m.chatDigestTitle(alerts.length)}` : `📋 ${m.digestTitle(alerts.length)}`;
  return isSingleStreamer(alerts) ? `${title} · ${fit(stripControls(first.streamerId, false), 60)}` : title;
}

const plain = (line: Line): string => line.map((span) => span.text).join('');

/**
 * The rendering to fall back on when Telegram refuses ours (400): one plain-text message (no parse
 * mode, so nothing in it can be malformed), at most 4,096 characters and never blank: the alert's
 * lines, or for several alerts a header and one line each, the rest counted as "…and N more".
 */
export function renderTelegramMinimal(alerts: readonly Alert[]): TelegramMessage[] {
  const first = alerts[0];
  if (!first) return [];
  const lines = alerts.length === 1 ? cardLines(buildCard(first), TELEGRAM_TEXT_LIMIT).map(plain) : [digestHeader(alerts)];
  if (alerts.length > 1) {
    const single = isSingleStreamer(alerts);
    let used = visibleLength([[{ text: lines.join('\n') }]]);
    let shown = 0;
    for (const alert of alerts) {
      const line = plain(digestLine(summarize(alert), !single));
      // Keep room for the "…and N more" line.
      if (used + 1 + line.length > TELEGRAM_TEXT_LIMIT - 40) break;
      lines.push(line);
      used += 1 + line.length;
      shown++;
    }
    if (shown < alerts.length) lines.push(say(first.locale, andMore, alerts.length - shown));
  }
  const text = prefixByCodePoints(lines.join('\n'), TELEGRAM_TEXT_LIMIT);
  return [
    {
      text: isBlank(text) ? ELLIPSIS : text,
      disableNotification: !alerts.some((a) => a.loud),
      disableLinkPreview: true,
    },
  ];
}
