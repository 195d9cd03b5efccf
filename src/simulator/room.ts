/**
 * One simulated SOOP chat room: its broadcast state, its sockets, and the server side of the
 * anonymous handshake (0001 login → 0001, 0002 join with CHATNO → 0002), spoken with the real
 * framing from src/soop/codec.ts.
 */
import { Buffer } from 'node:buffer';
import { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { ServiceCode, type RawPacket } from '../core/packet.js';
import { PacketFramer, splitFields } from '../soop/codec.js';
import type {
  JoinedClient,
  LiveInfoFault,
  RoomState,
  SendMode,
  SimulatedRoom,
  TrafficHandle,
  TrafficOptions,
} from './api.js';
import type { RoomSnapshot } from './live-info-body.js';
import {
  broadcastEndPacket,
  joinReplyPacket,
  loginReplyPacket,
  membershipJoinPacket,
  streamerStatusPacket,
  userMetaPacket,
} from './packets.js';
import type { TrafficScheduler, TrafficTarget } from './traffic-scheduler.js';

/** Return codes the simulator answers with (soop-protocol.md §3). */
const RC_NOT_LOGGED_IN = 2;
const RC_INVALID_CHATNO = 12;
const RC_WRONG_PASSWORD = 57;
const WRONG_PASSWORD_MESSAGE = '비밀번호가 틀렸습니다.';
/** Bytes queued for one slow client before the simulator drops it. */
const MAX_BUFFERED_BYTES = 256 * 1024 * 1024;

/** Services a room borrows from its server. */
export interface RoomHost {
  nextBroadcast(): { broadcastNo: string; chatNo: string };
  readonly traffic: TrafficScheduler;
  connectionOpened(): void;
  connectionClosed(): void;
}

class ClientConnection implements JoinedClient {
  readonly framer = new PacketFramer();
  loggedIn = false;
  /** The CHATNO this client joined, or null before a successful join. */
  joinedChatNo: string | null = null;

  constructor(readonly ws: WebSocket) {}

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  send(message: Buffer): void {
    if (!this.open) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      // A client this far behind would be dropped by a real server; unbounded buffering would
      // instead exhaust the simulator's memory during a bench.
      this.ws.terminate();
      return;
    }
    this.ws.send(message, { binary: true });
  }

  /**
   * Batches the socket writes of many small messages into one syscall. `ws` keeps its socket
   * private, so this reaches for it defensively and does nothing if it is not there.
   */
  cork(): void {
    socketOf(this.ws)?.cork();
  }

  uncork(): void {
    socketOf(this.ws)?.uncork();
  }
}

function socketOf(ws: WebSocket): Socket | undefined {
  const socket = (ws as unknown as { _socket?: unknown })._socket;
  return socket instanceof Socket ? socket : undefined;
}

interface JoinWaiter {
  readonly count: number;
  readonly resolve: () => void;
}

/** States in which live info reports a broadcast and the chat server takes connections. */
function acceptsChat(state: RoomState): boolean {
  return state === 'live' || state === 'password';
}

/** States in which a broadcast is running, even if anonymous viewers cannot join it. */
function isBroadcasting(state: RoomState): boolean {
  return acceptsChat(state) || state === 'adult' || state === 'adultPassword' || state === 'subscribersOnly';
}

/** Cuts `data` in two, preferably inside a multi-byte UTF-8 character near the middle. */
export function awkwardSplit(data: Buffer): [Buffer, Buffer] {
  const middle = Math.floor(data.length / 2);
  for (let distance = 0; distance < data.length; distance++) {
    for (const at of [middle + distance, middle - distance]) {
      const byte = data[at];
      // Cutting right before a continuation byte (10xxxxxx) splits a character.
      if (at > 0 && at < data.length && byte !== undefined && (byte & 0xc0) === 0x80) {
        return [data.subarray(0, at), data.subarray(at)];
      }
    }
  }
  const cut = Math.max(1, middle);
  return [data.subarray(0, cut), data.subarray(cut)];
}

