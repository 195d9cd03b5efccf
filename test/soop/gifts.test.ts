/**
 * Every gift code and the chat variants, from frames built to the peers' layouts (convention W;
 * joyfuI/soop-chat and getCurrentThread/unoffical-soop-chat-api agree on these positions), then
 * through the route's selection and the console rendering.
 */
import { describe, expect, it } from 'vitest';
import { sub as routeSub } from '../route/fixtures.js';
import { encodePacket, joinFields } from '../../src/soop/codec.js';
import { translatePacket } from '../../src/soop/translate.js';
import { selectRecipients, buildMatcherFor } from '../../src/route/filters.js';
import { renderConsole } from '../../src/route/format-console.js';
import type { SoopEvent } from '../../src/core/events.js';
import type { Subscription } from '../../src/store/types.js';
import { emoticonChat, managerChat, relayStar, vodAd } from './gift-frames.js';

function decode(code: number, fields: readonly (string | number)[]): SoopEvent {
  return translatePacket({ code, returnCode: 0, body: encodePacket(code, joinFields(fields)).subarray(14) });
}

const sub = (id: number, patch: Partial<Subscription> = {}): Subscription => routeSub(id, { streamerId: 'testbj01', ...patch });

function recipients(event: SoopEvent, subs: readonly Subscription[]) {
  return selectRecipients({ streamerId: 'testbj01', broadcastNo: '1', seq: 1, receivedAt: 0, event }, subs, buildMatcherFor(subs));
}

describe('balloon gifts that were unknown', () => {
  it('0033 is a star balloon in a relay room, with its own uuid and fan order', () => {
    expect(decode(33, relayStar)).toEqual({
      kind: 'donation',
      code: '0033',
      type: 'relayStar',
      userId: 'viewer31',
      nickname: '릴레이후원',
      count: 50,
      fanOrder: 321,
      newTopFan: true,
      streamerId: 'testbj01',
      message: undefined,
      uuid: '00000000-0000-4000-8000-000000000033',
    });
  });

  it('0033 cut before the count, or with a count that is not a number, is an error naming the field', () => {
    expect(decode(33, relayStar.slice(0, 5))).toMatchObject({ kind: 'error', code: '0033', error: expect.stringMatching(/balloon count is field 6/) });
    expect(decode(33, ['r', 'bj', 'n', 'u', 'n', 'many'])).toMatchObject({ kind: 'error', code: '0033', error: expect.stringMatching(/"many"/) });
  });

  it('0103 is ad balloons given to a VOD, with the title as its message', () => {
    expect(decode(103, vodAd)).toMatchObject({
      kind: 'donation',
      code: '0103',
      type: 'vodAd',
      userId: 'viewer32',
      nickname: 'VOD애드',
      count: 300,
      streamerId: 'testbj01',
      message: '다시보기 응원!',
      fanOrder: 0,
      newTopFan: false,
    });
  });

  it('both alert in the existing kinds (0033 star, 0103 ad), under the same minBalloons rule', () => {
    const subs = [sub(1, { events: ['star'] }), sub(2, { events: ['ad'] }), sub(3, { minBalloons: 1000 })];
    expect(recipients(decode(33, relayStar), subs).map((r) => [r.subscription.id, r.alert.kind])).toEqual([[1, 'star']]);
    expect(recipients(decode(103, vodAd), subs).map((r) => [r.subscription.id, r.alert.kind])).toEqual([[2, 'ad']]);
  });

  it('the alert says which variant it is', () => {
    const [star] = recipients(decode(33, relayStar), [sub(1)]);
    expect(renderConsole(star!.alert)).toBe('[별풍선] testbj01 ← 릴레이후원 (viewer31) ×50 · 릴레이 방 별풍선 · 팬클럽 #321 · 새 열혈팬!');
    const [ad] = recipients(decode(103, vodAd), [sub(1, { locale: 'en' })]);
    expect(renderConsole(ad!.alert)).toBe('[ad] testbj01 ← VOD애드 (viewer32) ×300 · VOD ad balloons · "다시보기 응원!"');
  });
});

describe('chats that were never keyword-matched', () => {
  it('0109 emoticon chat: text, sender, roles from W8, months from W13, the emoticon ids', () => {
    expect(decode(109, emoticonChat)).toMatchObject({
      kind: 'chat',
      code: '0109',
      variant: 'emoticon',
      message: '대박 이모티콘',
      userId: 'viewer33',
      nickname: '이모티콘러',
      roles: expect.arrayContaining(['fanClub', 'manager']),
      subscriptionMonths: 4,
      emoticon: { groupId: 'ogq-group-1', subId: 'ogq-item-7' },
    });
  });

  it('0109 with no text is a chat with an empty message (an emoticon alone), never a match', () => {
    const alone = [...emoticonChat];
    alone[1] = '';
    const event = decode(109, alone);
    expect(event).toMatchObject({ kind: 'chat', message: '' });
    expect(recipients(event, [sub(1, { keywords: ['대박'] })])).toEqual([]);
  });

  it('0026 manager chat: text, sender, nickname W5, roles from W6', () => {
    expect(decode(26, managerChat)).toMatchObject({
      kind: 'chat',
      code: '0026',
      variant: 'manager',
      message: '대박 공지 확인해주세요',
      userId: 'manager01',
      nickname: '매니저',
      roles: expect.arrayContaining(['manager']),
      subscriptionMonths: null,
    });
  });

  it('a 0109 or 0026 cut before the flags is an error naming the code', () => {
    expect(decode(109, emoticonChat.slice(0, 7))).toMatchObject({ kind: 'error', code: '0109', error: expect.stringMatching(/emoticon chat .* field 8/) });
    expect(decode(26, managerChat.slice(0, 5))).toMatchObject({ kind: 'error', code: '0026', error: expect.stringMatching(/manager chat .* field 6/) });
  });

  it('both go through keywords, exclude words and the only-from filter like a 0005 chat', () => {
    const subs = [
      sub(1, { keywords: ['대박'] }),
      sub(2, { keywords: ['대박'], onlyFromRoles: ['topFan'] }),
      sub(3, { keywords: ['대박'], onlyFromRoles: ['manager'] }),
      sub(4, { keywords: ['대박'], excludeWords: ['공지'] }),
      sub(5, { keywords: ['없는말'] }),
    ];
    expect(recipients(decode(109, emoticonChat), subs).map((r) => r.subscription.id)).toEqual([1, 3, 4]);
    expect(recipients(decode(26, managerChat), subs).map((r) => r.subscription.id)).toEqual([1, 3]);
  });
});

