import { describe, expect, it } from 'vitest';
import { StateLines } from '../../src/engine/state-lines.js';
import type { EngineStatus } from '../../src/engine/streamer-engine.js';

let clock = 1_000_000;
function status(state: EngineStatus['state'], extra: Partial<EngineStatus> = {}): EngineStatus {
  clock += 100;
  return {
    streamerId: 'simbj01',
    state,
    since: clock,
    broadcastNo: undefined,
    title: undefined,
    restrictedReason: undefined,
    lastError: undefined,
    lastChatAt: undefined,
    lastDonationAt: undefined,
    reconnects: 0,
    shed: { noise: 0, chat: 0 },
    queueDepth: 0,
    queuePeak: 0,
    packets: 0,
    decodeErrors: 0,
    unknownPackets: 0,
    ...extra,
  } as EngineStatus;
}

const unreachable = (retryInMs: number) =>
  status('reconnecting', { cause: 'unreachable', retryInMs, lastError: 'liveInfoFailed: fetch failed: connect ECONNREFUSED 127.0.0.1:9' });

function lines(locale: 'ko' | 'en', statuses: EngineStatus[]): string[] {
  const renderer = new StateLines(locale);
  return statuses.map((s) => renderer.next(s)?.text).filter((t): t is string => t !== undefined);
}

describe('engine state lines', () => {
  it('says once that SOOP cannot be reached and when it tries again, not once per retry', () => {
    const seen = lines('ko', [status('checking'), unreachable(12_000), status('checking'), unreachable(24_000), status('checking'), unreachable(48_000)]);
    expect(seen).toEqual(['simbj01: SOOP에 연결할 수 없음 — 12초 후 다시 시도']);
    expect(lines('en', [status('checking'), unreachable(1500), status('checking'), unreachable(3000)])).toEqual(['simbj01: cannot reach SOOP — retrying in 1.5 s']);
  });

  it('never talks of a session that never began; says so when the chat connects, with the title', () => {
    expect(
      lines('en', [status('checking'), unreachable(900), status('checking'), status('connecting'), status('joined', { broadcastNo: '1', title: '노래 방송' })]),
    ).toEqual(['simbj01: cannot reach SOOP — retrying in 0.9 s', 'simbj01: connected to the chat — live: 노래 방송']);
  });

  it('a quick reconnect after a drop is one line with the gap; a drop into trouble says the trouble', () => {
    const renderer = new StateLines('ko');
    const live = status('joined', { broadcastNo: '1', title: 't' });
    expect(renderer.next(live)?.text).toBe('simbj01: 채팅에 연결됨 — 방송 중: t');
    const dropped = status('reconnecting', { cause: 'dropped', retryInMs: 0, lastError: 'socketClosed: closed by the server (code 1006)' });
    expect(renderer.next(dropped)).toBeUndefined();
    expect(renderer.next(status('checking'))).toBeUndefined();
    expect(renderer.next(status('connecting'))).toBeUndefined();
    const back = status('joined', { broadcastNo: '1', title: 't' });
    const line = renderer.next(back);
    expect(line?.text).toBe('simbj01: 채팅에 다시 연결됨 (0.3초 끊김)');
    expect(line?.fields).toMatchObject({ streamer: 'simbj01', state: 'joined', situation: 'live', gapMs: back.since - dropped.since });

    expect(renderer.next(status('reconnecting', { cause: 'dropped', retryInMs: 0 }))).toBeUndefined();
    expect(renderer.next(status('checking'))).toBeUndefined();
    expect(renderer.next(unreachable(800))?.text).toBe('simbj01: SOOP에 연결할 수 없음 — 0.8초 후 다시 시도');
  });

  it('names offline, ended, restricted, refused and stopped, each once', () => {
    expect(
      lines('en', [
        status('checking'),
        status('offline'),
        status('checking'),
        status('offline'),
        status('restricted', { restrictedReason: 'adult' }),
        status('checking'),
        status('restricted', { restrictedReason: 'adult' }),
        status('reconnecting', { cause: 'refused', retryInMs: 10_000 }),
        status('joined', { broadcastNo: '2', title: '' }),
        status('ended', { broadcastNo: '2' }),
        status('checking'),
        status('ended', { broadcastNo: '2' }),
        status('checking'),
        status('offline'),
        status('stopped'),
      ]),
    ).toEqual([
      'simbj01: not live — watching for the stream to start',
      "simbj01: 19+ stream — its chat cannot be read without a login; checking again later",
      'simbj01: SOOP refused the chat connection — retrying in 10 s',
      'simbj01: connected to the chat — live',
      'simbj01: the stream ended — waiting for the next one',
      'simbj01: stopped watching',
    ]);
  });

  it('keeps the structured fields for machines', () => {
    const line = new StateLines('en').next(unreachable(12_000));
    expect(line?.fields).toEqual({
      streamer: 'simbj01',
      state: 'reconnecting',
      situation: 'unreachable',
      reason: 'liveInfoFailed: fetch failed: connect ECONNREFUSED 127.0.0.1:9',
      retryInMs: 12_000,
    });
  });
});
