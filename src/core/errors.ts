/** One error base with a stable code; every user-facing message is a clear sentence. */
export class AppError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Configuration is invalid: lists every problem at once. */
export class ConfigError extends AppError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('CONFIG_INVALID', `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Where a refusal happened, as the sentence names it. */
export type Place = 'channel' | 'chat' | 'server' | 'console';

/**
 * What the bot cannot do for a person, as a stable code and its arguments. Never a sentence: the
 * reply is rendered from it in the reader's language (src/i18n/replies.ts).
 */
export type Problem =
  | { readonly code: 'STREAMER_ID_INVALID'; readonly given: string }
  | { readonly code: 'KEYWORD_TOO_LONG'; readonly keyword: string; readonly max: number }
  | { readonly code: 'KEYWORDS_TOO_MANY'; readonly max: number }
  | { readonly code: 'KEYWORDS_MISSING' }
  | { readonly code: 'EVENT_UNKNOWN'; readonly given: string; readonly known: readonly string[] }
  | { readonly code: 'EVENTS_MISSING'; readonly known: readonly string[] }
  | { readonly code: 'COUNT_INVALID'; readonly option: 'min_balloons' | 'loud_above'; readonly max: number }
  | { readonly code: 'ENGINE_LIMIT' }
  | { readonly code: 'SUBSCRIPTION_LIMIT'; readonly place: Place; readonly limit: number }
  | { readonly code: 'SUBSCRIPTION_DUPLICATE'; readonly place: Place; readonly streamerId: string }
  | { readonly code: 'NOT_WATCHED'; readonly place: Place; readonly streamerId: string }
  | { readonly code: 'NOTHING_WATCHED'; readonly place: Place }
  | { readonly code: 'WATCH_FIRST' }
  | { readonly code: 'LANGUAGE_UNKNOWN'; readonly given: string };

export type ProblemCode = Problem['code'];

/**
 * A person asked for something the bot cannot accept (bad streamer id, bad number, a limit, ...).
 * Its `problem` is what the reply is rendered from; `message` is for logs only.
 */
export class InputError extends AppError {
  readonly problem: Problem;
  constructor(problem: Problem, logMessage?: string) {
    const { code, ...args } = problem;
    super(code, logMessage ?? `${code} ${JSON.stringify(args)}`);
    this.problem = problem;
  }
}

/** A SOOP HTTP or websocket call failed. */
export class SoopError extends AppError {}

/**
 * The live-info address itself is wrong, not the streamer: its host does not resolve (ENOTFOUND),
 * it redirects elsewhere (SOOP moved it), or it answers an HTML page instead of the API's JSON.
 * Retrying the same address cannot help until the configuration (SOOP_LIVE_INFO_URL) changes, so
 * the chat client reports it as its own cause instead of an ordinary network failure.
 */
export type SoopHostProblem =
  | { readonly kind: 'notFound'; readonly url: string; readonly host: string }
  | { readonly kind: 'moved'; readonly url: string; readonly status: number; readonly location: string }
  | { readonly kind: 'notApi'; readonly url: string };

const HOST_PROBLEM_CODES: Readonly<Record<SoopHostProblem['kind'], string>> = {
  notFound: 'SOOP_HOST_NOT_FOUND',
  moved: 'SOOP_HOST_MOVED',
  notApi: 'SOOP_HOST_NOT_API',
};

/** The configured SOOP address is moved or dead (see SoopHostProblem). */
export class SoopHostError extends SoopError {
  readonly problem: SoopHostProblem;
  constructor(problem: SoopHostProblem, message: string, options?: { cause?: unknown }) {
    super(HOST_PROBLEM_CODES[problem.kind], message, options);
    this.problem = problem;
  }
}

/**
 * `rendering`: the platform refused this one message as we built it (a 400 about its form: too
 * long, empty, bad markup). Our bug, not the destination's: the destination keeps its alerts.
 */
export type DeliveryErrorKind = 'rateLimited' | 'permanent' | 'transient' | 'rendering';

/** What a platform adapter says about a failed send. */
export class DeliveryError extends AppError {
  readonly kind: DeliveryErrorKind;
  /** For `rateLimited`: how long to wait, in ms. */
  readonly retryAfterMs: number;
  /** For `permanent`: a Telegram group upgraded to a supergroup moved here. */
  readonly migrateTo: string | undefined;

  private constructor(
    kind: DeliveryErrorKind,
    message: string,
    opts: { retryAfterMs?: number; migrateTo?: string; cause?: unknown },
  ) {
    super(`DELIVERY_${kind.toUpperCase()}`, message, { cause: opts.cause });
    this.kind = kind;
    this.retryAfterMs = opts.retryAfterMs ?? 0;
    this.migrateTo = opts.migrateTo;
  }

  static rateLimited(retryAfterMs: number, cause?: unknown): DeliveryError {
    return new DeliveryError('rateLimited', `rate limited; retry after ${retryAfterMs} ms`, { retryAfterMs, cause });
  }

  static permanent(message: string, opts: { migrateTo?: string; cause?: unknown } = {}): DeliveryError {
    return new DeliveryError('permanent', message, opts);
  }

  static transient(message: string, cause?: unknown): DeliveryError {
    return new DeliveryError('transient', message, { cause });
  }

  static rendering(message: string, cause?: unknown): DeliveryError {
    return new DeliveryError('rendering', message, { cause });
  }
}

/** A short human description of anything thrown, never a stack. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
