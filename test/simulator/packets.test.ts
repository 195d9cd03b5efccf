import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { RawPacket } from '../../src/core/packet.js';
import { PacketFramer } from '../../src/soop/codec.js';
import { translatePacket } from '../../src/soop/translate.js';
import {
  adBalloonPacket,
  broadcastEndPacket,
  challengeGift,
  chatPacket,
  consecutiveSubscriptionPacket,
  giftSubscriptionPacket,
  joinReplyPacket,
  loginReplyPacket,
  membershipJoinPacket,
  membershipLeavePacket,
  missionPacket,
  missionSettlePacket,
  managerChatPacket,
  emoticonChatPacket,
  relayStarBalloonPacket,
  vodAdBalloonPacket,
  starBalloonPacket,
  stationAdBalloonPacket,
  streamerNoticePacket,
  streamerStatusPacket,
  subscriptionPacket,
  systemNoticePacket,
  userFlagsPacket,
  userMetaPacket,
  videoBalloonPacket,
  vodBalloonPacket,
} from '../../src/simulator/packets.js';
import { loadRealFrames } from '../soop/real-frames.js';

const uuid = (n: number): string => `00000000-0000-4000-8000-00000000000${n}`;

/** The synthetic example frames of soop-protocol.md §9, byte for byte. */
const EXAMPLES: [string, Buffer, string][] = [
  ['login reply', loginReplyPacket(), '\x1b\t000100000700\x0c\x0c16|0\x0c'],
  ['login refused', loginReplyPacket({ returnCode: 7 }), '\x1b\t000100005807\x0c시스템 에러가 발생 했습니다. (중복 세션)\x0c'],
  [
    'join reply',
    joinReplyPacket({ chatNo: '4172', streamerId: 'testbj01' }),
    '\x1b\t000200003200\x0c4172\x0ctestbj01\x0c0\x0c30\x0c\x0c1\x0c16|16384\x0c',
  ],
  [
    'guest chat',
    chatPacket({ message: '안녕하세요 테스트 채팅입니다', userId: 'viewer01', nickname: '테스터' }),
    '\x1b\t000500010900\x0c안녕하세요 테스트 채팅입니다\x0cviewer01\x0c0\x0c0\x0c3\x0c테스터\x0c524304|163840\x0c-1\x0cE07E0A\x0cD39750\x0c-1\x0c-1\x0c\x0c-1\x0c',
  ],
  [
    'subscriber chat',
    chatPacket({
      message: 'ㅋㅋㅋ 구독 2개월차',
      userId: 'viewer02(2)',
      nickname: '구독자테스터',
      flags: '805912608|557056',
      subMonths: 2,
      accumulatedMonths: 4,
      nicknameColor: 'DC3585',
      darkNicknameColor: 'CF5F9B',
    }),
    '\x1b\t000500010800\x0cㅋㅋㅋ 구독 2개월차\x0cviewer02(2)\x0c0\x0c0\x0c3\x0c구독자테스터\x0c805912608|557056\x0c2\x0cDC3585\x0cCF5F9B\x0c4\x0c-1\x0c\x0c-1\x0c',
  ],
  [
    'star balloon',
    starBalloonPacket({ streamerId: 'testbj01', userId: 'viewer03', nickname: '별풍테스터', count: 10, chatNo: '4172', uuid: uuid(3), urlModify: 1774343693 }),
    '\x1b\t001800010900\x0ctestbj01\x0cviewer03\x0c별풍테스터\x0c10\x0c0\x0c0\x0c4172\x0c10\x0c0\x0c0\x0c\x0c00000000-0000-4000-8000-000000000003\x0cko_KR\x0c1774343693\x0c',
  ],
  [
    'star balloon, new fan and top fan',
    starBalloonPacket({
      streamerId: 'testbj01',
      userId: 'viewer04',
      nickname: '팬가입테스터',
      count: 100,
      fanOrder: 1234,
      topFan: true,
      chatNo: '4172',
      tts: 'google_tts',
      uuid: uuid(4),
      urlModify: 1774343693,
    }),
    '\x1b\t001800012700\x0ctestbj01\x0cviewer04\x0c팬가입테스터\x0c100\x0c1234\x0c0\x0c4172\x0c100\x0c0\x0c1\x0cgoogle_tts\x0c00000000-0000-4000-8000-000000000004\x0cko_KR\x0c1774343693\x0c',
  ],
  [
    'ad balloon',
    adBalloonPacket({
      streamerId: 'testbj01',
      userId: 'viewer05',
      nickname: '애드벌룬테스터',
      count: 10,
      chatNo: '4172',
      tts: 'google_tts',
      uuid: uuid(5),
      urlModify: 1774297996,
    }),
    '\x1b\t008700033600\x0c4172\x0ctestbj01\x0cviewer05\x0c애드벌룬테스터\x0c애드벌룬 10개 선물!\x0c애드벌룬 10개를 선물했습니다!\x0c\x0chttps://res.sooplive.com/new_player/items/img_adballoon.png\x0chttps://res.sooplive.com/new_player/items/adballoon/ceremony/pc_10.png?t=1774297996\x0c10\x0c0\x0c0\x0c0\x0c0\x0cgoogle_tts\x0c00000000-0000-4000-8000-000000000005\x0cko_KR\x0c1774297996\x0c',
  ],
  [
    'new subscription',
    subscriptionPacket({ streamerId: 'testbj01', userId: 'viewer06', nickname: '구독테스터', chatNo: '4172', uuid: uuid(6), urlModify: 1774333907 }),
    '\x1b\t009100010400\x0c4172\x0ctestbj01\x0cviewer06\x0c구독테스터\x0c101\x0c1\x0c1\x0c1\x0c00000000-0000-4000-8000-000000000006\x0cko_KR\x0c1774333907\x0c',
  ],
  [
    'consecutive subscription',
    consecutiveSubscriptionPacket({
      streamerId: 'testbj01',
      userId: 'viewer07',
      nickname: '연속구독테스터',
      months: 12,
      chatNo: '4172',
      itemType: 201,
      accumulatedMonths: 15,
      tier: 2,
      uuid: uuid(7),
      urlModify: 1774333877,
    }),
    '\x1b\t009300011200\x0ctestbj01\x0cviewer07\x0c연속구독테스터\x0c12\x0c4172\x0c201\x0c15\x0c2\x0c00000000-0000-4000-8000-000000000007\x0cko_KR\x0c1774333877\x0c',
  ],
  [
    'gift subscription',
    giftSubscriptionPacket({
      userId: 'viewer08',
      nickname: '선물테스터',
      recipientId: 'viewer09',
      recipientNickname: '받은테스터',
      streamerId: 'testbj01',
      streamerNickname: '테스트BJ',
      itemCode: 'SYNTHETICCODE',
    }),
    '\x1b\t010800009900\x0c\x0cviewer08\x0c선물테스터\x0cviewer09\x0c받은테스터\x0ctestbj01\x0c테스트BJ\x0c11\x0cSYNTHETICCODE\x0c0\x0c0\x0c\x0c0\x0c0\x0c',
  ],
  [
    'user join batch',
    membershipJoinPacket([
      { userId: 'viewer01', nickname: '테스터', flags: '524304|163840' },
      { userId: 'viewer10', nickname: '입장테스터', flags: '65568|163840' },
    ]),
    '\x1b\t000400007400\x0c1\x0cviewer01\x0c테스터\x0c524304|163840\x0cviewer10\x0c입장테스터\x0c65568|163840\x0c',
  ],
  [
    'user meta',
    userMetaPacket([{ userId: 'viewer01' }, { userId: 'viewer10', personalcon: '', subMonths: 3, accumulatedMonths: 5 }]),
    '\x1b\t012700004600\x0cviewer01\x0cfw=-1&afw=-1\x0cviewer10\x0cp=&fw=3&afw=5\x0c',
  ],
  [
    'user leave',
    membershipLeavePacket({ userId: 'viewer10', nickname: '입장테스터', flags: '65568|163840' }),
    '\x1b\t000400004900\x0c-1\x0cviewer10\x0c입장테스터\x0c1\x0c-1\x0c65568|33554432\x0c',
  ],
  [
    'user kicked',
    membershipLeavePacket({ userId: 'viewer11', nickname: '강퇴테스터', flags: '16|0', kicked: true }),
    '\x1b\t000400004500\x0c-1\x0cviewer11\x0c강퇴테스터\x0c2\x0c1\x0c16|33554432\x0c',
  ],
  ['system notice', systemNoticePacket('테스트 방송이 실시간 핫이슈에 선정되었습니다.'), '\x1b\t005800006900\x0c테스트 방송이 실시간 핫이슈에 선정되었습니다.\x0c0\x0c'],
  ['streamer notice', streamerNoticePacket('테스트 공지입니다'), '\x1b\t010400003100\x0c\x0c1\x0c\x0c테스트 공지입니다\x0c'],
  ['streamer status', streamerStatusPacket(0), '\x1b\t000700000300\x0c0\x0c'],
  ['broadcast end', broadcastEndPacket(), '\x1b\t008800000000'],
];

