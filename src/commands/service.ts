/**
 * Platform-neutral command handlers: Discord slash commands and Telegram commands call the same
 * methods. Each validates its input (InputError with a clear sentence), applies it to the store in
 * one step (nothing half-saved), tells the app what changed, and returns a plain-text reply.
 */
import { AppError, InputError, describeError } from '../core/errors.js';
import { parseStreamerId } from '../core/ids.js';
import { ALL_ALERT_KINDS, type AlertKind, type Destination, type Platform, type StoreLimits, type Subscription, type SubscriptionStore } from '../store/types.js';
import type { CommandContext, CommandEffects } from './ports.js';
import { STATE_TEXT, formatTime, kindNames, t } from './texts.js';
import { subscriptionRequest } from './subscription-request.js';
import { isStorageUnavailable } from '../store/errors.js';
import { say, storageUnavailableReply } from '../i18n/index.js';

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
    if ([...w].length > MAX_KEYWORD_LENGTH) throw new InputError(`Keyword "${w.slice(0, 20)}…" is longer than ${MAX_KEYWORD_LENGTH} characters.`);
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
    if (!kind) throw new InputError(`Unknown event "${part}". Use: ${ALL_ALERT_KINDS.join(', ')} (or all).`);
    kinds.add(kind);
  }
  if (kinds.size === 0) throw new InputError(`Name at least one event: ${ALL_ALERT_KINDS.join(', ')}.`);
  return [...kinds];
}

