/**
 * Every reply of every command, in both languages: the command service is driven through each
 * command and each refusal (bad id, limits, duplicates, keyword count, unknown event, not found,
 * permissions, storage away, …) once as a Korean user and once as an English one, and every reply
 * is held to the rule of language-check.ts. Then the whole catalogue is swept, so that the
 * adapters' own sentences (usage, permissions, menus, slash descriptions, alert words) are held
 * to it too.
 */
import { describe, expect, it } from 'vitest';
import type { CommandContext, CommandEffects, StreamerStatusView } from '../../src/commands/ports.js';
import { CommandService, failureText, parseEvents, parseWords, type Reply } from '../../src/commands/service.js';
import { AppError, type Problem } from '../../src/core/errors.js';
import type { LiveInfo } from '../../src/core/live-info.js';
import { botMissingText, missingBotPermissions, notAllowedText } from '../../src/discord/permissions.js';
import * as i18n from '../../src/i18n/index.js';
import { DISCORD, LOCALES, PROBLEMS, messagesFor, type Locale, type Phrase } from '../../src/i18n/index.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { StorageUnavailableError } from '../../src/store/errors.js';
import type { Destination, SubscriptionStore } from '../../src/store/types.js';
import { menuCommands } from '../../src/telegram/menu.js';
import { toDeliveryError as telegramDeliveryError } from '../../src/telegram/errors.js';
import { DISCORD_ERROR_REASONS } from '../../src/discord/errors.js';
import { GrammyError } from 'grammy';
import { assertInLanguage, englishInKorean, hangulInEnglish } from './language-check.js';

/** What the tests type or SOOP says: allowed in either language. */
const USER_VALUES = ['오늘의 방송', 'Today we play', '대박', '안녕', 'wow', 'bad id!', 'confetti', '폭죽', 'klingon', 'timeout after 8000 ms', 'node-b', 'x'.repeat(20)];

class FakeEffects implements CommandEffects {
  cap = true;
  live: LiveInfo | Error = { status: 'offline' };
  engine: StreamerStatusView | undefined;
  subscriptionsChanged(): void {}
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
  sendTest(): void {}
}

/** One scripted world per language, so both see the same states. */
function world(platform: 'discord' | 'telegram') {
  const store = createMemoryStore();
  const effects = new FakeEffects();
  const commands = new CommandService(store, effects, { perDestination: 3, perGuild: 4 });
  const destination: Destination = platform === 'discord' ? { platform, id: '100000000000000001', guildId: '900000000000000001' } : { platform, id: '-1001234' };
  const at = (locale: Locale, id = destination.id): CommandContext => ({ destination: { ...destination, id }, userId: 'u1', locale });
  return { store, effects, commands, at };
}

type Step = readonly [label: string, run: (w: ReturnType<typeof world>, locale: Locale) => Promise<Reply> | Reply, expectOk: boolean];

const live: LiveInfo = { status: 'live', streamerId: 'bjlive1', streamerNickname: 'BJ', broadcastNo: '1', chatNo: '2', title: '오늘의 방송', chatHost: 'h', chatPort: 1 };

