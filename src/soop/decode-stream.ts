/**
 * Captured SOOP traffic → decode records (pure; the `decode` CLI prints them as JSON lines).
 *
 * Input is either raw bytes of one connection, or JSON lines with a `hex` field holding one
 * websocket message each (the fixtures' format). The first non-space byte decides: `{` means
 * JSON lines. Successive lines are successive messages of one connection, so one PacketFramer
 * reads them all. Bad lines and bad bytes become error records; decoding goes on.
 */
import { Buffer } from 'node:buffer';
import type { SoopEvent } from '../core/events.js';
import { formatCode, type FramingError, type RawPacket } from '../core/packet.js';
import { describeError } from '../core/errors.js';
import { PacketFramer } from './codec.js';
import { translatePacket } from './translate.js';

/** One output line: `{code, kind, ...fields}`; errors are `{kind: 'error', error, code?}`. */
export interface DecodeRecord {
  readonly kind: string;
  readonly code?: string;
  readonly [field: string]: unknown;
}

export type RecordHandler = (record: DecodeRecord) => void;

const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** Drops undefined fields so records print and compare the same way. */
function compact(record: Record<string, unknown>): DecodeRecord {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record as DecodeRecord;
}

/** The stable, printable fields of an event. */
export function toRecord(event: SoopEvent): DecodeRecord {
  switch (event.kind) {
    case 'chat':
      return compact({
        code: event.code,
        kind: event.kind,
        message: event.message,
        userId: event.userId,
        nickname: event.nickname,
        roles: [...event.roles],
        subscriptionMonths: event.subscriptionMonths,
        variant: event.variant,
        emoticon: event.emoticon,
      });
    case 'donation':
      return compact({
        code: event.code,
        kind: event.kind,
        type: event.type,
        userId: event.userId,
        nickname: event.nickname,
        count: event.count,
        fanOrder: event.fanOrder,
        newTopFan: event.newTopFan,
        streamerId: event.streamerId,
        uuid: event.uuid,
      });
    case 'subscription':
      return compact({
        code: event.code,
        kind: event.kind,
        type: event.type,
        userId: event.userId,
        nickname: event.nickname,
        months: event.months,
        tier: event.tier,
        itemType: event.itemType,
        recipientId: event.recipientId,
        recipientNickname: event.recipientNickname,
        streamerId: event.streamerId,
        uuid: event.uuid,
      });
    case 'gift':
      return compact({
        code: event.code,
        kind: event.kind,
        type: event.type,
        userId: event.userId,
        nickname: event.nickname,
        recipientId: event.recipientId,
        recipientNickname: event.recipientNickname,
        streamerId: event.streamerId,
        count: event.count,
        itemType: event.itemType,
        item: event.item,
        relay: event.relay,
      });
    case 'mission':
      return compact({
        code: event.code,
        kind: event.kind,
        missionType: event.missionType,
        userId: event.userId,
        nickname: event.nickname,
        count: event.count,
        status: event.status,
        title: event.title,
        uuid: event.uuid,
      });
    case 'broadcastEnd':
      return { code: event.code, kind: event.kind };
    case 'streamerStatus':
      return { code: event.code, kind: event.kind, status: event.status };
    case 'notice':
      return { code: event.code, kind: event.kind, source: event.source, message: event.message };
    case 'userFlags':
      return compact({
        code: event.code,
        kind: event.kind,
        userId: event.userId,
        nickname: event.nickname,
        roles: [...event.roles],
        previousRoles: event.previousFlags ? [...event.previousFlags.roles] : undefined,
      });
    case 'login':
      return compact({ code: event.code, kind: event.kind, ok: event.ok, returnCode: event.returnCode, userId: event.userId, message: event.message });
    case 'join':
      return compact({
        code: event.code,
        kind: event.kind,
        ok: event.ok,
        returnCode: event.returnCode,
        chatNo: event.chatNo,
        streamerId: event.streamerId,
        message: event.message,
      });
    case 'membership':
      return { code: event.code, kind: event.kind, action: event.action, users: event.users };
    case 'unknown':
      return { code: event.code, kind: event.kind, returnCode: event.returnCode, fieldCount: event.fieldCount };
    case 'error':
      return errorRecord(event.error, event.code);
  }
}

