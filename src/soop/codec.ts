/**
 * SOOP packet framing (pure): a 14-byte ASCII header `ESC TAB cccc llllll rr` followed by a
 * UTF-8 body whose length the header gives in bytes. One websocket message may hold several
 * packets, and a packet may be split across messages, so the framer is a small stream parser.
 * It never throws on bad bytes: problems are reported as values and counted.
 */
import { Buffer } from 'node:buffer';
import type { FramingError, RawPacket } from '../core/packet.js';

export const HEADER_BYTES = 14;
const ESC = 0x1b;
const TAB = 0x09;
const FIELD_SEPARATOR = '\f';
/** Larger than any real packet (the biggest seen are a few KiB); bounds reassembly memory. */
export const DEFAULT_MAX_PACKET_BYTES = 256 * 1024;

export interface FramerCounters {
  packets: number;
  skipped: number;
  errors: number;
  bytes: number;
}

export interface FramerOptions {
  /** Packets whose code this returns true for are dropped by their header, never decoded. */
  readonly skip?: (code: number) => boolean;
  readonly maxPacketBytes?: number;
}

export type PacketHandler = (packet: RawPacket) => void;
export type FramingErrorHandler = (error: FramingError) => void;

/** Reads `count` ASCII digits at `at`; -1 if any byte is not a digit. */
function readDigits(data: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = (data[i] as number) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

interface Header {
  code: number;
  length: number;
  returnCode: number;
}

/** Parses a header at `at` (caller guarantees 14 bytes), or returns an error text. */
function readHeader(data: Uint8Array, at: number): Header | string {
  if (data[at] !== ESC || data[at + 1] !== TAB) return 'packet does not start with ESC TAB';
  const code = readDigits(data, at + 2, 4);
  const length = readDigits(data, at + 6, 6);
  const returnCode = readDigits(data, at + 12, 2);
  if (code < 0 || length < 0 || returnCode < 0) return 'packet header has non-digit characters';
  return { code, length, returnCode };
}

function indexOfMagic(data: Uint8Array, from: number): number {
  for (let i = from; i < data.length - 1; i++) {
    if (data[i] === ESC && data[i + 1] === TAB) return i;
  }
  return -1;
}

export class PacketFramer {
  readonly counters: FramerCounters = { packets: 0, skipped: 0, errors: 0, bytes: 0 };
  private pending: Uint8Array | null = null;
  private readonly skip: ((code: number) => boolean) | undefined;
  private readonly maxPacketBytes: number;

  constructor(options: FramerOptions = {}) {
    this.skip = options.skip;
    this.maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  }

  /** Bytes held back waiting for the rest of a split packet. */
  get pendingBytes(): number {
    return this.pending?.length ?? 0;
  }

  /** Forgets any partial packet (call on a new connection). */
  reset(): void {
    this.pending = null;
  }

  /** Feeds one websocket message; calls `onPacket` for each complete packet, in order. */
  push(chunk: Uint8Array, onPacket: PacketHandler, onError: FramingErrorHandler = noop): void {
    this.counters.bytes += chunk.length;
    let data = chunk;
    if (this.pending) {
      if (chunk.length >= HEADER_BYTES && typeof readHeader(chunk, 0) !== 'string') {
        // A fresh packet starts this message, so the held-back one was cut short, not split.
        this.fail(onError, `truncated packet: ${this.pending.length} bytes never completed`);
      } else {
        data = Buffer.concat([this.pending, chunk]);
      }
      this.pending = null;
    }

    let pos = 0;
    // Hot loop: the header is read inline (no Header object) since most packets are skipped by it.
    while (data.length - pos >= HEADER_BYTES) {
      if (data[pos] !== ESC || data[pos + 1] !== TAB) {
        this.fail(onError, 'packet does not start with ESC TAB');
        pos = this.resync(data, pos + 1);
        continue;
      }
      const code = readDigits(data, pos + 2, 4);
      const length = readDigits(data, pos + 6, 6);
      const returnCode = readDigits(data, pos + 12, 2);
      if (code < 0 || length < 0 || returnCode < 0) {
        this.fail(onError, 'packet header has non-digit characters');
        pos = this.resync(data, pos + 1);
        continue;
      }
      if (length > this.maxPacketBytes) {
        this.fail(onError, `packet body of ${length} bytes exceeds the ${this.maxPacketBytes}-byte limit`, code);
        pos = this.resync(data, pos + 1);
        continue;
      }
      const end = pos + HEADER_BYTES + length;
      if (end > data.length) break;
      if (this.skip !== undefined && this.skip(code)) {
        this.counters.skipped++;
      } else {
        this.counters.packets++;
        onPacket({ code, returnCode, body: data.subarray(pos + HEADER_BYTES, end) });
      }
      pos = end;
    }
    if (pos < data.length) this.pending = Uint8Array.prototype.slice.call(data, pos);
  }

  private fail(onError: FramingErrorHandler, error: string, code?: number): void {
    this.counters.errors++;
    onError(code === undefined ? { kind: 'error', error } : { kind: 'error', error, code });
  }

  /** Next plausible packet start at or after `from`; keeps a lone trailing ESC for the next message. */
  private resync(data: Uint8Array, from: number): number {
    const next = indexOfMagic(data, from);
    if (next >= 0) return next;
    return data[data.length - 1] === ESC ? data.length - 1 : data.length;
  }
}

function noop(): void {}

/** Decodes a body to its fields in convention W: index 1 is the first field after the leading `\f`. */
export function splitFields(body: Uint8Array): string[] {
  return toText(body).split(FIELD_SEPARATOR);
}

export function toText(body: Uint8Array): string {
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // No argument: Buffer goes straight to its UTF-8 decoder (invalid bytes become U+FFFD).
  return buffer.toString();
}

/** Builds one packet: header with the body's UTF-8 byte length, then the body. */
export function encodePacket(code: number, body: string, returnCode = 0): Buffer {
  const bodyBytes = Buffer.from(body, 'utf8');
  const header =
    '\x1b\t' +
    code.toString().padStart(4, '0') +
    bodyBytes.length.toString().padStart(6, '0') +
    returnCode.toString().padStart(2, '0');
  return Buffer.concat([Buffer.from(header, 'latin1'), bodyBytes]);
}

/** Joins fields the way SOOP does: a leading and a trailing `\f`. */
export function joinFields(fields: readonly (string | number)[]): string {
  return FIELD_SEPARATOR + fields.join(FIELD_SEPARATOR) + FIELD_SEPARATOR;
}

/** Anonymous (or ticketed) login, `0001`. 16 is the guest flag every anonymous client sends. */
export function loginPacket(ticket = ''): Buffer {
  return encodePacket(1, joinFields([ticket, '', '16']));
}

/** Join the chat room, `0002`; a room password goes in the 4th field as `pwd\x11<password>\x12`. */
export function joinPacket(chatNo: string, options: { ftk?: string; password?: string } = {}): Buffer {
  if (options.password !== undefined) {
    return encodePacket(2, joinFields([chatNo, options.ftk ?? '', '0', '', `pwd\x11${options.password}\x12`]));
  }
  if (options.ftk !== undefined) return encodePacket(2, joinFields([chatNo, options.ftk, '0', '', '']));
  return encodePacket(2, joinFields([chatNo, '', '', '', '']));
}

/** Keepalive `0000`: a body of one `\f`. */
export function keepalivePacket(): Buffer {
  return encodePacket(0, FIELD_SEPARATOR);
}