function checkCount(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > MAX_BALLOONS) {
    throw new InputError(`${name} must be a whole number from 0 to ${MAX_BALLOONS}.`);
  }
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
      if (keywords && keywords.length > MAX_KEYWORDS) throw new InputError(`At most ${MAX_KEYWORDS} keywords per subscription.`);
      const existing = this.store.find(ctx.destination, streamerId);
      if (!existing && !this.effects.canWatch(streamerId)) {
        throw new InputError(t(ctx.locale, '이 봇이 볼 수 있는 스트리머 수가 가득 찼습니다. 운영자에게 MAX_ENGINES 를 늘려 달라고 하세요.', 'This bot is already watching as many streamers as it may; ask the operator to raise MAX_ENGINES.'));
      }
      let info: string;
      try {
        const live = await this.effects.checkLiveInfo(streamerId);
        info = STATE_TEXT[ctx.locale][live.status] ?? live.status;
        if (live.status === 'live') info += ` — ${live.title}`;
      } catch (err) {
        info = t(ctx.locale, `지금은 방송 상태를 확인하지 못했습니다 (${describeError(err)}). 계속 확인합니다.`, `could not check the stream right now (${describeError(err)}); will keep trying.`);
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
            subscriptionRequest(ctx.destination, streamerId, ctx.userId, { ...settings, locale: ctx.locale }),
            this.limits,
          );
      this.effects.subscriptionsChanged(streamerId);
      const head = existing ? t(ctx.locale, `${streamerId} 알림 설정을 바꿨습니다.`, `Updated the alerts for ${streamerId}.`) : t(ctx.locale, `${streamerId} 알림을 시작합니다.`, `Now watching ${streamerId}.`);
      return `${head}\n${this.describe(ctx, sub)}\n${t(ctx.locale, '현재 상태', 'Current state')}: ${info}`;
    });
  }

  async unwatch(ctx: CommandContext, streamer: string): Promise<Reply> {
    return this.guard(ctx, async () => {
      const sub = this.mine(ctx, streamer);
      this.store.remove(sub.id);
      this.effects.subscriptionsChanged(sub.streamerId);
      return t(ctx.locale, `${sub.streamerId} 알림을 껐습니다.`, `Stopped watching ${sub.streamerId}.`);
    });
  }

  async list(ctx: CommandContext, options: { wholeGuild?: boolean } = {}): Promise<Reply> {
    return this.guard(ctx, async () => {
      const subs =
        options.wholeGuild && ctx.destination.guildId !== undefined
          ? this.store.listByGuild(ctx.destination.guildId)
          : this.store.listByDestination(ctx.destination);
      if (subs.length === 0) return t(ctx.locale, '구독 중인 스트리머가 없습니다. /watch 또는 /subscribe 로 추가하세요.', 'No streamers watched here yet. Add one with /watch or /subscribe.');
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
          : t(ctx.locale, `${sub.streamerId} 에 등록된 키워드가 없습니다.`, `${sub.streamerId} has no keywords.`);
      }
      const given = parseWords(words);
      if (given.length === 0) throw new InputError(t(ctx.locale, '키워드를 하나 이상 적어 주세요.', 'Give at least one keyword.'));
      const next = action === 'add' ? [...new Set([...sub.keywords, ...given])] : sub.keywords.filter((k) => !given.includes(k));
      if (next.length > MAX_KEYWORDS) throw new InputError(`At most ${MAX_KEYWORDS} keywords per subscription.`);
      const events = next.length > 0 && !sub.events.includes('chat') ? [...sub.events, 'chat' as const] : sub.events;
      this.store.update(sub.id, { keywords: next, events });
      this.effects.subscriptionsChanged(sub.streamerId);
      return `${sub.streamerId}: ${next.length > 0 ? next.join(', ') : t(ctx.locale, '(키워드 없음)', '(no keywords)')}`;
    });
  }

  async minBalloons(ctx: CommandContext, streamer: string, count: number): Promise<Reply> {
    return this.guard(ctx, async () => {
      checkCount('min_balloons', count);
      const sub = this.mine(ctx, streamer);
      this.store.update(sub.id, { minBalloons: count });
      this.effects.subscriptionsChanged(sub.streamerId);
      return t(ctx.locale, `${sub.streamerId}: 풍선 ${count}개 이상만 알립니다.`, `${sub.streamerId}: only gifts of ${count} balloons or more.`);
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
      if (!engine) {
        lines.push(t(ctx.locale, '이 봇은 지금 이 스트리머를 보고 있지 않습니다.', 'This bot is not watching this streamer right now.'));
      } else {
        lines.push(`${t(ctx.locale, '상태', 'State')}: ${STATE_TEXT[ctx.locale][engine.restrictedReason ?? engine.state] ?? engine.state} (${t(ctx.locale, '부터', 'since')} ${formatTime(ctx.locale, engine.since)})`);
        if (engine.broadcastNo) lines.push(`${t(ctx.locale, '방송 번호', 'Broadcast')}: ${engine.broadcastNo}${engine.title ? ` — ${engine.title}` : ''}`);
        lines.push(`${t(ctx.locale, '마지막 채팅', 'Last chat')}: ${formatTime(ctx.locale, engine.lastChatAt)}`);
        lines.push(`${t(ctx.locale, '마지막 후원', 'Last donation')}: ${formatTime(ctx.locale, engine.lastDonationAt)}`);
        lines.push(`${t(ctx.locale, '재연결', 'Reconnects')}: ${engine.reconnects}${engine.lastError ? ` (${engine.lastError})` : ''}`);
        if (engine.crawledBy) {
          const seconds = Math.max(0, Math.round(engine.crawledBy.ageMs / 1000));
          lines.push(t(ctx.locale, `노드: ${engine.crawledBy.node} (${seconds}초 전 기준)`, `Node: ${engine.crawledBy.node} (as of ${seconds} s ago)`));
        }
      }
      if (sub) {
        lines.push(this.describe(ctx, sub));
        const why = this.whyQuiet(ctx, sub, engine?.state, engine?.restrictedReason);
        if (why) lines.push(`${t(ctx.locale, '알림이 오지 않는 이유', 'Why nothing arrives')}: ${why}`);
      } else {
        lines.push(t(ctx.locale, '이 채널은 이 스트리머를 구독하지 않습니다.', 'This channel does not watch this streamer.'));
      }
      return lines.join('\n');
    });
  }

  async test(ctx: CommandContext, streamer?: string): Promise<Reply> {
    return this.guard(ctx, async () => {
      const subs = this.store.listByDestination(ctx.destination);
      const sub = streamer ? this.mine(ctx, streamer) : subs[0];
      if (!sub) throw new InputError(t(ctx.locale, '먼저 /watch 또는 /subscribe 로 스트리머를 추가하세요.', 'Watch a streamer first (/watch or /subscribe).'));
      this.effects.sendTest(sub);
      return t(ctx.locale, `${sub.streamerId} 테스트 알림을 보냈습니다. 곧 이 채널에 나타납니다.`, `Sent a test alert for ${sub.streamerId}; it will appear here shortly.`);
    });
  }

  help(ctx: CommandContext, platform: 'discord' | 'telegram'): Reply {
    const watch = platform === 'discord' ? '/watch' : '/subscribe';
    const unwatch = platform === 'discord' ? '/unwatch' : '/unsubscribe';
    const list = platform === 'discord' ? '/watches' : '/list';
    return {
      ok: true,
      text: t(
        ctx.locale,
        `SOOP 후원·키워드 알림 봇\n${watch} <스트리머> [키워드] — 알림 시작\n${unwatch} <스트리머> — 알림 끄기\n${list} — 구독 목록\n/keywords — 키워드 추가/삭제/보기\n${platform === 'telegram' ? '/minballoons <스트리머> <개수> — 최소 풍선 수\n' : ''}/pause, /resume — 잠시 멈춤/다시 시작\n/status <스트리머> — 상태와 알림이 오지 않는 이유\n/test — 테스트 알림`,
        `SOOP donation & keyword alerts\n${watch} <streamer> [keywords] — start alerts\n${unwatch} <streamer> — stop\n${list} — what is watched here\n/keywords — add/remove/list keywords\n${platform === 'telegram' ? '/minballoons <streamer> <n> — minimum balloons\n' : ''}/pause, /resume — pause or resume\n/status <streamer> — state, and why nothing arrives\n/test — a test alert`,
      ),
    };
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
      if (subs.length === 0) throw new InputError(t(ctx.locale, '구독 중인 스트리머가 없습니다.', 'No streamers watched here.'));
      for (const sub of subs) {
        this.store.update(sub.id, paused ? { paused: true, pausedReason: t(ctx.locale, '사용자가 멈춤', 'paused by a user') } : { paused: false });
        this.effects.subscriptionsChanged(sub.streamerId);
      }
      const names = subs.map((s) => s.streamerId).join(', ');
      return paused ? t(ctx.locale, `멈췄습니다: ${names}`, `Paused: ${names}`) : t(ctx.locale, `다시 시작했습니다: ${names}`, `Resumed: ${names}`);
    });
  }

  private mine(ctx: CommandContext, streamer: string): Subscription {
    const streamerId = parseStreamerId(streamer);
    const sub = this.store.find(ctx.destination, streamerId);
    if (!sub) throw new InputError(t(ctx.locale, `이 채널은 ${streamerId} 를 구독하지 않습니다.`, `This channel does not watch ${streamerId}.`));
    return sub;
  }

  private describe(ctx: CommandContext, sub: Subscription): string {
    const parts = [`${t(ctx.locale, '알림', 'alerts')}: ${kindNames(ctx.locale, sub.events)}`];
    if (sub.minBalloons > 0) parts.push(t(ctx.locale, `최소 ${sub.minBalloons}개`, `min ${sub.minBalloons} balloons`));
    if (sub.loudAbove !== undefined) parts.push(t(ctx.locale, `${sub.loudAbove}개 이상 알림음`, `loud from ${sub.loudAbove}`));
    if (sub.keywords.length > 0) parts.push(`${t(ctx.locale, '키워드', 'keywords')}: ${sub.keywords.join(', ')}`);
    if (sub.paused) parts.push(`${t(ctx.locale, '멈춤', 'paused')}${sub.pausedReason ? ` (${sub.pausedReason})` : ''}`);
    return parts.join(' · ');
  }

  private whyQuiet(ctx: CommandContext, sub: Subscription, state: string | undefined, restricted: string | undefined): string | undefined {
    if (sub.paused) return t(ctx.locale, `구독이 멈춰 있습니다${sub.pausedReason ? ` (${sub.pausedReason})` : ''}. /resume 으로 다시 시작하세요.`, `the subscription is paused${sub.pausedReason ? ` (${sub.pausedReason})` : ''}; /resume it.`);
    if (restricted) return STATE_TEXT[ctx.locale][restricted];
    if (state === 'offline' || state === 'ended') return t(ctx.locale, '지금 방송 중이 아닙니다. 방송이 시작되면 자동으로 연결합니다.', 'the stream is offline; the bot connects as soon as it goes live.');
    if (state === 'reconnecting' || state === 'connecting') return t(ctx.locale, '채팅 서버에 다시 연결하는 중입니다.', 'the bot is reconnecting to the chat server.');
    if (sub.minBalloons > 0) return t(ctx.locale, `${sub.minBalloons}개 미만의 후원은 보내지 않습니다.`, `gifts under ${sub.minBalloons} balloons are not sent.`);
    return undefined;
  }

  /** Runs a handler; input and store errors become a clear reply, anything else too (never a stack). */
  private async guard(ctx: CommandContext, run: () => Promise<string>): Promise<Reply> {
    try {
      return { ok: true, text: await run() };
    } catch (err) {
      if (isStorageUnavailable(err)) return { ok: false, text: say(ctx.locale, storageUnavailableReply) };
      if (err instanceof AppError) return { ok: false, text: err.message };
      return { ok: false, text: t(ctx.locale, `처리하지 못했습니다: ${describeError(err)}`, `Something went wrong: ${describeError(err)}`) };
    }
  }
}
