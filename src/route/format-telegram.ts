/**
 * Alert → Telegram messages (HTML parse mode), as plain data for the telegram/ adapter.
 *
 * Content is built as lines of styled spans of raw text; HTML is produced only when rendering, with
 * every span's text escaped. Splitting works on the spans, so a message is at most 4,096 characters
 * of visible text (what Telegram counts after parsing, in UTF-16 units), and a split can never fall
 * inside a tag or an `&amp;`-style escape. Tags are closed and reopened across a split.
 */
import type { Alert } from './alert.js';
import { buildCard, summarize, type AlertCard, type AlertSummary } from './card.js';
import { messagesFor } from './messages.js';
import { prefixByCodePoints, stripControls } from './text.js';

export interface TelegramMessage {
  /** HTML. */
  readonly text: string;
  readonly parseMode: 'HTML';
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
    if (current.length > 0) chunks.push(current);
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

/** "닉네임 (viewer01)" → bold nickname, plain id. */
function whoSpans(who: string): Span[] {
  const at = who.lastIndexOf(' (');
  if (at <= 0 || !who.endsWith(')')) return [{ text: who, bold: true }];
  return [{ text: who.slice(0, at), bold: true }, { text: who.slice(at) }];
}

function cardLines(card: AlertCard): Line[] {
  const title: Span[] = [];
  if (card.notes.length > 0) title.push({ text: `${card.notes.join(' · ')} · `, italic: true });
  title.push({ text: `${card.emoji} ` });
  title.push({ text: card.title, bold: true, ...(card.url !== undefined ? { href: card.url } : {}) });
  const lines: Line[] = [title];
  if (card.who !== undefined) lines.push(whoSpans(card.who));
  if (card.text !== undefined) lines.push([{ text: card.text }]);
  if (card.quote !== undefined) for (const line of card.quote.split('\n')) lines.push([{ text: line || ' ', quote: true }]);
  for (const field of card.fields) lines.push([{ text: `${field.name}: `, italic: true }, { text: field.value }]);
  lines.push([{ text: card.footer, italic: true }]);
  return lines;
}

function messages(chunks: readonly Line[][], loud: boolean, preview: boolean): TelegramMessage[] {
  return chunks.map((chunk) => ({
    text: renderLines(chunk),
    parseMode: 'HTML',
    disableNotification: !loud,
    disableLinkPreview: !preview,
  }));
}

export function renderTelegram(alert: Alert, limit = TELEGRAM_TEXT_LIMIT): TelegramMessage[] {
  return messages(splitIntoChunks(cardLines(buildCard(alert)), limit), alert.loud, alert.kind === 'live');
}

function digestLine(s: AlertSummary, withStreamer: boolean): Line {
  const spans: Span[] = [];
  if (s.notes.length > 0) spans.push({ text: `${s.notes.join(' · ')} `, italic: true });
  spans.push({ text: `${s.emoji} ` });
  if (withStreamer) spans.push({ text: `[${s.streamerId}] ` });
  if (s.who !== undefined) spans.push(...whoSpans(s.who));
  const tail: string[] = [];
  if (s.amount !== undefined) tail.push(` ${s.amount}`);
  const details = s.details.filter((d) => d);
  if (details.length > 0) tail.push(` · ${details.join(' · ')}`);
  if (s.quote !== undefined) tail.push(`${s.who !== undefined && s.amount === undefined ? ':' : ' —'} ${s.quote.replace(/\n/g, ' ')}`);
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
  const m = messagesFor(first.locale);
  const allChat = alerts.every((a) => a.kind === 'chat');
  const single = new Set(alerts.map((a) => a.streamerId)).size === 1;
  const title = allChat ? `💬 ${m.chatDigestTitle(alerts.length)}` : `📋 ${m.digestTitle(alerts.length)}`;
  const header = single ? `${title} · ${stripControls(first.streamerId, false)}` : title;
  const body = alerts.map((a) => digestLine(summarize(a), !single));
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
