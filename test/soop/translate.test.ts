import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import { PacketFramer, encodePacket, joinFields } from '../../src/soop/codec.js';
import { translatePacket } from '../../src/soop/translate.js';
import type { RawPacket } from '../../src/core/packet.js';
import type { SoopEvent } from '../../src/core/events.js';

/** Frames a wire string (header included) and checks its declared length is exact. */
function frames(wire: string): RawPacket[] {
  const packets: RawPacket[] = [];
  const errors: string[] = [];
  const framer = new PacketFramer();
  framer.push(
    Buffer.from(wire, 'utf8'),
    (p) => packets.push({ ...p, body: Buffer.from(p.body) }),
    (e) => errors.push(e.error),
  );
  expect(errors).toEqual([]);
  expect(framer.pendingBytes).toBe(0);
  return packets;
}

function decodeWire(wire: string): SoopEvent {
  const packets = frames(wire);
  expect(packets).toHaveLength(1);
  return translatePacket(packets[0]!);
}

function decode(code: number, fields: readonly (string | number)[], returnCode = 0): SoopEvent {
  return translatePacket({ code, returnCode, body: encodePacket(code, joinFields(fields)).subarray(14) });
}

function decodeBody(code: number, body: string | Uint8Array, returnCode = 0): SoopEvent {
  return translatePacket({ code, returnCode, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body });
}

describe('soop-protocol.md §9 example frames, client → server', () => {
  it('decodes the ping as an unknown packet with no fields', () => {
    expect(decodeWire('\x1b\t000000000100\x0c')).toEqual({ kind: 'unknown', code: '0000', returnCode: 0, fieldCount: 0 });
  });

  it('decodes the anonymous login request without error', () => {
    expect(decodeWire('\x1b\t000100000600\x0c\x0c\x0c16\x0c')).toMatchObject({ kind: 'login', ok: true, userId: '' });
  });

  it('decodes the join requests (anonymous, FTK, password) as joins of chat 4172', () => {
    for (const wire of [
      '\x1b\t000200001000\x0c4172\x0c\x0c\x0c\x0c\x0c',
      '\x1b\t000200001600\x0c4172\x0c<FTK>\x0c0\x0c\x0c\x0c',
      '\x1b\t000200002200\x0c4172\x0c\x0c0\x0c\x0cpwd\x11secret\x12\x0c',
    ]) {
      expect(decodeWire(wire)).toMatchObject({ kind: 'join', ok: true, chatNo: '4172' });
    }
  });
});

