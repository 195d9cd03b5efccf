/**
 * Platform-neutral command handlers: Discord slash commands and Telegram commands call the same
 * methods. Each validates its input (InputError with a code and arguments), applies it to the store
 * in one step (nothing half-saved), tells the app what changed, and returns a plain-text reply in
 * the user's language, every sentence from src/i18n.
 */
import { AppError, InputError, describeError, type Place } from '../core/errors.js';
import { parseStreamerId } from '../core/ids.js';
import {
  LANGUAGE_NAMES,
  PAUSED_BY_USER,
  R,
  commandName,
  deliveryStatus,
  formatTime,
  hasStateText,
  helpText,
  kindNames,
  pauseReasonText,
  problemText,
  say,
  stateText,
  storageUnavailableReply,
  type CommandPlatform,
} from '../i18n/index.js';
import { isStorageUnavailable } from '../store/errors.js';
import { ALL_ALERT_KINDS, type AlertKind, type Destination, type Locale, type Platform, type StoreLimits, type Subscription, type SubscriptionStore } from '../store/types.js';
import type { CommandContext, CommandEffects } from './ports.js';
import { subscriptionRequest } from './subscription-request.js';

export interface WatchOptions {
  readonly streamer: string;
  readonly keywords?: readonly string[];
  readonly minBalloons?: number;
  readonly events?: readonly AlertKind[];
  readonly mentionRoleId?: string;
  readonly loudAbove?: number;
}

export interface Reply {
  readonly ok: boolean;
  readonly text: string;
}

const MAX_KEYWORDS = 50;
const MAX_KEYWORD_LENGTH = 50;
const MAX_BALLOONS = 10_000_000;

/** Splits user input into keywords: commas (or, without commas, spaces), trimmed, deduplicated. */
export function parseWords(input: string | readonly string[]): string[] {
  const raw = typeof input === 'string' ? (input.includes(',') ? input.split(',') : input.split(/\s+/)) : input;
  const words = [...new Set(raw.map((w) => w.trim()).filter((w) => w.length > 0))];
  for (const w of words) {
    if ([...w].length > MAX_KEYWORD_LENGTH) throw new InputError({ code: 'KEYWORD_TOO_LONG', keyword: w.slice(0, 20), max: MAX_KEYWORD_LENGTH });
  }
  return words;
}

/** Parses an event list like "star,ad,live" (or Korean names); throws InputError on unknown names. */
export function parseEvents(input: string): AlertKind[] {
  const aliases: Record<string, AlertKind> = {
    별풍선: 'star', balloon: 'star', balloons: 'star', 애드벌룬: 'ad', 영상풍선: 'video', 구독: 'subscription', subs: 'subscription',
    미션: 'mission', 방송시작: 'live', 방송종료: 'offline', 채팅: 'chat', keywords: 'chat',
  };
  const kinds = new Set<AlertKind>();
  for (const part of input.split(/[\s,]+/).filter(Boolean)) {
    const name = part.toLowerCase();
    if (name === 'all' || name === '전체') return [...ALL_ALERT_KINDS];
    const kind = (ALL_ALERT_KINDS as readonly string[]).includes(name) ? (name as AlertKind) : aliases[name];
    if (!kind) throw new InputError({ code: 'EVENT_UNKNOWN', given: part.slice(0, 40), known: ALL_ALERT_KINDS });
    kinds.add(kind);
  }
  if (kinds.size === 0) throw new InputError({ code: 'EVENTS_MISSING', known: ALL_ALERT_KINDS });
  return [...kinds];
}

function checkCount(option: 'min_balloons' | 'loud_above', value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > MAX_BALLOONS) {
    throw new InputError({ code: 'COUNT_INVALID', option, max: MAX_BALLOONS });
  }
}

/** How a sentence names the destination. */
function placeOf(destination: Destination): Place {
  return destination.platform === 'discord' ? 'channel' : destination.platform === 'telegram' ? 'chat' : 'console';
}

const commandPlatform = (ctx: CommandContext): CommandPlatform => (ctx.destination.platform === 'telegram' ? 'telegram' : 'discord');

