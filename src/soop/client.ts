/**
 * The SOOP chat client: one streamer's connection lifecycle behind the ChatSource port.
 *
 *   checking (live info) ─┬─ offline / restricted ──> wait (60 s / 600 s, ±20 %) ──> checking
 *                         └─ live ──> connecting ──> 0001 login ──> 0002 join ──> joined
 *   a session ends ──> DEFAULT_RECOVERY table (reconnect-policy.ts) ──> wait ──> checking
 *
 * Liveness while joined: when nothing has arrived for half of `silenceMs` the client sends a
 * websocket ping, which the server must answer with a pong (RFC 6455 §5.5.2). No data and no pong
 * for 0.8 × `silenceMs` → stalled. A pong in a room without chat means "quiet", not "stalled": the
 * session is kept, and live info is re-read (at most once per offline cadence) to notice a
 * broadcast that ended or restarted without a 0088.
 *
 * Live info is re-read before every connection because CHATNO changes with every broadcast. After
 * `0088` the client only connects again to a broadcast with another number. Packets are framed with
 * one PacketFramer (reset per connection) and handed to `onPacket` in order; only the 0001/0002/0088
 * headers (and field 1 of the replies) are read here, to drive the handshake.
 */
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { sleep } from '../core/async.js';
import type { ChatSource, ChatSourceHandlers, ChatSourceState, RestrictedReason } from '../core/chat-source.js';
import { SoopHostError, describeError } from '../core/errors.js';
import type { LiveBroadcast, LiveInfo, LiveInfoFetcher } from '../core/live-info.js';
import { ServiceCode, type FramingError, type RawPacket } from '../core/packet.js';
import { soopPlayerUrl } from '../core/soop-hosts.js';
import { PacketFramer, joinPacket, keepalivePacket, loginPacket, splitFields, type FramerCounters, type FramerOptions } from './codec.js';
import {
  DEFAULT_RECOVERY,
  jittered,
  planRecovery,
  type RecoveryAction,
  type RecoverySettings,
  type RecoveryTable,
  type SessionEnd,
} from './reconnect-policy.js';

export type ChatTransport = 'auto' | 'wss' | 'ws';

/** The few logger methods the client uses (pino's Logger fits). */
export interface SoopLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SoopChatClientOptions {
  /** Injected: the engine registry wraps it with a global request budget. */
  readonly fetchLiveInfo: LiveInfoFetcher;
  /** 'auto' tries wss://host:CHPT+1 first, then ws://host:CHPT (some networks cut the TLS port). */
  readonly transport?: ChatTransport;
  readonly keepaliveMs?: number;
  /** Watchdog: no data and no answer to a ping within this long → the session is stalled (default 30 s). */
  readonly silenceMs?: number;
  /** Time from socket open to the 0002 join reply. */
  readonly joinTimeoutMs?: number;
  /** Time for the websocket upgrade (a cut TLS handshake otherwise hangs). */
  readonly connectTimeoutMs?: number;
  readonly offlineCheckMs?: number;
  /** Adult, subscriber-only, password and unknown rooms: slow re-checks. */
  readonly restrictedCheckMs?: number;
  readonly backoff?: { readonly baseMs?: number; readonly maxMs?: number };
  /** A session joined at least this long resets the backoff (one that received data after its join resets it anyway). */
  readonly stableSessionMs?: number;
  /** Overrides for rules of the recovery table (tests shorten minimum delays). */
  readonly recovery?: Partial<RecoveryTable>;
  readonly random?: () => number;
  readonly framerOptions?: FramerOptions;
  readonly logger?: SoopLogger;
}

export interface SoopChatClient extends ChatSource {
  /** Framing counters over every connection of this client. */
  readonly framing: Readonly<FramerCounters>;
}

interface Settings {
  readonly transport: ChatTransport;
  readonly keepaliveMs: number;
  readonly silenceMs: number;
  readonly joinTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly offlineCheckMs: number;
  readonly restrictedCheckMs: number;
  readonly recovery: RecoverySettings;
  readonly table: RecoveryTable;
  readonly random: () => number;
  readonly logger: SoopLogger;
}

