/** The port platform adapters implement: deliver one already-paced message to a destination. */
import type { Destination, Platform } from '../store/types.js';
import type { Alert } from './alert.js';

export interface Delivery {
  readonly destination: Destination;
  /** One alert, or several (a destination that fell behind gets one batched / digest message). */
  readonly alerts: readonly Alert[];
  /** Stable for this delivery across retries (Discord uses it as the message nonce). */
  readonly key: string;
  /** The platform refused our rendering of these alerts once: render them in the minimal safe form. */
  readonly minimal?: boolean;
}

export interface Sink {
  readonly platform: Platform;
  /** Sends the delivery; throws a DeliveryError (rateLimited / permanent / transient) on failure. */
  send(delivery: Delivery): Promise<void>;
}
