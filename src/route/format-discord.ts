/**
 * Alert → Discord message, as plain data (the discord/ adapter turns it into a discord.js call).
 *
 * Limits by construction: every string is escaped first and then fitted to what is left of its
 * limit (the raw text is cut, never an escape), the description gets what the title, fields and
 * footer leave of the 6,000 total, and a digest line is bounded so lines are never cut.
 *
 * Literal display: untrusted text is escaped with Discord's own markdown escape (a backslash before
 * any punctuation shows it literally), so copying it gives back the text. The only invisible
 * characters are the zero-width spaces that break mention-shaped text (`@everyone`, `@here`, `<@…>`,
 * `<@&…>`), for which no escape exists; `allowedMentions.parse` is always empty on top of that. The
 * only mention we write is the subscription's own role, in `content`, on loud alerts.
 */
import { andMore, messagesFor, say } from '../i18n/index.js';
import type { Alert } from './alert.js';
import { KIND_COLOUR, buildCard, summarize, type AlertCard, type AlertSummary, type CardField } from './card.js';
import { ELLIPSIS, escapeAndFit, prefixByCodePoints, stripControls, truncate } from './text.js';

export interface DiscordEmbedField {
  readonly name: string;
  readonly value: string;
  readonly inline: boolean;
}

export interface DiscordEmbed {
  readonly title: string;
  readonly url?: string;
  readonly description?: string;
  readonly color: number;
  readonly fields: readonly DiscordEmbedField[];
  readonly footer?: { readonly text: string };
  /** ISO 8601. */
  readonly timestamp?: string;
}

export interface DiscordMessage {
  readonly content?: string;
  readonly embeds: readonly DiscordEmbed[];
  readonly allowedMentions: { readonly parse: readonly []; readonly roles: readonly string[] };
}

/** Discord's documented limits (message.mdx, "Embed Limits" and "Create Message"). */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  author: 256,
  embedsTotal: 6000,
} as const;

/** Our own tighter bounds, so that the parts of one embed always fit its 6,000 total together. */
const BOUND = {
  who: 300,
  text: 1024,
  footer: 512,
  /** One digest line (a chat or a donation): far below a description, so lines are never cut. */
  digestLine: 700,
  digestQuote: 400,
  /** One line of the minimal rendering. */
  minimalLine: 400,
} as const;

