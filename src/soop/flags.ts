/**
 * SOOP user flags `"flag1|flag2"` (soop-protocol.md §7) → named roles. Two unsigned 32-bit
 * decimal numbers with independent bit meanings. The same few flag strings repeat across a
 * whole chat, so results are cached by the raw string and shared (they are frozen).
 */
import { LRUCache } from 'lru-cache';
import type { Role, UserFlags } from '../core/events.js';

/** flag1 bits. */
export const Flag1 = {
  admin: 1,
  streamer: 1 << 2,
  guest: 1 << 4,
  fanClub: 1 << 5,
  manager: 1 << 8,
  mobile: 1 << 14,
  topFan: 1 << 15,
  realName: 1 << 16,
  quickView: 1 << 19,
  supporter: 1 << 20,
  /** "FOLLOWER": subscriber per three sources; joyfuI finds it undefined in the current player. */
  follower: 1 << 28,
} as const;

/** flag2 bits. */
export const Flag2 = {
  employee: 1 << 10,
  followTier1: 1 << 18,
  followTier2: 1 << 19,
  followTier3: 1 << 20,
} as const;

const MAX_UINT32 = 0xffff_ffff;
const ZERO = 48;
export const DEFAULT_FLAG_CACHE_SIZE = 1024;

/** Parses decimal digits of `raw` in [start, end) as an unsigned 32-bit number; -1 if malformed. */
function parseUint32(raw: string, start: number, end: number): number {
  if (end <= start || end - start > 10) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = raw.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value > MAX_UINT32 ? -1 : value;
}

function has(flags: number, bit: number): boolean {
  return (flags & bit) !== 0;
}

function tierOf(flag2: number): number {
  if (has(flag2, Flag2.followTier3)) return 3;
  if (has(flag2, Flag2.followTier2)) return 2;
  if (has(flag2, Flag2.followTier1)) return 1;
  return 0;
}

function rolesOf(flag1: number, flag2: number, tier: number): Role[] {
  const roles: Role[] = [];
  if (has(flag1, Flag1.admin)) roles.push('admin');
  if (has(flag1, Flag1.streamer)) roles.push('streamer');
  if (has(flag1, Flag1.manager)) roles.push('manager');
  if (has(flag1, Flag1.fanClub)) roles.push('fanClub');
  if (has(flag1, Flag1.topFan)) roles.push('topFan');
  if (tier > 0 || has(flag1, Flag1.follower)) roles.push('subscriber');
  if (has(flag1, Flag1.supporter)) roles.push('supporter');
  if (has(flag1, Flag1.quickView)) roles.push('quickView');
  if (has(flag1, Flag1.mobile)) roles.push('mobile');
  if (has(flag1, Flag1.guest)) roles.push('guest');
  if (has(flag1, Flag1.realName)) roles.push('realName');
  if (has(flag2, Flag2.employee)) roles.push('staff');
  return roles;
}

const NO_ROLES: readonly Role[] = Object.freeze([]);

/**
 * Parses without caching. A lone number is read as flag1 with flag2 = 0; anything else that is
 * not two unsigned 32-bit decimals around one `|` gives a UserFlags with no roles. Never throws.
 */
export function parseUserFlagsUncached(raw: string): UserFlags {
  const pipe = raw.indexOf('|');
  const flag1 = parseUint32(raw, 0, pipe < 0 ? raw.length : pipe);
  const flag2 = pipe < 0 ? 0 : parseUint32(raw, pipe + 1, raw.length);
  if (flag1 < 0 || flag2 < 0) {
    return Object.freeze({ raw, flag1: 0, flag2: 0, roles: NO_ROLES, subscriberTier: 0 });
  }
  const subscriberTier = tierOf(flag2);
  return Object.freeze({ raw, flag1, flag2, roles: Object.freeze(rolesOf(flag1, flag2, subscriberTier)), subscriberTier });
}

export interface UserFlagsParserOptions {
  /** Distinct flag strings remembered (default 1024). */
  readonly cacheSize?: number;
}

/** A cached parser; the results are frozen and shared between callers. */
export function createUserFlagsParser(options: UserFlagsParserOptions = {}): (raw: string) => UserFlags {
  const cache = new LRUCache<string, UserFlags>({ max: Math.max(1, options.cacheSize ?? DEFAULT_FLAG_CACHE_SIZE) });
  return (raw: string): UserFlags => {
    let flags = cache.get(raw);
    if (flags === undefined) {
      flags = parseUserFlagsUncached(raw);
      cache.set(raw, flags);
    }
    return flags;
  };
}

/** The process-wide cached parser. */
export const parseUserFlags: (raw: string) => UserFlags = createUserFlagsParser();
