/**
 * Discord gateway sharding, as pure functions: which shard a guild's events arrive on, and what
 * that means for one process running some of the shards (DISCORD_SHARDS out of DISCORD_SHARD_COUNT).
 */

/** The shards one process runs, out of the total across every process of the bot. */
export interface ShardSpec {
  readonly ids: readonly number[];
  readonly count: number;
}

/** Discord's formula: shard_id = (guild_id >> 22) % num_shards (the snowflake's timestamp part). */
export function shardOf(guildId: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`The shard count must be a whole number of at least 1 (got ${count}).`);
  if (!/^\d+$/.test(guildId)) throw new RangeError(`"${guildId}" is not a Discord guild id.`);
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/**
 * Whether this process receives the gateway events of a guild. Without sharding, every guild; a
 * malformed stored id belongs to no shard, so a sharded process leaves it alone.
 */
export function runsGuild(shards: ShardSpec | undefined, guildId: string): boolean {
  if (!shards) return true;
  if (!/^\d+$/.test(guildId)) return false;
  return shards.ids.includes(shardOf(guildId, shards.count));
}

/**
 * Slash commands are global and the bulk overwrite is idempotent: one process is enough, the one
 * running shard 0 (or the only process when there is no sharding).
 */
export function registersCommands(shards: ShardSpec | undefined): boolean {
  return !shards || shards.ids.includes(0);
}
