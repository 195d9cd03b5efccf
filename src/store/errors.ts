/** Errors the subscription store throws. Refusals carry a Problem (the reply is rendered from it); messages are for logs. */
import { AppError, InputError, type Place } from '../core/errors.js';
import type { Destination, Platform } from './types.js';

/** How a destination is called in a sentence: a Discord channel, a Telegram chat. */
export function destinationNoun(platform: Platform): string {
  switch (platform) {
    case 'discord':
      return 'channel';
    case 'telegram':
      return 'chat';
    case 'console':
      return 'console';
  }
}

export type LimitScope = 'destination' | 'guild';

/** How a refusal names the destination (the reply is rendered from the error's problem). */
const placeOf = (platform: Platform): Place => (platform === 'discord' ? 'channel' : platform === 'telegram' ? 'chat' : 'console');

/** Adding one more subscription would exceed a per-destination or per-guild limit. */
export class LimitError extends InputError {
  readonly scope: LimitScope;
  readonly limit: number;

  constructor(scope: LimitScope, limit: number, destination: Destination) {
    const where = scope === 'guild' ? 'This server' : `This ${destinationNoun(destination.platform)}`;
    super(
      { code: 'SUBSCRIPTION_LIMIT', place: scope === 'guild' ? 'server' : placeOf(destination.platform), limit },
      `${where} has reached its limit of ${limit} subscription${limit === 1 ? '' : 's'}.`,
    );
    this.scope = scope;
    this.limit = limit;
  }
}

/** The destination already has a subscription to this streamer. */
export class DuplicateError extends InputError {
  readonly streamerId: string;
  /** The subscription that already exists. */
  readonly existingId: number;

  constructor(destination: Destination, streamerId: string, existingId: number) {
    super({ code: 'SUBSCRIPTION_DUPLICATE', place: placeOf(destination.platform), streamerId }, `This ${destinationNoun(destination.platform)} already watches ${streamerId}.`);
    this.streamerId = streamerId;
    this.existingId = existingId;
  }
}

/** The database file cannot be opened, created or migrated. */
export class StoreOpenError extends AppError {
  readonly path: string;

  constructor(path: string, reason: string, cause?: unknown) {
    super('STORE_OPEN_FAILED', `Cannot open the subscription database at ${path}: ${reason}`, { cause });
    this.path = path;
  }
}

/**
 * Why the database cannot be used right now: `full` (no space left), `locked` (another connection
 * held the lock past the busy timeout), `read-only` (file or server refuses writes), `gone` (file
 * or I/O failing, server refusing or dropping connections), `timeout` (no answer in time).
 */
export type StorageFailureReason = 'full' | 'locked' | 'read-only' | 'gone' | 'timeout';

/**
 * The database cannot be used right now: a condition outside the bot that usually passes (disk
 * freed, server restarted). Callers keep what they hold in memory and try again; commands answer
 * with the storage sentence of src/i18n/storage.ts. Every store throws this, never a driver error,
 * for such conditions.
 */
export class StorageUnavailableError extends AppError {
  readonly reason: StorageFailureReason;

  constructor(reason: StorageFailureReason, detail: string, cause?: unknown) {
    super('STORAGE_UNAVAILABLE', `The database is unavailable (${reason}): ${detail}`, { cause });
    this.reason = reason;
  }
}

export function isStorageUnavailable(err: unknown): err is StorageUnavailableError {
  return err instanceof StorageUnavailableError;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const { code } = err as { code: unknown };
  return typeof code === 'string' ? code : undefined;
}

const NODE_ERRNO: Readonly<Record<string, StorageFailureReason>> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read-only',
  EACCES: 'read-only',
  EPERM: 'read-only',
  EIO: 'gone',
  ENOENT: 'gone',
  ECONNREFUSED: 'gone',
  ECONNRESET: 'gone',
  ECONNABORTED: 'gone',
  EPIPE: 'gone',
  EHOSTUNREACH: 'gone',
  ENETUNREACH: 'gone',
  ENOTCONN: 'gone',
  ETIMEDOUT: 'timeout',
};

/**
 * The reason a SQLite (better-sqlite3) error means the database is unavailable, or undefined when
 * it is an error of the statement itself (constraint, syntax, misuse), which is a bug or bad input.
 * Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…) are matched by their primary code.
 */
export function sqliteFailureReason(err: unknown): StorageFailureReason | undefined {
  const code = errorCode(err);
  if (code === undefined) return undefined;
  if (code in NODE_ERRNO) return NODE_ERRNO[code];
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'locked';
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return 'read-only';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    // An I/O error while writing with no space left is reported as IOERR by some file systems.
    return code === 'SQLITE_IOERR_WRITE' && /no space|disk is full/i.test(err instanceof Error ? err.message : '') ? 'full' : 'gone';
  }
  if (code === 'SQLITE_PROTOCOL' || code === 'SQLITE_NOLFS') return 'gone';
  return undefined;
}

/**
 * The reason a PostgreSQL error (SQLSTATE or Node socket code, see postgres-sync.ts PgError)
 * means the database is unavailable, or undefined for an error of the statement itself.
 */
export function postgresFailureReason(err: unknown): StorageFailureReason | undefined {
  const code = errorCode(err);
  if (code === 'SOOP_PG_TIMEOUT' || code === '57014') return 'timeout'; // our call timeout; statement_timeout / cancel
  if (code !== undefined && code in NODE_ERRNO) return NODE_ERRNO[code];
  if (code !== undefined) {
    if (code === '53100') return 'full'; // disk_full
    if (code === '25006') return 'read-only'; // read_only_sql_transaction (a standby, or default_transaction_read_only)
    if (code === '55P03' || code === '40P01') return 'locked'; // lock_not_available, deadlock_detected
    // 08 connection exceptions, 57P0x shutdown / cannot connect now, 53 insufficient resources (too many connections, out of memory), 58 system errors.
    if (code.startsWith('08') || code.startsWith('57P') || code.startsWith('53') || code.startsWith('58')) return 'gone';
  }
  const message = err instanceof Error ? err.message : '';
  if (/PostgreSQL is unreachable|connection to PostgreSQL was lost|Connection terminated|not queryable/i.test(message)) return 'gone';
  return undefined;
}
