/**
 * Recovery as data: every way a chat session (or the live-info check before it) can end maps to
 * one rule in a table, like discord.js maps websocket close codes. The client looks the rule up;
 * it holds no reconnect `if`s of its own.
 */
import { backoffDelay } from '../core/async.js';

export type SessionEnd =
  /** The live-info request failed (network, timeout, HTTP error, malformed reply). */
  | 'liveInfoFailed'
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
  /** Watchdog: nothing at all received for silenceMs. */
  | 'stalled'
  /** `0088` CLOSE_BROAD: the broadcast is over. */
  | 'broadcastEnded';

export type RecoveryAction =
  /** Wait, re-read live info (CHATNO changes every broadcast), then connect if still live. */
  | 'verifyThenReconnect'
  /** The broadcast is over: check live info on the offline cadence; connect only to a NEW broadcast. */
  | 'waitForLive';

export interface RecoveryRule {
  readonly action: RecoveryAction;
  /** `grow`: exponential backoff with jitter; `reset`: start the ladder over. */
  readonly backoff: 'reset' | 'grow';
  /** How long to wait: the backoff ladder, or the offline live-info cadence. */
  readonly delay: 'backoff' | 'offlineCadence';
  /** Never retry sooner than this (server refusals: do not hammer it). */
  readonly minDelayMs?: number;
}

export type RecoveryTable = Readonly<Record<SessionEnd, RecoveryRule>>;

export const DEFAULT_RECOVERY: RecoveryTable = {
  liveInfoFailed: { action: 'verifyThenReconnect', backoff: 'grow', delay: 'backoff' },
  connectFailed: { action: 'verifyThenReconnect', backoff: 'grow', delay: 'backoff' },
  loginRefused: { action: 'verifyThenReconnect', backoff: 'grow', delay: 'backoff', minDelayMs: 10_000 },
  joinRefused: { action: 'verifyThenReconnect', backoff: 'grow', delay: 'backoff', minDelayMs: 10_000 },
  joinTimeout: { action: 'verifyThenReconnect', backoff: 'grow', delay: 'backoff' },
  socketClosed: { action: 'verifyThenReconnect', backoff: 'grow', delay: 'backoff' },
  socketError: { action: 'verifyThenReconnect', backoff: 'grow', delay: 'backoff' },
  stalled: { action: 'verifyThenReconnect', backoff: 'grow', delay: 'backoff' },
  broadcastEnded: { action: 'waitForLive', backoff: 'reset', delay: 'offlineCadence' },
};

export interface RecoverySettings {
  readonly baseMs: number;
  readonly maxMs: number;
  /** A session that stayed joined this long counts as healthy: the backoff starts over. */
  readonly stableSessionMs: number;
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
};

const nextAttempts: Record<RecoveryRule['backoff'], (attempt: number) => number> = {
  grow: (attempt) => attempt + 1,
  reset: () => 0,
};

/** What to do after `end`, given the current backoff step and how long the session was joined. */
export function planRecovery(
  end: SessionEnd,
  state: { readonly attempt: number; readonly joinedForMs: number },
  settings: RecoverySettings,
  table: RecoveryTable = DEFAULT_RECOVERY,
): RecoveryPlan {
  const rule = table[end];
  const attempt = state.joinedForMs >= settings.stableSessionMs ? 0 : state.attempt;
  const delayMs = Math.max(rule.minDelayMs ?? 0, delays[rule.delay](attempt, settings));
  return { action: rule.action, delayMs, nextAttempt: nextAttempts[rule.backoff](attempt) };
}