describe('subscriptions name their streamer', () => {
  it('0091 W2, 0093 W1 and 0108 W6 are the streamer subscribed to', () => {
    const ceremony = decode(91, ['4172', 'testbj01', 'viewer06', '구독', 101, 1, 1, 1, 'uuid-91', 'ko_KR', 1774333907]);
    expect(ceremony).toMatchObject({ kind: 'subscription', type: 'new', streamerId: 'testbj01' });
    expect(decode(93, ['testbj01', 'viewer07', '연속', 12, '4172', 201, 15, 2, 'uuid-93'])).toMatchObject({ streamerId: 'testbj01' });
    expect(decode(108, ['', 'viewer08', '선물', 'viewer09', '받음', 'testbj01', '테스트BJ', 11, 'CODE'])).toMatchObject({ streamerId: 'testbj01' });
  });

  it('0091 is labelled as the ceremony it is, not as a new subscription', () => {
    const event = decode(91, ['4172', 'testbj01', 'viewer06', '구독', 101, 1, 1, 1, 'uuid-91', 'ko_KR', 1774333907]);
    const [ko] = recipients(event, [sub(1)]);
    const [en] = recipients(event, [sub(1, { locale: 'en' })]);
    expect(renderConsole(ko!.alert)).toBe('[구독] testbj01 ← 구독 (viewer06) · 구독 세리머니 · 1티어');
    expect(renderConsole(en!.alert)).toBe('[subscription] testbj01 ← 구독 (viewer06) · Subscriber ceremony · tier 1');
  });
});

describe('gifts that are not balloons: decoded, not alerted', () => {
  const cases: [string, number, readonly (string | number)[], Record<string, unknown>][] = [
    // W1 streamer, W2 streamer nick, W3 sender, W4 nick, W5 ?, W6 item type, W7 ?, W8 count, W9 supporter order.
    ['0020 sticker', 20, ['testbj01', '테스트BJ', 'viewer40', '스티커', '', 1, '', 10, 2], { type: 'sticker', userId: 'viewer40', nickname: '스티커', streamerId: 'testbj01', count: 10, itemType: 1 }],
    ['0034 sticker in a relay room', 34, ['relay', 'testbj01', '테스트BJ', 'viewer41', '스티커', '', 1, '', 20, 2], { type: 'sticker', userId: 'viewer41', streamerId: 'testbj01', count: 20, relay: true }],
    // W2 streamer, W3 sender, W4 nick, W5 count.
    ['0037 chocolate', 37, ['', 'testbj01', 'viewer42', '초콜릿', 5], { type: 'chocolate', userId: 'viewer42', nickname: '초콜릿', streamerId: 'testbj01', count: 5 }],
    ['0038 chocolate in a relay room', 38, ['', 'testbj01', 'viewer43', '초콜릿', 6], { type: 'chocolate', count: 6, relay: true }],
    // W2 sender, W3 nick, W4 receiver, W5 receiver nick, W6 item type.
    ['0045 QuickView gift', 45, ['', 'viewer44', '퀵뷰', 'viewer45', '받은이', 101], { type: 'quickView', userId: 'viewer44', recipientId: 'viewer45', recipientNickname: '받은이', itemType: 101 }],
    // W2 sender, W3 nick, W4 receiver, W5 receiver nick, W6 title, W7 image.
    ['0118 OGQ emoticon gift', 118, ['', 'viewer46', '선물러', 'viewer47', '받은이', '웃는 곰', 'https://img'], { type: 'ogqEmoticon', userId: 'viewer46', recipientId: 'viewer47', item: '웃는 곰' }],
    // W2 receiver, W3 receiver nick, W4 item name.
    ['0120 gem item', 120, ['', 'viewer48', '받은이', '젬 아이템'], { type: 'gemItem', recipientId: 'viewer48', recipientNickname: '받은이', item: '젬 아이템' }],
  ];

  it.each(cases)('%s', (_name, code, fields, expected) => {
    const event = decode(code, fields);
    expect(event).toMatchObject({ kind: 'gift', code: String(code).padStart(4, '0'), ...expected });
    expect(recipients(event, [sub(1)])).toEqual([]);
  });

  it('a sticker count that is not a number and a cut QuickView gift are errors', () => {
    expect(decode(20, ['testbj01', 'BJ', 'u', 'n', '', 1, '', 'ten'])).toMatchObject({ kind: 'error', code: '0020', error: expect.stringMatching(/sticker count "ten"/) });
    expect(decode(45, ['', 'u', 'n', 'r'])).toMatchObject({ kind: 'error', code: '0045', error: expect.stringMatching(/recipient nickname/) });
  });
});
