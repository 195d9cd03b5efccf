import { beforeEach, describe, expect, it } from 'vitest';
import { CommandService, parseEvents, parseWords } from '../../src/commands/service.js';
import type { CommandContext, CommandEffects, DeliveryStatusView, StreamerStatusView } from '../../src/commands/ports.js';
import type { LiveInfo } from '../../src/core/live-info.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Subscription, SubscriptionStore } from '../../src/store/types.js';

const ctx: CommandContext = { destination: { platform: 'discord', id: '123456789012345678', guildId: '987654321098765432' }, userId: 'u1', locale: 'ko' };
const en: CommandContext = { ...ctx, locale: 'en' };

class FakeEffects implements CommandEffects {
  changed: string[] = [];
  tests: Subscription[] = [];
  cap = true;
  live: LiveInfo | Error = { status: 'offline' };
  engine: StreamerStatusView | undefined;
  subscriptionsChanged(id: string): void {
    this.changed.push(id);
  }
  canWatch(): boolean {
    return this.cap;
  }
  engineStatus(): StreamerStatusView | undefined {
    return this.engine;
  }
  async checkLiveInfo(): Promise<LiveInfo> {
    if (this.live instanceof Error) throw this.live;
    return this.live;
  }
  sendTest(sub: Subscription): void {
    this.tests.push(sub);
  }
  delivery: DeliveryStatusView = { givenUp: 0, lastGivenUpAt: undefined, lastReason: undefined, heldEvents: 0 };
  deliveryStatus(): DeliveryStatusView {
    return this.delivery;
  }
}

let store: SubscriptionStore;
let effects: FakeEffects;
let commands: CommandService;

beforeEach(() => {
  store = createMemoryStore();
  effects = new FakeEffects();
  commands = new CommandService(store, effects, { perDestination: 3, perGuild: 5 });
});

