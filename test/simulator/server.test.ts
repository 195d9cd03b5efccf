import { Buffer } from 'node:buffer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RawPacket } from '../../src/core/packet.js';
import { PacketFramer, joinPacket, keepalivePacket, loginPacket } from '../../src/soop/codec.js';
import type { RoomState, SoopSimulator } from '../../src/simulator/api.js';
import { chatPacket, starBalloonPacket } from '../../src/simulator/packets.js';
import { startSoopSimulator } from '../../src/simulator/server.js';
import { RawClient, websocketUrl } from './raw-client.js';

let sim: SoopSimulator;
const clients: RawClient[] = [];
let roomCounter = 0;

beforeAll(async () => {
  sim = await startSoopSimulator();
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

function freshId(): string {
  return `simtest${++roomCounter}`;
}

async function liveInfo(id: string, extra = ''): Promise<{ status: number; contentType: string | null; json: { CHANNEL: Record<string, unknown> } }> {
  const res = await fetch(`${sim.liveInfoUrl}?bjid=${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `bid=${id}&bno=&type=live&pwd=&player_type=html5&stream_type=common&quality=HD&mode=landing&from_api=0&is_revive=false${extra}`,
  });
  return { status: res.status, contentType: res.headers.get('content-type'), json: (await res.json()) as { CHANNEL: Record<string, unknown> } };
}

async function joinedClient(id: string): Promise<RawClient> {
  const client = await RawClient.joined(websocketUrl(sim.port, id), sim.room(id).chatNo);
  clients.push(client);
  return client;
}

describe('live-info', () => {
  it('describes a live room with chat fields pointing at the simulator', async () => {
    const id = freshId();
    const room = sim.room(id);
    room.goLive({ title: '테스트 방송' });
    const { status, contentType, json } = await liveInfo(id);
    expect(status).toBe(200);
    expect(contentType).toBe('text/html; charset=utf-8');
    expect(json.CHANNEL).toMatchObject({
      RESULT: 1,
      BJID: id,
      BNO: room.broadcastNo,
      CHATNO: room.chatNo,
      CHDOMAIN: '127.0.0.1',
      CHIP: '127.0.0.1',
      CHPT: String(sim.port),
      BPWD: 'N',
      GRADE: '0',
      BSTATUS: 'BROADING',
      TITLE: '테스트 방송',
      geo_cc: 'KR',
    });
    expect(json.CHANNEL.FTK).toMatch(new RegExp(`^[0-9a-f]{32}_${id}_${room.broadcastNo}_html5_1$`));
    expect(room.liveInfoRequests).toBe(1);
  });

  it('answers every restricted state like SOOP', async () => {
    const expectations: [RoomState, Record<string, unknown>][] = [
      ['offline', { RESULT: 0 }],
      ['missing', { RESULT: 0 }],
      ['adult', { RESULT: -6 }],
      ['adultPassword', { RESULT: -8 }],
      ['subscribersOnly', { RESULT: -14, P_MIN_TIER: '2' }],
      ['password', { RESULT: 1, BPWD: 'Y' }],
    ];
    for (const [state, expected] of expectations) {
      const id = freshId();
      sim.room(id).setState(state);
      const { json } = await liveInfo(id);
      expect(json.CHANNEL, state).toMatchObject(expected);
      if (state === 'adult') expect(json.CHANNEL.TITLE).toBe(sim.room(id).title);
      if (state === 'offline' || state === 'missing') expect(Object.keys(json.CHANNEL)).not.toContain('CHATNO');
    }
  });

  it('treats an unknown id as offline, reads bj_id from the query and counts requests', async () => {
    const before = sim.stats.liveInfoRequests;
    const res = await fetch(`${sim.liveInfoUrl}?bj_id=nobodyhere`, { method: 'POST', body: 'type=live' });
    expect(((await res.json()) as { CHANNEL: { RESULT: number } }).CHANNEL.RESULT).toBe(0);
    expect(sim.stats.liveInfoRequests).toBe(before + 1);
    expect(sim.room('nobodyhere').liveInfoRequests).toBe(1);
  });

  it('can misbehave on demand', async () => {
    const id = freshId();
    const room = sim.room(id);
    room.goLive();
    room.setLiveInfoFault('http500');
    expect((await fetch(`${sim.liveInfoUrl}?bjid=${id}`, { method: 'POST', body: `bid=${id}` })).status).toBe(500);
    room.setLiveInfoFault('malformed');
    await expect(liveInfo(id)).rejects.toThrow();
    room.setLiveInfoFault('hang');
    await expect(fetch(`${sim.liveInfoUrl}?bjid=${id}`, { method: 'POST', body: `bid=${id}`, signal: AbortSignal.timeout(100) })).rejects.toThrow();
    room.setLiveInfoFault(null);
    expect((await liveInfo(id)).json.CHANNEL.RESULT).toBe(1);
  });

  it('checks a room password on type=aid requests', async () => {
    const id = freshId();
    const room = sim.room(id);
    room.setState('password');
    room.roomPassword = 'secret';
    const aid = async (pwd: string): Promise<unknown> =>
      ((await (await fetch(sim.liveInfoUrl, { method: 'POST', body: `bid=${id}&type=aid&pwd=${pwd}` })).json()) as { CHANNEL: { RESULT: number } })
        .CHANNEL.RESULT;
    expect(await aid('wrong')).toBe(0);
    expect(await aid('secret')).toBe(1);
  });

  it('serves a chapi-like station API', async () => {
    const missing = freshId();
    sim.room(missing).setState('missing');
    const res = await fetch(`${sim.stationApiUrl}/${missing}/station`);
    expect(res.status).toBe(515);
    expect(await res.json()).toMatchObject({ code: 9000 });
    const live = freshId();
    sim.room(live).goLive();
    const body = (await (await fetch(`${sim.stationApiUrl}/${live}/station`)).json()) as { broad: { broad_no: number } | null };
    expect(body.broad?.broad_no).toBe(Number(sim.room(live).broadcastNo));
    const offline = freshId();
    sim.room(offline);
    expect(((await (await fetch(`${sim.stationApiUrl}/${offline}/station`)).json()) as { broad: unknown }).broad).toBeNull();
  });
});

describe('websocket handshake', () => {
  it('logs in and joins like SOOP, counting keepalives', async () => {
    const id = freshId();
    const room = sim.room(id);
    room.goLive();
    const client = await RawClient.connect(websocketUrl(sim.port, id));
    clients.push(client);
    expect(client.ws.protocol).toBe('chat');
    client.send(loginPacket());
    await client.waitFor((c) => c.packets.length >= 1);
    expect(client.messages[0]?.toString('latin1')).toBe('\x1b\t000100000700\x0c\x0c16|0\x0c');
    client.send(joinPacket(room.chatNo));
    await client.waitFor((c) => c.codes().includes(2));
    const join = client.packets.find((p) => p.code === 2);
    expect(join?.returnCode).toBe(0);
    expect(join?.fields).toEqual(['', room.chatNo, id, '0', '30', '', '1', '16|16384', '']);
    // then a short membership burst like the real server
    await client.waitFor((c) => c.codes().includes(127));
    expect(client.codes()).toEqual([1, 2, 4, 127]);
    client.send(keepalivePacket());
    client.send(keepalivePacket());
    await room.waitForJoined(1);
    expect(room.joinedClients).toBe(1);
    await expect.poll(() => room.received.keepalives).toBe(2);
    expect(room.received).toMatchObject({ logins: 1, joins: 1 });
    expect(sim.stats.connections).toBeGreaterThanOrEqual(1);
  });

  it('refuses a wrong CHATNO with code 12 and closes', async () => {
    const id = freshId();
    sim.room(id).goLive();
    const client = await RawClient.connect(websocketUrl(sim.port, id));
    clients.push(client);
    client.send(loginPacket());
    client.send(joinPacket('999999'));
    await client.waitFor((c) => c.closed);
    const reply = client.packets.find((p) => p.code === 2);
    expect(reply?.returnCode).toBe(12);
    expect(sim.room(id).joinedClients).toBe(0);
  });

  it('refuses the next login with the given trailer and message', async () => {
    const id = freshId();
    const room = sim.room(id);
    room.goLive();
    room.failNextLogin(7);
    const client = await RawClient.connect(websocketUrl(sim.port, id));
    clients.push(client);
    client.send(loginPacket());
    await client.waitFor((c) => c.closed);
    expect(client.messages[0]?.toString('utf8')).toBe('\x1b\t000100005807\x0c시스템 에러가 발생 했습니다. (중복 세션)\x0c');
    // only the next one
    const second = await joinedClient(id);
    expect(second.packets.find((p) => p.code === 1)?.returnCode).toBe(0);
  });

  it('rejects upgrades for other paths, unknown or offline rooms, and without the chat subprotocol', async () => {
    const offline = freshId();
    sim.room(offline);
    const live = freshId();
    sim.room(live).goLive();
    await expect(RawClient.connect(websocketUrl(sim.port, offline))).rejects.toThrow(/404/);
    await expect(RawClient.connect(websocketUrl(sim.port, 'never-created'))).rejects.toThrow(/404/);
    await expect(RawClient.connect(`ws://127.0.0.1:${sim.port}/elsewhere/${live}`)).rejects.toThrow(/404/);
    await expect(RawClient.connect(websocketUrl(sim.port, live), 'other')).rejects.toThrow(/400/);
  });

  it('checks the room password when one is set', async () => {
    const id = freshId();
    const room = sim.room(id);
    room.setState('password');
    room.roomPassword = 'secret';
    const wrong = await RawClient.connect(websocketUrl(sim.port, id));
    clients.push(wrong);
    wrong.send(loginPacket());
    wrong.send(joinPacket(room.chatNo, { password: 'nope' }));
    await wrong.waitFor((c) => c.closed);
    expect(wrong.packets.find((p) => p.code === 2)?.returnCode).toBe(57);
    const right = await RawClient.connect(websocketUrl(sim.port, id));
    clients.push(right);
    right.send(loginPacket());
    right.send(joinPacket(room.chatNo, { password: 'secret' }));
    await right.waitFor((c) => c.codes().includes(2));
    expect(right.packets.find((p) => p.code === 2)?.returnCode).toBe(0);
  });
});

