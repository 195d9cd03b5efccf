/**
 * The fake SOOP server's public shape (used by tests, the bench, the demo and `simulate`).
 * Implementation: src/simulator/server.ts (`startSoopSimulator`).
 */
import type { Buffer } from 'node:buffer';

export type RoomState = 'live' | 'offline' | 'missing' | 'adult' | 'adultPassword' | 'subscribersOnly' | 'password';

/** How a batch of packets is put on the wire. */
export type SendMode =
  /** one websocket message per packet (default) */
  | 'separate'
  /** all packets in one websocket message */
  | 'together'
  /** all packets concatenated, then cut in two messages at an awkward byte offset */
  | 'split';

export interface SimulatorOptions {
  readonly host?: string; // default 127.0.0.1
  readonly port?: number; // default 0 (any free port); live-info HTTP and chat ws share it
}

/** A broken live-info answer, for client tests: HTTP 500, a non-JSON 200, or no answer at all. */
export type LiveInfoFault = 'http500' | 'malformed' | 'hang';

/** One client that just joined (see `SimulatedRoom.onJoin`). */
export interface JoinedClient {
  /** Sends one raw websocket message to this client only (no-op once closed). */
  send(message: Buffer): void;
  readonly open: boolean;
}

export interface SoopSimulator {
  /** e.g. http://127.0.0.1:PORT/afreeca/player_live_api.php — what SOOP_LIVE_INFO_URL points at. */
  readonly liveInfoUrl: string;
  readonly port: number;
  /** The room of a streamer; created (offline) on first use. */
  room(streamerId: string): SimulatedRoom;
  readonly stats: { readonly liveInfoRequests: number; readonly connections: number };
  /** e.g. http://127.0.0.1:PORT/api — the chapi-like station API base (`<base>/<id>/station`). */
  readonly stationApiUrl: string;
  /** Terminates every socket, stops all traffic, closes the HTTP server. */
  close(): Promise<void>;
}

export interface SimulatedRoom {
  readonly streamerId: string;
  readonly state: RoomState;
  setState(state: RoomState): void;
  readonly broadcastNo: string;
  readonly chatNo: string;
  title: string;
  /** Starts a broadcast with a fresh broadcast number and CHATNO. */
  goLive(options?: { title?: string }): void;
  /** Ends the broadcast like SOOP: 0007 status 0, 0088 (to joined clients, even while stalled), then closes every socket; state → offline. */
  end(): void;
  /** end() then goLive(): a restart with a new CHATNO. */
  restart(): void;
  /** Sends packets to every joined client (dropped while stalled). A client over 256 MiB behind is dropped. */
  send(packets: Buffer | readonly Buffer[], mode?: SendMode): void;
  /** Terminates every socket abruptly (no close frame). */
  dropConnections(): void;
  /** While stalled the server sends nothing (no replies, no pongs, no generated traffic) and ignores what it receives, but keeps sockets open. */
  setStalled(stalled: boolean): void;
  /** The next login replies with this trailer (non-zero = refused, e.g. 7 duplicate session); resets after use. */
  failNextLogin(returnCode: number, message?: string): void;
  readonly connections: number;
  readonly joinedClients: number;
  /** The most clients joined at the same time so far (a test may set it back to 0). */
  peakJoinedClients: number;
  readonly received: { readonly logins: number; readonly joins: number; readonly keepalives: number };
  /** Resolves when at least `count` clients have joined the current broadcast. */
  waitForJoined(count?: number, timeoutMs?: number): Promise<void>;
  /** Sends generated traffic at a rate; returns a stop function. Counts what it sent by kind. */
  startTraffic(options: TrafficOptions): TrafficHandle;

  /** Whether websocket pings get a pong (RFC 6455 §5.5.2; default true, never while stalled). */
  answersPings: boolean;
  /** BJNICK in live info (defaults to the streamer id). */
  nickname: string;
  /** Live-info requests that named this streamer (for polling-budget tests). */
  readonly liveInfoRequests: number;
  /** 0004+0127 pairs sent to each client right after its join, like the real server (default 1; 0 = none). */
  joinBurst: number;
  /** When set (state 'password'), joins must carry `pwd\x11<password>\x12` and `type=aid` checks `pwd`. */
  roomPassword: string | undefined;
  /** Makes live-info for this room misbehave until set back to null. */
  setLiveInfoFault(fault: LiveInfoFault | null): void;
  /** Sends one raw websocket message (any bytes) to every joined client. */
  sendRaw(message: Buffer): void;
  /** Called for each client that joins (after its 0002 reply); returns an unsubscribe function. */
  onJoin(listener: (client: JoinedClient) => void): () => void;
}

export interface TrafficOptions {
  readonly packetsPerSecond: number;
  /** 'realistic' = ~35% 0004, 30% 0127, 25% chat, 2% gifts, rest misc. 'chat' = chats only. */
  readonly mix?: 'realistic' | 'chat';
  /** Packets per websocket message (default 1). */
  readonly packetsPerMessage?: number;
  /** Stop after this many packets (default: run until stopped). */
  readonly limit?: number;
  /** PRNG seed of the generated traffic (default 1): same seed, same packets. */
  readonly seed?: number;
}

export interface TrafficHandle {
  stop(): void;
  /** Sent counts by event kind of the decode vocabulary: chat, donation, subscription, mission, membership, ... */
  readonly sent: Readonly<Record<string, number>>;
  /** Packets sent so far, all kinds. */
  readonly total: number;
  readonly done: Promise<void>;
}