/** Every command and every path through it, in an order where each state is set up by the steps before. */
const STEPS: readonly Step[] = [
  ['list, nothing watched', (w, l) => w.commands.list(w.at(l)), true],
  ['test, nothing watched', (w, l) => w.commands.test(w.at(l)), false],
  ['pause, nothing watched', (w, l) => w.commands.pause(w.at(l)), false],
  ['resume, nothing watched', (w, l) => w.commands.resume(w.at(l)), false],
  ['language, shown before any subscription', (w, l) => w.commands.language(w.at(l)), true],
  ['watch, bad id', (w, l) => w.commands.watch(w.at(l), { streamer: 'bad id!' }), false],
  ['watch, bad min_balloons', (w, l) => w.commands.watch(w.at(l), { streamer: 'bjone1', minBalloons: -1 }), false],
  ['watch, bad loud_above', (w, l) => w.commands.watch(w.at(l), { streamer: 'bjone1', loudAbove: 1.5 }), false],
  ['watch, keyword too long', (w, l) => w.commands.watch(w.at(l), { streamer: 'bjone1', keywords: ['x'.repeat(51)] }), false],
  ['watch, too many keywords', (w, l) => w.commands.watch(w.at(l), { streamer: 'bjone1', keywords: Array.from({ length: 51 }, (_, i) => `k${i}`) }), false],
  [
    'watch, engine cap',
    (w, l) => {
      w.effects.cap = false;
      return w.commands.watch(w.at(l), { streamer: 'bjone1' }).finally(() => (w.effects.cap = true));
    },
    false,
  ],
  [
    'watch, live',
    (w, l) => {
      w.effects.live = live;
      return w.commands.watch(w.at(l), { streamer: 'bjlive1', keywords: ['대박', 'wow'], minBalloons: 10, loudAbove: 100 });
    },
    true,
  ],
  [
    'watch, live info unreachable',
    (w, l) => {
      w.effects.live = new Error('timeout after 8000 ms');
      return w.commands.watch(w.at(l), { streamer: 'bjslow1' });
    },
    true,
  ],
  [
    'watch, offline, every event',
    (w, l) => {
      w.effects.live = { status: 'offline' };
      return w.commands.watch(w.at(l), { streamer: 'bjoff1', events: parseEvents('all') });
    },
    true,
  ],
  ['watch, existing subscription updated', (w, l) => w.commands.watch(w.at(l), { streamer: 'bjoff1', minBalloons: 5 }), true],
  ['watch, destination limit', (w, l) => w.commands.watch(w.at(l), { streamer: 'bjfour1' }), false],
  ['watch, another destination', (w, l) => w.commands.watch(w.at(l, '100000000000000002'), { streamer: 'bjfour1' }), true],
  ['list, some', (w, l) => w.commands.list(w.at(l)), true],
  ['list, whole server', (w, l) => w.commands.list(w.at(l), { wholeGuild: true }), true],
  ['unwatch, bad id', (w, l) => w.commands.unwatch(w.at(l), 'bad id!'), false],
  ['unwatch, not watched', (w, l) => w.commands.unwatch(w.at(l), 'bjnone1'), false],
  ['keywords list, none', (w, l) => w.commands.keywords(w.at(l), 'bjoff1', 'list'), true],
  ['keywords list, some', (w, l) => w.commands.keywords(w.at(l), 'bjlive1', 'list'), true],
  ['keywords add', (w, l) => w.commands.keywords(w.at(l), 'bjoff1', 'add', ['안녕']), true],
  ['keywords add, nothing given', (w, l) => w.commands.keywords(w.at(l), 'bjoff1', 'add', []), false],
  ['keywords add, too many', (w, l) => w.commands.keywords(w.at(l), 'bjoff1', 'add', Array.from({ length: 50 }, (_, i) => `k${i}`)), false],
  ['keywords remove, to none', (w, l) => w.commands.keywords(w.at(l), 'bjoff1', 'remove', ['안녕']), true],
  ['keywords, not watched', (w, l) => w.commands.keywords(w.at(l), 'bjnone1', 'list'), false],
  ['min balloons', (w, l) => w.commands.minBalloons(w.at(l), 'bjoff1', 30), true],
  ['min balloons, not a number', (w, l) => w.commands.minBalloons(w.at(l), 'bjoff1', Number.NaN), false],
  ['min balloons, not watched', (w, l) => w.commands.minBalloons(w.at(l), 'bjnone1', 3), false],
  ['status, not watched, no engine', (w, l) => w.commands.status(w.at(l), 'bjnone1'), true],
  ['status, bad id', (w, l) => w.commands.status(w.at(l), 'bad id!'), false],
  [
    'status, reading the chat, on another node',
    (w, l) => {
      w.effects.engine = { state: 'joined', since: 1_700_000_000_000, broadcastNo: '123', title: 'Today we play', lastChatAt: 1_700_000_100_000, reconnects: 0, crawledBy: { node: 'node-b', ageMs: 4000 } };
      return w.commands.status(w.at(l), 'bjlive1');
    },
    true,
  ],
  [
    'status, 19+ stream',
    (w, l) => {
      w.effects.engine = { state: 'restricted', restrictedReason: 'adult', since: 0, reconnects: 0 };
      return w.commands.status(w.at(l), 'bjlive1');
    },
    true,
  ],
  [
    'status, offline',
    (w, l) => {
      w.effects.engine = { state: 'offline', since: 0, reconnects: 0 };
      return w.commands.status(w.at(l), 'bjlive1');
    },
    true,
  ],
  [
    'status, reconnecting after an error',
    (w, l) => {
      w.effects.engine = { state: 'reconnecting', since: 0, reconnects: 3, lastError: 'timeout after 8000 ms' };
      return w.commands.status(w.at(l), 'bjlive1');
    },
    true,
  ],
  [
    'status, quiet below min balloons, a state without words',
    (w, l) => {
      w.effects.engine = { state: 'somethingNew', since: 0, reconnects: 0 };
      return w.commands.status(w.at(l), 'bjoff1');
    },
    true,
  ],
  ['pause one', (w, l) => w.commands.pause(w.at(l), 'bjlive1'), true],
  ['status, paused by a user', (w, l) => w.commands.status(w.at(l), 'bjlive1'), true],
  ['pause one, not watched', (w, l) => w.commands.pause(w.at(l), 'bjnone1'), false],
  ['pause all', (w, l) => w.commands.pause(w.at(l)), true],
  ['list, paused', (w, l) => w.commands.list(w.at(l)), true],
  ['resume one', (w, l) => w.commands.resume(w.at(l), 'bjlive1'), true],
  ['resume all', (w, l) => w.commands.resume(w.at(l)), true],
  [
    'status, paused because the platform refused',
    (w, l) => {
      w.commands.destinationGone(w.at(l).destination, w.at(l).destination.platform === 'discord' ? 'the channel was deleted' : 'the user blocked the bot', false);
      return w.commands.status(w.at(l), 'bjoff1');
    },
    true,
  ],
  ['test', (w, l) => w.commands.test(w.at(l)), true],
  ['test, one streamer', (w, l) => w.commands.test(w.at(l), 'bjoff1'), true],
  ['test, not watched', (w, l) => w.commands.test(w.at(l), 'bjnone1'), false],
  ['language, shown', (w, l) => w.commands.language(w.at(l)), true],
  ['language, set to English', (w, l) => w.commands.language(w.at(l), 'en'), true],
  ['language, set to Korean by its Korean name', (w, l) => w.commands.language(w.at(l), '한국어'), true],
  ['language, unknown', (w, l) => w.commands.language(w.at(l), 'klingon'), false],
  ['help', (w, l) => w.commands.help(w.at(l), w.at(l).destination.platform === 'telegram' ? 'telegram' : 'discord'), true],
];

