/** What command handlers need from the rest of the app (wired in app.ts). */
import type { LiveInfo } from '../core/live-info.js';
import type { Destination, Locale, Subscription } from '../store/types.js';

/** Who runs a command, where. The adapters check permissions before calling a handler. */
export interface CommandContext {
  readonly destination: Destination;
  readonly userId: string;
  /** The user's language: replies are written in it. */
  readonly locale: Locale;
  /**
   * The platform's default alert language for this destination, used when it has none stored yet
   * (its first subscription): Discord the server's language, Telegram the subscriber's.
   */
  readonly alertLocale?: Locale;
}

/** An engine's state as /status shows it. */
export interface StreamerStatusView {
  readonly state: string;
  readonly since: number;
  readonly broadcastNo?: string | undefined;
  readonly title?: string | undefined;
  readonly restrictedReason?: string | undefined;
  readonly lastError?: string | undefined;
  /** Why it is reconnecting (e.g. `hostGone`: the SOOP address is moved or dead). */
  readonly cause?: string | undefined;
  readonly lastChatAt?: number | undefined;
  readonly lastDonationAt?: number | undefined;
  readonly reconnects: number;
  /** Several nodes: the engine runs on another node, whose last published status this is. */
  readonly crawledBy?: { readonly node: string; readonly ageMs: number } | undefined;
}

export interface CommandEffects {
  /** The subscriptions of a streamer changed: refresh routing and the engines. */
  subscriptionsChanged(streamerId: string): void;
  /** False when a new streamer would exceed the engine cap. */
  canWatch(streamerId: string): boolean;
  engineStatus(streamerId: string): StreamerStatusView | undefined;
  /** A fresh live-info check, for the reply to /watch. */
  checkLiveInfo(streamerId: string): Promise<LiveInfo>;
  /** Sends a synthetic donation through the delivery pipeline to this subscription only. */
  sendTest(subscription: Subscription): void;
  /** What delivery to this destination ran into since the process started (for /status). */
  deliveryStatus?(destination: Destination): DeliveryStatusView;
}

export interface DeliveryStatusView {
  /** Alerts given up on (permanent errors, or failing past the give-up window). */
  readonly givenUp: number;
  readonly lastGivenUpAt: number | undefined;
  readonly lastReason: string | undefined;
  /** Events held in memory (all destinations) because the database is unavailable. */
  readonly heldEvents: number;
}