/** 'ko', 'en', '한국어', 'English', … → a Locale; undefined when it names no language of ours. */
export function parseLanguage(input: string): Locale | undefined {
  const name = input.trim().toLowerCase();
  if (['ko', 'kr', 'korean', '한국어', '한글', '한국'].includes(name) || name.startsWith('ko-')) return 'ko';
  if (['en', 'english', '영어', 'eng'].includes(name) || name.startsWith('en-')) return 'en';
  return undefined;
}

export class CommandService {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly effects: CommandEffects,
    private readonly limits: StoreLimits,
  ) {}

  async watch(ctx: CommandContext, options: WatchOptions): Promise<Reply> {
    return this.guard(ctx, async () => {
      const streamerId = parseStreamerId(options.streamer);
      checkCount('min_balloons', options.minBalloons);
      checkCount('loud_above', options.loudAbove);
      const keywords = options.keywords ? parseWords(options.keywords) : undefined;
      if (keywords && keywords.length > MAX_KEYWORDS) throw new InputError({ code: 'KEYWORDS_TOO_MANY', max: MAX_KEYWORDS });
      const existing = this.store.find(ctx.destination, streamerId);
      if (!existing && !this.effects.canWatch(streamerId)) throw new InputError({ code: 'ENGINE_LIMIT' });
      let info: string;
      try {
        const live = await this.effects.checkLiveInfo(streamerId);
        const state = stateText(ctx.locale, live.status);
        info = live.status === 'live' ? say(ctx.locale, R.stateWithTitle, state, live.title) : state;
      } catch (err) {
        info = say(ctx.locale, R.liveCheckFailed, describeError(err));
      }
      const settings = {
        ...(options.events ? { events: options.events } : {}),
        ...(options.minBalloons !== undefined ? { minBalloons: options.minBalloons } : {}),
        ...(options.loudAbove !== undefined ? { loudAbove: options.loudAbove } : {}),
        ...(options.mentionRoleId !== undefined ? { mentionRoleId: options.mentionRoleId } : {}),
        ...(keywords ? { keywords } : {}),
      };
      const sub = existing
        ? (this.store.update(existing.id, settings) ?? existing)
        : this.store.add(
            subscriptionRequest(ctx.destination, streamerId, ctx.userId, { ...settings, locale: this.alertLocaleFor(ctx) }),
            this.limits,
          );
      this.effects.subscriptionsChanged(streamerId);
      const head = say(ctx.locale, existing ? R.watchUpdated : R.watchStarted, streamerId);
      return `${head}\n${this.describe(ctx, sub)}\n${say(ctx.locale, R.currentState, info)}`;
    });
  }

  async unwatch(ctx: CommandContext, streamer: string): Promise<Reply> {
    return this.guard(ctx, async () => {
      const sub = this.mine(ctx, streamer);
      this.store.remove(sub.id);
      this.effects.subscriptionsChanged(sub.streamerId);
      return say(ctx.locale, R.unwatched, sub.streamerId);
    });
  }

  async list(ctx: CommandContext, options: { wholeGuild?: boolean } = {}): Promise<Reply> {
    return this.guard(ctx, async () => {
      const subs =
        options.wholeGuild && ctx.destination.guildId !== undefined
          ? this.store.listByGuild(ctx.destination.guildId)
          : this.store.listByDestination(ctx.destination);
      if (subs.length === 0) return say(ctx.locale, R.listEmpty, commandName(commandPlatform(ctx), 'watch'));
      return subs.map((s) => `• ${s.streamerId}${options.wholeGuild ? ` (#${s.destination.id})` : ''} — ${this.describe(ctx, s)}`).join('\n');
    });
  }

  /** Streamer ids of this destination starting with `prefix` (autocomplete). */
  streamersOf(ctx: CommandContext, prefix = ''): string[] {
    return this.store
      .listByDestination(ctx.destination)
      .map((s) => s.streamerId)
      .filter((id) => id.startsWith(prefix.toLowerCase()));
  }

  /** The destination's subscriptions, for list buttons. */
  subscriptionsOf(ctx: CommandContext): Subscription[] {
    return this.store.listByDestination(ctx.destination);
  }

  async keywords(ctx: CommandContext, streamer: string, action: 'add' | 'remove' | 'list', words: readonly string[] = []): Promise<Reply> {
    return this.guard(ctx, async () => {
      const sub = this.mine(ctx, streamer);
      if (action === 'list') {
        return sub.keywords.length > 0
          ? `${sub.streamerId}: ${sub.keywords.join(', ')}`
          : say(ctx.locale, R.keywordsNone, sub.streamerId);
      }
      const given = parseWords(words);
      if (given.length === 0) throw new InputError({ code: 'KEYWORDS_MISSING' });
      const next = action === 'add' ? [...new Set([...sub.keywords, ...given])] : sub.keywords.filter((k) => !given.includes(k));
      if (next.length > MAX_KEYWORDS) throw new InputError({ code: 'KEYWORDS_TOO_MANY', max: MAX_KEYWORDS });
      const events = next.length > 0 && !sub.events.includes('chat') ? [...sub.events, 'chat' as const] : sub.events;
      this.store.update(sub.id, { keywords: next, events });
      this.effects.subscriptionsChanged(sub.streamerId);
      return `${sub.streamerId}: ${next.length > 0 ? next.join(', ') : say(ctx.locale, R.keywordsEmptyList)}`;
    });
  }

  async minBalloons(ctx: CommandContext, streamer: string, count: number): Promise<Reply> {
    return this.guard(ctx, async () => {
      checkCount('min_balloons', count);
      const sub = this.mine(ctx, streamer);
      this.store.update(sub.id, { minBalloons: count });
      this.effects.subscriptionsChanged(sub.streamerId);
      return say(ctx.locale, R.minBalloonsSet, sub.streamerId, count);
    });
  }

  async pause(ctx: CommandContext, streamer?: string): Promise<Reply> {
    return this.setPaused(ctx, true, streamer);
  }

  async resume(ctx: CommandContext, streamer?: string): Promise<Reply> {
    return this.setPaused(ctx, false, streamer);
  }

  async status(ctx: CommandContext, streamer: string): Promise<Reply> {
    return this.guard(ctx, async () => {
      const streamerId = parseStreamerId(streamer);
      const sub = this.store.find(ctx.destination, streamerId);
      const engine = this.effects.engineStatus(streamerId);
      const lines = [`${streamerId}`];
      const { locale } = ctx;
      if (!engine) {
        lines.push(say(locale, R.statusNoEngine));
      } else {
        const state = engine.restrictedReason !== undefined && hasStateText(engine.restrictedReason) ? engine.restrictedReason : engine.state;
        lines.push(say(locale, R.statusState, stateText(locale, state), formatTime(locale, engine.since)));
        if (engine.broadcastNo) lines.push(say(locale, R.statusBroadcast, engine.title ? `${engine.broadcastNo} — ${engine.title}` : engine.broadcastNo));
        lines.push(say(locale, R.statusLastChat, formatTime(locale, engine.lastChatAt)));
        lines.push(say(locale, R.statusLastDonation, formatTime(locale, engine.lastDonationAt)));
        lines.push(say(locale, R.statusReconnects, engine.reconnects, engine.lastError));
        if (engine.crawledBy) lines.push(say(locale, R.statusNode, engine.crawledBy.node, Math.max(0, Math.round(engine.crawledBy.ageMs / 1000))));
      }
      if (sub) {
        lines.push(this.describe(ctx, sub));
        lines.push(say(locale, R.statusAlertLanguage, say(locale, LANGUAGE_NAMES[sub.locale])));
        const why = this.whyQuiet(ctx, sub, engine?.state, engine?.restrictedReason, engine?.cause);
        if (why) lines.push(say(locale, R.statusWhyQuiet, why));
        const delivery = this.effects.deliveryStatus?.(ctx.destination);
        if (delivery && delivery.givenUp > 0) lines.push(say(locale, deliveryStatus.givenUp, delivery.givenUp, formatTime(locale, delivery.lastGivenUpAt), delivery.lastReason));
        if (delivery && delivery.heldEvents > 0) lines.push(say(locale, deliveryStatus.held, delivery.heldEvents));
      } else {
        lines.push(problemText(locale, { code: 'NOT_WATCHED', place: placeOf(ctx.destination), streamerId }));
      }
      return lines.join('\n');
    });
  }

  async test(ctx: CommandContext, streamer?: string): Promise<Reply> {
    return this.guard(ctx, async () => {
      const subs = this.store.listByDestination(ctx.destination);
      const sub = streamer ? this.mine(ctx, streamer) : subs[0];
      if (!sub) throw new InputError({ code: 'WATCH_FIRST' });
      this.effects.sendTest(sub);
      return say(ctx.locale, R.testSent, sub.streamerId);
    });
  }

  help(ctx: CommandContext, platform: CommandPlatform): Reply {
    return { ok: true, text: helpText(ctx.locale, platform) };
  }

  /**
   * The language alerts to this destination are written in: with `language`, sets it (for every
   * subscription here, and for those added later); without, says what it is. Replies in the user's
   * language.
   */
  async language(ctx: CommandContext, language?: string): Promise<Reply> {
    return this.guard(ctx, async () => {
      const command = commandName(commandPlatform(ctx), 'settings');
      if (language === undefined || language.trim() === '') {
        return say(ctx.locale, R.languageIs, say(ctx.locale, LANGUAGE_NAMES[this.alertLocaleFor(ctx)]), command);
      }
      const locale = parseLanguage(language);
      if (!locale) throw new InputError({ code: 'LANGUAGE_UNKNOWN', given: language.trim().slice(0, 40) });
      const subs = this.store.listByDestination(ctx.destination);
      const n = this.store.setDestinationLocale(ctx.destination, locale);
      for (const streamerId of new Set(subs.map((s) => s.streamerId))) this.effects.subscriptionsChanged(streamerId);
      return say(ctx.locale, R.languageSet, say(ctx.locale, LANGUAGE_NAMES[locale]), n);
    });
  }

  /** The platform says a destination is gone (channel deleted, bot removed/blocked): remove or pause its subscriptions. */
  destinationGone(destination: Destination, reason: string, remove: boolean): number {
    const subs = this.store.listByDestination(destination);
    const n = this.store.disableDestination(destination, reason, remove);
    for (const streamerId of new Set(subs.map((s) => s.streamerId))) this.effects.subscriptionsChanged(streamerId);
    return n;
  }

  /** A Telegram group became a supergroup: its subscriptions follow it. */
  destinationMoved(from: Destination, toId: string): number {
    const subs = this.store.listByDestination(from);
    const n = this.store.moveDestination(from, toId);
    const to: Destination = { ...from, id: toId };
    const language = this.store.getDestinationLocale(from);
    if (language && !this.store.getDestinationLocale(to)) this.store.setDestinationLocale(to, language);
    for (const streamerId of new Set(subs.map((s) => s.streamerId))) this.effects.subscriptionsChanged(streamerId);
    return n;
  }

  /** The bot left a Discord server: every subscription in it is removed. */
  guildGone(guildId: string, reason: string): number {
    const subs = this.store.listByGuild(guildId);
    const destinations = new Map(subs.map((s) => [`${s.destination.platform}:${s.destination.id}`, s.destination]));
    let n = 0;
    for (const destination of destinations.values()) n += this.store.disableDestination(destination, reason, true);
    for (const streamerId of new Set(subs.map((s) => s.streamerId))) this.effects.subscriptionsChanged(streamerId);
    return n;
  }

  /** Guild ids that have subscriptions on a platform (checked against the gateway's READY at startup). */
  knownGuilds(platform: Platform): string[] {
    const guilds = new Set<string>();
    for (const streamerId of this.store.listStreamers()) {
      for (const sub of this.store.listByStreamer(streamerId)) {
        if (sub.destination.platform === platform && sub.destination.guildId !== undefined) guilds.add(sub.destination.guildId);
      }
    }
    return [...guilds];
  }

  private async setPaused(ctx: CommandContext, paused: boolean, streamer?: string): Promise<Reply> {
    return this.guard(ctx, async () => {
      const subs = streamer ? [this.mine(ctx, streamer)] : this.store.listByDestination(ctx.destination);
      if (subs.length === 0) throw new InputError({ code: 'NOTHING_WATCHED', place: placeOf(ctx.destination) });
      for (const sub of subs) {
        this.store.update(sub.id, paused ? { paused: true, pausedReason: PAUSED_BY_USER } : { paused: false });
        this.effects.subscriptionsChanged(sub.streamerId);
      }
      return say(ctx.locale, paused ? R.paused : R.resumed, subs.map((s) => s.streamerId).join(', '));
    });
  }

  private mine(ctx: CommandContext, streamer: string): Subscription {
    const streamerId = parseStreamerId(streamer);
    const sub = this.store.find(ctx.destination, streamerId);
    if (!sub) throw new InputError({ code: 'NOT_WATCHED', place: placeOf(ctx.destination), streamerId });
    return sub;
  }

  /**
   * The destination's alert language: its stored setting; else (first subscription here) the
   * platform's default for it (Discord: the server's language; Telegram: the subscriber's), stored
   * so that later subscriptions, whoever adds them, follow the same language.
   */
  private alertLocaleFor(ctx: CommandContext): Locale {
    const stored = this.store.getDestinationLocale(ctx.destination);
    if (stored) return stored;
    const chosen = ctx.alertLocale ?? ctx.locale;
    this.store.setDestinationLocale(ctx.destination, chosen);
    return chosen;
  }

  private describe(ctx: CommandContext, sub: Subscription): string {
    const { locale } = ctx;
    const parts = [say(locale, R.describeAlerts, kindNames(locale, sub.events))];
    if (sub.minBalloons > 0) parts.push(say(locale, R.describeMin, sub.minBalloons));
    if (sub.loudAbove !== undefined) parts.push(say(locale, R.describeLoud, sub.loudAbove));
    if (sub.keywords.length > 0) parts.push(say(locale, R.describeKeywords, sub.keywords.join(', ')));
    if (sub.paused) parts.push(say(locale, R.describePaused, sub.pausedReason ? pauseReasonText(locale, sub.pausedReason) : undefined));
    return parts.join(' · ');
  }

  private whyQuiet(ctx: CommandContext, sub: Subscription, state: string | undefined, restricted: string | undefined, cause?: string): string | undefined {
    const { locale } = ctx;
    if (sub.paused) return say(locale, R.whyPaused, sub.pausedReason ? pauseReasonText(locale, sub.pausedReason) : undefined, commandName(commandPlatform(ctx), 'resume'));
    if (restricted) return stateText(locale, restricted);
    if (state === 'offline' || state === 'ended') return say(locale, R.whyOffline);
    if (state === 'reconnecting' && cause === 'hostGone') return say(locale, R.whyHostGone);
    if (state === 'reconnecting' || state === 'connecting') return say(locale, R.whyReconnecting);
    if (sub.minBalloons > 0) return say(locale, R.whyMinBalloons, sub.minBalloons);
    return undefined;
  }

  /** Runs a handler; refusals become their sentence in the user's language, anything else a clear reply with its code (never a stack). */
  private async guard(ctx: CommandContext, run: () => Promise<string>): Promise<Reply> {
    try {
      return { ok: true, text: await run() };
    } catch (err) {
      return { ok: false, text: failureText(ctx.locale, err) };
    }
  }
}

/** What a person is told when a command fails: a refusal in their language, or that something went wrong (with its code). */
export function failureText(locale: Locale, err: unknown): string {
  if (isStorageUnavailable(err)) return say(locale, storageUnavailableReply);
  if (err instanceof InputError) return problemText(locale, err.problem);
  if (err instanceof AppError) return say(locale, R.failed, err.code);
  return say(locale, R.failed, 'INTERNAL_ERROR');
}