/** Refusals raised outside the service (by the adapters' option parsing), rendered as the adapters render them. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal');
}

const OUTSIDE: readonly (readonly [label: string, err: () => unknown])[] = [
  ['unknown event', () => thrown(() => parseEvents('confetti'))],
  ['unknown Korean event', () => thrown(() => parseEvents('폭죽'))],
  ['no event named', () => thrown(() => parseEvents(' , '))],
  ['keyword too long', () => thrown(() => parseWords('x'.repeat(60)))],
  ['storage away', () => new StorageUnavailableError('full', 'disk full')],
  ['another app error', () => new AppError('SOMETHING_ELSE', 'internal detail')],
  ['not an app error', () => new TypeError('x is undefined')],
];

describe('every reply of every command, in Korean and in English', () => {
  for (const platform of ['discord', 'telegram'] as const) {
    it(`${platform}: each command and each refusal reads as its language`, async () => {
      const worlds = { ko: world(platform), en: world(platform) };
      for (const [label, run, expectOk] of STEPS) {
        const replies = { ko: await run(worlds.ko, 'ko'), en: await run(worlds.en, 'en') };
        for (const locale of LOCALES) {
          expect(replies[locale].ok, `${label} (${locale}): ${replies[locale].text}`).toBe(expectOk);
          assertInLanguage(locale, replies[locale].text, USER_VALUES, `${platform} ${label}`);
        }
        // A reply of only ids and the user's words (a keyword list) is the same in both languages; any other differs.
        if (hangulInEnglish(replies.ko.text, USER_VALUES).length > 0) expect(replies.ko.text, label).not.toBe(replies.en.text);
      }
    });
  }

  it('refusals raised by the adapters (events, keywords, storage, anything else) read as the language', () => {
    for (const [label, err] of OUTSIDE) {
      const ko = failureText('ko', err());
      const en = failureText('en', err());
      assertInLanguage('ko', ko, USER_VALUES, label);
      assertInLanguage('en', en, USER_VALUES, label);
      expect(ko).not.toBe(en);
      expect(`${ko}${en}`).not.toContain('internal detail');
    }
  });

  it('a duplicate the store finds (two /watch at once) and the server limit are refused in the user\'s language', async () => {
    const store = createMemoryStore();
    // Another command added the same subscription between this one's check and its insert.
    const racing: SubscriptionStore = Object.assign(Object.create(store) as SubscriptionStore, { find: () => undefined });
    const commands = new CommandService(racing, new FakeEffects(), { perDestination: 5, perGuild: 1 });
    const here: CommandContext = { destination: { platform: 'discord', id: '100000000000000001', guildId: '900000000000000001' }, userId: 'u1', locale: 'ko' };
    expect((await commands.watch(here, { streamer: 'bjdup1' })).ok).toBe(true);
    const duplicate = { ko: await commands.watch(here, { streamer: 'bjdup1' }), en: await commands.watch({ ...here, locale: 'en' }, { streamer: 'bjdup1' }) };
    expect(duplicate.ko.text).toBe('이 채널은 이미 bjdup1 를 구독하고 있습니다.');
    expect(duplicate.en.text).toBe('This channel already watches bjdup1.');
    const elsewhere = { ...here, destination: { ...here.destination, id: '100000000000000002' } };
    const full = { ko: await commands.watch(elsewhere, { streamer: 'bjdup2' }), en: await commands.watch({ ...elsewhere, locale: 'en' }, { streamer: 'bjdup2' }) };
    expect(full.ko.text).toBe('이 서버의 구독 한도(1개)가 찼습니다.');
    expect(full.en.text).toBe('This server has reached its limit of 1 subscription.');
  });

  it('Discord permission refusals read as the language', () => {
    const missing = missingBotPermissions(0n, true);
    for (const locale of LOCALES) {
      assertInLanguage(locale, notAllowedText(locale), [], 'not allowed');
      for (const nothingDone of [DISCORD.nothingSaved, DISCORD.nothingResumed, DISCORD.noTestSent]) assertInLanguage(locale, botMissingText(missing, locale, nothingDone), [], 'bot missing');
    }
  });
});

/** Arguments for a phrase of unknown type: id-shaped strings are allowed in both languages and print as numbers do. */
const sampleArgs = (fn: (...args: never[]) => string): never[] => Array.from({ length: fn.length }, () => 'streamer01' as never);

