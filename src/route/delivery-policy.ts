/**
 * What a failed send leads to, as data (like a websocket close-code table): one row per kind of
 * failure, read by the router. Pure: no clock, no store.
 *
 * | failure      | decision  | ends after the give-up window? |
 * |--------------|-----------|--------------------------------|
 * | rateLimited  | wait      | yes (the row is given up)      |
 * | transient    | retry     | yes                            |
 * | rendering    | rerender  | yes; already minimal → giveUp  |
 * | migrated     | move      | no                             |
 * | gone         | pause     | no                             |
 *
 * "rendering" is a 400 about the message we built (too long, empty, bad markup): our bug, so the
 * destination is never paused for it; the same alerts go again in a minimal safe form, and only a
 * minimal form that is refused too is given up (that message only).
 */
import type { DeliveryError } from '../core/errors.js';

export type FailureKind = 'rateLimited' | 'transient' | 'rendering' | 'migrated' | 'gone';

export type Decision =
  /** Pause the destination for retry_after, then send the same message again. */
  | 'wait'
  /** Send the same message again after a capped backoff. */
  | 'retry'
  /** Send the same alerts again at once, rendered in the minimal safe form. */
  | 'rerender'
  /** Telegram group became a supergroup: move the subscriptions and resend there. */
  | 'move'
  /** The destination is gone or forbids us: pause its subscriptions, end its rows. */
  | 'pause'
  /** End this message's rows (counted, logged, shown in /status). */
  | 'giveUp';

interface PolicyRow {
  readonly decision: Decision;
  /** What to do instead when the message already went in the minimal form. */
  readonly whenMinimal?: Decision;
  /** The give-up window applies: past it, the decision becomes giveUp. */
  readonly expires: boolean;
}

export const DELIVERY_POLICY: Readonly<Record<FailureKind, PolicyRow>> = {
  rateLimited: { decision: 'wait', expires: true },
  transient: { decision: 'retry', expires: true },
  rendering: { decision: 'rerender', whenMinimal: 'giveUp', expires: true },
  migrated: { decision: 'move', expires: false },
  gone: { decision: 'pause', expires: false },
};

export const DEFAULT_GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

export function failureKind(error: DeliveryError): FailureKind {
  switch (error.kind) {
    case 'rateLimited':
      return 'rateLimited';
    case 'transient':
      return 'transient';
    case 'rendering':
      return 'rendering';
    case 'permanent':
      return error.migrateTo !== undefined ? 'migrated' : 'gone';
  }
}

export interface FailureContext {
  /** The message already went in the minimal form. */
  readonly minimal: boolean;
  /** When the message's oldest row was first attempted (ms epoch). */
  readonly firstAttemptAt: number;
  readonly now: number;
  readonly giveUpAfterMs: number;
}

export function decide(kind: FailureKind, context: FailureContext): Decision {
  const row = DELIVERY_POLICY[kind];
  if (row.expires && context.now - context.firstAttemptAt >= context.giveUpAfterMs) return 'giveUp';
  if (context.minimal && row.whenMinimal !== undefined) return row.whenMinimal;
  return row.decision;
}