function decodeOne(packet: Buffer): RawPacket {
  const found: RawPacket[] = [];
  const framer = new PacketFramer();
  framer.push(packet, (p) => found.push(p));
  expect(found).toHaveLength(1);
  expect(framer.counters.errors).toBe(0);
  return found[0] as RawPacket;
}

describe('server packet builders', () => {
  it.each(EXAMPLES)('%s matches the protocol example byte for byte', (_name, built, expected) => {
    expect(built.toString('utf8')).toBe(expected);
  });

  it('decodes through the project translator to the right events', () => {
    const chat = translatePacket(decodeOne(chatPacket({ message: '-1', userId: 'x(3)', nickname: 'a|b', subMonths: 5 })));
    expect(chat).toMatchObject({ kind: 'chat', message: '-1', userId: 'x(3)', nickname: 'a|b', subscriptionMonths: 5 });

    const star = translatePacket(decodeOne(starBalloonPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 100, fanOrder: 7, topFan: true, uuid: uuid(1) })));
    expect(star).toMatchObject({ kind: 'donation', type: 'star', count: 100, fanOrder: 7, newTopFan: true, uuid: uuid(1) });

    const ad = translatePacket(decodeOne(adBalloonPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 30, uuid: uuid(2) })));
    expect(ad).toMatchObject({ kind: 'donation', type: 'ad', count: 30, userId: 'u', uuid: uuid(2) });

    const video = translatePacket(decodeOne(videoBalloonPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 20, chatNo: '1' })));
    expect(video).toMatchObject({ kind: 'donation', type: 'video', count: 20, userId: 'u', nickname: '닉' });

    const station = translatePacket(decodeOne(stationAdBalloonPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 50 })));
    expect(station).toMatchObject({ kind: 'donation', type: 'stationAd', count: 50 });

    const vod = translatePacket(decodeOne(vodBalloonPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 3 })));
    expect(vod).toMatchObject({ kind: 'donation', type: 'vod', count: 3 });

    const consecutive = translatePacket(decodeOne(consecutiveSubscriptionPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', months: 12 })));
    expect(consecutive).toMatchObject({ kind: 'subscription', type: 'consecutive', months: 12 });

    const gift = translatePacket(
      decodeOne(giftSubscriptionPacket({ userId: 'u', nickname: '닉', recipientId: 'r', recipientNickname: '받음', streamerId: 'bj' })),
    );
    expect(gift).toMatchObject({ kind: 'subscription', type: 'gift', recipientId: 'r', recipientNickname: '받음' });

    const mission = translatePacket(decodeOne(missionPacket(challengeGift({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 500 }))));
    expect(mission).toMatchObject({ kind: 'mission', missionType: 'CHALLENGE_GIFT', userId: 'u', nickname: '닉', count: 500 });

    const settle = translatePacket(decodeOne(missionSettlePacket({ chatNo: '1', uuid: uuid(9), list: [{ userId: 'u', nickname: '닉', count: 500 }] })));
    expect(settle).toMatchObject({ kind: 'mission' });

    const flags = translatePacket(decodeOne(userFlagsPacket({ userId: 'u', nickname: '닉', flags: '65568|163840', previousFlags: '16|163840' })));
    expect(flags).toMatchObject({ kind: 'userFlags', userId: 'u', nickname: '닉' });

    expect(translatePacket(decodeOne(broadcastEndPacket()))).toMatchObject({ kind: 'broadcastEnd' });
    expect(translatePacket(decodeOne(streamerStatusPacket(1)))).toMatchObject({ kind: 'streamerStatus', status: 1 });
    expect(translatePacket(decodeOne(loginReplyPacket({ returnCode: 7 })))).toMatchObject({ kind: 'login', ok: false, returnCode: 7 });
    expect(translatePacket(decodeOne(joinReplyPacket({ chatNo: '9', streamerId: 'bj' })))).toMatchObject({ kind: 'join', ok: true, chatNo: '9' });
  });

  it('mission JSON sits in W1 and parses, with key and chno as numbers as SOOP sends them', () => {
    const body = decodeOne(missionPacket(challengeGift({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 5, key: 123, chatNo: '4172' }))).body;
    const json = JSON.parse(Buffer.from(body).toString('utf8').split('\f')[1] ?? '') as Record<string, unknown>;
    expect(json).toMatchObject({ type: 'CHALLENGE_GIFT', key: 123, chno: 4172, user_id: 'u', user_nick: '닉', gift_count: 5, bj_id: 'bj' });
    const settle = decodeOne(missionSettlePacket({ chatNo: '4172', uuid: uuid(9), list: [{ userId: 'u', nickname: '닉', count: 5 }] })).body;
    expect(JSON.parse(Buffer.from(settle).toString('utf8').split('\f')[1] ?? '')).toMatchObject({ chno: 4172 });
    expect(translatePacket(decodeOne(missionPacket(challengeGift({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 5, key: 123 }))))).toMatchObject({ key: '123' });
  });

  it('the new builders decode to their events', () => {
    const relay = translatePacket(decodeOne(relayStarBalloonPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 40, fanOrder: 2, uuid: uuid(3) })));
    expect(relay).toMatchObject({ kind: 'donation', type: 'relayStar', streamerId: 'bj', userId: 'u', count: 40, fanOrder: 2, uuid: uuid(3) });
    const vodAd = translatePacket(decodeOne(vodAdBalloonPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 70 })));
    expect(vodAd).toMatchObject({ kind: 'donation', type: 'vodAd', count: 70 });
    const emoticon = translatePacket(decodeOne(emoticonChatPacket({ userId: 'u', nickname: '닉', message: '안녕', subMonths: 3 })));
    expect(emoticon).toMatchObject({ kind: 'chat', variant: 'emoticon', message: '안녕', userId: 'u', subscriptionMonths: 3 });
    const manager = translatePacket(decodeOne(managerChatPacket({ message: '공지', userId: 'm', nickname: '매니저' })));
    expect(manager).toMatchObject({ kind: 'chat', variant: 'manager', message: '공지', roles: expect.arrayContaining(['manager']) });
  });
});

