import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawPacket } from '../../src/core/packet.js';
import { PacketFramer, splitFields } from '../../src/soop/codec.js';
import { translatePacket } from '../../src/soop/translate.js';
import type { SoopSimulator } from '../../src/simulator/api.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { TrafficGenerator } from '../../src/simulator/traffic.js';
import { RawClient, websocketUrl } from './raw-client.js';

describe('TrafficGenerator', () => {
  it('is deterministic for a seed', () => {
    const a = new TrafficGenerator({ streamerId: 'bj', seed: 42 });
    const b = new TrafficGenerator({ streamerId: 'bj', seed: 42 });
    const c = new TrafficGenerator({ streamerId: 'bj', seed: 43 });
    const take = (g: TrafficGenerator): string => Array.from({ length: 200 }, () => g.nextPacket().packet.toString('hex')).join();
    const first = take(a);
    expect(take(b)).toBe(first);
    expect(take(c)).not.toBe(first);
  });

  it('produces the realistic mix, every packet well framed and decoding to the kind it claims', () => {
    const generator = new TrafficGenerator({ streamerId: 'bj', chatNo: '4172', seed: 3 });
    const counts: Record<string, number> = {};
    const codes = new Set<number>();
    const chatTexts = new Set<string>();
    const userIds: string[] = [];
    const nicknames: string[] = [];
    const total = 20_000;
    const framer = new PacketFramer();
    const problems: string[] = [];
    for (let i = 0; i < total; i++) {
      const { packet, kind } = generator.nextPacket();
      counts[kind] = (counts[kind] ?? 0) + 1;
      const framed: RawPacket[] = [];
      framer.push(packet, (p) => framed.push(p));
      const raw = framed[0] as RawPacket;
      if (framed.length !== 1) problems.push(`packet ${i} framed as ${framed.length} packets`);
      codes.add(raw.code);
      const event = translatePacket(raw);
      if (event.kind !== kind) problems.push(`code ${raw.code} decoded as ${event.kind}, generated as ${kind}`);
      if (event.kind === 'chat') {
        chatTexts.add(event.message);
        userIds.push(event.userId);
        nicknames.push(event.nickname);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(framer.counters.errors).toBe(0);
    const share = (kind: string): number => (counts[kind] ?? 0) / total;
    expect(share('membership')).toBeGreaterThan(0.6);
    expect(share('membership')).toBeLessThan(0.7);
    expect(share('chat')).toBeGreaterThan(0.22);
    expect(share('chat')).toBeLessThan(0.28);
    const gifts = share('donation') + share('subscription') + share('mission');
    expect(gifts).toBeGreaterThan(0.01);
    expect(gifts).toBeLessThan(0.03);
    for (const code of [4, 5, 7, 12, 18, 58, 87, 91, 93, 104, 105, 108, 121, 127]) expect(codes, `code ${code}`).toContain(code);
    expect(chatTexts).toContain('1');
    expect(chatTexts).toContain('-1');
    expect([...chatTexts].some((t) => /\p{Extended_Pictographic}/u.test(t))).toBe(true);
    expect(userIds.some((id) => /\(\d+\)$/.test(id))).toBe(true);
    expect(nicknames.some((n) => n.includes('|'))).toBe(true);
  });

  it("'chat' mix sends chats only", () => {
    const generator = new TrafficGenerator({ streamerId: 'bj', mix: 'chat' });
    for (let i = 0; i < 100; i++) expect(generator.nextPacket().kind).toBe('chat');
  });
});

describe('startTraffic', () => {
  let sim: SoopSimulator;
  beforeAll(async () => {
    sim = await startSoopSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('sends exactly `limit` packets, grouped per message, counted by kind, to joined clients', async () => {
    const room = sim.room('trafficbj');
    room.goLive();
    room.joinBurst = 0;
    const client = await RawClient.joined(websocketUrl(sim.port, 'trafficbj'), room.chatNo);
    const handshakeMessages = client.messages.length;
    const traffic = room.startTraffic({ packetsPerSecond: 5000, limit: 500, packetsPerMessage: 10, seed: 9 });
    await traffic.done;
    expect(traffic.total).toBe(500);
    expect(Object.values(traffic.sent).reduce((a, b) => a + b, 0)).toBe(500);
    expect(traffic.sent.membership).toBeGreaterThan(0);
    expect(traffic.sent.chat).toBeGreaterThan(0);
    await client.waitFor((c) => c.packets.length === 2 + 500);
    expect(client.messages.length - handshakeMessages).toBe(50);
    // the client's decoded kinds match the server's counts
    const received: Record<string, number> = {};
    for (const p of client.packets.slice(2)) {
      const kind = translatePacket({ code: p.code, returnCode: p.returnCode, body: p.body }).kind;
      received[kind] = (received[kind] ?? 0) + 1;
    }
    expect(received).toEqual(traffic.sent);
    client.close();
  });

  it('paces by rate (roughly) and stops on demand', async () => {
    const room = sim.room('ratebj');
    room.goLive();
    const traffic = room.startTraffic({ packetsPerSecond: 1000, mix: 'chat' });
    await new Promise((r) => setTimeout(r, 300));
    traffic.stop();
    await traffic.done;
    const sent = traffic.total;
    // ~300 expected; generous bounds because CI machines are shared
    expect(sent).toBeGreaterThan(100);
    expect(sent).toBeLessThan(600);
    expect(traffic.sent).toEqual({ chat: sent });
    await new Promise((r) => setTimeout(r, 50));
    expect(traffic.total).toBe(sent);
  });

  it('sends nothing while the room is stalled', async () => {
    const room = sim.room('stallbj');
    room.goLive();
    room.setStalled(true);
    const traffic = room.startTraffic({ packetsPerSecond: 2000 });
    await new Promise((r) => setTimeout(r, 60));
    expect(traffic.total).toBe(0);
    room.setStalled(false);
    await new Promise((r) => setTimeout(r, 60));
    expect(traffic.total).toBeGreaterThan(0);
    traffic.stop();
  });

  it('runs 1000 rooms at 20 packets/s on one shared timer', async () => {
    const handles = Array.from({ length: 1000 }, (_, i) => {
      const room = sim.room(`many${i}`);
      room.goLive();
      return room.startTraffic({ packetsPerSecond: 20, limit: 2, seed: i });
    });
    await Promise.all(handles.map((h) => h.done));
    expect(handles.reduce((sum, h) => sum + h.total, 0)).toBe(2000);
  });

  it('uses the current CHATNO in generated gifts after a restart', async () => {
    const room = sim.room('restartbj');
    room.goLive();
    room.restart();
    const client = await RawClient.joined(websocketUrl(sim.port, 'restartbj'), room.chatNo);
    const traffic = room.startTraffic({ packetsPerSecond: 20_000, limit: 3000, seed: 5 });
    await traffic.done;
    await client.waitFor((c) => c.packets.filter((p) => p.code === 91).length > 0 && c.packets.length >= 3000);
    const subscription = client.packets.find((p) => p.code === 91);
    expect(subscription?.fields[1]).toBe(room.chatNo);
    expect(splitFields(subscription?.body ?? new Uint8Array())[2]).toBe('restartbj');
    client.close();
  });
});
