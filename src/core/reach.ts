/**
 * Start-up against a platform that may be down: try, and on a transient failure wait with capped
 * exponential backoff and try again, until it answers, a fatal error (a rejected token) ends it, or
 * the signal aborts it. The operator is told once when the platform becomes unreachable and once
 * when it answers again — not on every attempt.
 */
import { backoffDelay, sleep } from './async.js';

export interface ReachReport {
  /** The first failure of a run of failures. */
  unreachable(reason: string): void;
  /** Success after failures. */
  reachable(downMs: number): void;
}

export interface ReachOptions {
  readonly signal: AbortSignal;
  /** Errors that retrying cannot fix (a rejected token): thrown at once. */
  readonly isFatal: (err: unknown) => boolean;
  readonly describe: (err: unknown) => string;
  readonly report: ReachReport;
  /** First wait (default 1 s) and longest wait (default 30 s). */
  readonly baseMs?: number;
  readonly maxMs?: number;
  readonly now?: () => number;
}

/** Runs `attempt` until it succeeds; rejects with the fatal error, or with the signal's reason once aborted. */
export async function reach<T>(attempt: (signal: AbortSignal) => Promise<T>, options: ReachOptions): Promise<T> {
  const now = options.now ?? Date.now;
  let downSince: number | undefined;
  for (let failures = 0; ; failures++) {
    options.signal.throwIfAborted();
    try {
      const result = await attempt(options.signal);
      options.signal.throwIfAborted();
      if (downSince !== undefined) options.report.reachable(now() - downSince);
      return result;
    } catch (err) {
      if (options.signal.aborted) throw options.signal.reason;
      if (options.isFatal(err)) throw err;
      if (downSince === undefined) {
        downSince = now();
        options.report.unreachable(options.describe(err));
      }
    }
    await sleep(backoffDelay(failures, options.baseMs ?? 1000, options.maxMs ?? 30_000), options.signal);
  }
}
