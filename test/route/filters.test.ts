import { describe, expect, it } from 'vitest';
import { buildMatcherFor, selectRecipients } from '../../src/route/filters.js';
import { sampleAlert } from '../../src/route/sample-alert.js';
import { buildKeywordMatcher } from '../../src/route/keyword-matcher.js';
import type { Subscription } from '../../src/store/types.js';
import { chat, donation, mission, streamerEvent, sub, subscription } from './fixtures.js';

const matcherFor = (subs: readonly Subscription[]) =>
  buildKeywordMatcher(subs.map((s) => ({ subscriptionId: s.id, keywords: s.keywords, excludeWords: s.excludeWords })));

const ids = (recipients: ReturnType<typeof selectRecipients>): number[] => recipients.map((r) => r.subscription.id);

describe('selectRecipients — donations', () => {
  it('maps donation types to alert kinds (stationAd → ad, vod → star)', () => {
    const subs = [sub(1)];
    const m = matcherFor(subs);
    const kinds = (['star', 'ad', 'video', 'stationAd', 'vod'] as const).map(
      (type) => selectRecipients(streamerEvent(donation({ type })), subs, m)[0]?.alert.kind,
    );
    expect(kinds).toEqual(['star', 'ad', 'video', 'ad', 'star']);
  });

  it('only subscriptions that want the kind, are not paused, and are for this streamer', () => {
    const subs = [
      sub(1),
      sub(2, { events: ['ad'] }),
      sub(3, { paused: true, pausedReason: 'Missing Permissions' }),
      sub(4, { streamerId: 'other' }),
      sub(5, { events: ['star', 'chat'] }),
    ];
    expect(ids(selectRecipients(streamerEvent(donation()), subs, matcherFor(subs)))).toEqual([1, 5]);
  });

  it('drops donations below minBalloons for that subscription only', () => {
    const subs = [sub(1, { minBalloons: 100 }), sub(2, { minBalloons: 101 }), sub(3)];
    expect(ids(selectRecipients(streamerEvent(donation({ count: 100 })), subs, matcherFor(subs)))).toEqual([1, 3]);
  });

  it('is loud at or above loudAbove, with the role to mention; never loud without loudAbove', () => {
    const subs = [sub(1, { loudAbove: 100, mentionRoleId: '123456789012345678' }), sub(2, { loudAbove: 101 }), sub(3)];
    const r = selectRecipients(streamerEvent(donation({ count: 100 })), subs, matcherFor(subs), { at: 1_700_000_000_000 });
    expect(r.map((x) => [x.subscription.id, x.alert.loud, x.alert.mentionRoleId])).toEqual([
      [1, true, '123456789012345678'],
      [2, false, undefined],
      [3, false, undefined],
    ]);
    expect(r[0]?.alert).toMatchObject({ streamerId: 'khm11903', locale: 'ko', at: 1_700_000_000_000, kind: 'star' });
  });

  it('a quiet alert carries no role even when the subscription has one', () => {
    const subs = [sub(1, { loudAbove: 1000, mentionRoleId: '123456789012345678' })];
    const [r] = selectRecipients(streamerEvent(donation({ count: 10 })), subs, matcherFor(subs));
    expect(r?.alert.loud).toBe(false);
    expect(r?.alert.mentionRoleId).toBeUndefined();
  });
});

describe('selectRecipients — other events', () => {
  it('subscriptions are quiet; live is loud only for subscriptions that set loudAbove', () => {
    const subs = [sub(1, { loudAbove: 500 }), sub(2)];
    const m = matcherFor(subs);
    expect(selectRecipients(streamerEvent(subscription()), subs, m).map((r) => r.alert.loud)).toEqual([false, false]);
    const live = streamerEvent({ kind: 'live', broadcastNo: '1', title: '방송', streamerNickname: '스트리머' });
    expect(selectRecipients(live, subs, m).map((r) => [r.alert.kind, r.alert.loud])).toEqual([
      ['live', true],
      ['live', false],
    ]);
    expect(selectRecipients(streamerEvent({ kind: 'offline', broadcastNo: '1' }), subs, m).map((r) => r.alert.kind)).toEqual(['offline', 'offline']);
  });

  it('missions: pledges with a donor and a count, by minBalloons / loudAbove; not notices, settlements or payouts', () => {
    const subs = [sub(1, { minBalloons: 10, loudAbove: 50 }), sub(2, { events: ['star'] })];
    const m = matcherFor(subs);
    const one = (e: ReturnType<typeof mission>) => selectRecipients(streamerEvent(e), subs, m).map((r) => [r.subscription.id, r.alert.loud]);
    expect(one(mission())).toEqual([[1, true]]);
    expect(one(mission({ missionType: 'GIFT', count: 10 }))).toEqual([[1, false]]);
    expect(one(mission({ count: 9 }))).toEqual([]);
    expect(one(mission({ missionType: 'CHALLENGE_NOTICE', count: undefined, status: 'SUCCESS' }))).toEqual([]);
    expect(one(mission({ missionType: 'SETTLE' }))).toEqual([]);
    expect(one(mission({ missionType: 'PAYOUT' }))).toEqual([]);
    expect(one(mission({ userId: undefined }))).toEqual([]);
  });

  it('events that are never alerts give no recipients', () => {
    const subs = [sub(1)];
    expect(selectRecipients(streamerEvent({ kind: 'notice', code: '0058', source: 'system', message: 'x' }), subs, matcherFor(subs))).toEqual([]);
    expect(selectRecipients(streamerEvent({ kind: 'broadcastEnd', code: '0088' }), subs, matcherFor(subs))).toEqual([]);
  });
});