const isPhrase = (value: unknown): value is Phrase<never[]> =>
  typeof value === 'object' && value !== null && typeof (value as Phrase).ko === 'function' && typeof (value as Phrase).en === 'function';

/** Every phrase reachable from the catalogue's exports (objects of phrases, arrays of [name, phrase], slash texts). */
function phrasesOf(value: unknown, path: string, out: [string, Phrase<never[]>][]): void {
  if (isPhrase(value)) {
    out.push([path, value]);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => phrasesOf(v, `${path}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) phrasesOf(v, `${path}.${k}`, out);
}

describe('the whole catalogue', () => {
  const all: [string, Phrase<never[]>][] = [];
  // What people read in the chat (operator lines — start-up, engine logs — are held to their own rules elsewhere).
  const USER_FACING = ['R', 'DISCORD', 'TELEGRAM', 'USAGE', 'PERMISSION_NAMES', 'LANGUAGE_NAMES', 'SLASH_COMMANDS', 'SLASH_SUBCOMMANDS', 'SLASH_OPTIONS', 'TELEGRAM_MENU', 'storageUnavailableReply', 'andMore', 'deliveryStatus'];
  for (const name of USER_FACING) phrasesOf((i18n as Record<string, unknown>)[name], name, all);

  it('finds every user-facing area of the catalogue (replies, adapters, usage, menus, slash texts, storage, render)', () => {
    const names = all.map(([p]) => p.split(/[.[]/)[0]);
    for (const area of USER_FACING) expect(names).toContain(area);
    expect(all.length).toBeGreaterThan(100);
  });

  it('every phrase reads as its language', () => {
    for (const [path, p] of all) {
      assertInLanguage('ko', p.ko(...sampleArgs(p.ko)), [], path);
      assertInLanguage('en', p.en(...sampleArgs(p.en)), [], path);
    }
  });

  it('every refusal code has its sentence in both languages', () => {
    const samples: Problem[] = [
      { code: 'STREAMER_ID_INVALID', given: 'streamer01' },
      { code: 'KEYWORD_TOO_LONG', keyword: 'streamer01', max: 50 },
      { code: 'KEYWORDS_TOO_MANY', max: 50 },
      { code: 'KEYWORDS_MISSING' },
      { code: 'EVENT_UNKNOWN', given: 'streamer01', known: ['star', 'ad', 'video', 'subscription', 'mission', 'live', 'offline', 'chat'] },
      { code: 'EVENTS_MISSING', known: ['star', 'chat'] },
      { code: 'COUNT_INVALID', option: 'loud_above', max: 10 },
      { code: 'ENGINE_LIMIT' },
      { code: 'SUBSCRIPTION_LIMIT', place: 'chat', limit: 2 },
      { code: 'SUBSCRIPTION_DUPLICATE', place: 'server', streamerId: 'streamer01' },
      { code: 'NOT_WATCHED', place: 'console', streamerId: 'streamer01' },
      { code: 'NOTHING_WATCHED', place: 'channel' },
      { code: 'WATCH_FIRST' },
      { code: 'LANGUAGE_UNKNOWN', given: 'streamer01' },
    ];
    expect(new Set(samples.map((s) => s.code))).toEqual(new Set(Object.keys(PROBLEMS)));
    for (const problem of samples) {
      assertInLanguage('ko', i18n.problemText('ko', problem), [], problem.code);
      assertInLanguage('en', i18n.problemText('en', problem), [], problem.code);
    }
  });

  it('the alert words and the menus read as their language', () => {
    for (const locale of LOCALES) {
      const m = messagesFor(locale);
      const words = [
        ...Object.values(m.kindLabel),
        ...Object.values(m.donationLabel),
        ...Object.values(m.subscriptionTitle),
        ...Object.values(m.field),
        ...Object.values(m.sample),
        m.balloons(m.donationLabel.star, '1,000'),
        m.months(3),
        m.tier(2),
        m.missionTitle(m.missionLabel('CHALLENGE_GIFT'), '100'),
        m.missionLabel('BATTLE_GIFT'),
        m.liveTitle,
        m.offlineTitle,
        m.chatTitle,
        m.newTopFan,
        m.test,
        m.delayed,
        m.chatDigestTitle(2),
        m.digestTitle(3),
        ...menuCommands(locale).map((c) => c.description),
      ];
      for (const word of words) assertInLanguage(locale, word, [], `alert word ${word}`);
    }
  });
});

describe('why a subscription is paused', () => {
  it('every reason the delivery code stores reads as the language (Korean in general terms, English as stored)', () => {
    const telegram = [
      'Forbidden: bot was blocked by the user',
      'Forbidden: bot was kicked from the supergroup chat',
      'Forbidden: bot was kicked from the channel chat',
      'Forbidden: bot is not a member of the channel chat',
      'Forbidden: user is deactivated',
      "Forbidden: bot can't initiate conversation with a user",
      'Bad Request: chat not found',
      'Bad Request: have no rights to send a message',
      'Bad Request: group chat was deleted',
      'Forbidden: something new',
    ].map((description) => telegramDeliveryError(new GrammyError('e', { ok: false, error_code: description.startsWith('Forbidden') ? 403 : 400, description }, 'sendMessage', {}), 'tok').message);
    const reasons = [...Object.values(DISCORD_ERROR_REASONS), 'Discord refused to deliver here (403, code 20001): Bots cannot use this endpoint', ...telegram, 'paused-by-user', 'paused by a user', 'the channel was deleted', 'something nobody wrote words for'];
    for (const reason of reasons) {
      assertInLanguage('ko', i18n.pauseReasonText('ko', reason), [], reason);
      expect(i18n.pauseReasonText('en', reason)).toBe(reason === 'paused-by-user' ? 'paused by a user' : reason);
    }
    expect(i18n.pauseReasonText('ko', DISCORD_ERROR_REASONS[50013] as string)).toContain('권한이 없음');
  });
});

describe('the language check itself', () => {
  it('catches an English sentence in a Korean reply and Hangul in an English one, and lets ids, commands and values through', () => {
    expect(englishInKorean('"bad id!" is not a valid SOOP streamer id.')).toEqual(['bad', 'id', 'is', 'not', 'a', 'valid', 'streamer', 'id']);
    expect(englishInKorean('khm11903 알림을 시작합니다. /watch 또는 /settings language ko|en, min=10, loud_above, MAX_ENGINES, https://play.sooplive.co.kr/x')).toEqual([]);
    expect(englishInKorean('현재 상태: 방송 중 — Today we play', ['Today we play'])).toEqual([]);
    expect(englishInKorean('재연결: 3 (timeout)')).toEqual(['timeout']);
    expect(hangulInEnglish('Now watching khm11903.\nCurrent state: live — 오늘의 방송', ['오늘의 방송'])).toEqual([]);
    expect(hangulInEnglish('State: 방송 중')).toEqual(['방송', '중']);
  });
});
