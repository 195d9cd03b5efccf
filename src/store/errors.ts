/** Errors the subscription store throws; each message is a sentence a user can be shown as is. */
import { AppError } from '../core/errors.js';
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

/** Adding one more subscription would exceed a per-destination or per-guild limit. */
export class LimitError extends AppError {
  readonly scope: LimitScope;
  readonly limit: number;

  constructor(scope: LimitScope, limit: number, destination: Destination) {
    const where = scope === 'guild' ? 'This server' : `This ${destinationNoun(destination.platform)}`;
    super('SUBSCRIPTION_LIMIT', `${where} has reached its limit of ${limit} subscription${limit === 1 ? '' : 's'}.`);
    this.scope = scope;
    this.limit = limit;
  }
}

/** The destination already has a subscription to this streamer. */
export class DuplicateError extends AppError {
  readonly streamerId: string;
  /** The subscription that already exists. */
  readonly existingId: number;

  constructor(destination: Destination, streamerId: string, existingId: number) {
    super('SUBSCRIPTION_DUPLICATE', `This ${destinationNoun(destination.platform)} already watches ${streamerId}.`);
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
