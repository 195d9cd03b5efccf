/**
 * The port an engine reads a streamer's chat through. Defined in src/core/chat-source.ts so that the
 * SOOP client (src/soop/) can implement it without importing engine/ (DESIGN.md dependency rule).
 */
export type {
  ChatSource,
  ChatSourceFactory,
  ChatSourceHandlers,
  ChatSourceState,
  ChatSourceStateName,
  ReconnectCause,
  RestrictedReason,
} from '../core/chat-source.js';