const ZWSP = '\u200B';
// Discord's escape rule takes any backslash + non-alphanumeric literally; these are the ones that
// start markup somewhere (emphasis, code, spoilers, quotes, headings, subtext, lists, masked
// links, mentions and timestamps `<…>`, and `:` so that `https://` is not turned into a link).
const MARKDOWN = /[\\*_~`|>#\-[\]()<:]/g;
const LINE_START_LIST = /^(\s*)(\d+\.|\+)/gm;
const EVERYONE = /@(everyone|here)/gi;
const SNOWFLAKE = /^\d{17,20}$/;
const SAFE_URL = /^https:\/\/[\w.-]+\/[\w./%-]*$/;

/** Breaks the mention shapes no escape can break: `@everyone`, `@here`, and `<@` (users, roles). */
function breakMentions(text: string): string {
  return text.replace(EVERYONE, `@${ZWSP}$1`).replace(/<(?=@)/g, `<${ZWSP}`);
}

/**
 * Escapes Discord markdown with backslashes, so the text shows (and copies) exactly as written:
 * emphasis, code, spoilers, quotes, headings, lists, masked links, links, `<…>` references. Control
 * characters are dropped; mention shapes get a zero-width space (see `breakMentions`).
 */
export function escapeDiscord(text: string): string {
  const escaped = stripControls(text)
    .replace(MARKDOWN, '\\$&')
    .replace(LINE_START_LIST, (_, indent: string, marker: string) =>
      marker === '+' ? `${indent}\\+` : `${indent}${marker.slice(0, -1)}\\.`,
    );
  return escaped.replace(EVERYONE, `@${ZWSP}$1`).replace(/\\<(?=@)/g, `\\<${ZWSP}`);
}

/** Footers render no markdown: no escaping (backslashes would show), but the same mention guard. */
function plainDiscord(text: string): string {
  return breakMentions(stripControls(text, false));
}

// Controls are dropped first, so that escaping (which would drop them too) never shortens the text.
const fit = (raw: string, limit: number): string => escapeAndFit(stripControls(raw), limit, escapeDiscord);

function embedSize(embed: DiscordEmbed): number {
  let size = embed.title.length + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
  for (const field of embed.fields) size += field.name.length + field.value.length;
  return size;
}

function titleOf(card: AlertCard): string {
  return fit([...card.notes, `${card.emoji} ${card.title}`].join(' · '), DISCORD_LIMITS.title);
}

/** Our own block quote around escaped text: the text's own '>' are escaped, so it cannot end it. */
function quoteLines(quote: string): string {
  return quote
    .split('\n')
    .map((line) => `> ${escapeDiscord(line)}`)
    .join('\n');
}

/** "닉네임 (viewer01)" → "**닉네임** \(viewer01\)", both parts escaped, within `limit` ('' if nothing fits). */
function boldWho(who: string, limit: number, bold = true): string {
  const stars = bold ? '**' : '';
  const at = who.lastIndexOf(' (');
  if (at <= 0 || !who.endsWith(')')) {
    const name = fit(who, limit - 2 * stars.length);
    return name ? `${stars}${name}${stars}` : '';
  }
  const id = fit(who.slice(at + 1), Math.min(80, Math.max(0, limit - 10)));
  const name = fit(who.slice(0, at), limit - 2 * stars.length - (id ? id.length + 1 : 0));
  if (!name) return '';
  return id ? `${stars}${name}${stars} ${id}` : `${stars}${name}${stars}`;
}

/** Who, the plain text line and the quote, in that order, each cut to what is left of `room`. */
function descriptionOf(card: AlertCard, room: number): string | undefined {
  const parts: string[] = [];
  let left = room;
  const add = (part: string): void => {
    if (!part) return;
    parts.push(part);
    left -= part.length + 1;
  };
  if (card.who !== undefined) add(boldWho(card.who, Math.min(BOUND.who, left)));
  if (card.text !== undefined) add(fit(card.text, Math.min(BOUND.text, left)));
  if (card.quote !== undefined) add(escapeAndFit(stripControls(card.quote), left, quoteLines));
  return parts.length > 0 ? parts.join('\n') : undefined;
}

function fieldOf(f: CardField): DiscordEmbedField {
  const linkable = f.link === true && SAFE_URL.test(f.value) && f.value.length <= DISCORD_LIMITS.fieldValue;
  return {
    name: fit(f.name, DISCORD_LIMITS.fieldName) || ELLIPSIS,
    value: linkable ? f.value : fit(f.value, DISCORD_LIMITS.fieldValue) || ELLIPSIS,
    inline: f.inline,
  };
}

function mentionFor(alert: Alert): { content?: string; roles: string[] } {
  const role = alert.mentionRoleId;
  if (!alert.loud || role === undefined || !SNOWFLAKE.test(role)) return { roles: [] };
  return { content: `<@&${role}>`, roles: [role] };
}

function message(mention: { content?: string; roles: string[] }, embed: DiscordEmbed): DiscordMessage {
  return {
    ...(mention.content !== undefined ? { content: mention.content } : {}),
    embeds: [embed],
    allowedMentions: { parse: [], roles: mention.roles },
  };
}

/** Cutting escaped markdown can leave a lone trailing backslash, which would escape what follows. */
function dropDanglingEscape(text: string): string {
  const trailing = /\\+$/.exec(text)?.[0].length ?? 0;
  return trailing % 2 === 1 ? text.slice(0, -1) : text;
}

export function renderDiscord(alert: Alert): DiscordMessage {
  const card = buildCard(alert);
  const head = {
    title: titleOf(card),
    fields: card.fields.slice(0, DISCORD_LIMITS.fields).map(fieldOf),
    footer: { text: truncate(plainDiscord([card.footer, ...card.notes].join(' · ')), BOUND.footer) },
  };
  // The description gets what the rest leaves of the 6,000 total.
  const room = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.embedsTotal - embedSize({ ...head, color: 0 }));
  const description = descriptionOf(card, room);
  const embed: DiscordEmbed = {
    title: head.title,
    ...(card.url !== undefined ? { url: card.url } : {}),
    ...(description !== undefined ? { description } : {}),
    color: card.colour,
    fields: head.fields,
    footer: head.footer,
    ...(card.at !== undefined ? { timestamp: new Date(card.at).toISOString() } : {}),
  };
  return message(mentionFor(alert), embed);
}

/**
 * One digest line: "💬 **닉네임** \(viewer01\): text" / "⭐ **닉네임** \(viewer01\) ×100 · 팬클럽 \#12",
 * every part bounded so that the line is at most BOUND.digestLine long.
 */
function digestLine(s: AlertSummary, withStreamer: boolean, bold = true): string {
  const parts: string[] = [...s.notes.map(escapeDiscord), s.emoji];
  if (withStreamer) parts.push(`\\[${fit(s.streamerId, 60)}\\]`);
  if (s.who !== undefined) parts.push(boldWho(s.who, BOUND.who, bold));
  let line = parts.filter((p) => p).join(' ');
  if (s.amount !== undefined) line += ` ${escapeDiscord(s.amount)}`;
  const details = s.details.filter((d) => d).join(' · ');
  if (details) line += ` · ${fit(details, 200)}`;
  if (s.quote !== undefined) {
    const lead = s.who !== undefined && s.amount === undefined ? ':' : ' —';
    const room = Math.min(BOUND.digestQuote, BOUND.digestLine - line.length - lead.length - 1);
    const quote = fit(s.quote.replace(/\n/g, ' '), room);
    if (quote) line += `${lead} ${quote}`;
  }
  return line;
}

/** Packs lines into descriptions of at most `limit`; a line longer than the limit is cut alone. */
export function packLines(lines: readonly string[], limit: number): string[] {
  const pages: string[] = [];
  let page = '';
  for (const raw of lines) {
    const line = raw.length > limit ? dropDanglingEscape(prefixByCodePoints(raw, limit - 1)) + ELLIPSIS : raw;
    if (page && page.length + 1 + line.length > limit) {
      pages.push(page);
      page = '';
    }
    page = page ? `${page}\n${line}` : line;
  }
  if (page) pages.push(page);
  return pages;
}

/**
 * Many queued alerts of one destination as few messages: one embed per message, as many lines as
 * fit. Nothing is dropped: when the lines don't fit one message they continue in the next.
 */
export function renderDiscordDigest(alerts: readonly Alert[]): DiscordMessage[] {
  const first = alerts[0];
  if (!first) return [];
  if (alerts.length === 1) return [renderDiscord(first)];
  const m = messagesFor(first.locale);
  const allChat = alerts.every((a) => a.kind === 'chat');
  const streamers = new Set(alerts.map((a) => a.streamerId));
  const single = streamers.size === 1;
  const title = allChat ? `💬 ${m.chatDigestTitle(alerts.length)}` : `📋 ${m.digestTitle(alerts.length)}`;
  const pages = packLines(
    alerts.map((a) => digestLine(summarize(a), !single)),
    DISCORD_LIMITS.description,
  );
  const loud = alerts.find((a) => a.loud && a.mentionRoleId !== undefined);
  const footer = single ? plainDiscord(`SOOP · ${first.streamerId}`) : 'SOOP';
  return pages.map((description, i) => {
    const pageTitle = pages.length > 1 ? `${title} ${m.part(i + 1, pages.length)}` : title;
    const embed: DiscordEmbed = {
      title: fit(pageTitle, DISCORD_LIMITS.title),
      description,
      color: KIND_COLOUR[allChat ? 'chat' : first.kind],
      fields: [],
      footer: { text: truncate(footer, BOUND.footer) },
    };
    return message(i === 0 && loud ? mentionFor(loud) : { roles: [] }, embed);
  });
}

/**
 * The rendering to fall back on when Discord refuses ours (400): one message, `content` only (no
 * embed), one escaped line per alert, at most 2,000 characters; alerts that do not fit are counted
 * in a last "…and N more" line. Still literal and ping-free; a loud alert still mentions its role.
 */
export function renderDiscordMinimal(alerts: readonly Alert[]): DiscordMessage[] {
  const first = alerts[0];
  if (!first) return [];
  const loud = alerts.find((a) => a.loud && a.mentionRoleId !== undefined);
  const mention = loud ? mentionFor(loud) : { roles: [] };
  const single = new Set(alerts.map((a) => a.streamerId)).size === 1;
  let content = mention.content ?? '';
  let shown = 0;
  for (const alert of alerts) {
    const line = fitLine(digestLine(summarize(alert), !single || alerts.length === 1, false), BOUND.minimalLine);
    // Keep room for the "…and N more" line.
    if (content.length + 1 + line.length > DISCORD_LIMITS.content - 40) break;
    content = content ? `${content}\n${line}` : line;
    shown++;
  }
  if (shown < alerts.length) content += `\n${escapeDiscord(say(first.locale, andMore, alerts.length - shown))}`;
  return [{ content, embeds: [], allowedMentions: { parse: [], roles: mention.roles } }];
}

/** An already escaped line cut to `limit`, never leaving a lone backslash. */
function fitLine(line: string, limit: number): string {
  return line.length <= limit ? line : dropDanglingEscape(prefixByCodePoints(line, limit - 1)) + ELLIPSIS;
}