describe('soop-protocol.md §9 example frames, server → client', () => {
  it('login reply (anonymous)', () => {
    expect(decodeWire('\x1b\t000100000700\x0c\x0c16|0\x0c')).toEqual({ kind: 'login', code: '0001', ok: true, returnCode: 0, userId: '' });
  });

  it('login refused, duplicate session: not ok, with the server message', () => {
    expect(decodeWire('\x1b\t000100005807\x0c시스템 에러가 발생 했습니다. (중복 세션)\x0c')).toEqual({
      kind: 'login',
      code: '0001',
      ok: false,
      returnCode: 7,
      userId: '',
      message: '시스템 에러가 발생 했습니다. (중복 세션)',
    });
  });

  it('join reply', () => {
    expect(decodeWire('\x1b\t000200003200\x0c4172\x0ctestbj01\x0c0\x0c30\x0c\x0c1\x0c16|16384\x0c')).toEqual({
      kind: 'join',
      code: '0002',
      ok: true,
      returnCode: 0,
      chatNo: '4172',
      streamerId: 'testbj01',
    });
  });

  it('chat from a guest viewer', () => {
    const event = decodeWire(
      '\x1b\t000500010900\x0c안녕하세요 테스트 채팅입니다\x0cviewer01\x0c0\x0c0\x0c3\x0c테스터\x0c524304|163840\x0c-1\x0cE07E0A\x0cD39750\x0c-1\x0c-1\x0c\x0c-1\x0c',
    );
    expect(event).toMatchObject({
      kind: 'chat',
      code: '0005',
      message: '안녕하세요 테스트 채팅입니다',
      userId: 'viewer01',
      nickname: '테스터',
      roles: ['quickView', 'guest'],
      subscriptionMonths: null,
    });
    expect(event.kind === 'chat' && event.flags).toMatchObject({ raw: '524304|163840', flag1: 524304, flag2: 163840, subscriberTier: 0 });
  });

  it('chat from a 2-month subscriber keeps the session suffix in the user id', () => {
    const event = decodeWire(
      '\x1b\t000500010800\x0cㅋㅋㅋ 구독 2개월차\x0cviewer02(2)\x0c0\x0c0\x0c3\x0c구독자테스터\x0c805912608|557056\x0c2\x0cDC3585\x0cCF5F9B\x0c4\x0c-1\x0c\x0c-1\x0c',
    );
    expect(event).toMatchObject({ kind: 'chat', message: 'ㅋㅋㅋ 구독 2개월차', userId: 'viewer02(2)', nickname: '구독자테스터', subscriptionMonths: 2 });
    expect(event.kind === 'chat' && event.roles).toEqual(['fanClub', 'subscriber', 'quickView', 'mobile', 'realName']);
    expect(event.kind === 'chat' && event.flags.subscriberTier).toBe(2);
  });

  it('star balloon ×10', () => {
    expect(
      decodeWire(
        '\x1b\t001800010900\x0ctestbj01\x0cviewer03\x0c별풍테스터\x0c10\x0c0\x0c0\x0c4172\x0c10\x0c0\x0c0\x0c\x0c00000000-0000-4000-8000-000000000003\x0cko_KR\x0c1774343693\x0c',
      ),
    ).toEqual({
      kind: 'donation',
      code: '0018',
      type: 'star',
      userId: 'viewer03',
      nickname: '별풍테스터',
      count: 10,
      fanOrder: 0,
      newTopFan: false,
      streamerId: 'testbj01',
      uuid: '00000000-0000-4000-8000-000000000003',
    });
  });

  it('star balloon ×100 that makes fan-club member #1234 and a new top fan', () => {
    expect(
      decodeWire(
        '\x1b\t001800012700\x0ctestbj01\x0cviewer04\x0c팬가입테스터\x0c100\x0c1234\x0c0\x0c4172\x0c100\x0c0\x0c1\x0cgoogle_tts\x0c00000000-0000-4000-8000-000000000004\x0cko_KR\x0c1774343693\x0c',
      ),
    ).toMatchObject({ kind: 'donation', type: 'star', count: 100, fanOrder: 1234, newTopFan: true, uuid: '00000000-0000-4000-8000-000000000004' });
  });

  it('ad balloon ×10', () => {
    expect(
      decodeWire(
        '\x1b\t008700033600\x0c4172\x0ctestbj01\x0cviewer05\x0c애드벌룬테스터\x0c애드벌룬 10개 선물!\x0c애드벌룬 10개를 선물했습니다!\x0c\x0chttps://res.sooplive.com/new_player/items/img_adballoon.png\x0chttps://res.sooplive.com/new_player/items/adballoon/ceremony/pc_10.png?t=1774297996\x0c10\x0c0\x0c0\x0c0\x0c0\x0cgoogle_tts\x0c00000000-0000-4000-8000-000000000005\x0cko_KR\x0c1774297996\x0c',
      ),
    ).toEqual({
      kind: 'donation',
      code: '0087',
      type: 'ad',
      userId: 'viewer05',
      nickname: '애드벌룬테스터',
      count: 10,
      fanOrder: 0,
      newTopFan: false,
      streamerId: 'testbj01',
      message: '애드벌룬 10개 선물!',
      uuid: '00000000-0000-4000-8000-000000000005',
    });
  });

  it('new subscription (basic 1-month, itemType 101, tier 1)', () => {
    expect(
      decodeWire(
        '\x1b\t009100010400\x0c4172\x0ctestbj01\x0cviewer06\x0c구독테스터\x0c101\x0c1\x0c1\x0c1\x0c00000000-0000-4000-8000-000000000006\x0cko_KR\x0c1774333907\x0c',
      ),
    ).toEqual({
      kind: 'subscription',
      code: '0091',
      type: 'new',
      userId: 'viewer06',
      nickname: '구독테스터',
      tier: 1,
      itemType: 101,
      streamerId: 'testbj01',
      uuid: '00000000-0000-4000-8000-000000000006',
    });
  });

  it('consecutive-month subscription (12th month, plus tier)', () => {
    expect(
      decodeWire(
        '\x1b\t009300011200\x0ctestbj01\x0cviewer07\x0c연속구독테스터\x0c12\x0c4172\x0c201\x0c15\x0c2\x0c00000000-0000-4000-8000-000000000007\x0cko_KR\x0c1774333877\x0c',
      ),
    ).toEqual({
      kind: 'subscription',
      code: '0093',
      type: 'consecutive',
      userId: 'viewer07',
      nickname: '연속구독테스터',
      months: 12,
      tier: 2,
      itemType: 201,
      streamerId: 'testbj01',
      uuid: '00000000-0000-4000-8000-000000000007',
    });
  });

  it('gift subscription: sender, recipient and item type', () => {
    expect(
      decodeWire(
        '\x1b\t010800009900\x0c\x0cviewer08\x0c선물테스터\x0cviewer09\x0c받은테스터\x0ctestbj01\x0c테스트BJ\x0c11\x0cSYNTHETICCODE\x0c0\x0c0\x0c\x0c0\x0c0\x0c',
      ),
    ).toMatchObject({
      kind: 'subscription',
      code: '0108',
      type: 'gift',
      userId: 'viewer08',
      nickname: '선물테스터',
      recipientId: 'viewer09',
      recipientNickname: '받은테스터',
      itemType: 11,
    });
  });

  it('user join batch counts its (id, nick, flags) triples', () => {
    expect(
      decodeWire('\x1b\t000400007400\x0c1\x0cviewer01\x0c테스터\x0c524304|163840\x0cviewer10\x0c입장테스터\x0c65568|163840\x0c'),
    ).toEqual({ kind: 'membership', code: '0004', action: 'join', users: 2 });
  });

  it('user meta counts its (id, meta) pairs', () => {
    expect(decodeWire('\x1b\t012700004600\x0cviewer01\x0cfw=-1&afw=-1\x0cviewer10\x0cp=&fw=3&afw=5\x0c')).toEqual({
      kind: 'membership',
      code: '0127',
      action: 'meta',
      users: 2,
    });
  });

  it('user leave and user kicked are leaves of one user', () => {
    for (const wire of [
      '\x1b\t000400004900\x0c-1\x0cviewer10\x0c입장테스터\x0c1\x0c-1\x0c65568|33554432\x0c',
      '\x1b\t000400004500\x0c-1\x0cviewer11\x0c강퇴테스터\x0c2\x0c1\x0c16|33554432\x0c',
    ]) {
      expect(decodeWire(wire)).toEqual({ kind: 'membership', code: '0004', action: 'leave', users: 1 });
    }
  });

  it('SOOP system notice', () => {
    expect(decodeWire('\x1b\t005800006900\x0c테스트 방송이 실시간 핫이슈에 선정되었습니다.\x0c0\x0c')).toEqual({
      kind: 'notice',
      code: '0058',
      source: 'system',
      message: '테스트 방송이 실시간 핫이슈에 선정되었습니다.',
    });
  });

  it('streamer notice', () => {
    expect(decodeWire('\x1b\t010400003100\x0c\x0c1\x0c\x0c테스트 공지입니다\x0c')).toEqual({
      kind: 'notice',
      code: '0104',
      source: 'streamer',
      message: '테스트 공지입니다',
    });
  });

  it('streamer status 0 is a status, not an end', () => {
    expect(decodeWire('\x1b\t000700000300\x0c0\x0c')).toEqual({ kind: 'streamerStatus', code: '0007', status: 0 });
  });

  it('stream end 0088 with an empty body', () => {
    expect(decodeWire('\x1b\t008800000000')).toEqual({ kind: 'broadcastEnd', code: '0088' });
  });

  it('two packets in one message: a chat then a join batch', () => {
    const packets = frames(
      '\x1b\t000500010900\x0c안녕하세요 테스트 채팅입니다\x0cviewer01\x0c0\x0c0\x0c3\x0c테스터\x0c524304|163840\x0c-1\x0cE07E0A\x0cD39750\x0c-1\x0c-1\x0c\x0c-1\x0c\x1b\t000400007400\x0c1\x0cviewer01\x0c테스터\x0c524304|163840\x0cviewer10\x0c입장테스터\x0c65568|163840\x0c',
    );
    expect(packets.map((p) => translatePacket(p).kind)).toEqual(['chat', 'membership']);
  });
});