const silentLogger: SoopLogger = { debug: noop, info: noop, warn: noop };
const LOGIN = loginPacket();
const KEEPALIVE = keepalivePacket();
/** Real messages are a few KiB; the framer bounds single packets separately. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

function noop(): void {}

function resolveSettings(options: SoopChatClientOptions): Settings {
  const random = options.random ?? Math.random;
  const offlineCheckMs = options.offlineCheckMs ?? 60_000;
  return {
    transport: options.transport ?? 'auto',
    keepaliveMs: options.keepaliveMs ?? 20_000,
    silenceMs: options.silenceMs ?? 30_000,
    joinTimeoutMs: options.joinTimeoutMs ?? 10_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    offlineCheckMs,
    restrictedCheckMs: options.restrictedCheckMs ?? 600_000,
    recovery: {
      baseMs: options.backoff?.baseMs ?? 1000,
      maxMs: options.backoff?.maxMs ?? 60_000,
      stableSessionMs: options.stableSessionMs ?? 30_000,
      offlineCheckMs,
      random,
    },
    table: { ...DEFAULT_RECOVERY, ...options.recovery },
    random,
    logger: options.logger ?? silentLogger,
  };
}

export function createSoopChatClient(streamerId: string, options: SoopChatClientOptions): SoopChatClient {
  const settings = resolveSettings(options);
  const framer = new PacketFramer(options.framerOptions);
  let running = false;
  return {
    framing: framer.counters,
    run: async (handlers, signal) => {
      // One framer (and one connection) per client: a second concurrent run would interleave them.
      if (running) throw new Error(`The SOOP chat client for "${streamerId}" is already running.`);
      running = true;
      try {
        await new ChatRunner(streamerId, options.fetchLiveInfo, settings, framer, handlers, signal).run();
      } finally {
        running = false;
      }
    },
  };
}

/** How one connection ended. `aborted` is the caller stopping us, not a failure. */
interface SessionOutcome {
  readonly end: SessionEnd | 'aborted';
  readonly detail: string;
  readonly joinedForMs: number;
  /** Joined, then received a message or a pong. */
  readonly receivedData: boolean;
}

type OpenResult = { readonly socket: WebSocket } | { readonly error: string };

const restrictedReasons: Record<Exclude<LiveInfo['status'], 'live' | 'offline'>, RestrictedReason> = {
  adult: 'adult',
  adultPassword: 'adultPassword',
  subscribersOnly: 'subscribersOnly',
  password: 'password',
  unknown: 'unknown',
};

/** One `run()`: the loop of live-info checks, sessions and waits until the signal aborts. */
class ChatRunner {
  /** Step on the backoff ladder (consecutive failures). */
  private attempt = 0;
  /** Set by 0088: live info may keep reporting this broadcast for a while; never rejoin it. */
  private endedBroadcastNo: string | undefined;
  /** The next live-info check follows a dropped live session: let the budget serve it first. */
  private urgent = false;
  /** For 'auto': the transport that last opened, tried first next time. */
  private preferred: 'wss' | 'ws';

  constructor(
    private readonly streamerId: string,
    private readonly fetchLiveInfo: LiveInfoFetcher,
    private readonly settings: Settings,
    private readonly framer: PacketFramer,
    private readonly handlers: ChatSourceHandlers,
    private readonly signal: AbortSignal,
  ) {
    this.preferred = settings.transport === 'ws' ? 'ws' : 'wss';
  }

  async run(): Promise<void> {
    try {
      while (!this.signal.aborted) await this.cycle();
    } catch (err) {
      // Only a bug can get here (every network failure is an outcome); never reject run().
      this.settings.logger.warn({ streamerId: this.streamerId, err: describeError(err) }, 'SOOP chat client failed unexpectedly');
    }
    this.emit({ state: 'stopped' });
  }

  private async cycle(): Promise<void> {
    this.emit({ state: 'checking' });
    let info: LiveInfo;
    try {
      info = await this.fetchLiveInfo(this.streamerId, this.signal, { urgent: this.urgent });
    } catch (err) {
      if (this.signal.aborted) return;
      const end = err instanceof SoopHostError ? 'liveInfoHostGone' : 'liveInfoFailed';
      await this.recover({ end, detail: describeError(err), joinedForMs: 0, receivedData: false }, undefined);
      return;
    }
    this.urgent = false;
    switch (info.status) {
      case 'live':
        return this.joinBroadcast(info);
      case 'offline':
        this.emit({ state: 'offline' });
        return this.wait(jittered(this.settings.offlineCheckMs, this.settings.random));
      default:
        this.emit({ state: 'restricted', reason: restrictedReasons[info.status] });
        return this.wait(jittered(this.settings.restrictedCheckMs, this.settings.random));
    }
  }

