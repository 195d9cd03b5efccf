/**
 * Property/fuzz tests: random bytes, truncated and mutated real frames and random-field packets,
 * pushed through PacketFramer + translatePacket. Seeded, bounded iterations: reproducible, no hangs.
 */
import { describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import v8 from 'node:v8';
import vm from 'node:vm';
import { HEADER_BYTES, PacketFramer, encodePacket, joinFields } from '../../src/soop/codec.js';
import { translatePacket } from '../../src/soop/translate.js';
import { toRecord } from '../../src/soop/decode-stream.js';
import type { SoopEvent } from '../../src/core/events.js';
import type { RawPacket } from '../../src/core/packet.js';
import { loadRealFrames } from './real-frames.js';
import { seededRandom } from '../../src/simulator/traffic.js';

const prng = seededRandom;

const KINDS = new Set([
  'chat', 'donation', 'subscription', 'gift', 'mission', 'broadcastEnd', 'streamerStatus', 'notice',
  'userFlags', 'login', 'join', 'membership', 'unknown', 'error',
]);
const KNOWN_CODES = [0, 1, 2, 4, 5, 7, 12, 18, 20, 26, 33, 34, 37, 38, 45, 58, 86, 87, 88, 91, 93, 103, 104, 105, 107, 108, 109, 118, 120, 121, 125, 127, 9999];
const MAX_PACKET = 4096;
const realFrames = loadRealFrames().map((f) => f.bytes);

function checkEvent(event: SoopEvent): void {
  if (!KINDS.has(event.kind)) throw new Error(`unexpected kind ${event.kind}`);
  if (event.kind === 'error' && (typeof event.error !== 'string' || event.error === '')) throw new Error('error event without a message');
  JSON.stringify(toRecord(event));
}

/** Pushes chunks through one framer; every packet is translated and checked. Returns packets seen. */
function run(framer: PacketFramer, chunks: Iterable<Uint8Array>): number {
  let packets = 0;
  const onPacket = (p: RawPacket): void => {
    packets++;
    checkEvent(translatePacket(p));
  };
  for (const chunk of chunks) {
    framer.push(chunk, onPacket, (e) => expect(typeof e.error).toBe('string'));
    if (framer.pendingBytes > HEADER_BYTES + MAX_PACKET) throw new Error(`pending grew to ${framer.pendingBytes}`);
  }
  return packets;
}

function randomBytes(rand: () => number, length: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

const ALPHABET = ['\x0c', '|', '1', '-1', '0', '16|0', '{', '}', '"', '한', '글', 'a', '(2)', '\r', '\ud83d\ude00', '[', ']', ',', ' '];

function randomField(rand: () => number): string {
  let s = '';
  const n = Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

function randomPacket(rand: () => number): Buffer {
  const code = KNOWN_CODES[Math.floor(rand() * KNOWN_CODES.length)]!;
  const fields = Array.from({ length: Math.floor(rand() * 20) }, () => randomField(rand));
  if ((code === 121 || code === 125) && rand() < 0.5) {
    fields[0] = JSON.stringify(
      rand() < 0.5
        ? { type: ['GIFT', 'CHALLENGE_GIFT', 'NOTICE', 'SETTLE', 'X'][Math.floor(rand() * 5)], gift_count: randomField(rand), user_id: 1 }
        : { list: [[randomField(rand), null, rand() < 0.5 ? 3 : '7'], 'x', null] },
    );
  }
  return encodePacket(code, rand() < 0.8 ? joinFields(fields) : fields.join(''), Math.floor(rand() * 100));
}

function mutate(rand: () => number, bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const flips = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < flips; i++) copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
  return copy;
}

describe('fuzz: PacketFramer + translatePacket never throw', () => {
  it('random bytes, with and without plausible headers', () => {
    const rand = prng(1);
    const framer = new PacketFramer({ maxPacketBytes: MAX_PACKET });
    const chunks = function* (): Generator<Uint8Array> {
      for (let i = 0; i < 5_000; i++) {
        const junk = randomBytes(rand, Math.floor(rand() * 200));
        if (rand() < 0.5) {
          const header = Buffer.from(`\x1b\t${String(Math.floor(rand() * 200)).padStart(4, '0')}${String(Math.floor(rand() * 300)).padStart(6, '0')}00`, 'latin1');
          yield Buffer.concat([header, junk]);
        } else {
          yield junk;
        }
      }
    };
    expect(() => run(framer, chunks())).not.toThrow();
    expect(framer.counters.errors).toBeGreaterThan(0);
  });

  it('random fields for every known code, framed correctly', () => {
    const rand = prng(2);
    const framer = new PacketFramer({ maxPacketBytes: MAX_PACKET });
    const packets = Array.from({ length: 5_000 }, () => randomPacket(rand));
    expect(run(framer, packets)).toBe(5_000);
    expect(framer.counters.errors).toBe(0);
  });

  it('truncated real frames, alone and followed by a good one', () => {
    const rand = prng(3);
    const framer = new PacketFramer({ maxPacketBytes: MAX_PACKET });
    const chunks: Uint8Array[] = [];
    for (const frame of realFrames) {
      for (let k = 0; k < 5; k++) {
        chunks.push(frame.subarray(0, Math.floor(rand() * frame.length)));
        if (rand() < 0.5) chunks.push(realFrames[Math.floor(rand() * realFrames.length)]!);
      }
    }
    expect(() => run(framer, chunks)).not.toThrow();
  });

  it('byte-mutated real frames', () => {
    const rand = prng(4);
    const framer = new PacketFramer({ maxPacketBytes: MAX_PACKET });
    const chunks = Array.from({ length: 10_000 }, () => mutate(rand, realFrames[Math.floor(rand() * realFrames.length)]!));
    expect(() => run(framer, chunks)).not.toThrow();
    expect(framer.counters.packets).toBeGreaterThan(0);
  });

  it('real frames concatenated and re-cut at random offsets decode to the same events', () => {
    const rand = prng(5);
    const stream = Buffer.concat(realFrames);
    const expected: string[] = [];
    new PacketFramer().push(stream, (p) => expected.push(JSON.stringify(translatePacket(p))));
    expect(expected).toHaveLength(realFrames.length);

    const got: string[] = [];
    const framer = new PacketFramer();
    for (let pos = 0; pos < stream.length; ) {
      const next = Math.min(stream.length, pos + 1 + Math.floor(rand() * 300));
      framer.push(stream.subarray(pos, next), (p) => got.push(JSON.stringify(translatePacket(p))));
      pos = next;
    }
    expect(got).toEqual(expected);
    expect(framer.pendingBytes).toBe(0);
  });

  it('50k mixed iterations: pending bytes stay bounded and the heap does not keep growing', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const rand = prng(6);
    const framer = new PacketFramer({ maxPacketBytes: MAX_PACKET });
    const chunk = (): Uint8Array => {
      const r = rand();
      if (r < 0.3) return randomPacket(rand);
      if (r < 0.6) return mutate(rand, realFrames[Math.floor(rand() * realFrames.length)]!);
      if (r < 0.8) {
        const f = realFrames[Math.floor(rand() * realFrames.length)]!;
        return f.subarray(0, Math.floor(rand() * f.length));
      }
      return randomBytes(rand, Math.floor(rand() * 64));
    };
    const rounds = (n: number): void => {
      for (let i = 0; i < n; i++) run(framer, [chunk()]);
    };
    rounds(10_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    rounds(40_000);
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    expect(framer.pendingBytes).toBeLessThanOrEqual(HEADER_BYTES + MAX_PACKET);
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  });
});
