import { afterEach, describe, expect, it, vi } from 'vitest';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePacket, joinFields } from '../../src/soop/codec.js';
import { DecodeStream, decodeAll, type DecodeRecord } from '../../src/soop/decode-stream.js';
import { main } from '../../src/cli/decode.js';
import { REAL_FRAMES_FILE } from './real-frames.js';
import { newCodeFrames } from './gift-frames.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const chat = encodePacket(5, joinFields(['안녕하세요', 'viewer01(2)', 0, 0, 3, '테스터|', '524304|163840', '-1', 'E07E0A']));
const balloon = encodePacket(18, joinFields(['testbj01', 'viewer03', '별풍테스터', 10, 0, 0, '4172', 10, 0, 0, '', 'uuid-3']));
const join = encodePacket(4, joinFields([1, 'a', '가', '16|0', 'b', '나', '16|0']));
const sub = encodePacket(93, joinFields(['testbj01', 'viewer07', '연속', 12, '4172', 201, 15, 2, 'uuid-7']));
const end = encodePacket(88, '');

const count = (records: DecodeRecord[], kind: string) => records.filter((r) => r.kind === kind).length;

describe('decode stream over the real fixtures (JSON lines)', () => {
  const records = decodeAll(readFileSync(REAL_FRAMES_FILE));

  it('gives one record per line, with no framing or JSON errors', () => {
    expect(records).toHaveLength(186);
    expect(records.filter((r) => r.kind === 'error' && !['0004', '0127', '0012'].includes(String(r.code)))).toEqual([]);
    expect(count(records, 'chat')).toBe(149);
    expect(count(records, 'donation')).toBe(17);
    expect(count(records, 'subscription')).toBe(5);
  });

  it('prints the stable fields of chats, donations and subscriptions', () => {
    const firstChat = records.find((r) => r.kind === 'chat')!;
    expect(Object.keys(firstChat)).toEqual(['code', 'kind', 'message', 'userId', 'nickname', 'roles', 'subscriptionMonths']);
    expect(firstChat).toMatchObject({ code: '0005', message: '지옥들어감', userId: 'loo3672(2)', nickname: '观众1', roles: ['fanClub', 'quickView', 'realName'] });
    expect(records.find((r) => r.code === '0087')).toMatchObject({ kind: 'donation', type: 'ad', userId: 'viewer001', nickname: '시청자1', count: 10 });
    expect(records.find((r) => r.code === '0093')).toMatchObject({ kind: 'subscription', type: 'consecutive', userId: 'viewer008', months: 33 });
    expect(records.find((r) => r.code === '0001' && r['ok'] === false)).toMatchObject({ returnCode: 7 });
  });
});

describe('decode stream over raw bytes', () => {
  const all = Buffer.concat([chat, balloon, join, sub, end]);
  const expected: DecodeRecord[] = [
    { code: '0005', kind: 'chat', message: '안녕하세요', userId: 'viewer01(2)', nickname: '테스터|', roles: ['quickView', 'guest'], subscriptionMonths: null },
    { code: '0018', kind: 'donation', type: 'star', userId: 'viewer03', nickname: '별풍테스터', count: 10, fanOrder: 0, newTopFan: false, streamerId: 'testbj01', uuid: 'uuid-3' },
    { code: '0004', kind: 'membership', action: 'join', users: 2 },
    { code: '0093', kind: 'subscription', type: 'consecutive', userId: 'viewer07', nickname: '연속', months: 12, tier: 2, itemType: 201, streamerId: 'testbj01', uuid: 'uuid-7' },
    { code: '0088', kind: 'broadcastEnd' },
  ];

  it('decodes several packets in one input', () => {
    expect(decodeAll(all)).toEqual(expected);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    for (let cut = 1; cut < all.length; cut += 7) {
      const records: DecodeRecord[] = [];
      const stream = new DecodeStream((r) => records.push(r));
      stream.push(all.subarray(0, cut));
      stream.push(all.subarray(cut));
      stream.end();
      expect(records).toEqual(expected);
    }
  });

  it('reports garbage and a packet the input cut short, and goes on', () => {
    const records = decodeAll(Buffer.concat([Buffer.from('garbage'), chat, end.subarray(0, 5)]));
    expect(records.map((r) => r.kind)).toEqual(['error', 'chat', 'error']);
    expect(records[2]).toEqual({ kind: 'error', error: 'input ended inside a packet: 5 bytes never completed' });
  });
});

