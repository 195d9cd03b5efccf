/**
 * Alert → platform-neutral content: what to say, in which words, with no markup. Every string here
 * is raw text (user input only has its control characters removed); each renderer escapes all of
 * it, so no renderer ever has to know which parts came from a viewer.
 */
import { playerPageUrl } from '../core/soop-hosts.js';
import type { AlertKind } from '../store/types.js';
import type { Alert } from './alert.js';
import { formatCount, messagesFor, type Messages } from '../i18n/index.js';
import { stripControls } from './text.js';

export interface CardField {
  readonly name: string;
  readonly value: string;
  readonly inline: boolean;
  /** The value is a link we built (https), not user text: renderers may keep it clickable. */
  readonly link?: boolean;
}

export interface AlertCard {
  readonly kind: AlertKind;
  readonly colour: number;
  readonly emoji: string;
  /** Without the emoji, e.g. "별풍선 100개". */
  readonly title: string;
  /** Test / delayed markers, shown before the title. */
  readonly notes: readonly string[];
  /** A link we built (https only). */
  readonly url?: string;
  /** Who did it: "닉네임 (viewer01)". */
  readonly who?: string;
  /** A plain line under `who`, e.g. the broadcast title. */
  readonly text?: string;
  /** Quoted user text: the chat line or the donation message. */
  readonly quote?: string;
  readonly fields: readonly CardField[];
  readonly footer: string;
  readonly at?: number;
}

/** One-line form of an alert, for console lines and digests. */
export interface AlertSummary {
  readonly emoji: string;
  readonly label: string;
  readonly streamerId: string;
  readonly who?: string;
  /** "×100" for balloons. */
  readonly amount?: string;
  readonly details: readonly string[];
  readonly quote?: string;
  readonly notes: readonly string[];
}

export const KIND_COLOUR: Readonly<Record<AlertKind, number>> = {
  star: 0xf1c40f,
  ad: 0x3498db,
  video: 0xe91e63,
  subscription: 0x9b59b6,
  mission: 0x2ecc71,
  live: 0xe74c3c,
  offline: 0x95a5a6,
  // Blurple: nothing like any balloon colour, so a relayed chat never passes for a donation.
  chat: 0x5865f2,
};

const KIND_EMOJI: Readonly<Record<AlertKind, string>> = {
  star: '⭐',
  ad: '📢',
  video: '🎬',
  subscription: '💜',
  mission: '🎯',
  live: '🔴',
  offline: '⚫',
  chat: '💬',
};

export function liveUrl(streamerId: string): string {
  return playerPageUrl(streamerId);
}

const oneLine = (text: string): string => stripControls(text, false).trim();
const multiLine = (text: string): string => stripControls(text, true).trim();

function person(nickname: string | undefined, userId: string | undefined): string | undefined {
  const nick = nickname === undefined ? '' : oneLine(nickname);
  const id = userId === undefined ? '' : oneLine(userId);
  if (nick && id) return `${nick} (${id})`;
  return nick || id || undefined;
}

function notesOf(alert: Alert, m: Messages): string[] {
  const notes: string[] = [];
  if (alert.test) notes.push(m.test);
  if (alert.delayed) notes.push(m.delayed);
  return notes;
}

function quoteOf(text: string | undefined): string | undefined {
  const quote = text === undefined ? '' : multiLine(text);
  return quote || undefined;
}

