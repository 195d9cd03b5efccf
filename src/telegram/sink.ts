/**
 * The Telegram sink: one delivery → one or more sendMessage calls (HTML, silent below the loud
 * threshold). Pacing and retries belong to the router's limiter; this only sends once and says how
 * it failed. A delivery split into several messages remembers which parts went out, so a retry
 * after a failure on part 2 does not repeat part 1.
 */
import type { Api } from 'grammy';
import { LRUCache } from 'lru-cache';
import { renderTelegramDigest, renderTelegramMinimal } from '../route/format-telegram.js';
import type { Delivery, Sink } from '../route/sink.js';
import { toDeliveryError } from './errors.js';

type SendSignal = NonNullable<Parameters<Api['sendMessage']>[3]>;

export interface TelegramSinkOptions {
  readonly api: Pick<Api, 'sendMessage'>;
  readonly token: string;
  /** Per-request timeout (default 15 s); a timed-out send is retried by the router. */
  readonly sendTimeoutMs?: number;
}

export function createTelegramSink(options: TelegramSinkOptions): Sink {
  const sentParts = new LRUCache<string, number>({ max: 10_000, ttl: 60 * 60_000 });
  const timeoutMs = options.sendTimeoutMs ?? 15_000;
  return {
    platform: 'telegram',
    async send(delivery: Delivery): Promise<void> {
      const messages = delivery.minimal ? renderTelegramMinimal(delivery.alerts) : renderTelegramDigest(delivery.alerts);
      const progressKey = `${delivery.destination.id}|${delivery.key}`;
      for (let part = sentParts.get(progressKey) ?? 0; part < messages.length; part++) {
        const message = messages[part];
        if (!message) continue;
        try {
          await options.api.sendMessage(
            delivery.destination.id,
            message.text,
            {
              parse_mode: message.parseMode,
              disable_notification: message.disableNotification,
              link_preview_options: { is_disabled: message.disableLinkPreview },
            },
            // grammY types its signal with the abort-controller shim; node-fetch takes the native one.
            AbortSignal.timeout(timeoutMs) as unknown as SendSignal,
          );
        } catch (err) {
          if (part > 0) sentParts.set(progressKey, part);
          throw toDeliveryError(err, options.token);
        }
      }
      sentParts.delete(progressKey);
    },
  };
}