describe('decode stream over JSON lines', () => {
  const line = (bytes: Buffer, extra: Record<string, unknown> = {}) => JSON.stringify({ ...extra, hex: bytes.toString('hex') });

  it('turns bad lines into error records and keeps decoding', () => {
    const input = ['  ', line(chat), '{oops', '{"nohex":1}', '{"hex":"abc"}', '{"hex":"zz"}', '', line(end, { dir: 'in' })].join('\n');
    const records = decodeAll(Buffer.from(`\n${input}`));
    expect(records.map((r) => r.kind)).toEqual(['chat', 'error', 'error', 'error', 'error', 'broadcastEnd']);
    expect(records[1]).toMatchObject({ error: expect.stringMatching(/^line 4: not valid JSON/) });
    expect(records[2]).toMatchObject({ error: 'line 5: no "hex" string field' });
    expect(records[3]).toMatchObject({ error: expect.stringMatching(/^line 6: "hex" is not/) });
  });

  it('uses one framer across lines: a packet split over two lines decodes once', () => {
    const input = `${line(chat.subarray(0, 20))}\n${line(chat.subarray(20))}\n${line(end)}`;
    expect(decodeAll(Buffer.from(input)).map((r) => r.kind)).toEqual(['chat', 'broadcastEnd']);
  });

  it('handles lines cut across chunks and a last line without a newline', () => {
    const input = Buffer.from(`${line(chat)}\n${line(balloon)}`);
    const records: DecodeRecord[] = [];
    const stream = new DecodeStream((r) => records.push(r));
    for (let i = 0; i < input.length; i += 13) stream.push(input.subarray(i, i + 13));
    stream.end();
    expect(records.map((r) => r.code)).toEqual(['0005', '0018']);
  });

  it('names the line of a framing error', () => {
    const records = decodeAll(Buffer.from(line(Buffer.from('not a packet at all'))));
    expect(records[0]).toMatchObject({ kind: 'error', error: expect.stringMatching(/^line 1: /) });
  });
});

describe('decode CLI', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints one JSON object per packet of the fixtures file and exits 0', async () => {
    const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve, reject) => {
      execFile('npx', ['tsx', 'src/cli.ts', 'decode', REAL_FRAMES_FILE], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }, (err, out) => {
        if (err && typeof err.code !== 'number') reject(err);
        else resolve({ stdout: out, code: err ? (err.code as number) : 0 });
      });
    });
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(186);
    const records = lines.map((l) => JSON.parse(l) as DecodeRecord);
    expect(records.filter((r) => r.kind === 'chat')).toHaveLength(149);
    expect(records[3]).toEqual({ code: '0002', kind: 'join', ok: true, returnCode: 0, chatNo: '4172', streamerId: 'khm11903' });
  }, 30_000);

  it('prints every newly decoded gift and chat code with its fields', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'decode-gifts-'));
    try {
      const file = path.join(dir, 'gifts.jsonl');
      const lines = newCodeFrames.map(([code, fields]) => JSON.stringify({ hex: encodePacket(code, joinFields(fields)).toString('hex') }));
      writeFileSync(file, `${lines.join('\n')}\n`);
      let out = '';
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        out += String(chunk);
        return true;
      });
      expect(await main([file])).toBe(0);
      vi.restoreAllMocks();
      const records = out.trimEnd().split('\n').map((l) => JSON.parse(l) as DecodeRecord);
      expect(records.map((r) => `${String(r.code)} ${r.kind}`)).toEqual([
        '0033 donation', '0103 donation', '0109 chat', '0026 chat', '0020 gift', '0034 gift',
        '0037 gift', '0038 gift', '0045 gift', '0118 gift', '0120 gift',
      ]);
      expect(records[0]).toEqual({
        code: '0033', kind: 'donation', type: 'relayStar', userId: 'viewer31', nickname: '릴레이후원', count: 50, fanOrder: 321,
        newTopFan: true, streamerId: 'testbj01', uuid: '00000000-0000-4000-8000-000000000033',
      });
      expect(records[1]).toEqual({
        code: '0103', kind: 'donation', type: 'vodAd', userId: 'viewer32', nickname: 'VOD애드', count: 300, fanOrder: 0, newTopFan: false,
        streamerId: 'testbj01',
      });
      expect(records[2]).toEqual({
        code: '0109', kind: 'chat', message: '대박 이모티콘', userId: 'viewer33', nickname: '이모티콘러', roles: ['manager', 'fanClub'],
        subscriptionMonths: 4, variant: 'emoticon', emoticon: { groupId: 'ogq-group-1', subId: 'ogq-item-7' },
      });
      expect(records[3]).toEqual({
        code: '0026', kind: 'chat', message: '대박 공지 확인해주세요', userId: 'manager01', nickname: '매니저', roles: ['manager', 'fanClub'],
        subscriptionMonths: null, variant: 'manager',
      });
      expect(records[4]).toEqual({
        code: '0020', kind: 'gift', type: 'sticker', userId: 'viewer40', nickname: '스티커', streamerId: 'testbj01', count: 10, itemType: 1,
      });
      expect(records[5]).toMatchObject({ code: '0034', type: 'sticker', count: 20, relay: true });
      expect(records[6]).toEqual({ code: '0037', kind: 'gift', type: 'chocolate', userId: 'viewer42', nickname: '초콜릿', streamerId: 'testbj01', count: 5 });
      expect(records[7]).toMatchObject({ code: '0038', type: 'chocolate', count: 6, relay: true });
      expect(records[8]).toEqual({
        code: '0045', kind: 'gift', type: 'quickView', userId: 'viewer44', nickname: '퀵뷰', recipientId: 'viewer45', recipientNickname: '받은이', itemType: 101,
      });
      expect(records[9]).toEqual({
        code: '0118', kind: 'gift', type: 'ogqEmoticon', userId: 'viewer46', nickname: '선물러', recipientId: 'viewer47', recipientNickname: '받은이', item: '웃는 곰',
      });
      expect(records[10]).toEqual({ code: '0120', kind: 'gift', type: 'gemItem', recipientId: 'viewer48', recipientNickname: '받은이', item: '젬 아이템' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with a clear message when the file cannot be read', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main([path.join(repoRoot, 'no-such-capture.jsonl')])).toBe(1);
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(/^decode: cannot read ".*no-such-capture\.jsonl": ENOENT/);
  });
});