describe('room control', () => {
  it('end() sends 0007 then 0088 then closes, and goes offline', async () => {
    const id = freshId();
    const room = sim.room(id);
    room.goLive();
    room.joinBurst = 0;
    const client = await joinedClient(id);
    room.end();
    await client.waitFor((c) => c.closed);
    expect(client.codes()).toEqual([1, 2, 7, 88]);
    expect(client.messages[2]?.toString('latin1')).toBe('\x1b\t000700000300\x0c0\x0c');
    expect(client.messages[3]?.toString('latin1')).toBe('\x1b\t008800000000');
    expect(room.state).toBe('offline');
    expect((await liveInfo(id)).json.CHANNEL.RESULT).toBe(0);
  });

  it('restart() gives a new broadcast number and CHATNO; the old CHATNO is refused', async () => {
    const id = freshId();
    const room = sim.room(id);
    room.goLive();
    const first = { bno: room.broadcastNo, chatNo: room.chatNo };
    const client = await joinedClient(id);
    room.restart();
    await client.waitFor((c) => c.closed);
    expect(client.codes()).toContain(88);
    expect(room.state).toBe('live');
    expect(room.broadcastNo).not.toBe(first.bno);
    expect(room.chatNo).not.toBe(first.chatNo);
    expect((await liveInfo(id)).json.CHANNEL.CHATNO).toBe(room.chatNo);
    const stale = await RawClient.connect(websocketUrl(sim.port, id));
    clients.push(stale);
    stale.send(loginPacket());
    stale.send(joinPacket(first.chatNo));
    await stale.waitFor((c) => c.closed);
    expect(stale.packets.find((p) => p.code === 2)?.returnCode).toBe(12);
    await joinedClient(id);
    await room.waitForJoined(1);
  });

  it('send modes: separate, together (one message), split (a packet cut across messages)', async () => {
    const id = freshId();
    const room = sim.room(id);
    room.goLive();
    room.joinBurst = 0;
    const client = await joinedClient(id);
    const packets = [
      chatPacket({ message: '안녕하세요 테스트 채팅입니다', userId: 'viewer01', nickname: '테스터' }),
      starBalloonPacket({ streamerId: id, userId: 'viewer03', nickname: '별풍테스터', count: 10, chatNo: room.chatNo }),
      chatPacket({ message: 'ㅋㅋㅋ 대박 🔥', userId: 'viewer02(2)', nickname: '닉|네임' }),
    ];
    const base = client.messages.length;
    room.send(packets, 'separate');
    await client.waitFor((c) => c.messages.length === base + 3);
    room.send(packets, 'together');
    await client.waitFor((c) => c.messages.length === base + 4);
    expect(client.messages[base + 3]).toEqual(Buffer.concat(packets));
    room.send(packets, 'split');
    await client.waitFor((c) => c.messages.length === base + 6);
    const [a, b] = [client.messages[base + 4] as Buffer, client.messages[base + 5] as Buffer];
    expect(Buffer.concat([a, b])).toEqual(Buffer.concat(packets));
    // the cut is inside a multi-byte character, so neither half is valid UTF-8 on its own edge
    expect(((b[0] as number) & 0xc0) === 0x80).toBe(true);
    const framer = new PacketFramer();
    const seen: RawPacket[] = [];
    framer.push(a, (p) => seen.push(p));
    expect(framer.pendingBytes).toBeGreaterThan(0);
    framer.push(b, (p) => seen.push(p));
    expect(seen.map((p) => p.code)).toEqual([5, 18, 5]);
    expect(client.codes().slice(-9)).toEqual([5, 18, 5, 5, 18, 5, 5, 18, 5]);
    // a single packet in 'split' mode is cut in two as well
    room.send(packets[0] as Buffer, 'split');
    await client.waitFor((c) => c.messages.length === base + 8);
    expect(client.codes().at(-1)).toBe(5);
  });

  it('stall: sends nothing and ignores everything but keeps the socket; drop: terminates', async () => {
    const id = freshId();
    const room = sim.room(id);
    room.goLive();
    room.joinBurst = 0;
    const client = await joinedClient(id);
    room.setStalled(true);
    room.send(chatPacket({ message: 'lost', userId: 'u', nickname: 'n' }));
    client.send(keepalivePacket());
    client.send(loginPacket());
    await new Promise((r) => setTimeout(r, 100));
    expect(client.codes()).toEqual([1, 2]);
    expect(room.received.keepalives).toBe(0);
    expect(client.closed).toBe(false);
    expect(room.connections).toBe(1);
    room.setStalled(false);
    room.send(chatPacket({ message: 'back', userId: 'u', nickname: 'n' }));
    await client.waitFor((c) => c.codes().length === 3);
    room.dropConnections();
    await client.waitFor((c) => c.closed);
    expect(client.closeCode).toBe(1006);
    await expect.poll(() => room.connections).toBe(0);
  });

  it('waitForJoined rejects with a clear error on timeout', async () => {
    const id = freshId();
    sim.room(id).goLive();
    await expect(sim.room(id).waitForJoined(2, 50)).rejects.toThrow(/only 0 of 2 client\(s\) joined/);
  });
});
