/** What SOOP's live-info API says about a streamer, in domain terms. */
export interface LiveBroadcast {
  readonly status: 'live' | 'password';
  readonly streamerId: string;
  readonly streamerNickname: string;
  readonly broadcastNo: string;
  readonly chatNo: string;
  readonly title: string;
  /** Chat server host, lower-cased (CHDOMAIN, or derived from CHIP). */
  readonly chatHost: string;
  /** Plain-websocket port (CHPT); TLS is CHPT+1. */
  readonly chatPort: number;
  readonly ftk?: string;
}

export type LiveInfo =
  | LiveBroadcast
  /** RESULT 0: not broadcasting, or no such streamer (SOOP answers both the same way). */
  | { readonly status: 'offline' }
  /** RESULT -6: 19+, needs an age-verified login. */
  | { readonly status: 'adult'; readonly title?: string }
  /** RESULT -8: 19+ and password protected. */
  | { readonly status: 'adultPassword'; readonly title?: string }
  /** RESULT -14: subscription-plus only. */
  | { readonly status: 'subscribersOnly'; readonly minTier?: number }
  /** Any other RESULT. */
  | { readonly status: 'unknown'; readonly result: number };

export type LiveStatus = LiveInfo['status'];

export interface LiveInfoRequestOptions {
  /** A check that should jump the queue of routine polls (e.g. before reconnecting a live stream). */
  readonly urgent?: boolean;
}

/** Fetches live info; throws a SoopError on network, timeout or malformed replies. */
export type LiveInfoFetcher = (streamerId: string, signal?: AbortSignal, options?: LiveInfoRequestOptions) => Promise<LiveInfo>;

