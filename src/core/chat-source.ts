/**
 * The port an engine reads a streamer's chat through. The SOOP client implements it (src/soop/);
 * tests may implement it directly. A source owns the connection lifecycle (live-info checks,
 * connect, login, join, keepalive, watchdog, reconnect); the engine owns queueing and decoding.
 * It lives in core/ so that soop/ can implement it without importing engine/ (DESIGN.md
 * dependency rule); src/engine/chat-source.ts re-exports it.
 */
import type { RawPacket } from './packet.js';

export type RestrictedReason = 'adult' | 'adultPassword' | 'subscribersOnly' | 'password' | 'unknown';

/**
 * Why a source is reconnecting, in the words a person is told (the SOOP client's recovery table
 * decides). `hostGone`: the configured SOOP address is moved or dead (it does not resolve,
 * redirects elsewhere, or answers a page instead of the API), so only a configuration change helps.
 */
export type ReconnectCause = 'unreachable' | 'refused' | 'dropped' | 'ended' | 'hostGone';

export type ChatSourceState =
  | { readonly state: 'checking' }
  | { readonly state: 'offline' }
  | { readonly state: 'restricted'; readonly reason: RestrictedReason }
  | { readonly state: 'connecting'; readonly broadcastNo: string; readonly attempt: number }
  | {
      readonly state: 'joined';
      readonly broadcastNo: string;
      readonly chatNo: string;
      readonly title: string;
      readonly streamerNickname: string;
    }
  | { readonly state: 'reconnecting'; readonly reason: string; readonly delayMs: number; readonly cause?: ReconnectCause }
  /** The broadcast ended (0088): no reconnect until live info says live again. */
  | { readonly state: 'ended'; readonly broadcastNo: string }
  | { readonly state: 'stopped' };

export type ChatSourceStateName = ChatSourceState['state'];

export interface ChatSourceHandlers {
  /** Every framed packet from the server, in order. `receivedAt` is performance.now() at receipt. */
  onPacket(packet: RawPacket, receivedAt: number): void;
  onState(state: ChatSourceState): void;
}

export interface ChatSource {
  /** Runs until `signal` aborts (then reports `stopped` and resolves). Never rejects for network reasons. */
  run(handlers: ChatSourceHandlers, signal: AbortSignal): Promise<void>;
}

export type ChatSourceFactory = (streamerId: string) => ChatSource;
