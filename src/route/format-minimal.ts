/**
 * The minimal safe form of alerts, sent when a platform refused our normal rendering (a 400 about
 * the message: too long, empty, bad markup). One short plain line per alert — emoji, kind, streamer,
 * amount and the donor's name cut short — with no embed, no quote, no link and no mention, so it is
 * within every limit and carries no markup to refuse. Every line starts with our own emoji and
 * label, so no message is ever empty or whitespace only.
 */
import type { Alert } from './alert.js';
import { summarize } from './card.js';
import { escapeDiscord, type DiscordMessage } from './format-discord.js';
import { escapeHtml, type TelegramMessage } from './format-telegram.js';
import { stripControls, truncate } from './text.js';

/** Well under Discord's 2,000 content characters and Telegram's 4,096 (escaping only grows text). */
const DISCORD_ROOM = 1800;
const TELEGRAM_ROOM = 3000;
const NAME_ROOM = 40;

/** One alert as raw plain text, before escaping. */
function minimalParts(alert: Alert): string[] {
  const s = summarize(alert);
  const parts = [...s.notes, s.emoji, s.label, truncate(oneLine(s.streamerId), NAME_ROOM)];
  if (s.who !== undefined) parts.push(truncate(oneLine(s.who), NAME_ROOM));
  if (s.amount !== undefined) parts.push(s.amount);
  return parts.filter((p) => p.trim() !== '');
}

const oneLine = (text: string): string => stripControls(text, false).replace(/\s+/g, ' ').trim();

/** Lines into pages of at most `room` units (each line is far shorter than the room by construction). */
function pack(lines: readonly string[], room: number): string[] {
  const pages: string[] = [];
  let page = '';
  for (const raw of lines) {
    const line = truncate(raw, room);
    if (page && page.length + 1 + line.length > room) {
      pages.push(page);
      page = '';
    }
    page = page ? `${page}\n${line}` : line;
  }
  if (page) pages.push(page);
  return pages;
}

export function renderMinimalDiscord(alerts: readonly Alert[]): DiscordMessage[] {
  const lines = alerts.map((a) => minimalParts(a).map(escapeDiscord).join(' '));
  return pack(lines, DISCORD_ROOM).map((content) => ({ content, embeds: [], allowedMentions: { parse: [], roles: [] } }));
}

export function renderMinimalTelegram(alerts: readonly Alert[]): TelegramMessage[] {
  const lines = alerts.map((a) => minimalParts(a).map(escapeHtml).join(' '));
  const loud = alerts.some((a) => a.loud);
  return pack(lines, TELEGRAM_ROOM).map((text) => ({ text, parseMode: 'HTML', disableNotification: !loud, disableLinkPreview: true }));
}