/** The fields after the first separator, as the Z-indexed peers (joyfuI, getCurrentThread) read them. */
function peerFields(packet: Buffer): string[] {
  const text = Buffer.from(decodeOne(packet).body).toString('utf8');
  const fields = text.slice(text.indexOf('\f') + 1).split('\f');
  if (fields.at(-1) === '') fields.pop();
  return fields;
}

describe('builder layouts against the peers (Z indices, field counts of their test frames)', () => {
  const base = { streamerId: 'bj', userId: 'u', nickname: '닉', count: 12, chatNo: '4172' };

  it('0107 and 0103 have 9 fields: Z0 bj, Z1 sender, Z2 nick, Z3 count, Z4 image, Z5 title, Z6 chatNo, Z7 language, Z8 urlModify', () => {
    for (const build of [stationAdBalloonPacket, vodAdBalloonPacket]) {
      const f = peerFields(build({ ...base, message: '응원', urlModify: 1774343693 }));
      expect(f).toHaveLength(9);
      expect([f[0], f[1], f[2], f[3], f[5], f[6], f[7], f[8]]).toEqual(['bj', 'u', '닉', '12', '응원', '4172', 'ko_KR', '1774343693']);
      expect(f[4]).toMatch(/^https:\/\//);
    }
  });

  it('0086 has 9 fields: Z0 bj, Z1 sender, Z2 nick, Z3 count, Z4 file, Z5 isDefault, Z6 chatNo, Z7 language, Z8 urlModify', () => {
    expect(peerFields(vodBalloonPacket({ ...base, fileName: 'f', urlModify: 1774343693 }))).toEqual(['bj', 'u', '닉', '12', 'f', '0', '4172', 'ko_KR', '1774343693']);
  });

  it('0033 has 15 fields: Z1 bj, Z2 bj nick, Z3 sender, Z4 nick, Z5 count, Z6 fanOrder, Z12 uuid', () => {
    const f = peerFields(relayStarBalloonPacket({ ...base, streamerNickname: 'BJ', fanOrder: 5, topFan: true, uuid: uuid(4), urlModify: 1 }));
    expect(f).toHaveLength(15);
    expect([f[1], f[2], f[3], f[4], f[5], f[6], f[10], f[12], f[13]]).toEqual(['bj', 'BJ', 'u', '닉', '12', '5', '1', uuid(4), 'ko_KR']);
  });

  it('0109 has 19 fields: Z1 text, Z5 sender, Z6 nick, Z7 flags, Z12 months', () => {
    const f = peerFields(emoticonChatPacket({ userId: 'u', nickname: '닉', message: '하이', subMonths: 4, chatNo: '4172' }));
    expect(f).toHaveLength(19);
    expect([f[0], f[1], f[5], f[6], f[7], f[11], f[12]]).toEqual(['4172', '하이', 'u', '닉', '524304|163840', 'png', '4']);
  });

  it('0026 has 7 fields: Z0 text, Z1 sender, Z2 is-admin, Z4 nick, Z5 flags, Z6 months', () => {
    expect(peerFields(managerChatPacket({ message: '공지', userId: 'm', nickname: '매니저', subMonths: 2 }))).toEqual(['공지', 'm', '0', '3', '매니저', '288|163840', '2']);
  });
});

describe('builder layouts against the captured 2026 frames', () => {
  const frames = loadRealFrames().filter((f) => f.dir === 'in' && !f.scrubbed);
  const integer = /^-?\d+$/;
  const wFields = (bytes: Buffer): string[] => Buffer.from(bytes).subarray(14).toString('utf8').split('\f');
  const builders: [string, Buffer][] = [
    ['0005', chatPacket({ message: '안녕', userId: 'u', nickname: '닉' })],
    ['0018', starBalloonPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 10, chatNo: '4172' })],
    ['0087', adBalloonPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', count: 10, chatNo: '4172' })],
    ['0091', subscriptionPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', chatNo: '4172' })],
    ['0093', consecutiveSubscriptionPacket({ streamerId: 'bj', userId: 'u', nickname: '닉', months: 3, chatNo: '4172' })],
  ];

  it.each(builders)('%s: as many fields as every captured frame, numbers where the captures have numbers', (code, built) => {
    const captured = frames.filter((f) => f.code === code).map((f) => wFields(f.bytes));
    expect(captured.length).toBeGreaterThan(0);
    const ours = wFields(built);
    for (const theirs of captured) expect(ours).toHaveLength(theirs.length);
    for (let i = 1; i < ours.length; i++) {
      if (captured.every((w) => integer.test(w[i] ?? ''))) expect([i, ours[i]]).toEqual([i, expect.stringMatching(integer)]);
    }
  });
});