export class Room implements SimulatedRoom, RoomSnapshot, TrafficTarget {
  state: RoomState = 'offline';
  broadcastNo = '';
  chatNo = '';
  title: string;
  nickname: string;
  joinBurst = 1;
  roomPassword: string | undefined = undefined;
  liveInfoFault: LiveInfoFault | null = null;
  liveInfoRequests = 0;
  stalled = false;
  answersPings = true;
  readonly received = { logins: 0, joins: 0, keepalives: 0 };
  peakJoinedClients = 0;
  private readonly clients = new Set<ClientConnection>();
  private readonly joinListeners = new Set<(client: JoinedClient) => void>();
  private joinWaiters: JoinWaiter[] = [];
  private loginFailure: { returnCode: number; message: string | undefined } | null = null;

  constructor(
    readonly streamerId: string,
    private readonly host: RoomHost,
  ) {
    this.title = `${streamerId}의 시뮬레이션 방송`;
    this.nickname = streamerId;
  }

  get acceptsConnections(): boolean {
    return acceptsChat(this.state);
  }

  get connections(): number {
    return this.clients.size;
  }

  get joinedClients(): number {
    let joined = 0;
    for (const client of this.clients) if (this.isJoinedNow(client)) joined++;
    return joined;
  }

  setState(state: RoomState): void {
    if (isBroadcasting(state) && !isBroadcasting(this.state)) this.newBroadcast();
    this.state = state;
  }

  goLive(options: { title?: string } = {}): void {
    if (options.title !== undefined) this.title = options.title;
    this.newBroadcast();
    this.state = 'live';
  }

  end(): void {
    for (const client of this.clients) {
      if (!this.isJoinedNow(client)) continue;
      client.send(streamerStatusPacket(0));
      client.send(broadcastEndPacket());
    }
    for (const client of this.clients) client.ws.close(1000, 'broadcast ended');
    this.state = 'offline';
  }

  restart(): void {
    this.end();
    this.goLive();
  }

  send(packets: Buffer | readonly Buffer[], mode: SendMode = 'separate'): void {
    const list: readonly Buffer[] = Buffer.isBuffer(packets) ? [packets] : (packets as readonly Buffer[]);
    if (list.length === 0) return;
    if (mode === 'separate') return this.sendWire(list);
    const together = Buffer.concat(list);
    this.sendWire(mode === 'together' ? [together] : awkwardSplit(together));
  }

  sendRaw(message: Buffer): void {
    this.sendWire([message]);
  }

  dropConnections(): void {
    for (const client of this.clients) client.ws.terminate();
  }

  setStalled(stalled: boolean): void {
    this.stalled = stalled;
  }

  failNextLogin(returnCode: number, message?: string): void {
    this.loginFailure = { returnCode, message };
  }

  setLiveInfoFault(fault: LiveInfoFault | null): void {
    this.liveInfoFault = fault;
  }

  onJoin(listener: (client: JoinedClient) => void): () => void {
    this.joinListeners.add(listener);
    return () => this.joinListeners.delete(listener);
  }

