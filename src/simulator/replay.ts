/**
 * Replays captured websocket messages (JSON lines with a `hex` field, like
 * test/fixtures/soop-real/frames.jsonl) to every client that joins a room, from the start.
 */
import { Buffer } from 'node:buffer';
import { sleep } from '../core/async.js';
import type { JoinedClient, SimulatedRoom } from './api.js';

export interface ReplayMessage {
  readonly bytes: Buffer;
  /** Wait before sending this message (already capped and scaled). */
  readonly delayMs: number;
}

export interface ReplayParseOptions {
  /** Longest wait between two messages (captures can hold long gaps); default 1000 ms. */
  readonly maxGapMs?: number;
  /** Divides every wait; default 1. */
  readonly speed?: number;
  /** Keep captured 0001/0002 replies (the simulator already answered the handshake); default false. */
  readonly keepHandshake?: boolean;
}

const HANDSHAKE_CODES = new Set(['0001', '0002']);

/** Parses replay lines; skips blank lines and `"dir":"out"` lines; throws on a malformed line, naming it. */
export function parseReplay(text: string, options: ReplayParseOptions = {}): ReplayMessage[] {
  const maxGapMs = options.maxGapMs ?? 1000;
  const speed = options.speed ?? 1;
  const messages: ReplayMessage[] = [];
  let previousT: number | undefined;
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw new Error(`Replay line ${index + 1} is not JSON.`);
    }
    if (typeof record !== 'object' || record === null) throw new Error(`Replay line ${index + 1} is not a JSON object.`);
    const fields = record as Record<string, unknown>;
    if (fields.dir === 'out') continue;
    const hex = fields.hex;
    if (typeof hex !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(hex)) {
      throw new Error(`Replay line ${index + 1} has no valid "hex" field.`);
    }
    const bytes = Buffer.from(hex, 'hex');
    const code = bytes.subarray(2, 6).toString('latin1');
    if (!options.keepHandshake && HANDSHAKE_CODES.has(code)) continue;
    const t = typeof fields.t_ms === 'number' ? fields.t_ms : undefined;
    const gap = t !== undefined && previousT !== undefined ? Math.min(Math.max(0, t - previousT), maxGapMs) : 0;
    if (t !== undefined) previousT = t;
    messages.push({ bytes, delayMs: gap / speed });
  }
  return messages;
}

async function playTo(client: JoinedClient, messages: readonly ReplayMessage[], signal: AbortSignal | undefined): Promise<void> {
  for (const message of messages) {
    if (message.delayMs > 0) await sleep(message.delayMs, signal);
    if (!client.open || signal?.aborted) return;
    client.send(message.bytes);
  }
}

/**
 * Plays `messages` to each client that joins `room` (each from the start). Returns a function
 * that stops replaying to new clients; aborting `signal` also stops replays in progress.
 */
export function startReplay(room: SimulatedRoom, messages: readonly ReplayMessage[], signal?: AbortSignal): () => void {
  return room.onJoin((client) => {
    playTo(client, messages, signal).catch(() => {});
  });
}