function errorRecord(error: string, code?: string): DecodeRecord {
  return code === undefined ? { kind: 'error', error } : { kind: 'error', code, error };
}

type Mode = 'undecided' | 'raw' | 'jsonLines';

/** Streaming decoder: push chunks as they arrive, then end(). Records go to the handler in order. */
export class DecodeStream {
  private mode: Mode = 'undecided';
  private held: Uint8Array[] = [];
  private partialLine: Uint8Array[] = [];
  private lineNo = 0;
  private readonly framer = new PacketFramer();
  private readonly onPacket = (packet: RawPacket): void => this.emit(toRecord(translatePacket(packet)));
  private readonly onFramingError = (e: FramingError): void =>
    this.emit(errorRecord(this.mode === 'jsonLines' ? `line ${this.lineNo}: ${e.error}` : e.error, e.code === undefined ? undefined : formatCode(e.code)));

  private readonly emit: RecordHandler;

  constructor(emit: RecordHandler) {
    this.emit = emit;
  }

  push(chunk: Uint8Array): void {
    if (this.mode === 'undecided') {
      let i = 0;
      while (i < chunk.length && isSpace(chunk[i] as number)) i++;
      if (i === chunk.length) {
        this.held.push(chunk);
        return;
      }
      this.mode = chunk[i] === OPEN_BRACE ? 'jsonLines' : 'raw';
      const held = this.held;
      this.held = [];
      for (const h of held) this.feed(h);
    }
    this.feed(chunk);
  }

  /** Flushes a last line without a newline and reports a packet the input cut short. */
  end(): void {
    if (this.mode === 'jsonLines' && this.partialLine.length > 0) {
      const rest = Buffer.concat(this.partialLine);
      this.partialLine = [];
      this.line(rest);
    }
    const pending = this.framer.pendingBytes;
    if (pending > 0) {
      this.framer.reset();
      this.emit(errorRecord(`input ended inside a packet: ${pending} bytes never completed`));
    }
  }

  private feed(chunk: Uint8Array): void {
    if (this.mode === 'raw') {
      this.framer.push(chunk, this.onPacket, this.onFramingError);
      return;
    }
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      let line = chunk.subarray(start, nl);
      if (this.partialLine.length > 0) {
        line = Buffer.concat([...this.partialLine, line]);
        this.partialLine = [];
      }
      this.line(line);
      start = nl + 1;
    }
    if (start < chunk.length) this.partialLine.push(Uint8Array.prototype.slice.call(chunk, start));
  }

  private line(bytes: Uint8Array): void {
    this.lineNo++;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').trim();
    if (text === '') return;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      this.emit(errorRecord(`line ${this.lineNo}: not valid JSON (${describeError(err)})`));
      return;
    }
    const hex = typeof doc === 'object' && doc !== null ? (doc as { hex?: unknown }).hex : undefined;
    if (typeof hex !== 'string') {
      this.emit(errorRecord(`line ${this.lineNo}: no "hex" string field`));
      return;
    }
    if (!HEX.test(hex)) {
      this.emit(errorRecord(`line ${this.lineNo}: "hex" is not an even-length hexadecimal string`));
      return;
    }
    this.framer.push(Buffer.from(hex, 'hex'), this.onPacket, this.onFramingError);
  }
}

/** Decodes a whole input at once. */
export function decodeAll(input: Uint8Array): DecodeRecord[] {
  const records: DecodeRecord[] = [];
  const stream = new DecodeStream((r) => records.push(r));
  stream.push(input);
  stream.end();
  return records;
}