describe('chat edge cases', () => {
  const chat = (message: string, userId = 'u1', nickname = 'nick', flags = '16|0', months: string | undefined = '-1') =>
    decode(5, months === undefined ? [message, userId, 0, 0, 3, nickname, flags] : [message, userId, 0, 0, 3, nickname, flags, months]);

  it('keeps "1" and "-1" as real chat texts', () => {
    expect(chat('1')).toMatchObject({ kind: 'chat', message: '1' });
    expect(chat('-1')).toMatchObject({ kind: 'chat', message: '-1' });
  });

  it('strips carriage returns from the text', () => {
    expect(chat('줄\r\n바꿈\r')).toMatchObject({ message: '줄\n바꿈' });
  });

  it('keeps a "|" inside the nickname and a session suffix on the id', () => {
    expect(chat('hi', 'viewer(12)', '닉|네임|')).toMatchObject({ userId: 'viewer(12)', nickname: '닉|네임|', roles: ['guest'] });
  });

  it('reads subscription months, -1 as null, and tolerates the older layout that ends at W8 or before', () => {
    expect(chat('a', 'u', 'n', '16|0', '47')).toMatchObject({ subscriptionMonths: 47 });
    expect(chat('a', 'u', 'n', '16|0', '-1')).toMatchObject({ subscriptionMonths: null });
    expect(chat('a', 'u', 'n', '16|0', undefined)).toMatchObject({ kind: 'chat', subscriptionMonths: null });
    // The 2023 frame quoted by devhalfdog (text elided there; length recomputed here).
    expect(decodeBody(5, '\x0c안녕\x0cneny9965\x0c0\x0c0\x0c3\x0cPnec4\x0c268501024|163840\x0c1\x0c')).toMatchObject({
      kind: 'chat',
      userId: 'neny9965',
      nickname: 'Pnec4',
      subscriptionMonths: 1,
      roles: ['fanClub', 'subscriber', 'realName'],
    });
  });

  it('tolerates extra trailing fields', () => {
    expect(decode(5, ['a', 'u', 0, 0, 3, 'n', '16|0', '-1', 'E07E0A', 'D39750', '-1', '-1', '', '-1', 'new', 'fields'])).toMatchObject({
      kind: 'chat',
      message: 'a',
    });
  });

  it('reports a chat that stops before the flags as an error naming the code and the field', () => {
    const event = decode(5, ['a', 'u', 0, 0, 3, 'n']);
    expect(event.kind).toBe('error');
    expect(event).toMatchObject({ code: '0005' });
    expect(event.kind === 'error' && event.error).toMatch(/0005 chat packet is too short: it has 6 fields, but the user flags is field 7/);
  });

  it('never throws on invalid UTF-8 (bytes are replaced)', () => {
    const body = Buffer.concat([Buffer.from('\x0c'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\x0cu\x0c0\x0c0\x0c3\x0cn\x0c16|0\x0c')]);
    expect(translatePacket({ code: 5, returnCode: 0, body })).toMatchObject({ kind: 'chat', message: '\ufffd\ufffd\ufffd', userId: 'u' });
  });

  it('gives no roles for malformed flags instead of failing', () => {
    expect(chat('a', 'u', 'n', 'garbage')).toMatchObject({ kind: 'chat', roles: [] });
  });
});

describe('donations', () => {
  it('reads the 2023 star balloon layout that ends at W11', () => {
    // devhalfdog's 2023 frame with the elided nickname filled in.
    expect(decodeBody(18, '\x0cmygomiee\x0cstdeviler\x0c닉\x0c10\x0c0\x0c0\x0c2884\x0c10\x0c0\x0c0\x0ckor_custom12\x0c')).toEqual({
      kind: 'donation',
      code: '0018',
      type: 'star',
      userId: 'stdeviler',
      nickname: '닉',
      count: 10,
      fanOrder: 0,
      newTopFan: false,
      streamerId: 'mygomiee',
      message: undefined,
      uuid: undefined,
    });
  });

  it('video balloon 0105', () => {
    expect(decode(105, ['4172', 'testbj01', 'viewer20', '영상', 30, 77, 0, 1, 0, '', '', '', 'file', 0, 'ab'.repeat(16)])).toMatchObject({
      kind: 'donation',
      code: '0105',
      type: 'video',
      userId: 'viewer20',
      nickname: '영상',
      count: 30,
      fanOrder: 77,
      newTopFan: true,
      streamerId: 'testbj01',
    });
  });

  it('station ad balloon 0107 carries its message', () => {
    expect(decode(107, ['testbj01', 'viewer21', '방송국', 500, 'https://img', '응원합니다', '4172'])).toMatchObject({
      kind: 'donation',
      code: '0107',
      type: 'stationAd',
      userId: 'viewer21',
      count: 500,
      message: '응원합니다',
      fanOrder: 0,
      newTopFan: false,
    });
  });

  it('VOD balloon 0086', () => {
    expect(decode(86, ['testbj01', 'viewer22', '다시보기', 50, 'file', 1, '4172'])).toMatchObject({
      kind: 'donation',
      code: '0086',
      type: 'vod',
      userId: 'viewer22',
      nickname: '다시보기',
      count: 50,
    });
  });

  it('a count that is not a number, or a packet cut before the count, is an error', () => {
    expect(decode(18, ['bj', 'u', 'n', 'ten'])).toMatchObject({ kind: 'error', code: '0018', error: expect.stringMatching(/count "ten" is not a whole number/) });
    expect(decode(18, ['bj', 'u', 'n'])).toMatchObject({ kind: 'error', code: '0018', error: expect.stringMatching(/balloon count is field 4/) });
    expect(decode(87, ['4172', 'bj', 'u', 'n', 'msg'])).toMatchObject({ kind: 'error', code: '0087' });
  });
});

describe('subscriptions', () => {
  it('a consecutive subscription needs a month number', () => {
    expect(decode(93, ['bj', 'u', 'n', 'x'])).toMatchObject({ kind: 'error', code: '0093' });
    expect(decode(93, ['bj', 'u', 'n', '7'])).toMatchObject({ kind: 'subscription', months: 7, tier: undefined, uuid: undefined });
  });

  it('a gift subscription cut before the recipient is an error', () => {
    expect(decode(108, ['', 'u', 'n', 'r'])).toMatchObject({ kind: 'error', code: '0108', error: expect.stringMatching(/recipient nickname/) });
  });
});

describe('missions (0121 / 0125)', () => {
  const mission = (doc: unknown) => decode(121, [JSON.stringify(doc)]);

  it('challenge gift and battle gift: donor and gift count', () => {
    expect(
      mission({ type: 'CHALLENGE_GIFT', key: 'k1', uuid: 'u-1', title: '노래', gift_count: 100, user_id: 'viewer1', user_nick: '시청자' }),
    ).toEqual({
      kind: 'mission',
      code: '0121',
      missionType: 'CHALLENGE_GIFT',
      title: '노래',
      key: 'k1',
      uuid: 'u-1',
      userId: 'viewer1',
      nickname: '시청자',
      count: 100,
    });
    expect(mission({ type: 'GIFT', title: 't', gift_count: '30', user_id: 'v2', user_nick: 'n2' })).toMatchObject({
      missionType: 'GIFT',
      userId: 'v2',
      count: 30,
    });
  });

  it('notices carry a status; settles carry the settled count', () => {
    expect(mission({ type: 'CHALLENGE_NOTICE', key: 'k1', mission_status: 'SUCCESS' })).toMatchObject({ missionType: 'CHALLENGE_NOTICE', status: 'SUCCESS' });
    expect(mission({ type: 'NOTICE', draw: 1 })).toMatchObject({ missionType: 'NOTICE', status: 'DRAW' });
    expect(mission({ type: 'NOTICE', draw: 0, winner: 'A팀' })).toMatchObject({ status: 'WINNER A팀' });
    expect(mission({ type: 'CHALLENGE_SETTLE', key: 'k1', settle_count: 500 })).toMatchObject({ missionType: 'CHALLENGE_SETTLE', count: 500 });
    expect(mission({ type: 'SETTLE', settle_count: 20 })).toMatchObject({ missionType: 'SETTLE', count: 20 });
  });

  it('0125 payout sums the list and names the first donor', () => {
    const payout = { chno: 4172, uuid: 'u-9', fanOrder: 0, list: [['a', '가', 100, 0, 0], ['b', '나', '50', 1, 0]] };
    expect(decode(125, [JSON.stringify(payout)])).toEqual({
      kind: 'mission',
      code: '0125',
      missionType: 'PAYOUT',
      userId: 'a',
      nickname: '가',
      count: 150,
      uuid: 'u-9',
    });
    expect(decode(125, [JSON.stringify({ list: [] })])).toMatchObject({ missionType: 'PAYOUT', count: 0, userId: undefined });
  });

  it('invalid or unexpected JSON is an error event', () => {
    expect(decode(121, ['{not json'])).toMatchObject({ kind: 'error', code: '0121', error: expect.stringMatching(/mission JSON is invalid/) });
    expect(decode(121, ['[1,2]'])).toMatchObject({ kind: 'error', code: '0121' });
    expect(decode(121, ['{"title":"no type"}'])).toMatchObject({ kind: 'error', error: expect.stringMatching(/no "type"/) });
    expect(decode(125, ['{"uuid":"x"}'])).toMatchObject({ kind: 'error', code: '0125', error: expect.stringMatching(/"list"/) });
    expect(decodeBody(121, '')).toMatchObject({ kind: 'error', code: '0121' });
  });
});

describe('status, flags, login and join', () => {
  it('0012 user flags: new flags in W1, previous in W6', () => {
    const event = decode(12, ['720928|163840', 'viewer1', '닉', '', '', '589856|163840']);
    expect(event).toMatchObject({ kind: 'userFlags', userId: 'viewer1', nickname: '닉', roles: ['fanClub', 'quickView', 'realName'] });
    expect(event.kind === 'userFlags' && event.previousFlags?.raw).toBe('589856|163840');
    expect(decode(12, ['16|0', 'v', 'n'])).toMatchObject({ kind: 'userFlags', previousFlags: undefined });
  });

  it('0007 needs a numeric status', () => {
    expect(decode(7, ['1'])).toEqual({ kind: 'streamerStatus', code: '0007', status: 1 });
    expect(decode(7, ['on'])).toMatchObject({ kind: 'error', code: '0007' });
    expect(decodeBody(7, '')).toMatchObject({ kind: 'error', code: '0007' });
  });

  it('a wrong room password comes back as a 0002 whose W1 is a sentence', () => {
    expect(decode(2, ['비밀번호가 틀렸습니다.'])).toEqual({
      kind: 'join',
      code: '0002',
      ok: false,
      returnCode: 0,
      chatNo: '',
      streamerId: '',
      message: '비밀번호가 틀렸습니다.',
    });
  });

  it('a non-zero return code refuses the join even without a message', () => {
    expect(decodeBody(2, '', 57)).toMatchObject({ kind: 'join', ok: false, returnCode: 57, message: expect.stringMatching(/return code 57/) });
    expect(decodeBody(1, '', 7)).toMatchObject({ kind: 'login', ok: false, returnCode: 7, message: expect.stringMatching(/return code 7/) });
  });

  it('unknown codes report their return code and field count', () => {
    expect(decode(110, ['1'])).toEqual({ kind: 'unknown', code: '0110', returnCode: 0, fieldCount: 1 });
    expect(decodeBody(9999, '\x0ca\x0cb', 3)).toEqual({ kind: 'unknown', code: '9999', returnCode: 3, fieldCount: 2 });
  });
});

describe('membership edge cases', () => {
  it('an empty 0004/0127 body or an unknown action is an error, not a crash', () => {
    expect(decodeBody(4, '')).toMatchObject({ kind: 'error', code: '0004' });
    expect(decodeBody(127, '')).toMatchObject({ kind: 'error', code: '0127' });
    expect(decode(4, ['7', 'a', 'b', 'c'])).toMatchObject({ kind: 'error', code: '0004', error: expect.stringMatching(/action/) });
    expect(decode(4, ['1', 'a'])).toMatchObject({ kind: 'error', code: '0004' });
  });

  it('reads the legacy single join and a body without the leading separator', () => {
    expect(decode(4, ['1', 'viewer1', '닉', '16|0'])).toMatchObject({ action: 'join', users: 1 });
    expect(decodeBody(4, 'x\x0c-1\x0cv\x0cn\x0c1\x0c-1\x0c16|33554432\x0c')).toMatchObject({ action: 'leave', users: 1 });
  });
});

describe('separator counting on long bodies (4 bytes at a time)', () => {
  it('counts users exactly whatever the body length and its alignment in memory', () => {
    for (let users = 1; users <= 40; users++) {
      const fields: string[] = ['1'];
      for (let u = 0; u < users; u++) fields.push(`viewer${u}${u % 3 === 0 ? '(2)' : ''}`, u % 2 ? '입장\x0b테스터' : '観', '65568|163840');
      const body = Buffer.from(joinFields(fields), 'utf8');
      for (let offset = 0; offset < 4; offset++) {
        const padded = Buffer.concat([Buffer.alloc(offset, 0x0c), body]);
        const view = new Uint8Array(padded.buffer, padded.byteOffset + offset, body.length);
        expect(translatePacket({ code: 4, returnCode: 0, body: view })).toEqual({ kind: 'membership', code: '0004', action: 'join', users });
      }
    }
  });

  it('counts every byte value correctly around the separator', () => {
    const bytes = new Uint8Array(256 * 2);
    for (let i = 0; i < 256; i++) {
      bytes[2 * i] = i;
      bytes[2 * i + 1] = 0x0c;
    }
    // W1..: 256 fields, each ending with \f; the first byte makes W0 when it is not \f.
    expect(translatePacket({ code: 9999, returnCode: 0, body: bytes })).toMatchObject({ fieldCount: 256 });
  });
});