describe('selectRecipients — keyword chats', () => {
  const subs = [
    sub(1, { keywords: ['안녕'] }),
    sub(2, { keywords: ['Hello', '반가워'], excludeWords: ['spam'] }),
    sub(3, { keywords: ['안녕'], onlyFromRoles: ['manager', 'topFan'] }),
    sub(4, { keywords: ['안녕'], events: ['star'] }),
    sub(5, { keywords: ['안녕'], paused: true, pausedReason: 'x' }),
    sub(6),
  ];
  const m = matcherFor(subs);
  const chatIds = (message: string, roles: Parameters<typeof chat>[1] = {}) => ids(selectRecipients(streamerEvent(chat(message, roles)), subs, m));

  it('only subscriptions whose keyword matched, that want chats and are not paused', () => {
    expect(chatIds('안녕하세요')).toEqual([1]);
    expect(chatIds('HELLO 여러분')).toEqual([2]);
    expect(chatIds('안 녕\u200B!')).toEqual([1]);
    expect(chatIds('아무 말')).toEqual([]);
  });

  it('exclude words veto', () => {
    expect(chatIds('hello spam')).toEqual([]);
  });

  it('onlyFromRoles must intersect the chatter roles', () => {
    expect(chatIds('안녕', { roles: ['fanClub'] })).toEqual([1]);
    expect(chatIds('안녕', { roles: ['fanClub', 'topFan'] })).toEqual([1, 3]);
  });

  it('chat alerts are quiet and carry the chat event', () => {
    const [r] = selectRecipients(streamerEvent(chat('안녕')), subs, m);
    expect(r?.alert).toMatchObject({ kind: 'chat', loud: false, event: { message: '안녕' } });
  });

  it('many subscriptions on one streamer', () => {
    const many = Array.from({ length: 1000 }, (_, i) => sub(i + 1, { keywords: [`키워드${i}`, 'common'], locale: i % 2 ? 'en' : 'ko' }));
    const mm = matcherFor(many);
    // Substring semantics: 키워드9 and 키워드99 are in 키워드999 too.
    expect(ids(selectRecipients(streamerEvent(chat('키워드999 나와라')), many, mm))).toEqual([10, 100, 1000]);
    expect(ids(selectRecipients(streamerEvent(chat('키워드0!')), many, mm))).toEqual([1]);
    expect(selectRecipients(streamerEvent(chat('COMMON')), many, mm)).toHaveLength(1000);
  });
});

describe('buildMatcherFor and sampleAlert', () => {
  it('the streamer matcher only holds subscriptions that can receive chats', () => {
    const subs = [sub(1, { keywords: ['a'] }), sub(2, { keywords: ['a'], paused: true }), sub(3, { keywords: ['a'], events: ['star'] }), sub(4)];
    const m = buildMatcherFor(subs);
    expect(m.match('a')).toEqual([1]);
    expect(m.patternCount).toBe(1);
  });

  it('a /test alert is marked as a test and follows the subscription settings', () => {
    const s = sub(1, { loudAbove: 1000, mentionRoleId: '123456789012345678', locale: 'en', keywords: ['hello'] });
    expect(sampleAlert(s)).toMatchObject({ kind: 'star', test: true, loud: true, mentionRoleId: '123456789012345678', event: { count: 1000 } });
    expect(sampleAlert(s, 'chat')).toMatchObject({ kind: 'chat', test: true, loud: false, event: { message: 'hello' } });
    expect(sampleAlert(sub(2), 'live')).toMatchObject({ kind: 'live', test: true, loud: false, locale: 'ko' });
    expect(sampleAlert(sub(3, { minBalloons: 50 }))).toMatchObject({ loud: false, event: { count: 50 } });
  });
});
