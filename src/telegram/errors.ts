/**
 * grammY errors → DeliveryError kinds, and token stripping.
 *
 * Telegram warns that error codes may change, so decisions key on `error_code` plus the
 * description's wording (platforms.md §5). Network errors carry the request URL, which contains
 * the bot token: every text that leaves this module has it removed.
 */
import { GrammyError, HttpError } from 'grammy';
import { DeliveryError, describeError } from '../core/errors.js';
import { redactSecrets } from '../log.js';

/** Removes the token (and anything shaped like `/bot<id>:<secret>`) from a text. */
export function stripToken(text: string, token: string): string {
  const withoutToken = token.length > 0 ? text.split(token).join('[REDACTED]') : text;
  return redactSecrets(withoutToken).replace(/\/bot\d+:[^/\s]+/g, '/bot[REDACTED]');
}

/** Known 403/400 descriptions → a clear reason stored with the paused subscriptions. */
const GONE_REASONS: readonly (readonly [RegExp, string])[] = [
  [/bot was blocked by the user/i, 'the user blocked the bot'],
  [/bot was kicked from the (super)?group chat/i, 'the bot was removed from the group'],
  [/bot was kicked from the channel chat/i, 'the bot was removed from the channel'],
  [/bot is not a member of the (channel|supergroup|group) chat/i, 'the bot is not a member of this chat'],
  [/user is deactivated/i, "the user's Telegram account was deleted"],
  [/bot can't initiate conversation with a user/i, 'the user never started the bot'],
  [/chat not found/i, 'the chat no longer exists (chat not found)'],
  [/have no rights to send a message|not enough rights to send/i, 'the bot may not post in this chat'],
  [/group chat was deleted/i, 'the group was deleted'],
];

/**
 * 400s about the message we built, not the chat: our rendering is at fault, so the chat keeps its
 * alerts and the router re-renders them in the minimal form.
 */
const RENDERING_PROBLEMS: readonly RegExp[] = [/message text is empty/i, /text must be non-empty/i, /can't parse entities/i, /message is too long/i, /entities too long/i];

function goneReason(description: string): string | undefined {
  return GONE_REASONS.find(([pattern]) => pattern.test(description))?.[1];
}

/** Maps anything thrown by a grammY API call to a DeliveryError the router understands. */
export function toDeliveryError(err: unknown, token: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof GrammyError) {
    const description = stripToken(err.description, token);
    const retryAfter = err.parameters.retry_after;
    if (retryAfter !== undefined) return DeliveryError.rateLimited(Math.max(1, retryAfter) * 1000);
    const migrateTo = err.parameters.migrate_to_chat_id;
    if (migrateTo !== undefined) {
      return DeliveryError.permanent(`the group became a supergroup (new chat id ${migrateTo})`, { migrateTo: String(migrateTo) });
    }
    if (err.error_code === 429) return DeliveryError.rateLimited(1000);
    if (err.error_code >= 500) return DeliveryError.transient(`Telegram server error ${err.error_code}: ${description}`);
    // 401/404 mean a wrong token or API URL: every chat fails alike, so don't pause any of them.
    if (err.error_code === 401 || err.error_code === 404) {
      return DeliveryError.transient(`Telegram refused the bot's credentials or API URL (${err.error_code}: ${description})`);
    }
    const reason = goneReason(description);
    if (reason !== undefined) return DeliveryError.permanent(reason);
    if (err.error_code === 403) return DeliveryError.permanent(`Telegram forbids sending here (${description})`);
    if (err.error_code === 400 || RENDERING_PROBLEMS.some((p) => p.test(description))) {
      // An unknown 400 is about the request, not the chat: never pause a chat for it.
      return DeliveryError.rendering(`Telegram refused this message as we built it (${err.error_code}: ${description})`);
    }
    return DeliveryError.permanent(`Telegram rejected the message (${err.error_code}: ${description})`);
  }
  if (err instanceof HttpError) {
    const detail = err.error instanceof Error ? `: ${err.error.message}` : '';
    return DeliveryError.transient(stripToken(`${err.message}${detail}`, token));
  }
  return DeliveryError.transient(stripToken(describeError(err), token));
}

/** A short, token-free description of any error, for logs and replies. */
export function describeTelegramError(err: unknown, token: string): string {
  if (err instanceof GrammyError) return stripToken(`${err.method}: ${err.error_code} ${err.description}`, token);
  if (err instanceof HttpError) return toDeliveryError(err, token).message;
  return stripToken(describeError(err), token);
}
