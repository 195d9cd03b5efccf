/**
 * pino logger: JSON by default (every structured field, for machines); on a terminal one readable
 * line per record, with the fields only at debug; tokens are always redacted.
 */
import { pino, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger };

const SECRET_PATTERNS: RegExp[] = [
  /\bbot\d{5,}:[A-Za-z0-9_-]{20,}/g, // Telegram token inside a URL (…/bot123:ABC…/sendMessage)
  /\b\d{5,}:[A-Za-z0-9_-]{30,}\b/g, // bare Telegram token
  /\b[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}\b/g, // Discord bot token
];

/** Replaces anything that looks like a token, plus the configured secrets themselves. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[REDACTED]');
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '[REDACTED]');
  return out;
}

export interface LoggerOptions {
  readonly level: string;
  readonly secrets?: readonly string[];
  /** Where lines go; defaults to stdout. */
  readonly destination?: { write(line: string): void };
  /** Human-readable lines (for a terminal) instead of JSON; goes to file descriptor `prettyFd`. */
  readonly pretty?: boolean;
  readonly prettyFd?: 1 | 2;
  /** Where human-readable lines go instead of `prettyFd` (tests capture them). */
  readonly prettyStream?: NodeJS.WritableStream;
}

const NOT_DETAILS = new Set(['level', 'time', 'pid', 'hostname']);
const WARN = 40;

/**
 * A record on a terminal below debug: its message alone, one line (the state lines are written to
 * be read so). Warnings and errors keep their fields, compactly on the same line.
 */
function terminalLine(log: Record<string, unknown>, messageKey: string): string {
  const message = typeof log[messageKey] === 'string' ? log[messageKey] : '';
  if (typeof log.level !== 'number' || log.level < WARN) return message;
  const details = Object.entries(log)
    .filter(([key]) => key !== messageKey && !NOT_DETAILS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return details.length > 0 ? `${message} (${details.join(', ')})` : message;
}

/** pino-pretty for a terminal: one line per record; the structured fields too at debug and trace. */
function terminalStream(level: string, destination: 1 | 2 | NodeJS.WritableStream): ReturnType<typeof pinoPretty> {
  const detailed = level === 'debug' || level === 'trace';
  return pinoPretty({
    colorize: true,
    destination,
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    ...(detailed ? { singleLine: true } : { hideObject: true, messageFormat: terminalLine }),
  });
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  const target = options.pretty ? terminalStream(options.level, options.prettyStream ?? options.prettyFd ?? 1) : (options.destination ?? process.stdout);
  const stream = { write: (line: string): void => void target.write(redactSecrets(line, secrets)) };
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization'], censor: '[REDACTED]' },
    },
    stream,
  );
}

/** A logger that drops everything, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