describe('CommandService', () => {
  it('watch stores a subscription, refreshes the engines and says the current state', async () => {
    effects.live = { status: 'live', streamerId: 'khm11903', streamerNickname: 'BJ', broadcastNo: '1', chatNo: '2', title: '오늘의 방송', chatHost: 'h', chatPort: 1 };
    const reply = await commands.watch(ctx, { streamer: ' KHM11903 ', keywords: ['대박', '안녕'], minBalloons: 10 });
    expect(reply.ok).toBe(true);
    expect(reply.text).toContain('khm11903 알림을 시작합니다');
    expect(reply.text).toContain('오늘의 방송');
    expect(store.find(ctx.destination, 'khm11903')).toMatchObject({ keywords: ['대박', '안녕'], minBalloons: 10, createdBy: 'u1' });
    expect(effects.changed).toEqual(['khm11903']);
  });

  it('watch accepts a station URL and updates an existing subscription instead of duplicating it', async () => {
    await commands.watch(ctx, { streamer: 'https://play.sooplive.co.kr/khm11903' });
    const reply = await commands.watch(en, { streamer: 'khm11903', minBalloons: 50 });
    expect(reply.text).toContain('Updated the alerts for khm11903');
    expect(store.listByDestination(ctx.destination)).toHaveLength(1);
    expect(store.find(ctx.destination, 'khm11903')?.minBalloons).toBe(50);
  });

  it('rejects bad input with a clear sentence and saves nothing', async () => {
    for (const bad of ['', 'no spaces allowed', '<script>', 'a']) {
      const reply = await commands.watch(ctx, { streamer: bad });
      expect(reply.ok).toBe(false);
      expect(reply.text).toContain('SOOP 스트리머 아이디가 아닙니다');
      expect((await commands.watch(en, { streamer: bad })).text).toMatch(/not a valid SOOP streamer id/);
    }
    expect((await commands.watch(ctx, { streamer: 'okid', minBalloons: -1 })).text).toMatch(/정수여야 합니다/);
    expect((await commands.watch(en, { streamer: 'okid', minBalloons: -1 })).text).toMatch(/whole number/);
    expect((await commands.watch(ctx, { streamer: 'okid', minBalloons: 1.5 })).ok).toBe(false);
    expect(store.listStreamers()).toEqual([]);
    expect(effects.changed).toEqual([]);
  });

  it('says so when the engine cap or the per-channel limit is reached', async () => {
    effects.cap = false;
    expect((await commands.watch(en, { streamer: 'newone' })).text).toMatch(/MAX_ENGINES/);
    effects.cap = true;
    for (const id of ['aaa', 'bbb', 'ccc']) expect((await commands.watch(ctx, { streamer: id })).ok).toBe(true);
    const reply = await commands.watch(ctx, { streamer: 'ddd' });
    expect(reply.ok).toBe(false);
    expect(reply.text).toBe('이 채널의 구독 한도(3개)가 찼습니다.');
    expect((await commands.watch(en, { streamer: 'ddd' })).text).toMatch(/limit of 3/);
    expect(store.listByDestination(ctx.destination)).toHaveLength(3);
  });

  it('still subscribes when live info cannot be read, and says why', async () => {
    effects.live = new Error('timeout after 8000 ms');
    const reply = await commands.watch(en, { streamer: 'slowone' });
    expect(reply.ok).toBe(true);
    expect(reply.text).toMatch(/could not check the stream right now \(timeout after 8000 ms\)/);
  });

  it('unwatch, keywords, min balloons, pause and resume act on this channel only', async () => {
    await commands.watch(ctx, { streamer: 'bj1', keywords: ['하나'] });
    const other = { ...ctx, destination: { ...ctx.destination, id: '111111111111111111' } };
    await commands.watch(other, { streamer: 'bj1' });
    expect((await commands.keywords(ctx, 'bj1', 'add', ['둘, 셋'])).text).toBe('bj1: 하나, 둘, 셋');
    expect((await commands.keywords(ctx, 'bj1', 'remove', ['하나'])).text).toBe('bj1: 둘, 셋');
    expect((await commands.keywords(ctx, 'bj1', 'list')).text).toBe('bj1: 둘, 셋');
    expect((await commands.minBalloons(en, 'bj1', 30)).text).toMatch(/30 balloons or more/);
    expect((await commands.pause(ctx)).ok).toBe(true);
    expect(store.find(ctx.destination, 'bj1')).toMatchObject({ paused: true, minBalloons: 30 });
    expect(store.find(other.destination, 'bj1')?.paused).toBe(false);
    expect((await commands.resume(ctx, 'bj1')).ok).toBe(true);
    expect(store.find(ctx.destination, 'bj1')?.paused).toBe(false);
    expect((await commands.unwatch(ctx, 'bj1')).ok).toBe(true);
    expect((await commands.unwatch(en, 'bj1')).text).toBe('This channel does not watch bj1.');
    expect(store.find(other.destination, 'bj1')).toBeDefined();
  });

  it('lists this channel or the whole server', async () => {
    expect((await commands.list(en)).text).toMatch(/No streamers watched here yet/);
    await commands.watch(ctx, { streamer: 'bj1' });
    await commands.watch({ ...ctx, destination: { ...ctx.destination, id: '222222222222222222' } }, { streamer: 'bj2' });
    expect((await commands.list(ctx)).text).toContain('bj1');
    expect((await commands.list(ctx)).text).not.toContain('bj2');
    const all = (await commands.list(ctx, { wholeGuild: true })).text;
    expect(all).toContain('bj1');
    expect(all).toContain('bj2 (#222222222222222222)');
    expect(commands.streamersOf(ctx, 'B')).toEqual(['bj1']);
  });

  it('status explains why nothing arrives', async () => {
    await commands.watch(en, { streamer: 'bj1' });
    effects.engine = { state: 'restricted', restrictedReason: 'adult', since: 0, reconnects: 0 };
    const reply = await commands.status(en, 'bj1');
    expect(reply.text).toContain('19+ stream: needs a login');
    expect(reply.text).toContain('Why nothing arrives');
    await commands.pause(en, 'bj1');
    expect((await commands.status(en, 'bj1')).text).toMatch(/the subscription is paused \(paused by a user\)/);
  });

  it('status shows alerts given up on and events held while the database is away, in both languages', async () => {
    await commands.watch(en, { streamer: 'bj1' });
    expect((await commands.status(en, 'bj1')).text).not.toContain('given up');
    effects.delivery = { givenUp: 2, lastGivenUpAt: Date.UTC(2026, 0, 1), lastReason: 'Discord had a server error (500)', heldEvents: 7 };
    const english = (await commands.status(en, 'bj1')).text;
    expect(english).toContain('Alerts given up after delivery failures: 2');
    expect(english).toContain('Discord had a server error (500)');
    expect(english).toContain('Events held in memory while the database is unavailable: 7');
    const korean = (await commands.status(ctx, 'bj1')).text;
    expect(korean).toContain('전달하지 못하고 포기한 알림: 2건');
    expect(korean).toContain('메모리에 보관 중인 이벤트: 7건');
  });

  it('test sends a synthetic alert to this channel\'s subscription', async () => {
    expect((await commands.test(en)).ok).toBe(false);
    await commands.watch(en, { streamer: 'bj1' });
    expect((await commands.test(en)).ok).toBe(true);
    expect(effects.tests.map((s) => s.streamerId)).toEqual(['bj1']);
  });

  it('follows platform events: destination gone, moved, guild gone', async () => {
    await commands.watch(ctx, { streamer: 'bj1' });
    await commands.watch(ctx, { streamer: 'bj2' });
    expect(commands.knownGuilds('discord')).toEqual(['987654321098765432']);
    expect(commands.destinationGone(ctx.destination, 'bot removed', false)).toBe(2);
    expect(store.find(ctx.destination, 'bj1')?.paused).toBe(true);
    expect(commands.destinationMoved(ctx.destination, '333333333333333333')).toBe(2);
    expect(store.listByDestination({ ...ctx.destination, id: '333333333333333333' })).toHaveLength(2);
    expect(commands.guildGone('987654321098765432', 'left the server')).toBe(2);
    expect(store.listStreamers()).toEqual([]);
  });
});

describe('input parsing', () => {
  it('parses keywords from commas or spaces, deduplicated', () => {
    expect(parseWords('대박, 안녕 하세요,대박')).toEqual(['대박', '안녕 하세요']);
    expect(parseWords('hello world')).toEqual(['hello', 'world']);
    expect(() => parseWords('x'.repeat(51))).toThrow(expect.objectContaining({ problem: { code: 'KEYWORD_TOO_LONG', keyword: 'x'.repeat(20), max: 50 } }));
  });

  it('parses event lists in English or Korean', () => {
    expect(parseEvents('star, ad,live')).toEqual(['star', 'ad', 'live']);
    expect(parseEvents('별풍선 구독')).toEqual(['star', 'subscription']);
    expect(parseEvents('all')).toHaveLength(8);
    expect(() => parseEvents('confetti')).toThrow(expect.objectContaining({ problem: expect.objectContaining({ code: 'EVENT_UNKNOWN', given: 'confetti' }) }));
  });
});
