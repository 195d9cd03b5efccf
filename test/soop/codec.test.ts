import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import { PacketFramer, encodePacket, joinPacket, keepalivePacket, loginPacket, splitFields } from '../../src/soop/codec.js';
import type { FramingError, RawPacket } from '../../src/core/packet.js';

function frame(framer: PacketFramer, ...chunks: Buffer[]): { packets: RawPacket[]; errors: FramingError[] } {
  const packets: RawPacket[] = [];
  const errors: FramingError[] = [];
  for (const c of chunks) framer.push(c, (p) => packets.push({ ...p, body: Buffer.from(p.body) }), (e) => errors.push(e));
  return { packets, errors };
}

describe('client packets', () => {
  it('encodes login, join and keepalive exactly as the protocol reference shows', () => {
    expect(loginPacket().toString('latin1')).toBe('\x1b\t000100000600\x0c\x0c\x0c16\x0c');
    expect(joinPacket('4172').toString('latin1')).toBe('\x1b\t000200001000\x0c4172\x0c\x0c\x0c\x0c\x0c');
    expect(keepalivePacket().toString('latin1')).toBe('\x1b\t000000000100\x0c');
  });

  it('counts the body length in UTF-8 bytes', () => {
    const p = encodePacket(1, '\x0c시스템 에러가 발생 했습니다. (중복 세션)\x0c', 7);
    expect(p.subarray(0, 14).toString('latin1')).toBe('\x1b\t000100005807');
  });
});

describe('PacketFramer', () => {
  const chat = encodePacket(5, '\x0c안녕\x0cviewer01\x0c0\x0c0\x0c3\x0c테스터\x0c16|0\x0c');
  const end = encodePacket(88, '');

  it('splits several packets in one message', () => {
    const { packets, errors } = frame(new PacketFramer(), Buffer.concat([chat, end, chat]));
    expect(errors).toEqual([]);
    expect(packets.map((p) => p.code)).toEqual([5, 88, 5]);
    expect(splitFields(packets[0]!.body)[1]).toBe('안녕');
  });

  it('reassembles a packet split across messages, even inside a multi-byte character', () => {
    const all = Buffer.concat([chat, end]);
    for (let cut = 1; cut < all.length; cut++) {
      const framer = new PacketFramer();
      const { packets, errors } = frame(framer, all.subarray(0, cut), all.subarray(cut));
      expect(errors).toEqual([]);
      expect(packets.map((p) => p.code)).toEqual([5, 88]);
      expect(splitFields(packets[0]!.body)[6]).toBe('테스터');
      expect(framer.pendingBytes).toBe(0);
    }
  });

  it('keeps the trailer as a return code', () => {
    const { packets } = frame(new PacketFramer(), encodePacket(1, '\x0c중복 세션\x0c', 7));
    expect(packets[0]?.returnCode).toBe(7);
  });

  it('skips packets by header without decoding them, and counts them', () => {
    const framer = new PacketFramer({ skip: (c) => c === 4 });
    const { packets } = frame(framer, Buffer.concat([encodePacket(4, '\x0c1\x0ca\x0cb\x0c'), chat]));
    expect(packets.map((p) => p.code)).toEqual([5]);
    expect(framer.counters.skipped).toBe(1);
  });

  it('reports garbage as an error value, resynchronises and goes on', () => {
    const framer = new PacketFramer();
    const { packets, errors } = frame(framer, Buffer.concat([Buffer.from('garbage!'), chat]), Buffer.from('\x1b\t00x5'));
    expect(packets.map((p) => p.code)).toEqual([5]);
    expect(errors.length).toBeGreaterThan(0);
    expect(framer.counters.errors).toBe(errors.length);
  });

  it('drops a truncated packet when the next message starts a fresh one', () => {
    const framer = new PacketFramer();
    const { packets, errors } = frame(framer, chat.subarray(0, 20), end);
    expect(packets.map((p) => p.code)).toEqual([88]);
    expect(errors[0]?.error).toMatch(/truncated/);
  });

  it('refuses absurd lengths instead of buffering forever', () => {
    const framer = new PacketFramer({ maxPacketBytes: 1000 });
    const { errors } = frame(framer, Buffer.from('\x1b\t000599999900'), chat);
    expect(errors[0]?.error).toMatch(/exceeds/);
    expect(framer.pendingBytes).toBe(0);
  });
});
