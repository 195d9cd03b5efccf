/**
 * The Discord sink: one Delivery → one message (or, for a digest that does not fit, a few), posted
 * with the REST client. Every message carries `allowed_mentions` from the formatter (parse nothing;
 * at most the subscription's own role on a loud alert) and a nonce derived from the delivery key
 * with `enforce_nonce`, so a resend after a crash or a timeout is deduplicated by Discord itself.
 */
import { createHash } from 'node:crypto';
import { Routes } from 'discord.js';
import { renderDiscord, renderDiscordDigest, renderDiscordMinimal, type DiscordMessage } from '../route/format-discord.js';
import type { Delivery, Sink } from '../route/sink.js';
import { toDeliveryError } from './errors.js';

/** The part of @discordjs/rest the sink uses (a fake in unit tests). */
export interface MessagePoster {
  post(route: `/${string}`, options: { body: unknown }): Promise<unknown>;
}

/** Discord allows nonces of at most 25 characters. */
export const MAX_NONCE_LENGTH = 25;

/**
 * A stable nonce for page `page` of a delivery: base-36 of the first 120 bits of SHA-256 (at most 24
 * characters). Same key and page → same nonce, across retries and restarts.
 */
export function messageNonce(key: string, page = 0): string {
  const digest = createHash('sha256').update(`${key}#${page}`).digest();
  return BigInt(`0x${digest.subarray(0, 15).toString('hex')}`).toString(36);
}

/** The JSON body of POST /channels/:id/messages. */
export function messageBody(message: DiscordMessage, nonce: string): Record<string, unknown> {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    embeds: message.embeds,
    allowed_mentions: { parse: [...message.allowedMentions.parse], roles: [...message.allowedMentions.roles] },
    nonce,
    enforce_nonce: true,
  };
}

export function renderDelivery(delivery: Delivery): DiscordMessage[] {
  if (delivery.minimal) return renderDiscordMinimal(delivery.alerts);
  const [only] = delivery.alerts;
  return delivery.alerts.length === 1 && only ? [renderDiscord(only)] : renderDiscordDigest(delivery.alerts);
}

export function createDiscordSink(rest: MessagePoster): Sink {
  return {
    platform: 'discord',
    async send(delivery: Delivery): Promise<void> {
      const messages = renderDelivery(delivery);
      for (const [page, message] of messages.entries()) {
        try {
          await rest.post(Routes.channelMessages(delivery.destination.id), { body: messageBody(message, messageNonce(delivery.key, page)) });
        } catch (err) {
          // Pages already posted are posted again on retry with the same nonce: Discord returns them
          // instead of creating copies.
          throw toDeliveryError(err);
        }
      }
    },
  };
}
