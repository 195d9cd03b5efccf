/**
 * Decode throughput on one core: websocket messages of 4–8 packets in the mix of a busy room
 * (≈35% 0004, 30% 0127, 25% chat, 2% gifts, the rest 0012/0007/0104/0058), Korean text.
 *
 * - decode.skipMembership.pps: PacketFramer skips 0004/0127 by header; the rest is translated.
 *   Counted over ALL packets, skipped ones included. Target ≥ 2,000,000 packets/s.
 * - decode.full.pps: every packet framed and translated to a typed event. Target ≥ 800,000.
 */
import { Buffer } from 'node:buffer';
import { PacketFramer, encodePacket, joinFields } from '../src/soop/codec.js';
import { translatePacket } from '../src/soop/translate.js';
import { isMembershipCode, type RawPacket } from '../src/core/packet.js';
import { measureRate, report } from './report.js';
import { seededRandom } from '../src/simulator/traffic.js';

/**
 * ≈ 3,000 packets, ≈ 0.7 MB: a live decoder reads each message right after the socket wrote it,
 * so it is in cache; a multi-megabyte replay set would measure cache misses instead.
 */
const MESSAGES = 500;
const MEASURE_MS = 3_000;

const prng = seededRandom;

const rand = prng(20260927);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const int = (min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));

const WORDS = ['안녕하세요', 'ㅋㅋㅋㅋ', '지옥들어감', '제이팝', '노스킵', '진짜야', '고문중', '128강', '월드컵', '벌칙이잖아', '1', '-1', '😂', 'ㅠㅠ', '오늘', '방송', '최고'];
const NICKS = ['观众1', '시청자', '구독자테스터', '닉|네임|', 'R4:', 'eegi=', '별풍요정', '팬클럽', 'L_LDGFZ', '열혈팬'];
const FLAGS = ['16|0', '524304|163840', '65568|163840', '589856|163840', '805912608|557056', '536952832|32768', '16|16384', '720928|163840', '268501024|163840', '1114144|163840', '98336|425984', '536936480|294912'];

const userId = (): string => `user${int(1, 99_999)}${rand() < 0.2 ? `(${int(2, 12)})` : ''}`;
const text = (): string => Array.from({ length: int(1, 6) }, () => pick(WORDS)).join(' ');
const uuid = (): string => `00000000-0000-4000-8000-${String(int(0, 999_999_999)).padStart(12, '0')}`;
/** Mostly small batches, sometimes up to the 40 users seen in real join batches. */
const batchSize = (): number => 1 + Math.floor(rand() ** 2 * 40);

function membershipJoinOrLeave(): Buffer {
  if (rand() < 0.55) return encodePacket(4, joinFields(['-1', userId(), pick(NICKS), 1, -1, '65568|33554432']));
  const fields: string[] = ['1'];
  for (let i = batchSize(); i > 0; i--) fields.push(userId(), pick(NICKS), pick(FLAGS));
  return encodePacket(4, joinFields(fields));
}

function userMeta(): Buffer {
  const fields: string[] = [];
  for (let i = batchSize(); i > 0; i--) fields.push(userId(), rand() < 0.7 ? 'fw=-1&afw=-1' : `p=&fw=${int(1, 48)}&afw=${int(1, 70)}`);
  return encodePacket(127, joinFields(fields));
}

function chat(): Buffer {
  const months = rand() < 0.3 ? int(1, 48) : -1;
  return encodePacket(5, joinFields([text(), userId(), 0, 0, 3, pick(NICKS), pick(FLAGS), months, 'E07E0A', 'D39750', months, -1, '', -1]));
}

function gift(): Buffer {
  switch (int(0, 3)) {
    case 0:
      return encodePacket(18, joinFields(['testbj01', userId(), pick(NICKS), pick([10, 19, 33, 100]), 0, 0, '4172', 10, 0, 0, 'kor_custom07', uuid(), 'ko_KR', 1774343693]));
    case 1:
      return encodePacket(87, joinFields(['4172', 'testbj01', userId(), pick(NICKS), '애드벌룬 10개 선물!', '애드벌룬 10개를 선물했습니다!', '', 'https://res.sooplive.com/a.png', 'https://res.sooplive.com/b.png', 10, 0, 0, 0, 0, 'google_tts', uuid(), 'ko_KR', 1774297996]));
    case 2:
      return encodePacket(105, joinFields(['4172', 'testbj01', userId(), pick(NICKS), 30, 0, 0, 0, 0, '', '', '', 'file', 0, 'ab'.repeat(16)]));
    default:
      return encodePacket(91, joinFields(['4172', 'testbj01', userId(), pick(NICKS), 101, 1, 1, 1, uuid(), 'ko_KR', 1774333907]));
  }
}

function misc(): Buffer {
  switch (int(0, 3)) {
    case 0:
      return encodePacket(12, joinFields([pick(FLAGS), userId(), pick(NICKS), '', '', pick(FLAGS)]));
    case 1:
      return encodePacket(7, joinFields([int(0, 1)]));
    case 2:
      return encodePacket(104, joinFields(['', 1, '', '오늘 방송은 10시까지입니다']));
    default:
      return encodePacket(58, joinFields(['테스트 방송이 실시간 핫이슈에 선정되었습니다.', 0]));
  }
}

function packet(): Buffer {
  const r = rand();
  if (r < 0.35) return membershipJoinOrLeave();
  if (r < 0.65) return userMeta();
  if (r < 0.9) return chat();
  if (r < 0.92) return gift();
  return misc();
}

function buildMessages(): { messages: Buffer[]; packets: number; bytes: number } {
  const messages: Buffer[] = [];
  let packets = 0;
  for (let m = 0; m < MESSAGES; m++) {
    const n = int(4, 8);
    packets += n;
    messages.push(Buffer.concat(Array.from({ length: n }, packet)));
  }
  return { messages, packets, bytes: messages.reduce((sum, m) => sum + m.length, 0) };
}

export async function run(): Promise<void> {
  const { messages, packets } = buildMessages();
  let sink = 0;
  const onPacket = (p: RawPacket): void => {
    sink += translatePacket(p).kind.length;
  };

  const skipping = new PacketFramer({ skip: isMembershipCode });
  const skipRate = measureRate(MEASURE_MS, () => {
    for (const message of messages) skipping.push(message, onPacket);
    return packets;
  });
  report({ bench: 'decode', metric: 'decode.skipMembership.pps', value: skipRate, unit: 'packets/s' });

  const full = new PacketFramer();
  const fullRate = measureRate(MEASURE_MS, () => {
    for (const message of messages) full.push(message, onPacket);
    return packets;
  });
  report({ bench: 'decode', metric: 'decode.full.pps', value: fullRate, unit: 'packets/s' });

  if (sink === 0 || skipping.counters.errors + full.counters.errors > 0) throw new Error('decode bench decoded nothing or hit framing errors');
}