  private async joinBroadcast(info: LiveBroadcast): Promise<void> {
    if (info.broadcastNo === this.endedBroadcastNo) {
      this.emit({ state: 'ended', broadcastNo: info.broadcastNo });
      return this.wait(jittered(this.settings.offlineCheckMs, this.settings.random));
    }
    this.emit({ state: 'connecting', broadcastNo: info.broadcastNo, attempt: this.attempt + 1 });
    const outcome = await this.connect(info);
    if (outcome.end === 'aborted' || this.signal.aborted) return;
    await this.recover({ ...outcome, end: outcome.end }, info.broadcastNo);
  }

  private async recover(outcome: SessionOutcome & { end: SessionEnd }, broadcastNo: string | undefined): Promise<void> {
    const plan = planRecovery(outcome.end, { attempt: this.attempt, joinedForMs: outcome.joinedForMs, receivedData: outcome.receivedData }, this.settings.recovery, this.settings.table);
    this.attempt = plan.nextAttempt;
    // Details for whoever debugs; the engine turns state changes into the lines a person reads.
    this.settings.logger.debug(
      { streamerId: this.streamerId, end: outcome.end, detail: outcome.detail, joinedForMs: Math.round(outcome.joinedForMs), action: plan.action, delayMs: plan.delayMs },
      outcome.joinedForMs > 0 ? 'SOOP chat session ended' : 'SOOP chat connection attempt failed',
    );
    this.actions[plan.action](outcome, broadcastNo, plan.delayMs);
    await this.wait(plan.delayMs);
  }

  private readonly actions: Record<RecoveryAction, (outcome: SessionOutcome & { end: SessionEnd }, broadcastNo: string | undefined, delayMs: number) => void> = {
    verifyThenReconnect: (outcome, _broadcastNo, delayMs) => {
      this.urgent = true;
      const reason = outcome.detail ? `${outcome.end}: ${outcome.detail}` : outcome.end;
      this.emit({ state: 'reconnecting', reason, delayMs, cause: this.settings.table[outcome.end].cause });
    },
    waitForLive: (_outcome, broadcastNo) => {
      this.urgent = false;
      this.endedBroadcastNo = broadcastNo;
      this.emit(broadcastNo === undefined ? { state: 'offline' } : { state: 'ended', broadcastNo });
    },
  };

  private async connect(info: LiveBroadcast): Promise<SessionOutcome> {
    const transports = this.transportOrder();
    let error = '';
    for (const transport of transports) {
      const url = chatUrl(transport, info, this.streamerId);
      const opened = await openWebSocket(url, this.settings.connectTimeoutMs, this.signal);
      if (this.signal.aborted) {
        if ('socket' in opened) opened.socket.terminate(); // opened in the same tick as the abort
        return { end: 'aborted', detail: '', joinedForMs: 0, receivedData: false };
      }
      if ('socket' in opened) {
        this.preferred = transport;
        this.framer.reset();
        const checkLive = (): Promise<LiveInfo> => this.fetchLiveInfo(this.streamerId, this.signal);
        return new ChatSession(opened.socket, info, this.settings, this.framer, this.handlers, this.signal, (s) => this.emit(s), checkLive).done;
      }
      error = `${url}: ${opened.error}`;
      this.settings.logger.debug({ streamerId: this.streamerId, url, err: opened.error }, 'SOOP chat socket did not open');
    }
    return { end: 'connectFailed', detail: error, joinedForMs: 0, receivedData: false };
  }

  private transportOrder(): readonly ('wss' | 'ws')[] {
    if (this.settings.transport !== 'auto') return [this.settings.transport];
    return this.preferred === 'wss' ? ['wss', 'ws'] : ['ws', 'wss'];
  }

  /** Waits, or returns early when aborted (the loop then stops). */
  private wait(ms: number): Promise<void> {
    return sleep(ms, this.signal).catch(noop);
  }

  private emit(state: ChatSourceState): void {
    try {
      this.handlers.onState(state);
    } catch (err) {
      this.settings.logger.warn({ streamerId: this.streamerId, err: describeError(err) }, 'onState handler threw');
    }
  }
}

function chatUrl(transport: 'wss' | 'ws', info: LiveBroadcast, streamerId: string): string {
  const port = transport === 'wss' ? info.chatPort + 1 : info.chatPort;
  return `${transport}://${info.chatHost}:${port}/Websocket/${encodeURIComponent(streamerId)}`;
}

