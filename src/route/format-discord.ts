/**
 * Alert → Discord message, as plain data (the discord/ adapter turns it into a discord.js call).
 *
 * Safety: `allowedMentions.parse` is always empty (the primary guard); on top of that every string
 * is markdown-escaped and mention-shaped text (`@everyone`, `@here`, `<@…>`, `<@&…>`, `<#…>`) gets
 * a zero-width space so it cannot ping even if allowed_mentions were lost. The only mention we
 * write is the subscription's own role, in `content`, on loud alerts.
 */
import type { Alert } from './alert.js';
import { KIND_COLOUR, buildCard, summarize, type AlertCard, type AlertSummary } from './card.js';
import { messagesFor } from './messages.js';
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

/** Discord's documented limits (message.mdx). */
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  embedsTotal: 6000,
} as const;

const ZWSP = '\u200B';
const MARKDOWN = /[\\*_~`|>#\-[\]()<:]/g;
const ORDERED_LIST = /^(\s*\d+)\./gm;
const SNOWFLAKE = /^\d{17,20}$/;
const SAFE_URL = /^https:\/\/[\w.-]+\/[\w./%-]*$/;

/**
 * Escapes Discord markdown (emphasis, code, spoilers, quotes, headings, lists, masked links) and
 * breaks links (`https\://`) and mentions. `<` is escaped too, and a zero-width space follows
 * every `@` and every `<` that could open a mention, channel or command reference.
 */
export function escapeDiscord(text: string): string {
  return stripControls(text)
    .replace(MARKDOWN, '\\$&')
    .replace(ORDERED_LIST, '$1\\.')
    .replace(/@(everyone|here)/gi, `@${ZWSP}$1`)
    .replace(/<(\\?[@#/:]|a\\?:|t\\?:)/gi, `<${ZWSP}$1`);
}

/** Footers render no markdown: no escaping (backslashes would show), but the same mention guard. */
function plainDiscord(text: string): string {
  return stripControls(text, false)
    .replace(/@(everyone|here)/gi, `@${ZWSP}$1`)
    .replace(/<([@#/:]|a:|t:)/gi, `<${ZWSP}$1`);
}

const fit = (raw: string, limit: number): string => escapeAndFit(raw, limit, escapeDiscord);

function embedSize(embed: DiscordEmbed): number {
  let size = embed.title.length + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
  for (const field of embed.fields) size += field.name.length + field.value.length;
  return size;
}

function titleOf(card: AlertCard): string {
  return fit([...card.notes, `${card.emoji} ${card.title}`].join(' · '), DISCORD_LIMITS.title);
}

function quoteLines(quote: string): string {
  // Our own block quote around escaped text: the text's own '>' are escaped, so it cannot end it.
  return quote
    .split('\n')
    .map((line) => `> ${escapeDiscord(line)}`)
    .join('\n');
}

function descriptionOf(card: AlertCard): string | undefined {
  const parts: string[] = [];
  if (card.who !== undefined) parts.push(boldWho(truncate(card.who, 300)));
  if (card.text !== undefined) parts.push(fit(card.text, 1024));
  const head = parts.join('\n');
  if (card.quote === undefined) return head || undefined;
  const room = DISCORD_LIMITS.description - head.length - 1;
  let quote = quoteLines(card.quote);
  if (quote.length > room) {
    // Cut the raw quote until its escaped, quoted form fits.
    let keep = Math.min(card.quote.length, room);
    do {
      quote = quoteLines(truncate(card.quote, keep));
      keep -= Math.max(1, quote.length - room);
    } while (quote.length > room && keep > 1);
  }
  return head ? `${head}\n${quote}` : quote;
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

/** Shrinks the description until the embed is within the 6,000 total. */
function withinTotal(embed: DiscordEmbed): DiscordEmbed {
  const excess = embedSize(embed) - DISCORD_LIMITS.embedsTotal;
  if (excess <= 0 || embed.description === undefined) return embed;
  const keep = Math.max(0, embed.description.length - excess - 1);
  const description = dropDanglingEscape(prefixByCodePoints(embed.description, keep)) + ELLIPSIS;
  return { ...embed, description };
}

export function renderDiscord(alert: Alert): DiscordMessage {
  const card = buildCard(alert);
  const description = descriptionOf(card);
  const embed: DiscordEmbed = {
    title: titleOf(card),
    ...(card.url !== undefined ? { url: card.url } : {}),
    ...(description !== undefined ? { description } : {}),
    color: card.colour,
    fields: card.fields.slice(0, DISCORD_LIMITS.fields).map((f) => ({
      name: fit(f.name, DISCORD_LIMITS.fieldName),
      value: f.link && SAFE_URL.test(f.value) ? f.value : fit(f.value, DISCORD_LIMITS.fieldValue),
      inline: f.inline,
    })),
    footer: { text: truncate(plainDiscord([card.footer, ...card.notes].join(' · ')), DISCORD_LIMITS.footer) },
    ...(card.at !== undefined ? { timestamp: new Date(card.at).toISOString() } : {}),
  };
  return message(mentionFor(alert), withinTotal(embed));
}

/** One digest line: "💬 **닉네임** (viewer01): text" / "⭐ **닉네임** (viewer01) ×100 · 팬클럽 #12". */
function digestLine(s: AlertSummary, withStreamer: boolean): string {
  const parts: string[] = [...s.notes.map(escapeDiscord), s.emoji];
  if (withStreamer) parts.push(`\\[${escapeDiscord(s.streamerId)}\\]`);
  if (s.who !== undefined) parts.push(boldWho(s.who));
  let line = parts.join(' ');
  if (s.amount !== undefined) line += ` ${escapeDiscord(s.amount)}`;
  if (s.details.length > 0) line += ` · ${escapeDiscord(s.details.filter((d) => d).join(' · '))}`;
  if (s.quote !== undefined) line += `${s.who !== undefined && s.amount === undefined ? ':' : ' —'} ${escapeDiscord(s.quote.replace(/\n/g, ' '))}`;
  return line;
}

/** "닉네임 (viewer01)" → "**닉네임** (viewer01)", both parts escaped. */
function boldWho(who: string): string {
  const at = who.lastIndexOf(' (');
  if (at <= 0 || !who.endsWith(')')) return `**${escapeDiscord(who)}**`;
  return `**${escapeDiscord(who.slice(0, at))}** ${escapeDiscord(who.slice(at + 1))}`;
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
  const summaries = alerts.map(summarize);
  const pages = packLines(
    summaries.map((s) => digestLine(s, !single)),
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
      footer: { text: truncate(footer, DISCORD_LIMITS.footer) },
    };
    return message(i === 0 && loud ? mentionFor(loud) : { roles: [] }, embed);
  });
}
