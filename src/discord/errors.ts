/**
 * discord.js errors → our DeliveryError kinds (the router decides what each kind means):
 * - RateLimitError (we ask @discordjs/rest to reject instead of wait) and any 429 → rateLimited;
 * - Discord's own JSON verdict that the channel is gone or forbidden (10003, 10004, 50001, 50013),
 *   and any other 4xx Discord answered with a JSON error code → permanent;
 * - 5xx, network failures, timeouts, and anything without Discord's JSON verdict → transient.
 *
 * Two deliberate exceptions to "4xx → permanent", because pausing a channel is the wrong cure:
 * - 400 (e.g. 50035 Invalid Form Body, 50006 empty message) is about the message we built, not the
 *   channel: `rendering`, so the router sends the same alerts again in the minimal safe form.
 * - 401 means the bot token is wrong for every channel at once: transient (and loud in the log), so a
 *   token reset does not pause every subscription in every server.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { DeliveryError, describeError } from '../core/errors.js';

/** Discord JSON error codes we give a clear sentence to (opcodes-and-status-codes.mdx). */
export const DISCORD_ERROR_REASONS: Readonly<Record<number, string>> = {
  10003: 'Unknown Channel (10003): the channel was deleted or the bot cannot find it',
  10004: 'Unknown Guild (10004): the bot is no longer in this server',
  50001: 'Missing Access (50001): the bot cannot see this channel',
  50013: 'Missing Permissions (50013): the bot cannot post in this channel (it needs View Channel, Send Messages and Embed Links)',
};

/** At least 1 ms, so a rateLimited error always pauses the destination. */
const atLeastOneMs = (ms: number): number => (Number.isFinite(ms) && ms > 0 ? Math.ceil(ms) : 1000);

function retryAfterFromBody(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null || !('retry_after' in raw)) return undefined;
  const seconds = Number((raw as { retry_after: unknown }).retry_after);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

function fromApiError(err: DiscordAPIError): DeliveryError {
  const code = typeof err.code === 'number' ? err.code : Number(err.code);
  if (err.status === 429) return DeliveryError.rateLimited(atLeastOneMs(retryAfterFromBody(err.rawError) ?? 1000), err);
  const known = DISCORD_ERROR_REASONS[code];
  if (known) return DeliveryError.permanent(known, { cause: err });
  if (err.status >= 500) return DeliveryError.transient(`Discord had a server error (${err.status}): ${err.message}`, err);
  if (err.status === 401) return DeliveryError.transient('Discord rejected the bot token (401 Unauthorized); check DISCORD_TOKEN', err);
  if (err.status === 400) return DeliveryError.rendering(`Discord refused this message as we built it (${code}): ${err.message}`, err);
  return DeliveryError.permanent(`Discord refused to deliver here (${err.status}, code ${code}): ${err.message}`, { cause: err });
}

/** Maps anything a discord.js REST call throws to a DeliveryError. */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof RateLimitError) return DeliveryError.rateLimited(atLeastOneMs(Math.max(err.retryAfter, err.sublimitTimeout)), err);
  if (err instanceof DiscordAPIError) return fromApiError(err);
  if (err instanceof HTTPError) {
    // No JSON verdict from Discord (a proxy, Cloudflare, an outage page): never pause a channel for it.
    if (err.status === 429) return DeliveryError.rateLimited(1000, err);
    return DeliveryError.transient(`Discord answered ${err.status} ${err.message}`, err);
  }
  if (err instanceof Error && err.name === 'AbortError') return DeliveryError.transient('Discord did not answer in time', err);
  return DeliveryError.transient(`could not reach Discord: ${describeError(err)}`, err);
}