/** Opens a websocket with subprotocol `chat`; resolves with the open socket or why it failed. */
function openWebSocket(url: string, timeoutMs: number, signal: AbortSignal): Promise<OpenResult> {
  return new Promise((resolve) => {
    let socket: WebSocket;
    try {
      // `ws` spells the upgrade headers the way SOOP's server insists on (see soop-protocol.md §2).
      socket = new WebSocket(url, 'chat', {
        origin: soopPlayerUrl(),
        handshakeTimeout: timeoutMs,
        perMessageDeflate: false,
        maxPayload: MAX_MESSAGE_BYTES,
        followRedirects: false,
      });
    } catch (err) {
      // e.g. a chat host from live info that is not a valid URL host
      resolve({ error: describeError(err) });
      return;
    }
    socket.binaryType = 'nodebuffer';
    const settle = (result: OpenResult): void => {
      socket.off('open', onOpen);
      socket.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onOpen = (): void => {
      socket.off('error', onError);
      settle({ socket });
    };
    // 'error' stays attached until after the socket is gone, so a late error is never unhandled.
    let lastError = 'the connection closed during the websocket handshake';
    const onError = (err: Error): void => {
      lastError = err.message;
    };
    const onClose = (): void => settle({ error: lastError });
    const onAbort = (): void => {
      socket.terminate();
      settle({ error: 'aborted' });
    };
    socket.on('open', onOpen);
    socket.on('error', onError);
    socket.on('close', onClose);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return new Uint8Array(data);
}

/** Field 1 of a reply body, for the handshake checks and error details. */
function firstField(body: Uint8Array): string {
  return splitFields(body)[1] ?? '';
}

/**
 * One open websocket: login, join, keepalive, watchdog. Resolves `done` exactly once, after which
 * every timer is cleared and the socket is gone. Handlers are bound once per session, not per message.
 */
class ChatSession {
  readonly done: Promise<SessionOutcome>;
  private phase: 'login' | 'join' | 'joined' = 'login';
  private finished = false;
  private joinedAt = 0;
  private resolveDone: (outcome: SessionOutcome) => void = noop;
  private readonly handshakeTimer: NodeJS.Timeout;
  /** Ticks every tenth of `silenceMs` (cheaper than re-arming a timer per message). */
  private readonly watchdog: NodeJS.Timeout;
  /** When the last message or pong arrived: the connection is alive. */
  private lastHeardAt: number;
  private pingOutstanding = false;
  /** Something (a message or a pong) arrived after the join reply. */
  private heardSinceJoin = false;
  /** When live info last confirmed this broadcast during a quiet spell (0: not yet). */
  private liveCheckedAt = 0;
  private liveCheckRunning = false;
  /** When the message being framed arrived (one clock read per message, not per packet). */
  private messageAt = 0;
  private keepaliveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly info: LiveBroadcast,
    private readonly settings: Settings,
    private readonly framer: PacketFramer,
    private readonly handlers: ChatSourceHandlers,
    private readonly signal: AbortSignal,
    private readonly emit: (state: ChatSourceState) => void,
    private readonly checkLive: () => Promise<LiveInfo>,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.lastHeardAt = performance.now();
    socket.on('message', this.onMessage);
    socket.on('pong', this.onPong);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
    signal.addEventListener('abort', this.onAbort, { once: true });
    this.handshakeTimer = setTimeout(this.onHandshakeTimeout, settings.joinTimeoutMs);
    this.watchdog = setInterval(this.checkLiveness, Math.max(1, Math.floor(settings.silenceMs / 10)));
    socket.send(LOGIN);
  }

  private readonly onMessage = (data: WebSocket.RawData): void => {
    this.messageAt = performance.now();
    this.lastHeardAt = this.messageAt;
    if (this.phase === 'joined') this.heardSinceJoin = true;
    this.framer.push(toBytes(data), this.onPacket, this.onFramingError);
  };

  private readonly onPong = (): void => {
    const now = performance.now();
    this.lastHeardAt = now;
    this.pingOutstanding = false;
    if (this.phase !== 'joined') return;
    this.heardSinceJoin = true;
    // Alive but without chat: a quiet room. Make sure the broadcast is still the one we joined.
    if (!this.liveCheckRunning && (this.liveCheckedAt === 0 || now - this.liveCheckedAt >= this.settings.offlineCheckMs)) this.verifyQuietRoom();
  };

  private verifyQuietRoom(): void {
    this.liveCheckRunning = true;
    this.checkLive().then(
      (info) => {
        this.liveCheckRunning = false;
        this.liveCheckedAt = performance.now();
        if (info.status === 'live' || info.status === 'password') {
          if (info.broadcastNo === this.info.broadcastNo && info.chatNo === this.info.chatNo) return;
          return this.finish('broadcastGone', `live info reports broadcast ${info.broadcastNo}, not ${this.info.broadcastNo}`);
        }
        this.finish('broadcastGone', `live info reports "${info.status}" for a quiet room`);
      },
      () => {
        // Live info unavailable: the pong already proved the connection; keep it and ask again later.
        this.liveCheckRunning = false;
        this.liveCheckedAt = performance.now();
      },
    );
  }

  private readonly onPacket = (packet: RawPacket): void => {
    if (this.finished) return;
    try {
      this.handlers.onPacket(packet, this.messageAt);
    } catch (err) {
      this.settings.logger.warn({ code: packet.code, err: describeError(err) }, 'onPacket handler threw');
    }
    switch (packet.code) {
      case ServiceCode.login:
        return this.onLoginReply(packet);
      case ServiceCode.join:
        return this.onJoinReply(packet);
      case ServiceCode.broadcastEnd:
        return this.finish('broadcastEnded', '0088 close-broad');
    }
  };

  private onLoginReply(packet: RawPacket): void {
    if (this.phase !== 'login') return;
    if (packet.returnCode !== 0) {
      this.finish('loginRefused', `return code ${packet.returnCode}: ${firstField(packet.body)}`);
      return;
    }
    this.phase = 'join';
    this.socket.send(joinPacket(this.info.chatNo));
  }

  private onJoinReply(packet: RawPacket): void {
    if (this.phase !== 'join') return;
    const chatNo = firstField(packet.body);
    if (packet.returnCode !== 0 || chatNo !== this.info.chatNo) {
      this.finish('joinRefused', `return code ${packet.returnCode}, chat room "${chatNo}" (expected "${this.info.chatNo}")`);
      return;
    }
    this.phase = 'joined';
    this.joinedAt = performance.now();
    clearTimeout(this.handshakeTimer);
    this.keepaliveTimer = setInterval(this.sendKeepalive, this.settings.keepaliveMs);
    this.emit({
      state: 'joined',
      broadcastNo: this.info.broadcastNo,
      chatNo: this.info.chatNo,
      title: this.info.title,
      streamerNickname: this.info.streamerNickname,
    });
  }

  private readonly sendKeepalive = (): void => {
    this.socket.send(KEEPALIVE);
  };

  private readonly onFramingError = (error: FramingError): void => {
    this.settings.logger.debug({ chatNo: this.info.chatNo, error: error.error, code: error.code }, 'SOOP framing error');
  };

  private readonly onHandshakeTimeout = (): void => {
    this.finish('joinTimeout', `no ${this.phase === 'login' ? '0001 login' : '0002 join'} reply within ${this.settings.joinTimeoutMs} ms`);
  };

  /**
   * Half of `silenceMs` without anything → ping; 0.8 × `silenceMs` without data or pong → stalled.
   * With ticks of a tenth, the ping leaves by 0.6 × and a stall is noticed by 0.9 × `silenceMs`.
   */
  private readonly checkLiveness = (): void => {
    const silentFor = performance.now() - this.lastHeardAt;
    if (silentFor >= this.settings.silenceMs * 0.8) {
      this.finish('stalled', `nothing received for ${Math.round(silentFor)} ms, not even a pong`);
      return;
    }
    if (silentFor >= this.settings.silenceMs / 2 && !this.pingOutstanding) {
      this.pingOutstanding = true;
      try {
        this.socket.ping();
      } catch {
        // not open any more: the close event ends the session
      }
    }
  };

  private readonly onClose = (code: number): void => {
    this.finish('socketClosed', `closed by the server (code ${code})`);
  };

  private readonly onError = (err: Error): void => {
    this.finish('socketError', err.message);
  };

  private readonly onAbort = (): void => {
    this.finish('aborted', '');
  };

  private finish(end: SessionOutcome['end'], detail: string): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.handshakeTimer);
    clearInterval(this.watchdog);
    clearInterval(this.keepaliveTimer);
    this.signal.removeEventListener('abort', this.onAbort);
    this.socket.off('message', this.onMessage);
    this.socket.off('pong', this.onPong);
    this.socket.off('close', this.onClose);
    // onError stays: `ws` must always have an 'error' listener, and finish() ignores repeats.
    this.socket.terminate();
    this.framer.reset();
    const joinedForMs = this.phase === 'joined' ? performance.now() - this.joinedAt : 0;
    this.resolveDone({ end, detail, joinedForMs, receivedData: this.heardSinceJoin });
  }
}
