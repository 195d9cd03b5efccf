/**
 * Recovery as data: every way a chat session (or the live-info check before it) can end maps to
 * one rule in a table, like discord.js maps websocket close codes. The client looks the rule up;
 * it holds no reconnect `if`s of its own.
 */
import { backoffDelay } from '../core/async.js';
import type { ReconnectCause } from '../core/chat-source.js';

export type SessionEnd =
  /** The live-info request failed (network, timeout, HTTP error, malformed reply). */
  | 'liveInfoFailed'
  /** The live-info address is moved or dead (ENOTFOUND, a redirect, an HTML page): a SoopHostError. */
  | 'liveInfoHostGone'
  /** The websocket never opened (refused, TLS cut, handshake timeout) on any transport. */
  | 'connectFailed'
  /** `0001` reply with a non-zero trailer (e.g. 07 duplicate session). */
  | 'loginRefused'
  /** `0002` reply with a non-zero trailer or another CHATNO (e.g. wrong password, stale CHATNO). */
  | 'joinRefused'
  /** No `0001`/`0002` reply within joinTimeoutMs. */
  | 'joinTimeout'
  /** The server closed the socket without `0088`. */
  | 'socketClosed'
  /** The socket failed after it opened. */
  | 'socketError'
  /** Watchdog: no data and no answer to a websocket ping (a dead or half-open connection). */
  | 'stalled'
  /** A quiet room answered a ping, but live info no longer reports its broadcast (offline or another one). */
  | 'broadcastGone'
  /** `0088` CLOSE_BROAD: the broadcast is over. */
  | 'broadcastEnded';

export type RecoveryAction =
  /** Wait, re-read live info (CHATNO changes every broadcast), then connect if still live. */
  | 'verifyThenReconnect'
  /** The broadcast is over: check live info on the offline cadence; connect only to a NEW broadcast. */
  | 'waitForLive';

export interface RecoveryRule {
  readonly action: RecoveryAction;
  /** What a person is told: SOOP cannot be reached, SOOP refused us, or a working connection dropped. */
  readonly cause: ReconnectCause;
  /** `grow`: exponential backoff with jitter; `reset`: start the ladder over. */
  readonly backoff: 'reset' | 'grow';
  /** How long to wait: the backoff ladder, or the offline live-info cadence. */
  readonly delay: 'backoff' | 'offlineCadence' | 'none';
  /** Never retry sooner than this (server refusals: do not hammer it). */
  readonly minDelayMs?: number;
  /**
   * `reconnectNow`: when the session had joined, then received data and stayed at least
   * `workingSessionMs`, the connection worked, so its end is not a failure: connect again at once
   * and start the ladder over. Only failed connects climb the backoff ladder. (A server that drops
   * us right after the join is refusing us in effect; that still backs off.)
   */
  readonly afterData?: 'reconnectNow';
}

export type RecoveryTable = Readonly<Record<SessionEnd, RecoveryRule>>;

export const DEFAULT_RECOVERY: RecoveryTable = {
  liveInfoFailed: { action: 'verifyThenReconnect', cause: 'unreachable', backoff: 'grow', delay: 'backoff' },
  // Checked again at most once a minute: the address will not come back by hammering it.
  liveInfoHostGone: { action: 'verifyThenReconnect', cause: 'hostGone', backoff: 'grow', delay: 'backoff', minDelayMs: 60_000 },
  connectFailed: { action: 'verifyThenReconnect', cause: 'unreachable', backoff: 'grow', delay: 'backoff' },
  loginRefused: { action: 'verifyThenReconnect', cause: 'refused', backoff: 'grow', delay: 'backoff', minDelayMs: 10_000 },
  joinRefused: { action: 'verifyThenReconnect', cause: 'refused', backoff: 'grow', delay: 'backoff', minDelayMs: 10_000 },
  joinTimeout: { action: 'verifyThenReconnect', cause: 'unreachable', backoff: 'grow', delay: 'backoff' },
  socketClosed: { action: 'verifyThenReconnect', cause: 'dropped', backoff: 'grow', delay: 'backoff', afterData: 'reconnectNow' },
  socketError: { action: 'verifyThenReconnect', cause: 'dropped', backoff: 'grow', delay: 'backoff', afterData: 'reconnectNow' },
  stalled: { action: 'verifyThenReconnect', cause: 'dropped', backoff: 'grow', delay: 'backoff', afterData: 'reconnectNow' },
  broadcastGone: { action: 'verifyThenReconnect', cause: 'dropped', backoff: 'reset', delay: 'none' },
  broadcastEnded: { action: 'waitForLive', cause: 'ended', backoff: 'reset', delay: 'offlineCadence' },
};

export interface RecoverySettings {
  readonly baseMs: number;
  readonly maxMs: number;
  /** A session that stayed joined this long counts as healthy: the backoff starts over. */
  readonly stableSessionMs: number;
  /** A session that received data counts as working after this long (default 1 s). */
  readonly workingSessionMs?: number;
  readonly offlineCheckMs: number;
  readonly random: () => number;
}

export interface RecoveryPlan {
  readonly action: RecoveryAction;
  readonly delayMs: number;
  /** The backoff step to use next time. */
  readonly nextAttempt: number;
}

/** `ms` ± 20 %, so a thousand clients started together do not poll in lockstep. */
export function jittered(ms: number, random: () => number): number {
  return Math.round(ms * (0.8 + 0.4 * random()));
}

const delays: Record<RecoveryRule['delay'], (attempt: number, s: RecoverySettings) => number> = {
  backoff: (attempt, s) => backoffDelay(attempt, s.baseMs, s.maxMs, s.random),
  offlineCadence: (_attempt, s) => jittered(s.offlineCheckMs, s.random),
  none: () => 0,
};

const nextAttempts: Record<RecoveryRule['backoff'], (attempt: number) => number> = {
  grow: (attempt) => attempt + 1,
  reset: () => 0,
};

export interface SessionRecord {
  /** The current backoff step (consecutive failed connects). */
  readonly attempt: number;
  /** How long the session stayed joined (0 if it never joined). */
  readonly joinedForMs: number;
  /** It joined and then received data (a message or a pong). */
  readonly receivedData?: boolean;
}

/** What to do after `end`, given the backoff step and how the session went. */
export function planRecovery(end: SessionEnd, state: SessionRecord, settings: RecoverySettings, table: RecoveryTable = DEFAULT_RECOVERY): RecoveryPlan {
  const rule = table[end];
  const worked = state.receivedData === true && state.joinedForMs >= (settings.workingSessionMs ?? 1000);
  if (rule.afterData === 'reconnectNow' && worked) return { action: rule.action, delayMs: 0, nextAttempt: 0 };
  const attempt = state.joinedForMs >= settings.stableSessionMs ? 0 : state.attempt;
  const delayMs = Math.max(rule.minDelayMs ?? 0, delays[rule.delay](attempt, settings));
  return { action: rule.action, delayMs, nextAttempt: nextAttempts[rule.backoff](attempt) };
}