export function buildCard(alert: Alert): AlertCard {
  const m = messagesFor(alert.locale);
  const base = {
    kind: alert.kind,
    colour: KIND_COLOUR[alert.kind],
    emoji: KIND_EMOJI[alert.kind],
    notes: notesOf(alert, m),
    footer: `SOOP · ${oneLine(alert.streamerId)}`,
    ...(alert.at !== undefined ? { at: alert.at } : {}),
  };
  const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
    value === undefined ? {} : ({ [key]: value } as Record<K, string>);

  switch (alert.kind) {
    case 'star':
    case 'ad':
    case 'video': {
      const e = alert.event;
      const fields: CardField[] = [{ name: m.field.count, value: formatCount(e.count), inline: true }];
      if (e.fanOrder > 0) fields.push({ name: m.field.fanClub, value: `#${e.fanOrder}`, inline: true });
      if (e.newTopFan) fields.push({ name: m.field.topFan, value: m.newTopFan, inline: true });
      return {
        ...base,
        title: m.balloons(m.donationLabel[e.type], formatCount(e.count)),
        ...optional('who', person(e.nickname, e.userId)),
        ...optional('quote', quoteOf(e.message)),
        fields,
      };
    }
    case 'subscription': {
      const e = alert.event;
      const fields: CardField[] = [];
      if (e.months !== undefined && e.months > 0) fields.push({ name: m.field.months, value: m.months(e.months), inline: true });
      if (e.tier !== undefined && e.tier > 0) fields.push({ name: m.field.tier, value: m.tier(e.tier), inline: true });
      const recipient = person(e.recipientNickname, e.recipientId);
      if (e.type === 'gift' && recipient) fields.push({ name: m.field.recipient, value: recipient, inline: true });
      return {
        ...base,
        emoji: e.type === 'gift' ? '🎁' : base.emoji,
        title: m.subscriptionTitle[e.type],
        ...optional('who', person(e.nickname, e.userId)),
        fields,
      };
    }
    case 'mission': {
      const e = alert.event;
      const title = e.title === undefined ? '' : oneLine(e.title);
      return {
        ...base,
        title: m.missionTitle(m.missionLabel(e.missionType), formatCount(e.count ?? 0)),
        ...optional('who', person(e.nickname, e.userId)),
        fields: title ? [{ name: m.field.mission, value: title, inline: false }] : [],
      };
    }
    case 'live': {
      const e = alert.event;
      const url = liveUrl(alert.streamerId);
      return {
        ...base,
        title: m.liveTitle,
        url,
        ...optional('who', person(e.streamerNickname, alert.streamerId)),
        ...optional('text', oneLine(e.title) || undefined),
        fields: [{ name: m.field.watch, value: url, inline: false, link: true }],
      };
    }
    case 'offline':
      return { ...base, title: m.offlineTitle, ...optional('text', oneLine(alert.streamerId) || undefined), fields: [] };
    case 'chat': {
      const e = alert.event;
      return {
        ...base,
        title: m.chatTitle,
        ...optional('who', person(e.nickname, e.userId)),
        ...optional('quote', quoteOf(e.message)),
        fields: [],
      };
    }
  }
}

export function summarize(alert: Alert): AlertSummary {
  const m = messagesFor(alert.locale);
  const card = buildCard(alert);
  const base = {
    emoji: card.emoji,
    label: m.kindLabel[alert.kind],
    streamerId: oneLine(alert.streamerId),
    notes: card.notes,
  };
  const who = card.who !== undefined ? { who: card.who } : {};
  const quote = card.quote !== undefined ? { quote: card.quote } : {};
  switch (alert.kind) {
    case 'star':
    case 'ad':
    case 'video': {
      const e = alert.event;
      const details: string[] = [];
      if (e.type !== alert.kind) details.push(m.donationLabel[e.type]);
      if (e.fanOrder > 0) details.push(`${m.field.fanClub} #${e.fanOrder}`);
      if (e.newTopFan) details.push(m.newTopFan);
      return { ...base, ...who, ...quote, amount: `×${formatCount(e.count)}`, details };
    }
    case 'mission':
      return { ...base, ...who, amount: `×${formatCount(alert.event.count ?? 0)}`, details: [m.missionLabel(alert.event.missionType), ...card.fields.map((f) => f.value)] };
    case 'subscription':
      return { ...base, ...who, details: [card.title, ...card.fields.map((f) => f.value)] };
    case 'live':
      return { ...base, details: [...(card.text !== undefined ? [card.text] : []), card.url ?? ''] };
    case 'offline':
      return { ...base, details: [] };
    case 'chat':
      return { ...base, ...who, ...quote, details: [] };
  }
}