  waitForJoined(count = 1, timeoutMs = 5000): Promise<void> {
    if (this.joinedClients >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: JoinWaiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.joinWaiters = this.joinWaiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `Simulated room "${this.streamerId}": only ${this.joinedClients} of ${count} client(s) joined broadcast ${this.broadcastNo || '(none)'} within ${timeoutMs} ms.`,
          ),
        );
      }, timeoutMs);
      this.joinWaiters.push(waiter);
    });
  }

  startTraffic(options: TrafficOptions): TrafficHandle {
    return this.host.traffic.start(this, options);
  }

  /** TrafficTarget: each group of packets becomes one websocket message. */
  sendMessages(messages: readonly (readonly Buffer[])[]): void {
    this.sendWire(messages.map((packets) => (packets.length === 1 ? (packets[0] as Buffer) : Buffer.concat(packets))));
  }

  /** Takes over a freshly upgraded websocket of this room. */
  attach(ws: WebSocket): void {
    const client = new ClientConnection(ws);
    this.clients.add(client);
    this.host.connectionOpened();
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => this.onMessage(client, toBuffer(data)));
    ws.on('ping', (data: Buffer) => {
      if (this.answersPings && !this.stalled) ws.pong(data);
    });
    ws.on('error', () => {}); // a reset client is not the simulator's problem
    ws.on('close', () => {
      this.clients.delete(client);
      this.host.connectionClosed();
    });
  }

  /** Terminates every socket (server shutdown). */
  terminateAll(): void {
    for (const client of this.clients) client.ws.terminate();
  }

  private newBroadcast(): void {
    const next = this.host.nextBroadcast();
    this.broadcastNo = next.broadcastNo;
    this.chatNo = next.chatNo;
  }

  private isJoinedNow(client: ClientConnection): boolean {
    return client.joinedChatNo !== null && client.joinedChatNo === this.chatNo && client.open;
  }

  /** Sends websocket messages to every joined client, in order, one corked write per client. */
  private sendWire(messages: readonly Buffer[]): void {
    if (this.stalled) return;
    for (const client of this.clients) {
      if (!this.isJoinedNow(client)) continue;
      if (messages.length === 1) {
        client.send(messages[0] as Buffer);
        continue;
      }
      client.cork();
      for (const message of messages) client.send(message);
      client.uncork();
    }
  }

  private onMessage(client: ClientConnection, data: Buffer): void {
    if (this.stalled) return;
    client.framer.push(data, (packet) => this.onPacket(client, packet));
  }

  private onPacket(client: ClientConnection, packet: RawPacket): void {
    switch (packet.code) {
      case ServiceCode.keepalive:
        this.received.keepalives++;
        return;
      case ServiceCode.login:
        this.received.logins++;
        this.onLogin(client);
        return;
      case ServiceCode.join:
        this.received.joins++;
        this.onJoinRequest(client, splitFields(packet.body));
        return;
      default:
        return; // chat sending, ENTER_INFO, ...: a read-only simulator ignores them
    }
  }

  private onLogin(client: ClientConnection): void {
    const failure = this.loginFailure;
    if (failure) {
      this.loginFailure = null;
      client.send(loginReplyPacket({ returnCode: failure.returnCode, message: failure.message }));
      client.ws.close(1000, 'login refused');
      return;
    }
    client.loggedIn = true;
    client.send(loginReplyPacket());
  }

  private onJoinRequest(client: ClientConnection, fields: readonly string[]): void {
    const chatNo = fields[1] ?? '';
    const refuse = (returnCode: number, message: string): void => {
      client.send(joinReplyPacket({ chatNo, streamerId: this.streamerId, returnCode, message }));
      client.ws.close(1000, 'join refused');
    };
    if (!client.loggedIn) return refuse(RC_NOT_LOGGED_IN, '로그인 후 이용해 주세요.');
    if (!this.acceptsConnections || chatNo !== this.chatNo) {
      return refuse(RC_INVALID_CHATNO, '채팅방 번호가 올바르지 않습니다.');
    }
    if (this.state === 'password' && this.roomPassword !== undefined) {
      const given = fields.find((f) => f.startsWith('pwd\x11'));
      const value = given?.slice(4);
      const password = value?.endsWith('\x12') ? value.slice(0, -1) : value;
      if (password !== this.roomPassword) return refuse(RC_WRONG_PASSWORD, WRONG_PASSWORD_MESSAGE);
    }
    client.joinedChatNo = chatNo;
    client.send(joinReplyPacket({ chatNo, streamerId: this.streamerId }));
    for (let i = 0; i < this.joinBurst; i++) for (const packet of membershipBurst(i)) client.send(packet);
    this.peakJoinedClients = Math.max(this.peakJoinedClients, this.joinedClients);
    for (const listener of this.joinListeners) listener(client);
    this.checkJoinWaiters();
  }

  private checkJoinWaiters(): void {
    if (this.joinWaiters.length === 0) return;
    const joined = this.joinedClients;
    const ready = this.joinWaiters.filter((w) => w.count <= joined);
    this.joinWaiters = this.joinWaiters.filter((w) => w.count > joined);
    for (const waiter of ready) waiter.resolve();
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** The user-list flood a real server sends right after a join: a 0004 batch and its 0127 meta. */
function membershipBurst(index: number): Buffer[] {
  const users = [
    { userId: `member${index}a`, nickname: '입장테스터', flags: '524304|163840' },
    { userId: `member${index}b(2)`, nickname: '구독|시청자', flags: '805912608|557056' },
  ];
  return [
    membershipJoinPacket(users),
    userMetaPacket([
      { userId: users[0]?.userId ?? '', subMonths: -1, accumulatedMonths: -1 },
      { userId: users[1]?.userId ?? '', subMonths: 3, accumulatedMonths: 5, personalcon: '' },
    ]),
  ];
}
