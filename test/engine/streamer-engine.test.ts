import { describe, expect, it, vi } from 'vitest';
import { StreamerEngine } from '../../src/engine/streamer-engine.js';
import { createMemoryLedger } from '../../src/engine/ledger.js';
import type { SoopEvent, StreamerEvent } from '../../src/core/events.js';
import type { RawPacket } from '../../src/core/packet.js';
import { ScriptedSource } from './scripted-source.js';

/** A stand-in translation: the body text becomes a chat message (the real one is tested in test/soop). */
function fakeTranslate(p: RawPacket): SoopEvent {
  const code = p.code.toString().padStart(4, '0');
  if (p.code === 18) return { kind: 'donation', code, type: 'star', userId: 'u', nickname: 'n', count: Number(Buffer.from(p.body).toString()), fanOrder: 0, newTopFan: false };
  if (p.code === 88) return { kind: 'broadcastEnd', code };
  if (p.code === 4) return { kind: 'membership', code, action: 'join', users: 1 };
  return { kind: 'chat', code, message: Buffer.from(p.body).toString(), userId: 'u', nickname: 'n', roles: [], flags: { raw: '', flag1: 0, flag2: 0, roles: [], subscriberTier: 0 }, subscriptionMonths: null };
}

function setup(options: { capacity?: number; onEvent?: (e: StreamerEvent) => void | Promise<void> } = {}) {
  const source = new ScriptedSource();
  const events: StreamerEvent[] = [];
  const ledger = createMemoryLedger();
  const engine = new StreamerEngine({
    streamerId: 'bj1',
    source,
    translate: fakeTranslate,
    onEvent: options.onEvent ?? ((e) => void events.push(e)),
    ledger,
    queueCapacity: options.capacity ?? 100,
    workers: 3,
  });
  engine.start();
  return { source, events, engine, ledger };
}

const joined = (bno: string) => ({ state: 'joined', broadcastNo: bno, chatNo: '1', title: 't', streamerNickname: 'BJ' }) as const;

describe('StreamerEngine', () => {
  it('delivers events in SOOP order with increasing seq although three workers run', async () => {
    const { source, events, engine } = setup({ capacity: 1000 });
    source.state(joined('100'));
    for (let i = 0; i < 500; i++) source.packet(5, `m${i}`);
    await vi.waitFor(() => expect(events.length).toBe(501));
    const chats = events.filter((e) => e.event.kind === 'chat').map((e) => (e.event.kind === 'chat' ? e.event.message : ''));
    expect(chats).toEqual(Array.from({ length: 500 }, (_, i) => `m${i}`));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]?.event).toMatchObject({ kind: 'live', broadcastNo: '100' });
    await engine.stop();
  });

  it('keeps the order even when the router is asynchronous', async () => {
    const seen: string[] = [];
    const { source, engine } = setup({
      onEvent: async (e) => {
        if (e.event.kind === 'chat') seen.push(e.event.message);
        await new Promise((r) => setTimeout(r, Math.random() * 2));
      },
    });
    for (let i = 0; i < 60; i++) source.packet(5, `m${i}`);
    await vi.waitFor(() => expect(seen.length).toBe(60));
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => `m${i}`));
    await engine.stop();
  });

  it('announces a broadcast once, even when the socket flaps, and offline once', async () => {
    const { source, events, engine } = setup();
    source.state(joined('100'));
    source.state({ state: 'reconnecting', reason: 'socket closed', delayMs: 10 });
    source.state({ state: 'connecting', broadcastNo: '100', attempt: 1 });
    source.state(joined('100'));
    source.packet(88);
    source.state({ state: 'ended', broadcastNo: '100' });
    source.state({ state: 'offline' });
    await vi.waitFor(() => expect(events.some((e) => e.event.kind === 'offline')).toBe(true));
    const kinds = events.map((e) => e.event.kind);
    expect(kinds.filter((k) => k === 'live')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'offline')).toHaveLength(1);
    expect(kinds.indexOf('broadcastEnd')).toBeLessThan(kinds.indexOf('offline'));
    expect(engine.status()).toMatchObject({ state: 'offline', reconnects: 1, broadcastNo: '100' });
    await engine.stop();
  });

  it('a restart with a new broadcast number is announced again', async () => {
    const { source, events, engine } = setup();
    source.state(joined('100'));
    source.state({ state: 'ended', broadcastNo: '100' });
    source.state({ state: 'connecting', broadcastNo: '101', attempt: 0 });
    source.state(joined('101'));
    await vi.waitFor(() => expect(events.filter((e) => e.event.kind === 'live')).toHaveLength(2));
    expect(events.map((e) => e.event.kind)).toEqual(['live', 'offline', 'live']);
    await engine.stop();
  });

  it('a broadcast that vanished without 0088 is announced offline when live info says so', async () => {
    const { source, events, engine } = setup();
    source.state(joined('100'));
    source.state({ state: 'reconnecting', reason: 'socket closed', delayMs: 10 });
    source.state({ state: 'offline' });
    await vi.waitFor(() => expect(events.map((e) => e.event.kind)).toEqual(['live', 'offline']));
    await engine.stop();
  });

  it('sheds membership then chat under overload, never donations', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const received: StreamerEvent[] = [];
    const { source, engine } = setup({
      capacity: 10,
      onEvent: async (e) => {
        received.push(e);
        await gate;
      },
    });
    // Workers block on the gate after taking 3 items; the rest piles up.
    for (let i = 0; i < 200; i++) {
      source.packet(4, 'm');
      source.packet(5, `c${i}`);
      if (i % 10 === 0) source.packet(18, '10');
    }
    release();
    await vi.waitFor(() => expect(engine.status().queueDepth).toBe(0));
    const status = engine.status();
    expect(received.filter((e) => e.event.kind === 'donation')).toHaveLength(20);
    expect(status.shed.noise).toBeGreaterThan(0);
    expect(status.shed.chat).toBeGreaterThan(0);
    expect(status.shed.critical).toBe(0);
    await engine.stop();
  });

  it('reports restricted states and stops cleanly', async () => {
    const { source, engine } = setup();
    source.state({ state: 'restricted', reason: 'adult' });
    expect(engine.status()).toMatchObject({ state: 'restricted', restrictedReason: 'adult' });
    await engine.stop();
    expect(source.stopped).toBe(true);
    expect(engine.status().state).toBe('stopped');
  });
});
