/**
 * Turns one engine's stream of status changes into the few lines a person reads: one line when
 * the situation changes (connected, offline, cannot reach SOOP, …), none for the steps in between
 * (checking, connecting) and none for further retries in the same trouble. A dropped connection
 * gets its line only once it is clear how it ended: reconnected (with the gap) or in trouble.
 */
import { engineLines, say, type Locale } from '../i18n/index.js';
import type { EngineStatus } from './streamer-engine.js';

/** What a person is told about; steps in between map to undefined. */
type Situation = 'live' | 'offline' | 'ended' | 'restricted' | 'unreachable' | 'refused' | 'dropped' | 'hostGone' | 'stopped';

export interface StateLine {
  readonly text: string;
  /** The structured fields kept for machines (JSON logs). */
  readonly fields: {
    readonly streamer: string;
    readonly state: EngineStatus['state'];
    readonly situation: Situation;
    readonly broadcast?: string;
    readonly reason?: string;
    readonly retryInMs?: number;
    readonly gapMs?: number;
  };
}

function situationOf(status: EngineStatus, wasLive: boolean): Situation | undefined {
  switch (status.state) {
    case 'joined':
      return 'live';
    case 'offline':
    case 'ended':
    case 'restricted':
    case 'stopped':
      return status.state;
    case 'reconnecting': {
      const cause = status.cause ?? (wasLive ? 'dropped' : 'unreachable');
      return cause === 'ended' ? 'ended' : cause;
    }
    default:
      return undefined; // starting, checking, connecting
  }
}

export class StateLines {
  private current: Situation | undefined;
  /** Since when the connection is down after having been live (for the gap on reconnect). */
  private lostAt: number | undefined;
  private everLive = false;

  constructor(private readonly locale: Locale = 'ko') {}

  /** The line for this status change, or undefined when a person need not be told. */
  next(status: EngineStatus): StateLine | undefined {
    const situation = situationOf(status, this.current === 'live' || this.lostAt !== undefined);
    if (situation === undefined) return undefined;
    if (situation === 'dropped') {
      // Wait for the outcome: a quick reconnect is one line, not two.
      if (this.current === 'live') this.lostAt = status.since;
      if (this.current === 'live' || this.lostAt !== undefined) {
        this.current = 'dropped';
        return undefined;
      }
    }
    // After "the stream ended", "not live" says nothing new.
    if (situation === this.current || (situation === 'offline' && this.current === 'ended')) return undefined;
    const gapMs = situation === 'live' && this.lostAt !== undefined ? Math.max(0, status.since - this.lostAt) : undefined;
    this.lostAt = undefined;
    const text = this.render(situation, status, gapMs);
    this.current = situation;
    if (situation === 'live') this.everLive = true;
    return {
      text: `${status.streamerId}: ${text}`,
      fields: {
        streamer: status.streamerId,
        state: status.state,
        situation,
        ...(status.broadcastNo !== undefined ? { broadcast: status.broadcastNo } : {}),
        ...(status.state === 'reconnecting' && status.lastError !== undefined ? { reason: status.lastError } : {}),
        ...(status.state === 'restricted' && status.restrictedReason !== undefined ? { reason: status.restrictedReason } : {}),
        ...(status.state === 'reconnecting' && status.retryInMs !== undefined ? { retryInMs: status.retryInMs } : {}),
        ...(gapMs !== undefined ? { gapMs } : {}),
      },
    };
  }

  private render(situation: Situation, status: EngineStatus, gapMs: number | undefined): string {
    const l = this.locale;
    const retryMs = status.retryInMs ?? 0;
    switch (situation) {
      case 'live':
        return gapMs !== undefined && this.everLive ? say(l, engineLines.rejoined, gapMs) : say(l, engineLines.joined, status.title ?? '');
      case 'offline':
        return say(l, engineLines.offline);
      case 'ended':
        return say(l, engineLines.ended);
      case 'restricted':
        return say(l, engineLines.restricted[status.restrictedReason ?? 'unknown']);
      case 'unreachable':
        return say(l, engineLines.unreachable, retryMs);
      case 'refused':
        return say(l, engineLines.refused, retryMs);
      case 'dropped':
        return say(l, engineLines.dropped, retryMs);
      case 'hostGone':
        return say(l, engineLines.hostGone, retryMs);
      case 'stopped':
        return say(l, engineLines.stopped);
    }
  }
}

/** The few logger methods the state log uses (pino's Logger fits). */
export interface StateLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * One engine's status handler for the log: every change in detail at debug, and the plain line
 * (with its structured fields, for JSON logs) at info when a person should be told.
 */
export function logEngineStates(logger: StateLogger, locale: Locale = 'ko'): (status: EngineStatus) => void {
  const lines = new StateLines(locale);
  return (status) => {
    logger.debug(
      {
        streamer: status.streamerId,
        state: status.state,
        broadcast: status.broadcastNo,
        reason: status.restrictedReason ?? status.lastError,
        cause: status.cause,
        retryInMs: status.retryInMs,
      },
      'engine state',
    );
    const line = lines.next(status);
    if (line) logger.info(line.fields, line.text);
  };
}
