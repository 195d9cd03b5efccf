/** Every real captured frame decodes through PacketFramer + translatePacket to what its `expect` says. */
import { describe, expect, it } from 'vitest';
import { PacketFramer } from '../../src/soop/codec.js';
import { translatePacket } from '../../src/soop/translate.js';
import type { SoopEvent } from '../../src/core/events.js';
import { loadRealFrames, type RealFrame } from './real-frames.js';

const frames = loadRealFrames();

function decodeFrame(frame: RealFrame): SoopEvent[] {
  const events: SoopEvent[] = [];
  const errors: string[] = [];
  const framer = new PacketFramer();
  framer.push(frame.bytes, (p) => events.push(translatePacket(p)), (e) => errors.push(e.error));
  expect(errors, `line ${frame.lineNo}`).toEqual([]);
  expect(framer.pendingBytes).toBe(0);
  return events;
}

function only(frame: RealFrame): SoopEvent {
  const events = decodeFrame(frame);
  expect(events, `line ${frame.lineNo}: one packet per message`).toHaveLength(1);
  return events[0]!;
}

const byCode = (code: string, dir: 'in' | 'out' = 'in') => frames.filter((f) => f.code === code && f.dir === dir && !f.scrubbed);

describe('real frames (test/fixtures/soop-real/frames.jsonl)', () => {
  it('has all 186 lines', () => {
    expect(frames).toHaveLength(186);
  });

  it('every line frames to exactly one packet with its code and decodes without throwing', () => {
    for (const frame of frames) {
      const events: SoopEvent[] = [];
      new PacketFramer().push(frame.bytes, (p) => {
        expect(p.code).toBe(Number(frame.code));
        expect(p.returnCode).toBe(Number(frame.trailer));
        events.push(translatePacket(p));
      });
      expect(events, `line ${frame.lineNo}`).toHaveLength(1);
    }
  });

  it('0005 chats: text, sender id, nickname and flags as captured', () => {
    const chats = byCode('0005');
    expect(chats).toHaveLength(149);
    for (const frame of chats) {
      const e = frame.expect;
      const event = only(frame);
      if (event.kind !== 'chat') throw new Error(`line ${frame.lineNo}: expected a chat, got ${JSON.stringify(event)}`);
      expect(event.message, `line ${frame.lineNo}`).toBe(String(e['text']).replaceAll('\r', ''));
      expect(event.userId).toBe(e['sender_id']);
      expect(event.nickname).toBe(e['nickname']);
      expect(event.flags.raw).toBe(e['flags']);
      expect(event.roles).toBe(event.flags.roles);
      const months = Number(e.W['8']);
      expect(event.subscriptionMonths).toBe(months < 0 ? null : months);
      // S07's expected.json holds the same text and nickname, trimmed.
      const source = e['source_expected_json'] as { message: string; userName: string } | undefined;
      if (source) {
        expect(event.message.trim()).toBe(source.message);
        expect(event.nickname.trim()).toBe(source.userName);
      }
      // S09's test asserts the id without its "(n)" session suffix; we keep the raw id.
      const testUserId = e['source_test_userId'];
      if (typeof testUserId === 'string') expect(event.userId.replace(/\(\d+\)$/, '')).toBe(testUserId);
    }
  });

  it('0005 includes the legitimate text "1" and a nickname ending in "|"', () => {
    const events = byCode('0005').map(only);
    expect(events.filter((e) => e.kind === 'chat' && e.message === '1')).toHaveLength(4);
    expect(events.some((e) => e.kind === 'chat' && e.nickname.endsWith('|'))).toBe(true);
  });

  it('0018 star balloons: streamer, sender, nickname, count and uuid', () => {
    const balloons = byCode('0018');
    expect(balloons).toHaveLength(16);
    for (const frame of balloons) {
      const e = frame.expect;
      expect(only(frame), `line ${frame.lineNo}`).toMatchObject({
        kind: 'donation',
        type: 'star',
        streamerId: e['streamer'],
        userId: e['sender_id'],
        nickname: e['nickname'],
        count: Number(e['count']),
        uuid: e['uuid'],
        fanOrder: Number(e.W['5']),
      });
    }
  });

  it('0087 ad balloon', () => {
    const [frame] = byCode('0087');
    const e = frame!.expect;
    expect(only(frame!)).toMatchObject({
      kind: 'donation',
      type: 'ad',
      streamerId: e['streamer'],
      userId: e['sender_id'],
      nickname: e['nickname'],
      count: Number(e.W['10']),
      uuid: e['uuid'],
    });
  });

  it('0091 subscription: subscriber, item type and tier', () => {
    const [frame] = byCode('0091');
    const e = frame!.expect;
    expect(only(frame!)).toMatchObject({
      kind: 'subscription',
      type: 'new',
      userId: e['sender_id'],
      nickname: e['nickname'],
      itemType: Number(e.W['5']),
      tier: Number(e.W['8']),
      uuid: e['uuid'],
    });
  });

  it('0093 consecutive subscriptions: subscriber and month', () => {
    const subs = byCode('0093');
    expect(subs).toHaveLength(4);
    for (const frame of subs) {
      const e = frame.expect;
      expect(only(frame)).toMatchObject({
        kind: 'subscription',
        type: 'consecutive',
        userId: e['sender_id'],
        nickname: e['nickname'],
        months: Number(e.W['4']),
        tier: Number(e.W['8']),
        uuid: e['uuid'],
      });
    }
  });

  it('0002 join reply: chat number and streamer', () => {
    const [frame] = byCode('0002');
    expect(only(frame!)).toMatchObject({ kind: 'join', ok: true, chatNo: frame!.expect['chat_no'], streamerId: frame!.expect['streamer'] });
  });

  it('0001 replies: the anonymous login succeeds, the trailer-07 login is refused with its message', () => {
    const [ok, refused] = byCode('0001');
    expect(only(ok!)).toMatchObject({ kind: 'login', ok: true, returnCode: 0, userId: '' });
    expect(refused!.trailer).toBe('07');
    expect(only(refused!)).toMatchObject({ kind: 'login', ok: false, returnCode: 7, message: refused!.expect['error_text'] });
  });

  it('client packets (login, join, keepalive) decode too', () => {
    const out = frames.filter((f) => f.dir === 'out').map((f) => only(f).kind);
    expect(out.sort()).toEqual(['join', 'login', 'unknown']);
  });

  it('body-removed lines decode to membership, unknown or error values', () => {
    const scrubbed = frames.filter((f) => f.scrubbed);
    expect(scrubbed).toHaveLength(9);
    for (const frame of scrubbed) {
      const event = only(frame);
      expect(['membership', 'unknown', 'error'], `line ${frame.lineNo}`).toContain(event.kind);
      if (event.kind === 'error') expect(event.code).toBe(frame.code);
    }
  });
});
